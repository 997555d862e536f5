package registration_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

// bigCatalogue is national in size: 31 provinces × 10 cities × 3 authorities, each with two
// confirmation points and two windows.
func bigCatalogue() *registration.Catalogue {
	c := &registration.Catalogue{}
	for p := 0; p < 31; p++ {
		pc := fmt.Sprintf("%02d", 11+p)
		c.Provinces = append(c.Provinces, registration.Province{Code: pc, Name: "省" + pc})
		for ci := 0; ci < 10; ci++ {
			cc := fmt.Sprintf("%s%02d00", pc, ci+1)
			c.Cities = append(c.Cities, registration.City{Code: cc, Name: "市" + cc, Province: pc})
			for a := 0; a < 3; a++ {
				id := fmt.Sprintf("%s-%d", cc, a)
				c.Authorities = append(c.Authorities, registration.Authority{ID: id, Province: pc, City: cc,
					Stages: []registration.Stage{registration.Stage(a + 1), registration.Stage(a + 2)},
					Kinds:  []certificate.Kind{certificate.Kind(a + 1), certificate.Kind(a + 2)}})
				for k := 0; k < 2; k++ {
					c.Points = append(c.Points, registration.ConfirmationPoint{ID: fmt.Sprintf("%s-p%d", id, k), AuthorityID: id})
					c.Windows = append(c.Windows, registration.Window{ID: fmt.Sprintf("%s-w%d", id, k), AuthorityID: id,
						Province: pc, City: cc, Stage: registration.Stage(a + 1 + k), Opens: opens, Closes: closes})
				}
			}
		}
	}
	return c
}

// BenchmarkCatalogueSearch is the window query of one city and stage over a national catalogue;
// BenchmarkCatalogueScanFloor is one bare pass over the authorities, windows and points comparing
// one field each: the least a search over this unindexed layout can do.
func BenchmarkCatalogueSearch(b *testing.B) {
	c := bigCatalogue()
	q := registration.Query{Province: "21", City: "210500", Stage: registration.StageJuniorMiddle}
	b.ReportAllocs()
	for b.Loop() {
		if rs, err := c.Search(q); err != nil || len(rs) != 2 {
			b.Fatal(len(rs), err)
		}
	}
}

func BenchmarkCatalogueScanFloor(b *testing.B) {
	c := bigCatalogue()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, a := range c.Authorities {
			if a.Province == "21" && a.City == "210500" {
				n++
			}
		}
		for _, w := range c.Windows {
			if w.AuthorityID == "210500-1" {
				n++
			}
		}
		for _, p := range c.Points {
			if p.AuthorityID == "210500-1" {
				n++
			}
		}
		if n != 7 {
			b.Fatal(n)
		}
	}
}

// BenchmarkUnmarshalWizard loads a saved wizard at step 6 (validating steps 0–5 as far as it can
// without an Env); BenchmarkUnmarshalWizardJSONFloor is encoding/json alone on the same bytes.
func BenchmarkUnmarshalWizard(b *testing.B) {
	data := savedAtCommitment(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := registration.UnmarshalWizard(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalWizardJSONFloor(b *testing.B) {
	data := savedAtCommitment(b)
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func savedAtCommitment(b *testing.B) []byte {
	w := registration.NewWizard()
	walk(b, w, env(&registrationtest.Memory{}), registration.StepCommitment)
	data, err := json.Marshal(w)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

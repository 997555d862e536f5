package registration_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func authID(a registration.Authority) string          { return a.ID }
func pointID(p registration.ConfirmationPoint) string { return p.ID }
func windowID(w registration.Window) string           { return w.ID }

func TestCatalogueFixtureIsValid(t *testing.T) {
	if err := catalogue().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestCatalogueValidateFindsBrokenReferences(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(*registration.Catalogue)
		want   string // part of the zh-CN message naming the problem
	}{
		{"city in an unknown province", func(c *registration.Catalogue) { c.Cities[0].Province = "99" }, "所属省份"},
		{"authority in an unknown city", func(c *registration.Catalogue) { c.Authorities[0].City = "449900" }, "所在地"},
		{"duplicate authority id", func(c *registration.Catalogue) { c.Authorities[1].ID = c.Authorities[0].ID }, "注册机构编号"},
		{"point of an unknown authority", func(c *registration.Catalogue) { c.Points[0].AuthorityID = "x" }, "所属注册机构"},
		{"duplicate point id", func(c *registration.Catalogue) { c.Points[1].ID = c.Points[0].ID }, "确认点编号"},
		{"window of an unknown authority", func(c *registration.Catalogue) { c.Windows[0].AuthorityID = "x" }, "所属注册机构"},
		{"window closing before it opens", func(c *registration.Catalogue) { c.Windows[0].Closes = c.Windows[0].Opens }, "结束时间不晚于开始时间"},
		{"window for a stage the authority does not serve", func(c *registration.Catalogue) { c.Windows[0].Stage = registration.StageKindergarten }, "不在注册机构"},
		{"window in another city than its authority", func(c *registration.Catalogue) { c.Windows[0].City = "440300" }, "所在地与注册机构"},
		{"empty window id", func(c *registration.Catalogue) { c.Windows[0].ID = "" }, "网报时间编号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := catalogue()
			tt.break_(c)
			err := c.Validate()
			if !errors.Is(err, registration.ErrInvalidCatalogue) {
				t.Fatalf("Validate = %v, want ErrInvalidCatalogue", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestCatalogueCascade(t *testing.T) {
	c := catalogue()
	if got := ids(c.ProvinceList(), func(p registration.Province) string { return p.Code }); !slices.Equal(got, []string{"44", "45"}) {
		t.Errorf("ProvinceList = %v", got)
	}
	if got := ids(c.CitiesOf("44"), func(c registration.City) string { return c.Code }); !slices.Equal(got, []string{"440100", "440300"}) {
		t.Errorf("CitiesOf(44) = %v", got)
	}
	if got := c.CitiesOf("11"); len(got) != 0 {
		t.Errorf("CitiesOf(11) = %v", got)
	}
	wantStages := []registration.Stage{registration.StagePrimary, registration.StageJuniorMiddle, registration.StageSeniorMiddle, registration.StageVocational}
	if got := c.StagesOf("44", "440100"); !slices.Equal(got, wantStages) {
		t.Errorf("StagesOf(广州) = %v", got)
	}
	if got := ids(c.AuthoritiesOf("44", "440100", registration.StageSeniorMiddle), authID); !slices.Equal(got, []string{"gz"}) {
		t.Errorf("AuthoritiesOf(广州, 高中) = %v", got)
	}
	if got := ids(c.AuthoritiesOf("44", "440100", 0), authID); !slices.Equal(got, []string{"gz-th", "gz"}) {
		t.Errorf("AuthoritiesOf(广州, any) = %v", got)
	}
	if got := ids(c.AuthoritiesFor("44", "440100", certificate.Primary, primary), authID); !slices.Equal(got, []string{"gz-th"}) {
		t.Errorf("AuthoritiesFor(广州, 小学, 小学) = %v", got)
	}
	if got := c.AuthoritiesFor("44", "440100", certificate.Higher, registration.StageSeniorMiddle); len(got) != 0 {
		t.Errorf("AuthoritiesFor(高等学校) = %v", ids(got, authID))
	}
}

func TestCatalogueSearch(t *testing.T) {
	c := catalogue()
	tests := []struct {
		name    string
		q       registration.Query
		auth    []string
		windows [][]string
		points  [][]string
	}{
		{"a province lists its authorities with plans", registration.Query{Province: "44"},
			[]string{"gz-th", "gz"}, [][]string{{"w-th-p", "w-th-j"}, {"w-gz-s"}}, [][]string{{"th-1", "th-2"}, {"gz-1"}}},
		{"a stage narrows windows and points", registration.Query{Province: "44", City: "440100", Stage: registration.StageJuniorMiddle},
			[]string{"gz-th"}, [][]string{{"w-th-j"}}, [][]string{{"th-1"}}},
		{"an authority alone", registration.Query{AuthorityID: "nn"},
			[]string{"nn"}, [][]string{{"w-nn-p"}}, [][]string{{"nn-1"}}},
		{"the full cascade", registration.Query{Province: "44", City: "440100", Stage: primary, AuthorityID: "gz-th"},
			[]string{"gz-th"}, [][]string{{"w-th-p"}}, [][]string{{"th-1", "th-2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := c.Search(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(rs, func(r registration.Result) string { return r.Authority.ID }); !slices.Equal(got, tt.auth) {
				t.Fatalf("authorities = %v, want %v", got, tt.auth)
			}
			for i, r := range rs {
				if got := ids(r.Windows, windowID); !slices.Equal(got, tt.windows[i]) {
					t.Errorf("%s windows = %v, want %v", r.Authority.ID, got, tt.windows[i])
				}
				if got := ids(r.Points, pointID); !slices.Equal(got, tt.points[i]) {
					t.Errorf("%s points = %v, want %v", r.Authority.ID, got, tt.points[i])
				}
			}
		})
	}
	for _, q := range []registration.Query{{Province: "44", City: "440300"}, {Province: "11"}, {AuthorityID: "none"}} {
		if _, err := c.Search(q); !errors.Is(err, registration.ErrNoPlan) {
			t.Errorf("Search(%+v) error = %v, want ErrNoPlan", q, err)
		}
	}
}

func TestScopeFits(t *testing.T) {
	sub := registration.Situation{Kind: certificate.Primary, Stage: primary, Subject: "01", District: "440106"}
	tests := []struct {
		name  string
		scope registration.Scope
		sub   registration.Situation
		want  bool
	}{
		{"an empty scope admits everyone", registration.Scope{}, sub, true},
		{"exact district", registration.Scope{Districts: []string{"440106"}}, sub, true},
		{"city code covers its districts", registration.Scope{Districts: []string{"440100"}}, sub, true},
		{"province code covers its districts", registration.Scope{Districts: []string{"440000"}}, sub, true},
		{"another district is refused", registration.Scope{Districts: []string{"440104"}}, sub, false},
		{"another city is refused", registration.Scope{Districts: []string{"440300"}}, sub, false},
		{"an empty district is refused by a district scope", registration.Scope{Districts: []string{"440100"}}, registration.Situation{Kind: certificate.Primary}, false},
		{"stage listed", registration.Scope{Stages: []registration.Stage{primary}}, sub, true},
		{"stage not listed", registration.Scope{Stages: []registration.Stage{registration.StageKindergarten}}, sub, false},
		{"kind not listed", registration.Scope{Kinds: []certificate.Kind{certificate.SeniorMiddle}}, sub, false},
		{"subject listed", registration.Scope{Subjects: []string{"02", "01"}}, sub, true},
		{"subject not listed", registration.Scope{Subjects: []string{"02"}}, sub, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.scope.Fits(tt.sub); got != tt.want {
				t.Errorf("Fits = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCatalogueLookupsAndWindowFor(t *testing.T) {
	c := catalogue()
	if a, ok := c.Authority("gz"); !ok || a.Name != "广州市教育局" {
		t.Errorf("Authority(gz) = %v, %v", a, ok)
	}
	for _, id := range []string{"", "x"} {
		if _, ok := c.Authority(id); ok {
			t.Errorf("Authority(%q) found", id)
		}
		if _, ok := c.Point(id); ok {
			t.Errorf("Point(%q) found", id)
		}
		if _, ok := c.Window(id); ok {
			t.Errorf("Window(%q) found", id)
		}
	}
	if w, err := c.WindowFor("gz-th", primary, inside); err != nil || w.ID != "w-th-p" {
		t.Errorf("WindowFor(open) = %v, %v", w.ID, err)
	}
	if _, err := c.WindowFor("gz-th", registration.StageJuniorMiddle, inside); !errors.Is(err, registration.ErrNotOpenYet) {
		t.Errorf("WindowFor(not yet) = %v", err)
	}
	if _, err := c.WindowFor("gz-th", primary, closes); !errors.Is(err, registration.ErrClosed) {
		t.Errorf("WindowFor(closed) = %v", err)
	}
	if _, err := c.WindowFor("sz", registration.StageKindergarten, inside); !errors.Is(err, registration.ErrNoPlan) {
		t.Errorf("WindowFor(no plan) = %v", err)
	}
	if got := ids(c.PointsOf("gz-th", registration.Situation{Kind: certificate.Primary, Stage: primary, Subject: "02", District: "440106"}), pointID); !slices.Equal(got, []string{"th-1"}) {
		t.Errorf("PointsOf(数学) = %v", got)
	}
}

func ExampleCatalogue_Search() {
	c := &registration.Catalogue{
		Provinces:   []registration.Province{{Code: "44", Name: "广东省"}},
		Cities:      []registration.City{{Code: "440100", Name: "广州市", Province: "44"}},
		Authorities: []registration.Authority{{ID: "a1", Name: "广州市天河区教育局", Province: "44", City: "440100", Stages: []registration.Stage{registration.StagePrimary}, Kinds: []certificate.Kind{certificate.Primary}}},
		Points:      []registration.ConfirmationPoint{{ID: "p1", AuthorityID: "a1", Name: "天河区教师发展中心", ScopeText: "天河区小学教师"}},
		Windows: []registration.Window{{ID: "w1", AuthorityID: "a1", Province: "44", City: "440100", Stage: registration.StagePrimary,
			Opens: opens, Closes: closes}},
	}
	rs, _ := c.Search(registration.Query{Province: "44", City: "440100", Stage: registration.StagePrimary})
	for _, r := range rs {
		fmt.Println(r.Authority.Name, r.Windows[0].Opens.Format("2006-01-02 15:04"), r.Windows[0].Closes.Format("2006-01-02 15:04"))
		for _, p := range r.Points {
			fmt.Println(" ", p.Name, p.ScopeText)
		}
	}
	_, err := c.Search(registration.Query{Province: "45"})
	fmt.Println(err)
	// Output:
	// 广州市天河区教育局 2026-07-01 09:00 2026-08-01 00:00
	//   天河区教师发展中心 天河区小学教师
	// 未查询到网报时间：该地的定期注册机构暂未开始业务安排或不参与定期注册工作，请联系定期注册机构咨询详细情况
}

func ExampleCatalogue_Validate() {
	c := &registration.Catalogue{
		Provinces:   []registration.Province{{Code: "44", Name: "广东省"}},
		Cities:      []registration.City{{Code: "440100", Name: "广州市", Province: "44"}},
		Authorities: []registration.Authority{{ID: "a1", Name: "广州市天河区教育局", Province: "44", City: "440100", Stages: []registration.Stage{registration.StagePrimary}, Kinds: []certificate.Kind{certificate.Primary}}},
		Points:      []registration.ConfirmationPoint{{ID: "p1", AuthorityID: "a1", Name: "天河区教师发展中心"}},
	}
	fmt.Println(c.Validate())
	c.Points = append(c.Points, registration.ConfirmationPoint{ID: "p2", AuthorityID: "a9", Name: "越秀区确认点"})
	err := c.Validate()
	fmt.Println(err, errors.Is(err, registration.ErrInvalidCatalogue))
	// Output:
	// <nil>
	// 确认点 越秀区确认点 所属注册机构 "a9" 不存在 true
}

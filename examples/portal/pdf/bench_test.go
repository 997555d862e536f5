package pdf_test

import (
	"testing"

	"github.com/signintech/gopdf"

	"github.com/tqreg/tqreg/examples/portal/fonts"
	"github.com/tqreg/tqreg/examples/portal/pdf"
)

// BenchmarkRender renders the complete form with its photo: time and allocations per form.
func BenchmarkRender(b *testing.B) {
	r, err := pdf.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	f, photo := completeForm(), testPhoto()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(f, photo); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderParallel is BenchmarkRender from every core on one shared Renderer.
func BenchmarkRenderParallel(b *testing.B) {
	r, err := pdf.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	f, photo := completeForm(), testPhoto()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(f, photo); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkFloorOneLine is the floor for BenchmarkRender: gopdf writing a one-page PDF with
// the same two fonts (parsed once, as the Renderer does) and one line of text, the
// applicant's name and application number. Most of either cost is gopdf compressing the
// embedded font subset.
func BenchmarkFloorOneLine(b *testing.B) {
	var fc gopdf.FontContainer
	if err := fc.AddTTFFontData("A", fonts.DroidSansFallback); err != nil {
		b.Fatal(err)
	}
	if err := fc.AddTTFFontData("B", fonts.GoRegular); err != nil {
		b.Fatal(err)
	}
	f := completeForm()
	line := f.Applicant.Name + " " + f.Submission.ApplicationNumber
	b.ReportAllocs()
	for b.Loop() {
		gp := &gopdf.GoPdf{}
		gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
		for _, family := range []string{"A", "B"} {
			if err := gp.AddTTFFontFromFontContainer(family, &fc); err != nil {
				b.Fatal(err)
			}
		}
		gp.AddPage()
		if err := gp.SetFont("A", "", 10); err != nil {
			b.Fatal(err)
		}
		if err := gp.Cell(nil, line); err != nil {
			b.Fatal(err)
		}
		if _, err := gp.GetBytesPdfReturnErr(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRenderer is the cost NewRenderer saves each Render: parsing both fonts.
func BenchmarkNewRenderer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pdf.NewRenderer(); err != nil {
			b.Fatal(err)
		}
	}
}

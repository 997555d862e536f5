package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/pdf"
	"github.com/tqreg/tqreg/form"
)

// completeForm is an application form with every field filled, built the way the portal
// builds it (form.NewApplicationForm), with long school and address names that must wrap.
func completeForm() form.ApplicationForm {
	return mustForm(form.Applicant{
		Name:      "欧阳晓明",
		Gender:    form.GenderMale,
		Birth:     form.MustParseDate("1988-03-07"),
		DocType:   account.DocResidentID,
		DocNumber: "11010119880307123X",
	}, form.RegistrationInfo{
		Mandarin:         form.MandarinCertificate{Number: "1101051234567", Level: form.MandarinFirstB},
		Education:        form.EducationBachelor,
		MajorCategory:    form.MajorTeacherTraining,
		Degree:           form.DegreeBachelor,
		Major:            "数学与应用数学",
		GraduationSchool: "北京师范大学",
		GraduationDate:   form.MustParseDate("2010-06-30"),
		StudyMode:        form.StudyFullTime,
		School:           "北京市东城区第一六六中学（北京市东城区高级中学教育集团附属实验学校分校）",
		SchoolOwnership:  form.OwnershipPublic,
		SchoolLocation:   "北京市东城区",
		WorkStart:        form.MustParseDate("2010-08-01"),
		EmploymentStart:  form.MustParseDate("2014-09-01"),
		TeacherTitle:     form.TitleFirst,
		PostType:         form.PostFullTimeTeacher,
		Political:        form.PoliticalCPC,
		Household:        "北京市东城区",
		Address:          "北京市东城区安定门内大街国子监街15号院3号楼2单元501室（请寄送至学校传达室转交本人收）",
		Postcode:         "100007",
		Photo:            "photo-1",
	}, form.Submission{
		Authority:         "北京市东城区教育委员会",
		ConfirmationPoint: "东城区教师资格定期注册确认点（东城区教育服务中心）",
		ApplicationNumber: "2026110100000123",
		Submitted:         form.MustParseDate("2026-11-30"),
	})
}

// minimalForm has only what NewApplicationForm requires; every other value is empty.
func minimalForm() form.ApplicationForm {
	return mustForm(form.Applicant{Name: "王芳", DocType: account.DocResidentID, DocNumber: "110101199001011234"},
		form.RegistrationInfo{Photo: "photo-2"},
		form.Submission{Authority: "天津市教育委员会", ConfirmationPoint: "和平区确认点", ApplicationNumber: "2026120100000007"})
}

func mustForm(a form.Applicant, info form.RegistrationInfo, s form.Submission) form.ApplicationForm {
	c := certificate.Certificate{
		Number:     certificate.MustParseNumber("20101100132000123"),
		HolderName: a.Name,
		DocType:    a.DocType,
		DocNumber:  a.DocNumber,
		Subject:    "数学",
		Authority:  "北京市东城区教育委员会",
		Issued:     time.Date(2010, 7, 1, 0, 0, 0, 0, time.UTC),
	}
	f, err := form.NewApplicationForm(a, c, info, s)
	if err != nil {
		panic(err)
	}
	return f
}

// testPhoto is a 295 × 413 JPEG, the size the photo rules accept.
func testPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 295, 413))
	for y := range 413 {
		for x := range 295 {
			img.Set(x, y, color.RGBA{uint8(90 + y/3), uint8(140 + x/3), 220, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return buf.Bytes()
}

// withName returns f with the applicant's name changed everywhere it is printed.
func withName(f form.ApplicationForm, name string) form.ApplicationForm {
	f.Applicant.Name = name
	sections := make([]form.Section, len(f.Sections))
	for i, sec := range f.Sections {
		sections[i] = form.Section{Title: sec.Title, Rows: append([]form.Row(nil), sec.Rows...)}
		for j := range sections[i].Rows {
			if sections[i].Rows[j].Label == "姓名" {
				sections[i].Rows[j].Value = name
			}
		}
	}
	f.Sections = sections
	return f
}

// squash removes the white space pdftotext puts between and inside table cells, so a value
// that wrapped across lines is still found whole.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// Rendering is slow under the race detector (gopdf compresses the font subset each time), so
// the documents several tests look at are rendered once.
var (
	completeDoc = sync.OnceValues(func() ([]byte, error) { return pdf.Render(completeForm(), testPhoto()) })
	minimalDoc  = sync.OnceValues(func() ([]byte, error) { return pdf.Render(minimalForm(), nil) })
	noPhotoDoc  = sync.OnceValues(func() ([]byte, error) { return pdf.Render(completeForm(), nil) })
	zeroDoc     = sync.OnceValues(func() ([]byte, error) { return pdf.Render(form.ApplicationForm{}, nil) })
)

func cached(tb testing.TB, render func() ([]byte, error)) []byte {
	tb.Helper()
	doc, err := render()
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return doc
}

func TestRenderIsOnePageA4WithTheFontSubset(t *testing.T) {
	cases := []struct {
		name string
		doc  func() ([]byte, error)
	}{
		{"complete form with photo", completeDoc},
		{"complete form without photo", noPhotoDoc},
		{"minimal form", minimalDoc},
		{"zero form", zeroDoc},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkStructure(t, cached(t, c.doc), 1)
		})
	}
}

func TestRenderEmbedsThePhotoOnlyWhenGiven(t *testing.T) {
	with := cached(t, completeDoc)
	without := cached(t, noPhotoDoc)
	if !bytes.Contains(with, []byte("/DCTDecode")) {
		t.Error("PDF with a photo has no JPEG (/DCTDecode) image")
	}
	if bytes.Contains(without, []byte("/Subtype /Image")) {
		t.Error("PDF without a photo has an image")
	}
}

func TestRenderTextHasEveryLabelAndValue(t *testing.T) {
	cases := []struct {
		name string
		form form.ApplicationForm
		doc  func() ([]byte, error)
	}{
		{"complete form", completeForm(), completeDoc},
		{"minimal form", minimalForm(), minimalDoc},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := squash(pdftotext(t, cached(t, c.doc)))
			want := []string{
				form.ApplicationFormTitle,
				"报名号：" + c.form.Submission.ApplicationNumber,
				c.form.Applicant.Name,
				"个人承诺", "申请人签名", "签名日期", "确认点审核意见", "注册机构审核意见", "签章",
			}
			for _, r := range c.form.Rows() {
				want = append(want, r.Label, squash(r.Value))
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("extracted text lacks %q", w)
				}
			}
		})
	}
}

func TestRenderTextFindsTheApplicantAndNumber(t *testing.T) {
	text := pdftotext(t, cached(t, completeDoc))
	for _, w := range []string{"欧阳晓明", "2026110100000123", "姓名", "证件号码", "11010119880307123X", "现任教学校", "确认点"} {
		if !strings.Contains(text, w) {
			t.Errorf("extracted text lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "照片") {
		t.Error("the 照片 placeholder is printed although a photo was given")
	}
}

func TestRenderWithoutPhotoPrintsThePhotoBox(t *testing.T) {
	text := pdftotext(t, cached(t, minimalDoc))
	if !strings.Contains(text, "照片") {
		t.Errorf("no 照片 placeholder in:\n%s", text)
	}
}

func TestRenderRejectsAPhotoThatIsNotAJPEG(t *testing.T) {
	var pngBytes bytes.Buffer
	if err := png.Encode(&pngBytes, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	jpg := testPhoto()
	cases := []struct {
		name  string
		photo []byte
	}{
		{"png", pngBytes.Bytes()},
		{"text", []byte("not a photo")},
		{"truncated jpeg", jpg[:len(jpg)/2]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pdf.Render(completeForm(), c.photo)
			if !errors.Is(err, pdf.ErrPhoto) {
				t.Fatalf("err = %v, want ErrPhoto", err)
			}
			if !strings.Contains(err.Error(), "照片") {
				t.Errorf("message %q is not a zh-CN photo message", err.Error())
			}
		})
	}
}

// TestRenderSurvivesHostileValues proves that no value panics the renderer, that a value too
// long for one page continues on another page, and that characters the fonts lack print as □.
func TestRenderSurvivesHostileValues(t *testing.T) {
	long := strings.Repeat("北京市东城区第一六六中学附属实验学校", 40)
	cases := []struct {
		name  string
		value string
		shown string // must appear in the extracted text ("" = no check)
		pages int    // the page count; 0 = more than one
	}{
		{"empty", "", "", 1},
		{"very long CJK is cut with an ellipsis", long, "…", 0},
		{"very long latin word", strings.Repeat("W", 2000), "WWWW", 0},
		{"emoji", "王老师😀👩‍🏫", "王老师□□", 1},
		{"flag and variation selector", "🇨🇳❤️", "□", 1},
		{"rare CJK outside the font", "𠀀𪚥龘", "□", 1},
		{"control characters", "甲\x00乙\t丙\n丁\r戊\x7f己", "甲乙丙丁戊己", 1},
		{"invalid UTF-8", "a\xff\xfeb", "a□□b", 1},
		{"bidi and zero-width", "左\u202e右\u200b中", "左右中", 1},
		{"combining marks", "e\u0301\u0301\u0301", "", 1},
		{"only spaces", "   \u3000  ", "", 1},
		{"full-width and symbols", "（１２３）ＡＢＣ①②③№§", "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := completeForm()
			f.Applicant.Name = c.value
			f.Submission.ApplicationNumber = c.value
			for i := range f.Sections {
				for j := range f.Sections[i].Rows {
					f.Sections[i].Rows[j].Value = c.value
				}
			}
			doc, err := pdf.Render(f, nil)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if c.pages > 0 {
				checkStructure(t, doc, c.pages)
			} else if s := inspect(doc); !s.header || !s.trailer || s.pages < 2 {
				t.Errorf("want a complete PDF continued on further pages, got %+v", s)
			}
			if c.shown != "" {
				if text := squash(pdftotext(t, doc)); !strings.Contains(text, c.shown) {
					t.Errorf("extracted text lacks %q:\n%s", c.shown, text)
				}
			}
		})
	}
}

func TestRendererIsSafeForConcurrentUse(t *testing.T) {
	r, err := pdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	photo := testPhoto()
	const n = 4
	docs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f := withName(completeForm(), fmt.Sprintf("申请人%c", '甲'+rune(i)))
			f.Submission.ApplicationNumber = fmt.Sprintf("202611010000%04d", i)
			doc, err := r.Render(f, photo)
			if err != nil {
				t.Errorf("Render %d: %v", i, err)
			}
			docs[i] = doc
		})
	}
	wg.Wait()
	for i, doc := range docs {
		checkStructure(t, doc, 1)
		text := pdftotext(t, doc)
		for _, w := range []string{fmt.Sprintf("申请人%c", '甲'+rune(i)), fmt.Sprintf("202611010000%04d", i)} {
			if !strings.Contains(text, w) {
				t.Errorf("document %d lacks its own %q", i, w)
			}
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("欧阳晓明", "北京市东城区第一六六中学", "2026110100000123")
	f.Add("", "", "")
	f.Add("😀\x00\xff", "\u202e\u200b", "𠀀")
	f.Add(strings.Repeat("长", 500), strings.Repeat("x ", 300), "\t\n")
	r, err := pdf.NewRenderer()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name, school, number string) {
		form := completeForm()
		form.Applicant.Name = name
		form.Submission.ApplicationNumber = number
		for i := range form.Sections {
			for j := range form.Sections[i].Rows {
				form.Sections[i].Rows[j].Value = school
			}
		}
		doc, err := r.Render(form, nil)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if s := inspect(doc); !s.header || !s.trailer || s.pages < 1 || !s.subsetCJK {
			t.Fatalf("not a complete PDF: %+v", s)
		}
	})
}

func TestRenderIsDeterministic(t *testing.T) {
	again, err := pdf.Render(completeForm(), testPhoto())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cached(t, completeDoc), again) {
		t.Error("the same form and photo rendered to different bytes")
	}
}

// TestRenderWrapsLongValuesInsideTheTable proves that values as long as the form allows wrap
// inside their cells: every word lies within the table's margins, the page count stays one,
// and the wrapped value still reads whole.
func TestRenderWrapsLongValuesInsideTheTable(t *testing.T) {
	address := "内蒙古自治区呼和浩特市赛罕区大学西街235号内蒙古师范大学盛乐校区教职工家属院住宅小区第十二栋三单元六层东户" +
		"（请寄送至学校传达室转交本人收）Room 601 Building 12"
	school := "内蒙古自治区呼和浩特市赛罕区内蒙古师范大学附属实验中学盛乐校区初级中学部第二分校（蒙古语授课民族班）"
	f := completeForm()
	for i := range f.Sections {
		for j, r := range f.Sections[i].Rows {
			switch r.Label {
			case "通讯地址":
				f.Sections[i].Rows[j].Value = address
			case "现任教学校":
				f.Sections[i].Rows[j].Value = school
			}
		}
	}
	doc, err := pdf.Render(f, testPhoto())
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, doc, 1)

	const left, right = 42.0, 595.28 - 42.0 // the table's margins
	for _, b := range wordBoxes(t, doc) {
		if b.xMin < left-0.5 || b.xMax > right+0.5 {
			t.Errorf("%q spans x %.1f–%.1f, outside the table %.1f–%.1f", b.text, b.xMin, b.xMax, left, right)
		}
	}
	text := pdftotext(t, doc)
	for _, v := range []string{address, school} {
		if strings.Contains(text, v) {
			t.Errorf("%q was printed on one line; it should wrap", v)
		}
		if !strings.Contains(squash(text), squash(v)) {
			t.Errorf("wrapped %q does not read whole in:\n%s", v, text)
		}
	}
}

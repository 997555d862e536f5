package loadgen_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
)

const testForm = `<form id="f">
<input type="hidden" name="step" value="3">
<input name="name" value="张伟">
<input name="empty">
<input type="checkbox" name="agree" value="1" checked>
<input type="checkbox" name="other" value="1">
<input type="radio" name="c" value="a">
<input type="radio" name="c" value="b" checked>
<input type="file" name="photo_file">
<input type="submit" name="go" value="提交">
<input name="off" value="x" disabled>
<select name="city"><option value="">请选择</option><option value="440100" selected>广州市</option></select>
<select name="stage"><option value="">请选择</option><option value="2">小学</option></select>
<textarea name="note">备注</textarea>
</form>`

func doc(t testing.TB, html string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFormValues(t *testing.T) {
	v := loadgen.FormValues(doc(t, testForm).Find("#f"))
	tests := []struct {
		name, field string
		want        []string
	}{
		{"hidden input keeps its value", "step", []string{"3"}},
		{"text input keeps its value", "name", []string{"张伟"}},
		{"text input without value is sent empty", "empty", []string{""}},
		{"checked checkbox is sent", "agree", []string{"1"}},
		{"unchecked checkbox is not", "other", nil},
		{"only the checked radio is sent", "c", []string{"b"}},
		{"file input is not sent", "photo_file", nil},
		{"submit button is not sent", "go", nil},
		{"disabled input is not sent", "off", nil},
		{"select sends its selected option", "city", []string{"440100"}},
		{"select without selection sends its first option", "stage", []string{""}},
		{"textarea sends its text", "note", []string{"备注"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := v[tt.field]; fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

func TestFirstOption(t *testing.T) {
	d := doc(t, testForm)
	if got := loadgen.FirstOption(d.Selection, "stage"); got != "2" {
		t.Errorf("FirstOption(stage) = %q, want 2", got)
	}
	if got := loadgen.FirstOption(d.Selection, "missing"); got != "" {
		t.Errorf("FirstOption(missing) = %q, want empty", got)
	}
}

func ExampleFormValues() {
	d, _ := goquery.NewDocumentFromReader(strings.NewReader(
		`<form><input type="hidden" name="step" value="1"><input type="checkbox" name="agree" value="1" checked></form>`))
	fmt.Println(loadgen.FormValues(d.Find("form")).Encode())
	// Output: agree=1&step=1
}

func ExampleCheckLocal() {
	fmt.Println(loadgen.CheckLocal("http://127.0.0.1:8080"))
	fmt.Println(loadgen.CheckLocal("http://example.com"))
	// Output:
	// <nil>
	// loadgen: only 127.0.0.1, ::1 or localhost may be load-tested: host "example.com"
}

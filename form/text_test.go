package form_test

import (
	"strings"
	"testing"

	"github.com/tqreg/tqreg/form"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"trims", "  华南师范大学 ", "华南师范大学"},
		{"drops spaces between Chinese characters", "华南 师范\u3000大学", "华南师范大学"},
		{"collapses spaces in Latin names", "University   of\tHong Kong", "University of Hong Kong"},
		{"full-width letters and digits to half-width", "ＸＸ第１中学", "XX第1中学"},
		{"full-width brackets to half-width", "北京师范大学（珠海）", "北京师范大学(珠海)"},
		{"space between Chinese and Latin dropped", "香港 University", "香港University"},
		{"newlines collapse", "广州市\n第一中学", "广州市第一中学"},
		{"empty stays empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := form.NormalizeName(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := form.NormalizeName(got); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
	if got := form.NormalizeText("ＸＸ  路"); got != "ＸＸ路" {
		t.Errorf("NormalizeText folded width: %q", got)
	}
}

func TestNewSchool(t *testing.T) {
	tests := []struct {
		name   string
		school form.NewSchool
		fields []string
		msg    string
	}{
		{"valid after normalising", form.NewSchool{Name: " 某某 师范学院 ", Type: form.SchoolTypeRegularHigher}, nil, ""},
		{"two characters is enough", form.NewSchool{Name: "某校", Type: form.SchoolTypeOther}, nil, ""},
		{"one character is not a full name", form.NewSchool{Name: "某", Type: form.SchoolTypeOther}, []string{form.FieldGraduationSchool}, "学校全称"},
		{"61 characters is too long", form.NewSchool{Name: strings.Repeat("学", 61), Type: form.SchoolTypeOther}, []string{form.FieldGraduationSchool}, "当前为61个字"},
		{"60 characters fits", form.NewSchool{Name: strings.Repeat("学", 60), Type: form.SchoolTypeOther}, nil, ""},
		{"control character refused", form.NewSchool{Name: "某某\x00学院", Type: form.SchoolTypeOther}, []string{form.FieldGraduationSchool}, "控制字符"},
		{"zero-width joiner refused", form.NewSchool{Name: "某某\u200d学院", Type: form.SchoolTypeOther}, []string{form.FieldGraduationSchool}, "控制字符"},
		{"digits only refused", form.NewSchool{Name: "12345", Type: form.SchoolTypeOther}, []string{form.FieldGraduationSchool}, "不能只有数字"},
		{"missing type and name", form.NewSchool{}, []string{form.FieldGraduationSchool, form.FieldNewSchoolType}, "请填写毕业学校"},
		{"unknown type", form.NewSchool{Name: "某某学院", Type: "x"}, []string{form.FieldNewSchoolType}, "办学类型的选项无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.school.Normalize().Validate()
			if got := e.Fields(); strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields = %v, want %v (%v)", got, tt.fields, e)
			}
			if tt.msg != "" && !strings.Contains(e.Error(), tt.msg) {
				t.Errorf("message %q lacks %q", e.Error(), tt.msg)
			}
		})
	}
}

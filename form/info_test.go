package form_test

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/form"
)

var (
	birth = form.MustParseDate("1990-05-01")
	today = form.MustParseDate("2026-11-30")
)

// goodValues is a complete, valid form for an applicant born 1990-05-01.
func goodValues() url.Values {
	return url.Values{
		form.FieldMandarinNumber:   {"4400000000123"},
		form.FieldMandarinLevel:    {"21"},
		form.FieldEducation:        {"21"},
		form.FieldMajorCategory:    {"1"},
		form.FieldDegree:           {"4"},
		form.FieldMajor:            {"数学与应用数学"},
		form.FieldGraduationSchool: {"华南师范大学"},
		form.FieldGraduationDate:   {"2012-07-01"},
		form.FieldStudyMode:        {"1"},
		form.FieldSchool:           {"广州市第一中学"},
		form.FieldSchoolOwnership:  {"1"},
		form.FieldSchoolLocation:   {"广东省广州市越秀区"},
		form.FieldWorkStart:        {"2012-09-01"},
		form.FieldEmploymentStart:  {"2015-09-01"},
		form.FieldTeacherTitle:     {"3"},
		form.FieldPostType:         {"1"},
		form.FieldPolitical:        {"13"},
		form.FieldHousehold:        {"广东省广州市"},
		form.FieldAddress:          {"广东省广州市越秀区某某路1号"},
		form.FieldPostcode:         {"510000"},
		form.FieldPhoto:            {"photo/2026/abc"},
	}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func without(v url.Values, fields ...string) url.Values {
	out := with(v)
	for _, f := range fields {
		out.Del(f)
	}
	return out
}

func TestDecodeValid(t *testing.T) {
	info, errs := form.Decode(goodValues())
	if errs.Len() != 0 {
		t.Fatalf("valid form has errors: %v", errs)
	}
	want := form.RegistrationInfo{
		Mandarin:         form.MandarinCertificate{Number: "4400000000123", Level: form.MandarinSecondA},
		Education:        form.EducationBachelor,
		MajorCategory:    form.MajorTeacherTraining,
		Degree:           form.DegreeBachelor,
		Major:            "数学与应用数学",
		GraduationSchool: "华南师范大学",
		GraduationDate:   form.MustParseDate("2012-07-01"),
		StudyMode:        form.StudyFullTime,
		School:           "广州市第一中学",
		SchoolOwnership:  form.OwnershipPublic,
		SchoolLocation:   "广东省广州市越秀区",
		WorkStart:        form.MustParseDate("2012-09-01"),
		EmploymentStart:  form.MustParseDate("2015-09-01"),
		TeacherTitle:     form.TitleFirst,
		PostType:         form.PostFullTimeTeacher,
		Political:        form.PoliticalMasses,
		Household:        "广东省广州市",
		Address:          "广东省广州市越秀区某某路1号",
		Postcode:         "510000",
		Photo:            "photo/2026/abc",
	}
	if !reflect.DeepEqual(info, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", info, want)
	}
	if e := info.ValidateFor(birth, today); e.Len() != 0 {
		t.Errorf("ValidateFor: %v", e)
	}
	if got, _ := form.Decode(info.Values()); !reflect.DeepEqual(got, info) {
		t.Errorf("Decode(Values()) = %+v", got)
	}
}

func TestDecodeNormalises(t *testing.T) {
	v := with(goodValues(),
		form.FieldGraduationSchool, " 华南 师范大学 ",
		form.FieldSchool, "广州市第１中学",
		form.FieldPostcode, "５１００００",
		form.FieldGraduationDate, " ２０１２-０７-０１ ",
		form.FieldEducation, "大学本科",
		form.FieldAddress, "广东省  广州市\t越秀区 某某路1号",
		form.FieldNewSchool, "1",
		form.FieldNewSchoolType, "1",
	)
	info, errs := form.Decode(v)
	if errs.Len() != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if info.GraduationSchool != "华南师范大学" || info.School != "广州市第1中学" || info.Postcode != "510000" ||
		info.GraduationDate.String() != "2012-07-01" || info.Education != form.EducationBachelor ||
		info.Address != "广东省广州市越秀区某某路1号" {
		t.Errorf("not normalised: %+v", info)
	}
	if info.NewSchool == nil || *info.NewSchool != (form.NewSchool{Name: "华南师范大学", Type: form.SchoolTypeRegularHigher}) {
		t.Errorf("NewSchool = %+v", info.NewSchool)
	}
	if got, _ := form.Decode(info.Values()); !reflect.DeepEqual(got, info) {
		t.Errorf("Decode(Values()) = %+v", got)
	}
}

func TestDecodeEmptyFormNamesEveryRequiredField(t *testing.T) {
	_, errs := form.Decode(url.Values{})
	want := without(goodValues()) // every field of the good form is required
	for f := range want {
		if !errs.Has(f) {
			t.Errorf("empty form: no error for %s", f)
		}
	}
	for _, f := range errs.Fields() {
		if form.FieldLabel(f) == "" {
			t.Errorf("error keyed by unknown field %q", f)
		}
		if msg := errs.Get(f); !strings.HasPrefix(msg, "请") {
			t.Errorf("%s: message %q does not ask to fill or choose", f, msg)
		}
	}
	if errs.Has(form.FieldNewSchoolType) {
		t.Error("new-school type required without a new school")
	}
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name  string
		v     url.Values
		field string // "" = valid
		msg   string
	}{
		// Graduation at least 14 years after birth (1990-05-01 → 2004-05-01).
		{"graduation on the 14th birthday is fine", with(goodValues(), form.FieldGraduationDate, "2004-05-01"), "", ""},
		{"graduation the day before the 14th birthday", with(goodValues(), form.FieldGraduationDate, "2004-04-30"), form.FieldGraduationDate, "出生满14年"},
		// Work start at 16 or older (→ 2006-05-01).
		{"work start on the 16th birthday is fine", with(goodValues(), form.FieldWorkStart, "2006-05-01", form.FieldEmploymentStart, "2006-05-01"), "", ""},
		{"work start the day before the 16th birthday", with(goodValues(), form.FieldWorkStart, "2006-04-30"), form.FieldWorkStart, "年满16周岁"},
		// Employment start not before work start.
		{"employment start on the work start day is fine", with(goodValues(), form.FieldEmploymentStart, "2012-09-01"), "", ""},
		{"employment start a day before work start", with(goodValues(), form.FieldEmploymentStart, "2012-08-31"), form.FieldEmploymentStart, "不能早于开始参加工作时间（2012-09-01）"},
		// Not in the future.
		{"graduation today is fine", with(goodValues(), form.FieldGraduationDate, "2026-11-30", form.FieldWorkStart, "2026-11-30", form.FieldEmploymentStart, "2026-11-30"), "", ""},
		{"graduation tomorrow", with(goodValues(), form.FieldGraduationDate, "2026-12-01"), form.FieldGraduationDate, "不能晚于今天（2026-11-30）"},
		{"work start tomorrow", with(goodValues(), form.FieldWorkStart, "2026-12-01"), form.FieldWorkStart, "不能晚于今天"},
		{"employment start tomorrow", with(goodValues(), form.FieldEmploymentStart, "2026-12-01"), form.FieldEmploymentStart, "不能晚于今天"},
		// Real dates.
		{"30 February", with(goodValues(), form.FieldGraduationDate, "2012-02-30"), form.FieldGraduationDate, "不是有效日期"},
		{"date in another format", with(goodValues(), form.FieldWorkStart, "2012/09/01"), form.FieldWorkStart, "不是有效日期"},
		// Postcode.
		{"5-digit postcode", with(goodValues(), form.FieldPostcode, "51000"), form.FieldPostcode, "6位数字"},
		{"7-digit postcode", with(goodValues(), form.FieldPostcode, "5100000"), form.FieldPostcode, "6位数字"},
		{"postcode with a letter", with(goodValues(), form.FieldPostcode, "51000A"), form.FieldPostcode, "6位数字"},
		{"full-width postcode is folded and accepted", with(goodValues(), form.FieldPostcode, "５１００００"), "", ""},
		// School names.
		{"abbreviated school name", with(goodValues(), form.FieldSchool, "一"), form.FieldSchool, "学校全称"},
		{"school name of 61 characters", with(goodValues(), form.FieldSchool, strings.Repeat("校", 61)), form.FieldSchool, "学校全称"},
		{"school name of 60 characters", with(goodValues(), form.FieldSchool, strings.Repeat("校", 60)), "", ""},
		{"graduation school with a control character", with(goodValues(), form.FieldGraduationSchool, "华南\x07师范大学"), form.FieldGraduationSchool, "控制字符"},
		{"graduation school of digits", with(goodValues(), form.FieldGraduationSchool, "123"), form.FieldGraduationSchool, "不能只有数字"},
		// Address and places.
		{"address of 4 characters", with(goodValues(), form.FieldAddress, "广州某路"), form.FieldAddress, "5至100个字"},
		{"address of 5 characters", with(goodValues(), form.FieldAddress, "广州某路1"), "", ""},
		{"address of 101 characters", with(goodValues(), form.FieldAddress, strings.Repeat("路", 101)), form.FieldAddress, "当前为101个字"},
		{"household of 61 characters", with(goodValues(), form.FieldHousehold, strings.Repeat("省", 61)), form.FieldHousehold, "2至60个字"},
		{"major of 51 characters", with(goodValues(), form.FieldMajor, strings.Repeat("学", 51)), form.FieldMajor, "2至50个字"},
		{"invalid UTF-8 in the address", with(goodValues(), form.FieldAddress, "广州\xff某某路1号"), form.FieldAddress, "无效字符"},
		// Codes.
		{"unknown education code", with(goodValues(), form.FieldEducation, "99"), form.FieldEducation, "最高学历的选项无效"},
		{"unknown political code", with(goodValues(), form.FieldPolitical, "14"), form.FieldPolitical, "政治面貌的选项无效"},
		{"missing degree", without(goodValues(), form.FieldDegree), form.FieldDegree, "请选择最高学位"},
		{"mandarin number with punctuation", with(goodValues(), form.FieldMandarinNumber, "44-00"), form.FieldMandarinNumber, "字母或数字"},
		// New school.
		{"new school without a type", with(goodValues(), form.FieldNewSchool, "1"), form.FieldNewSchoolType, "办学类型"},
		{"new school with an unknown type", with(goodValues(), form.FieldNewSchool, "on", form.FieldNewSchoolType, "8"), form.FieldNewSchoolType, "办学类型的选项无效"},
		{"new school with a type", with(goodValues(), form.FieldNewSchool, "on", form.FieldNewSchoolType, "普通高等学校"), "", ""},
		{"type without the new-school flag is ignored", with(goodValues(), form.FieldNewSchoolType, "8"), "", ""},
		// Photo.
		{"missing photo", without(goodValues(), form.FieldPhoto), form.FieldPhoto, "请上传照片"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, errs := form.Decode(tt.v)
			errs.Merge(info.ValidateFor(birth, today))
			if tt.field == "" {
				if errs.Len() != 0 {
					t.Fatalf("unexpected errors: %v", errs)
				}
				return
			}
			if got := errs.Fields(); len(got) != 1 || got[0] != tt.field {
				t.Fatalf("error fields = %v, want [%s] (%v)", got, tt.field, errs)
			}
			if !strings.Contains(errs.Get(tt.field), tt.msg) {
				t.Errorf("message %q lacks %q", errs.Get(tt.field), tt.msg)
			}
		})
	}
}

func TestValidateAllProblemsAtOnce(t *testing.T) {
	v := with(goodValues(),
		form.FieldGraduationDate, "2003-01-01", // before 14
		form.FieldWorkStart, "2030-01-01", // future
		form.FieldPostcode, "1",
		form.FieldSchool, "校",
	)
	info, errs := form.Decode(v)
	errs.Merge(info.ValidateFor(birth, today))
	want := []string{form.FieldGraduationDate, form.FieldSchool, form.FieldWorkStart, form.FieldPostcode}
	if got := errs.Fields(); !slices.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
	// With the work start refused, the employment start is not compared with it.
	if errs.Has(form.FieldEmploymentStart) {
		t.Errorf("employment start judged against a refused work start: %v", errs)
	}
}

func TestValidateLeapDayBirth(t *testing.T) {
	leap := form.MustParseDate("1992-02-29")
	base := with(goodValues(), form.FieldEmploymentStart, "2010-03-01")
	tests := []struct {
		name, work string
		ok         bool
	}{
		{"16th birthday falls on 2008-02-29", "2008-02-29", true},
		{"the day before is too young", "2008-02-28", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, _ := form.Decode(with(base, form.FieldWorkStart, tt.work))
			if got := !info.ValidateFor(leap, today).Has(form.FieldWorkStart); got != tt.ok {
				t.Errorf("work start %s accepted = %v, want %v", tt.work, got, tt.ok)
			}
		})
	}
}

func TestValidateContext(t *testing.T) {
	info, _ := form.Decode(with(goodValues(), form.FieldGraduationDate, "2004-04-30"))
	// Without a birth date in the context the age rules are skipped.
	if e := info.Validate(form.WithToday(context.Background(), today)); e.Len() != 0 {
		t.Errorf("no birth in context: %v", e)
	}
	ctx := form.WithToday(form.WithBirth(context.Background(), birth), today)
	if e := info.Validate(ctx); !e.Has(form.FieldGraduationDate) {
		t.Errorf("birth in context not used: %v", e)
	}
	if d, ok := form.BirthFrom(ctx); !ok || d != birth {
		t.Errorf("BirthFrom = %v, %v", d, ok)
	}
	if form.TodayFrom(ctx) != today {
		t.Error("TodayFrom does not return the injected date")
	}
	// Without today in the context the real clock is used: a date in 9999 is in the future.
	far, _ := form.Decode(with(goodValues(), form.FieldEmploymentStart, "9999-01-01"))
	if e := far.Validate(context.Background()); !e.Has(form.FieldEmploymentStart) {
		t.Errorf("real clock not used: %v", e)
	}
}

func TestValidateMandarinAmongOwn(t *testing.T) {
	info, _ := form.Decode(goodValues())
	base := form.WithToday(context.Background(), today)
	tests := []struct {
		name  string
		own   []form.MandarinCertificate
		field string
	}{
		{"chosen certificate is the applicant's", []form.MandarinCertificate{{"4400000000123", form.MandarinSecondA}}, ""},
		{"certificate not the applicant's", []form.MandarinCertificate{{"4400000000999", form.MandarinSecondA}}, form.FieldMandarinNumber},
		{"applicant has none", []form.MandarinCertificate{}, form.FieldMandarinNumber},
		{"level differs from the certificate", []form.MandarinCertificate{{"4400000000123", form.MandarinFirstB}}, form.FieldMandarinLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := info.Validate(form.WithMandarinCertificates(base, tt.own))
			if tt.field == "" {
				if e.Len() != 0 {
					t.Fatalf("errors: %v", e)
				}
				return
			}
			if got := e.Fields(); len(got) != 1 || got[0] != tt.field {
				t.Errorf("fields = %v, want [%s]", got, tt.field)
			}
		})
	}
}

func TestDecodeAndValidate(t *testing.T) {
	ctx := form.WithToday(form.WithBirth(context.Background(), birth), today)
	_, errs := form.DecodeAndValidate(ctx, with(goodValues(), form.FieldGraduationDate, "2012-02-30", form.FieldWorkStart, "2005-01-01"))
	if errs.Get(form.FieldGraduationDate) != "毕业时间不是有效日期，请按2006-01-02的格式填写真实日期" {
		t.Errorf("the decode message must win: %q", errs.Get(form.FieldGraduationDate))
	}
	if !errs.Has(form.FieldWorkStart) || errs.Len() != 2 {
		t.Errorf("errors = %v", errs)
	}
	if errs.Err() == nil {
		t.Error("Err() nil with problems")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(goodValues().Encode(), "", "")
	f.Add("", "2024-02-29", "x")
	f.Add(with(goodValues(), form.FieldNewSchool, "1").Encode(), "\x00", "５１００００")
	f.Add("graduation_date=2004-02-30&postcode=12", "\xff\xfe", "　")
	known := map[string]bool{}
	for _, n := range form.FieldNames() {
		known[n] = true
	}
	names := form.FieldNames()
	ctx := form.WithToday(form.WithBirth(context.Background(), birth), today)
	f.Fuzz(func(t *testing.T, query, a, b string) {
		v, _ := url.ParseQuery(query)
		if v == nil {
			v = url.Values{}
		}
		// Put the free strings into two fields chosen by their lengths.
		v.Set(names[len(a)%len(names)], a)
		v.Add(names[len(b)%len(names)], b)
		info, errs := form.Decode(v)
		errs.Merge(info.Validate(ctx))
		for _, k := range errs.Fields() {
			if !known[k] {
				t.Fatalf("error keyed by %q, not a field name", k)
			}
			if errs.Get(k) == "" {
				t.Fatalf("empty message for %s", k)
			}
		}
		// Decoding what the value prints gives the same value.
		again, _ := form.Decode(info.Values())
		if !reflect.DeepEqual(again, info) {
			t.Fatalf("Decode(Values()) = %+v, want %+v", again, info)
		}
	})
}

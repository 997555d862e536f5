package form_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/tqreg/tqreg/form"
)

func ExampleDecode() {
	v := url.Values{
		form.FieldMandarinNumber:   {"4400000000123"},
		form.FieldMandarinLevel:    {"21"},
		form.FieldEducation:        {"21"},
		form.FieldMajorCategory:    {"1"},
		form.FieldDegree:           {"4"},
		form.FieldMajor:            {"数学与应用数学"},
		form.FieldGraduationSchool: {"华南师范大学"},
		form.FieldGraduationDate:   {"2004-02-30"}, // no such day
		form.FieldStudyMode:        {"1"},
		form.FieldSchool:           {"广州市第一中学"},
		form.FieldSchoolOwnership:  {"1"},
		form.FieldSchoolLocation:   {"广东省广州市"},
		form.FieldWorkStart:        {"2004-09-01"},
		form.FieldEmploymentStart:  {"2003-09-01"}, // before work start
		form.FieldTeacherTitle:     {"3"},
		form.FieldPostType:         {"1"},
		form.FieldPolitical:        {"99"}, // not a GB/T 4762 code
		form.FieldHousehold:        {"广东省广州市"},
		form.FieldAddress:          {"广东省广州市越秀区某路1号"},
		form.FieldPostcode:         {"51000"},
		form.FieldPhoto:            {"photo-1"},
	}
	info, errs := form.Decode(v)
	ctx := form.WithToday(form.WithBirth(context.Background(), form.MustParseDate("1982-05-01")), form.MustParseDate("2026-11-30"))
	errs.Merge(info.Validate(ctx))
	for _, f := range errs.Fields() {
		fmt.Printf("%s: %s\n", f, errs.Get(f))
	}
	// Output:
	// graduation_date: 毕业时间不是有效日期，请按2006-01-02的格式填写真实日期
	// employment_start: 本单位聘用起始日期不能早于开始参加工作时间（2004-09-01）
	// political: 政治面貌的选项无效，请重新选择
	// postcode: 通讯邮编应为6位数字
}

func ExampleCodeList() {
	for _, o := range form.Politicals.Options()[:3] {
		fmt.Println(o.Code, o.Label)
	}
	p, err := form.Politicals.Parse("13")
	fmt.Println(p, err)
	_, err = form.Politicals.Parse("")
	fmt.Println(err)
	// Output:
	// 01 中共党员
	// 02 中共预备党员
	// 03 共青团员
	// 群众 <nil>
	// 请选择政治面貌
}

func ExampleParseDate() {
	d, err := form.ParseDate("2024-02-29")
	fmt.Println(d, d.Chinese(), err)
	_, err = form.ParseDate("2023-02-29")
	fmt.Println(err)
	// Output:
	// 2024-02-29 2024年02月29日 <nil>
	// 日期无效，应为真实日期，格式如2006-01-02
}

func ExampleRegistrationInfo_ValidateFor() {
	info := form.RegistrationInfo{
		GraduationDate:  form.MustParseDate("2003-07-01"),
		WorkStart:       form.MustParseDate("2010-09-01"),
		EmploymentStart: form.MustParseDate("2010-08-01"),
	}
	errs := info.ValidateFor(form.MustParseDate("1990-05-01"), form.MustParseDate("2026-11-30"))
	for _, f := range []string{form.FieldGraduationDate, form.FieldEmploymentStart, form.FieldPostcode} {
		fmt.Println(f, errs.Get(f))
	}
	// Output:
	// graduation_date 毕业时间应在出生满14年之后，请核对
	// employment_start 本单位聘用起始日期不能早于开始参加工作时间（2010-09-01）
	// postcode 请填写通讯邮编
}

func ExampleNewSchool() {
	s := form.NewSchool{Name: " ＸＸ 师范学院（东校区） ", Type: form.SchoolTypeRegularHigher}.Normalize()
	fmt.Printf("%q %s %d\n", s.Name, s.Type, s.Validate().Len())
	fmt.Println(form.NewSchool{Name: "校"}.Validate())
	// Output:
	// "XX师范学院(东校区)" 普通高等学校 0
	// 毕业学校请填写学校全称（2至60个字），当前为1个字；请选择新增学校的办学类型
}

func ExampleValidPostcode() {
	fmt.Println(form.ValidPostcode("510000"), form.ValidPostcode("51000"), form.ValidPostcode("５１００００"))
	// Output:
	// true false false
}

func ExampleDecodeAndValidate() {
	ctx := form.WithToday(form.WithBirth(context.Background(), form.MustParseDate("1990-05-01")), form.MustParseDate("2026-11-30"))
	_, errs := form.DecodeAndValidate(ctx, url.Values{
		form.FieldGraduationDate: {"2030-07-01"}, // in the future
		form.FieldPostcode:       {"510000"},
	})
	fmt.Println(errs.Get(form.FieldGraduationDate))
	fmt.Println(errs.Has(form.FieldPostcode), errs.Get(form.FieldSchool))
	// Output:
	// 毕业时间不能晚于今天（2026-11-30）
	// false 请填写现任教学校
}

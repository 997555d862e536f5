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

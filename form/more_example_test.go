package form_test

import (
	"context"
	"fmt"

	"github.com/tqreg/tqreg/form"
)

func ExampleRegistrationInfo_Validate() {
	info := form.RegistrationInfo{
		Mandarin:        form.MandarinCertificate{Number: "4400000000999", Level: "21"},
		GraduationDate:  form.MustParseDate("2003-07-01"),
		WorkStart:       form.MustParseDate("2005-09-01"), // at 15
		EmploymentStart: form.MustParseDate("2005-09-01"),
	}
	// The context carries the facts the form cannot know: the birth date from the account's
	// document, today, and the applicant's own Mandarin certificates.
	ctx := form.WithBirth(context.Background(), form.MustParseDate("1990-05-01"))
	ctx = form.WithToday(ctx, form.MustParseDate("2026-11-30"))
	ctx = form.WithMandarinCertificates(ctx, []form.MandarinCertificate{{Number: "4400000000123", Level: "21"}})
	errs := info.Validate(ctx)
	for _, f := range []string{form.FieldMandarinNumber, form.FieldGraduationDate, form.FieldWorkStart} {
		fmt.Printf("%s: %q\n", f, errs.Get(f))
	}
	// Without a birth date the age rules are skipped.
	errs = info.Validate(form.WithToday(context.Background(), form.MustParseDate("2026-11-30")))
	fmt.Printf("%q\n", errs.Get(form.FieldGraduationDate))
	// Output:
	// mandarin_number: "请从本人的普通话证书信息中选择普通话证书"
	// graduation_date: "毕业时间应在出生满14年之后，请核对"
	// work_start: "开始参加工作时间应在年满16周岁之后，请核对"
	// ""
}

func ExampleNormalizeText() {
	for _, s := range []string{"  北京 师范大学 ", "University  of\tHong Kong", "广州市　越秀区\n第一小学"} {
		fmt.Printf("%q\n", form.NormalizeText(s))
	}
	// Output:
	// "北京师范大学"
	// "University of Hong Kong"
	// "广州市越秀区第一小学"
}

func ExampleNormalizeName() {
	for _, s := range []string{"ＸＸ 师范学院（东校区）", " Ａｂｃ　Ｓｃｈｏｏｌ ", "第１中学"} {
		fmt.Printf("%q\n", form.NormalizeName(s))
	}
	// Output:
	// "XX师范学院(东校区)"
	// "Abc School"
	// "第1中学"
}

package certificate_test

import (
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

func ExampleParseNumberAt() {
	// The year in a number may not be later than the current year: a 2027 number is
	// refused in 2026 and accepted in 2027.
	in2026 := time.Date(2026, 12, 31, 12, 0, 0, 0, account.ChinaStandardTime)
	_, err := certificate.ParseNumberAt("20274400121000123", in2026)
	fmt.Println(err)
	n, err := certificate.ParseNumberAt("20274400121000123", in2026.AddDate(0, 0, 1))
	fmt.Println(n.Year(), n.Kind(), err)
	// Output:
	// 教师资格证书号码中的认定年度2027年无效，应在1996年至2026年之间
	// 2027 小学 <nil>
}

func ExampleValidPhone() {
	for _, s := range []string{"13800138000", " 19912345678 ", "12800138000", "1380013800", "+8613800138000"} {
		fmt.Printf("%q %v\n", s, certificate.ValidPhone(s))
	}
	// Output:
	// "13800138000" true
	// " 19912345678 " true
	// "12800138000" false
	// "1380013800" false
	// "+8613800138000" false
}

func ExampleHolder_Matches() {
	c := certificate.Certificate{
		Number: certificate.MustParseNumber("20114400121000123"), HolderName: "张三",
		DocType: account.DocResidentID, DocNumber: "11010519491231002X",
	}
	for _, h := range []certificate.Holder{
		{Name: "张 三", DocType: account.DocResidentID, DocNumber: " 11010519491231002x"}, // spaces, lower-case x
		{Name: "张三", DocType: account.DocPassport, DocNumber: "11010519491231002X"},     // another document type
		{Name: "张四", DocType: account.DocResidentID, DocNumber: "11010519491231002X"},   // another name
	} {
		fmt.Println(h.Matches(c))
	}
	// Output:
	// true
	// false
	// false
}

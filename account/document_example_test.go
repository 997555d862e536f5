package account_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
)

func ExampleParseResidentID() {
	id, err := account.ParseResidentID(" 11010519491231002x ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id, id.Region(), id.Birth().Format("2006-01-02"), id.Male())

	// A first-generation 15-digit number is converted to 18 characters.
	old, _ := account.ParseResidentID("110105491231002")
	fmt.Println(old, old == id)

	_, err = account.ParseResidentID("110105194912310021")
	fmt.Println(err, errors.Is(err, account.ErrInvalidID))
	// Output:
	// 11010519491231002X 110105 1949-12-31 false
	// 11010519491231002X true
	// 身份证号码校验位错误 true
}

func ExampleParseResidentIDAt() {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, account.ChinaStandardTime)
	_, err := account.ParseResidentIDAt("110105202606020013", now)
	fmt.Println(err)
	// Output: 身份证号码中的出生日期晚于今天
}

func ExampleValidateDocument() {
	for _, d := range []struct {
		t      account.DocType
		number string
	}{
		{account.DocResidentID, "110105491231002"},
		{account.DocHKMacaoPermit, "h12345678"},
		{account.DocHMTResidencePermit, "810000199508080032"},
		{account.DocPassport, "E123"},
	} {
		canonical, err := account.ValidateDocument(d.t, d.number)
		fmt.Printf("%s: %q %v\n", d.t, canonical, err)
	}
	// Output:
	// 居民身份证: "11010519491231002X" <nil>
	// 港澳居民来往内地通行证: "H12345678" <nil>
	// 港澳台居民居住证: "810000199508080032" <nil>
	// 护照: "" 护照号码应为5到17位字母或数字
}

func ExampleParseDocType() {
	t, _ := account.ParseDocType("4")
	fmt.Println(t, t.Code())
	for _, t := range account.DocTypes() {
		fmt.Print(t.Code(), "=", t, " ")
	}
	fmt.Println()
	// Output:
	// 港澳台居民居住证 4
	// 1=居民身份证 2=港澳居民来往内地通行证 3=台湾居民来往大陆通行证 4=港澳台居民居住证 5=护照 6=外国人永久居留身份证
}

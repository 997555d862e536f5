package certificate_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

func ExampleParseNumber() {
	n, err := certificate.ParseNumber(" 20114400132000123 ")
	if err != nil {
		panic(err)
	}
	fmt.Println(n, n.Len(), n.Year(), n.Province(), n.Kind())

	old, _ := certificate.ParseNumber("984501001100042")
	fmt.Println(old.Year(), old.Province(), old.Kind())

	_, err = certificate.ParseNumber("2011440013200012")
	fmt.Println(errors.Is(err, certificate.ErrInvalidNumber), err)
	_, err = certificate.ParseNumber("2011440013200012３")
	fmt.Println(err)
	// Output:
	// 20114400132000123 17 2011 44 初级中学
	// 1998 45 幼儿园
	// true 教师资格证书号码应为15位或17位数字，当前为16位
	// 教师资格证书号码只能由数字0-9组成（半角），第17位不是数字
}

func ExampleManualEntryAllowed() {
	n := certificate.MustParseNumber("20064400132000123")
	issued := time.Date(2006, time.July, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(certificate.ManualEntryAllowed(n, issued, false))

	err := certificate.ManualEntryAllowed(n, issued, true)
	fmt.Println(errors.Is(err, certificate.ErrAlreadyFirstRegistered), err)

	synced := certificate.MustParseNumber("20134400132000123")
	err = certificate.ManualEntryAllowed(synced, time.Date(2013, time.July, 1, 0, 0, 0, 0, time.UTC), false)
	fmt.Println(errors.Is(err, certificate.ErrSynced), err)
	// Output:
	// <nil>
	// true 2008年以前核发但已经参加过首次注册的教师资格证书，系统可以同步到首次注册信息，不允许添加证书。
	// true 2008年及以后获得的教师资格证书，系统可以同步到证书信息，不允许手动添加证书（证书号码中的认定年度为2013年，晚于2011年）。
}

func ExampleParseKind() {
	k, _ := certificate.ParseKind("高等学校教师资格")
	fmt.Println(int(k), k, k.Registrable())
	// Output:
	// 7 高等学校 false
}

func ExampleMaskDocument() {
	fmt.Println(certificate.MaskDocument("110105194912310021"))
	// Output:
	// 110105********0021
}

func ExampleOther() {
	all := []certificate.Certificate{{
		Number:     certificate.MustParseNumber("20114400132000123"),
		HolderName: "张三", DocType: account.DocResidentID, DocNumber: "110105194912310021",
		Kind: certificate.JuniorMiddle, Subject: "数学", Authority: "广州市教育局",
	}}
	q := certificate.OtherQuery{Name: "张三", DocType: account.DocResidentID, DocNumber: "110105194912310021", Phone: "13800138000"}
	found := certificate.Other(all, q)
	for _, c := range found {
		fmt.Println(c.Kind, c.Subject, c.Number, c.Authority, certificate.MaskDocument(c.DocNumber))
	}
	q.Name = "李四"
	if len(certificate.Other(all, q)) == 0 {
		fmt.Println(certificate.NotFoundMessage)
	}
	// Output:
	// 初级中学 数学 20114400132000123 广州市教育局 110105********0021
	// 未查询到教师资格证书。本网站仅能查询2008年起（广西壮族自治区2012年起）认定的教师资格证书；2008年以前（广西壮族自治区2012年以前）的教师资格证书，请与颁发教师资格证书的认定机构联系。
}

func ExampleOtherQuery_Problems() {
	q := certificate.OtherQuery{Name: "张三", Phone: "1380013800"}
	for _, p := range q.Problems() {
		fmt.Println(p.Field, p.Message)
	}
	// Output:
	// doc_type 请选择证件类型
	// doc_number 请填写证件号码
	// phone 手机号码应为11位数字，以1开头
}

func ExampleInSystem() {
	fmt.Println(certificate.InSystem(certificate.MustParseNumber("20094400132000123")))
	fmt.Println(certificate.InSystem(certificate.MustParseNumber("20094500132000123"))) // Guangxi: from 2012
	// Output:
	// true
	// false
}

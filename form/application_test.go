package form_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
)

func formParts(t *testing.T) (form.Applicant, certificate.Certificate, form.RegistrationInfo, form.Submission) {
	t.Helper()
	info, errs := form.Decode(with(goodValues(), form.FieldNewSchool, "1", form.FieldNewSchoolType, "1"))
	if errs.Len() != 0 {
		t.Fatal(errs)
	}
	a := form.Applicant{Name: "张三", Gender: form.GenderFemale, Birth: birth, DocType: account.DocResidentID, DocNumber: "110105199005010021"}
	c := certificate.Certificate{
		Number: certificate.MustParseNumber("20114400132000123"), HolderName: "张三",
		DocType: account.DocResidentID, DocNumber: "110105199005010021",
		Kind: certificate.JuniorMiddle, Subject: "数学", Authority: "广州市教育局",
		Issued:          time.Date(2011, 7, 1, 0, 0, 0, 0, time.UTC),
		FirstRegistered: true, FirstRegisteredOn: time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC),
	}
	s := form.Submission{Authority: "广州市教育局", ConfirmationPoint: "越秀区教育局确认点", ApplicationNumber: "2026440000123", Submitted: today}
	return a, c, info, s
}

func TestNewApplicationForm(t *testing.T) {
	a, c, info, s := formParts(t)
	f, err := form.NewApplicationForm(a, c, info, s)
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "中小学教师资格定期注册申请表" || f.Photo != info.Photo || len(f.Signatures) == 0 {
		t.Errorf("form = %+v", f)
	}
	var titles []string
	for _, sec := range f.Sections {
		titles = append(titles, sec.Title)
	}
	if want := []string{"个人信息", "教师资格证书信息", "注册信息", "申报信息"}; !slices.Equal(titles, want) {
		t.Errorf("sections = %v, want %v", titles, want)
	}
	rows := map[string]string{}
	var labels []string
	for _, r := range f.Rows() {
		if _, dup := rows[r.Label]; dup {
			t.Errorf("label %q printed twice", r.Label)
		}
		rows[r.Label] = r.Value
		labels = append(labels, r.Label)
	}
	want := map[string]string{
		"姓名": "张三", "性别": "女", "出生日期": "1990年05月01日", "证件类型": "居民身份证", "证件号码": "110105199005010021",
		"教师资格证书号码": "20114400132000123", "资格种类": "初级中学", "任教学科": "数学", "认定机构": "广州市教育局",
		"证书签发日期": "2011年07月01日", "是否参加过首次注册": "是（2014年12月01日）",
		"普通话证书编号": "4400000000123", "普通话等级": "二级甲等", "最高学历": "大学本科", "最高学历专业类别": "师范类",
		"最高学位": "学士", "所学专业": "数学与应用数学", "毕业学校": "华南师范大学（普通高等学校）", "毕业时间": "2012年07月01日",
		"学习形式": "全日制", "现任教学校": "广州市第一中学", "任教学校性质": "公办", "任教学校所在地": "广东省广州市越秀区",
		"开始参加工作时间": "2012年09月01日", "本单位聘用起始日期": "2015年09月01日", "教师职务": "一级教师", "岗位性质": "专任教师",
		"政治面貌": "群众", "户籍所在地": "广东省广州市", "通讯地址": "广东省广州市越秀区某某路1号", "通讯邮编": "510000",
		"报名号": "2026440000123", "注册机构": "广州市教育局", "确认点": "越秀区教育局确认点", "申报日期": "2026年11月30日",
	}
	for label, v := range want {
		if got, ok := rows[label]; !ok || got != v {
			t.Errorf("row %s = %q (present %v), want %q", label, got, ok, v)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d rows, want %d: %v", len(rows), len(want), labels)
	}
	// Every field of the registration form except the photo and the new-school controls is printed.
	for _, fld := range form.FieldNames() {
		switch fld {
		case form.FieldPhoto, form.FieldNewSchool, form.FieldNewSchoolType, form.FieldMandarinNumber:
			continue
		}
		if _, ok := rows[form.FieldLabel(fld)]; !ok {
			t.Errorf("field %s (%s) not printed", fld, form.FieldLabel(fld))
		}
	}
}

func TestNewApplicationFormIncomplete(t *testing.T) {
	a, c, info, s := formParts(t)
	a.Name = " "
	c.Number = certificate.Number{}
	s.ApplicationNumber = ""
	info.Photo = ""
	_, err := form.NewApplicationForm(a, c, info, s)
	var ie *form.IncompleteFormError
	if !errors.Is(err, form.ErrIncompleteForm) || !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if want := []string{"姓名", "教师资格证书号码", "照片", "报名号"}; !slices.Equal(ie.Missing, want) {
		t.Errorf("missing = %v, want %v", ie.Missing, want)
	}
	if !strings.Contains(err.Error(), "缺少：姓名、教师资格证书号码、照片、报名号") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestApplicationFormNotFirstRegistered(t *testing.T) {
	a, c, info, s := formParts(t)
	c.FirstRegistered, c.FirstRegisteredOn = false, time.Time{}
	c.Kind = 0 // falls back to the kind in the number
	info.NewSchool = nil
	f, err := form.NewApplicationForm(a, c, info, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Rows() {
		switch r.Label {
		case "是否参加过首次注册":
			if r.Value != "否" {
				t.Errorf("first registration = %q", r.Value)
			}
		case "资格种类":
			if r.Value != "初级中学" {
				t.Errorf("kind = %q", r.Value)
			}
		case "毕业学校":
			if r.Value != "华南师范大学" {
				t.Errorf("school = %q", r.Value)
			}
		}
	}
}

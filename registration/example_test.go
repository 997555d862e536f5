package registration_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

func ExampleParseStatus() {
	s, err := registration.ParseStatus("网报待确认")
	fmt.Println(int(s), s, s.Editable(), err)
	s, _ = registration.ParseStatus("3")
	fmt.Println(s, s.Editable(), s.Final())
	_, err = registration.ParseStatus("合格")
	fmt.Println(err)
	// Output:
	// 1 网报待确认 true <nil>
	// 注册合格 false true
	// 注册结论无效
}

func ExampleParseStage() {
	s, err := registration.ParseStage("初级中学")
	fmt.Println(int(s), s, err)
	_, err = registration.ParseStage("大学")
	fmt.Println(err)
	// Output:
	// 3 初级中学 <nil>
	// 任教学段无效
}

func ExampleParseActor() {
	a, err := registration.ParseActor("确认点")
	fmt.Println(int(a), a, err)
	// Output:
	// 2 确认点 <nil>
}

func ExampleParseAppraisal() {
	a, err := registration.ParseAppraisal("基本合格")
	fmt.Println(int(a), a, err)
	// Output:
	// 3 基本合格 <nil>
}

func ExampleParseRestrictionKind() {
	k, err := registration.ParseRestrictionKind("撤销教师资格")
	fmt.Println(k, k.Years(), err)
	// Output:
	// 撤销教师资格 5 <nil>
}

func ExampleParseStep() {
	s, err := registration.ParseStep("3")
	fmt.Println(int(s), s, err)
	_, err = registration.ParseStep("9")
	fmt.Println(err)
	// Output:
	// 3 选择注册机构 <nil>
	// 报名步骤无效
}

func ExampleRestriction_Active() {
	r := registration.Restriction{Kind: registration.RestrictionCheating, Since: time.Date(2024, 6, 1, 0, 0, 0, 0, registration.CST)}
	fmt.Println(r.Active(time.Date(2027, 5, 31, 0, 0, 0, 0, registration.CST)))
	fmt.Println(r.Active(time.Date(2027, 6, 1, 0, 0, 0, 0, registration.CST)))
	// Output:
	// true
	// false
}

func ExampleScope_Fits() {
	sc := registration.Scope{Stages: []registration.Stage{registration.StagePrimary}, Districts: []string{"440100"}}
	fmt.Println(sc.Fits(registration.Situation{Stage: registration.StagePrimary, District: "440106"}))
	fmt.Println(sc.Fits(registration.Situation{Stage: registration.StagePrimary, District: "440306"}))
	// Output:
	// true
	// false
}

func ExampleCheckChoice() {
	cat := catalogue()
	ch := registration.Choice{Certificate: certificate.MustParseNumber("20154400121000123"), Kind: certificate.Primary,
		Stage: registration.StagePrimary, Subject: "01", District: "440106", AuthorityID: "gz-th", PointID: "th-2"}
	w, err := registration.CheckChoice(cat, ch, time.Date(2026, 7, 10, 10, 0, 0, 0, registration.CST))
	fmt.Println(w.ID, err)
	ch.PointID = "nn-1"
	_, err = registration.CheckChoice(cat, ch, time.Date(2026, 7, 10, 10, 0, 0, 0, registration.CST))
	fmt.Println(err, errors.Is(err, registration.ErrPointNotOfAuthority))
	// Output:
	// w-th-p <nil>
	// 所选确认点不属于所选注册机构 true
}

func ExampleCheckEligibility() {
	st := &registrationtest.Memory{}
	cert := certificate.MustParseNumber("20154400121000123")
	st.SetQualified(cert, time.Date(2023, 9, 1, 0, 0, 0, 0, registration.CST))
	who := registration.Applicant{AccountID: "1", DocType: account.DocResidentID, DocNumber: "440106199001011234"}
	err := registration.CheckEligibility(context.Background(), st, who, cert, time.Date(2026, 7, 10, 0, 0, 0, 0, registration.CST))
	fmt.Println(err)
	fmt.Println(errors.Is(err, registration.ErrRecentlyQualified))
	// Output:
	// 该教师资格证书于2023-09-01注册合格，5年内无需再注册（2028-03-01后可再次申请）
	// true
}

func ExampleUnmarshalWizard() {
	w, err := registration.UnmarshalWizard([]byte(`{"version":1,"step":0,"values":{"0":{"window":["w-th-p"]}}}`))
	fmt.Println(w.Step(), w.Values(registration.StepWindow).Get(registration.FieldWindow), err)
	// A saved state that claims step 5 without the data of steps 0–4 is refused.
	_, err = registration.UnmarshalWizard([]byte(`{"version":1,"step":5}`))
	fmt.Println(err)
	// Output:
	// 选择网报时间和确认点 w-th-p <nil>
	// 报名进度数据无效，请重新开始报名
}

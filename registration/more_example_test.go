package registration_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

func ExampleStageOf() {
	for _, t := range []form.TeachingStage{"2", "4", "9", ""} {
		s, err := registration.StageOf(t)
		fmt.Printf("%q %v %v\n", string(t), s, err)
	}
	// Output:
	// "2" 小学 <nil>
	// "4" 高级中学 <nil>
	// "9" 未知学段（0） 任教学段无效
	// "" 未知学段（0） 任教学段无效
}

func ExampleApplication_Transition() {
	a := &registration.Application{Status: registration.StatusPending}
	at := time.Date(2026, 7, 12, 10, 0, 0, 0, registration.CST)
	fmt.Println(a.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, at, "材料齐全"))
	// Only the authority decides the conclusion.
	fmt.Println(a.Transition(registration.StatusQualified, registration.ActorConfirmationPoint, at, ""))
	fmt.Println(a.Transition(registration.StatusQualified, registration.ActorAuthority, at.Add(time.Hour), ""))
	for _, e := range a.Events {
		fmt.Println(e.Actor, e.From, "→", e.To, e.Note)
	}
	// Output:
	// <nil>
	// 确认点不能将注册结论从“已确认”变更为“注册合格”
	// <nil>
	// 确认点 网报待确认 → 已确认 材料齐全
	// 注册机构 已确认 → 注册合格
}

func ExampleApplication_Edit() {
	a := &registration.Application{Status: registration.StatusPending, Photo: "photo-1"}
	at := time.Date(2026, 7, 12, 10, 0, 0, 0, registration.CST)
	info := form.RegistrationInfo{Address: "广东省广州市天河区某路2号", Photo: "photo-2"}
	fmt.Println(a.Edit(info, at), a.Photo, a.PhotoChangedAt.Equal(at), a.FormReadyAt().Format("15:04"))
	a.Status = registration.StatusConfirmed
	fmt.Println(a.Edit(info, at))
	// Output:
	// <nil> photo-2 true 11:00
	// 只有注册结论为“网报待确认”的报名信息才能修改，如需修改请联系注册机构将注册结论调整为“网报待确认”
}

func ExampleApplication_AddMessage() {
	a := &registration.Application{}
	at := time.Date(2026, 7, 12, 10, 0, 0, 0, registration.CST)
	fmt.Println(a.AddMessage(registration.ActorConfirmationPoint, at, "  请携带学历证书原件到确认点。 "))
	fmt.Println(a.AddMessage(registration.ActorConfirmationPoint, at, "   "))
	fmt.Println(a.AddMessage(registration.ActorAuthority, at, strings.Repeat("字", registration.MaxMessageRunes+1)))
	fmt.Printf("%s %q %s\n", a.Messages[0].From, a.Messages[0].Text, a.MessageBadge())
	// Output:
	// <nil>
	// 请填写留言内容
	// 留言内容不能超过500字
	// 确认点 "请携带学历证书原件到确认点。" 有留言
}

func ExampleWizard_Next() {
	ctx := context.Background()
	e := env(&registrationtest.Memory{}) // catalogue, applicant, certificates and clock of the tests
	w := registration.NewWizard()
	// Step 0 without a confirmation point: refused, with the error keyed by field.
	_, err := w.Next(ctx, registration.StepInput{Step: registration.StepWindow, Values: url.Values{registration.FieldWindow: {"w-th-p"}}}, e)
	fmt.Println(w.Step(), err)
	_, err = w.Next(ctx, registration.StepInput{Step: registration.StepWindow, Values: url.Values{registration.FieldWindow: {"w-th-p"}, registration.FieldPoint: {"th-1"}}}, e)
	fmt.Println(w.Step(), err)
	// A post for a later step (skipping the agreement) is refused.
	_, err = w.Next(ctx, registration.StepInput{Step: registration.StepInformation}, e)
	fmt.Println(w.Step(), err)
	// Output:
	// 选择网报时间和确认点 请选择确认点
	// 网上申报协议 <nil>
	// 网上申报协议 页面已过期或步骤顺序有误，请按当前步骤“网上申报协议”继续填写
}

func ExampleWizard_Back() {
	ctx := context.Background()
	e := env(&registrationtest.Memory{})
	w := registration.NewWizard()
	_, _ = w.Next(ctx, registration.StepInput{Step: registration.StepWindow, Values: url.Values{registration.FieldWindow: {"w-th-p"}, registration.FieldPoint: {"th-1"}}}, e)
	fmt.Println(w.Back(), w.Step(), w.Values(registration.StepWindow).Get(registration.FieldPoint)) // what was typed stays
	fmt.Println(w.Back())                                                                           // nothing before step 0
	// Output:
	// <nil> 选择网报时间和确认点 th-1
	// 当前步骤不能返回
}

package registration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
)

// Step is a step of the registration wizard (报名步骤), numbered as manual §3.1.2 and SPEC §4
// count them. Stored codes (in saved wizard state): do not reorder.
type Step int

// The steps.
const (
	StepWindow      Step = iota // 0 选择网报时间和确认点
	StepAgreement               // 1 网上申报协议
	StepInformation             // 2 填写注册信息
	StepAuthority               // 3 选择注册机构
	StepReview                  // 4 确认申报信息
	StepNotes                   // 5 注意事项
	StepCommitment              // 6 个人承诺 (提交定期注册申请)
	StepReminder                // 7 申报提醒: the application exists
)

// Steps lists the steps in order.
var Steps = []Step{StepWindow, StepAgreement, StepInformation, StepAuthority, StepReview, StepNotes, StepCommitment, StepReminder}

var stepLabels = [...]string{"选择网报时间和确认点", "网上申报协议", "填写注册信息", "选择注册机构", "确认申报信息", "注意事项", "个人承诺", "申报提醒"}

// String returns the zh-CN label, e.g. "网上申报协议".
func (s Step) String() string {
	if s.Valid() {
		return stepLabels[s]
	}
	return "未知步骤（" + strconv.Itoa(int(s)) + "）"
}

// Valid reports whether s is one of the eight steps.
func (s Step) Valid() bool { return s >= StepWindow && s <= StepReminder }

// ErrInvalidStep is returned by ParseStep.
var ErrInvalidStep = &Error{Code: "invalid_step", Message: "报名步骤无效"}

// ParseStep reads a step from its number ("0".."7"), as a page posts it in a hidden field.
func ParseStep(s string) (Step, error) {
	if len(s) == 1 && s[0] >= '0' && s[0] <= '7' {
		return Step(s[0] - '0'), nil
	}
	return 0, ErrInvalidStep
}

// The wizard's own field names (the information form's are form.Field*). Pages post exactly
// these names; validation errors are keyed by them.
const (
	FieldStep          = "step"           // hidden: the step a post answers
	FieldWindow        = "window"         // step 0: window id
	FieldPoint         = "point"          // steps 0 and 3: confirmation point id
	FieldAgree         = "agree"          // step 1: "1" when 已阅读并完全同意 is ticked
	FieldCertificate   = "certificate"    // step 2: number of one of the account's certificates
	FieldManual        = "manual"         // step 2: "1" to add a certificate by hand
	FieldManualNumber  = "manual_number"  // step 2: number of the hand-added certificate
	FieldManualIssued  = "manual_issued"  // step 2: its issue date, 2006-01-02
	FieldManualSubject = "manual_subject" // step 2: its subject as printed (optional)
	FieldProvince      = "province"       // step 3: province code
	FieldCity          = "city"           // step 3: city code
	FieldSubject       = "subject"        // step 3: 现任教学科, a form.Subject code
	FieldDistrict      = "district"       // step 3: optional county code inside the city
	FieldAuthority     = "authority"      // step 3: authority id
	FieldCommitment    = "commitment"     // step 6: "agree" or "disagree"
)

// Commitment answers of FieldCommitment.
const (
	CommitmentAgree    = "agree"    // 同意
	CommitmentDisagree = "disagree" // 不同意
)

// stepFields lists what each step keeps of a post; anything else is dropped.
var stepFields = map[Step][]string{
	StepWindow:      {FieldWindow, FieldPoint},
	StepAgreement:   {FieldAgree},
	StepInformation: append([]string{FieldCertificate, FieldManual, FieldManualNumber, FieldManualIssued, FieldManualSubject}, form.FieldNames()...),
	StepAuthority:   {FieldProvince, FieldCity, FieldSubject, FieldDistrict, FieldAuthority, FieldPoint},
	StepCommitment:  {FieldCommitment},
}

// maxValueBytes bounds one kept value, so saved state stays small whatever is posted.
const maxValueBytes = 1024

// Wizard errors. Validation problems come back as form.Errors keyed by field.
var (
	ErrWrongStep      = &Error{Code: "wrong_step", Message: "页面已过期或步骤顺序有误，请按当前步骤继续填写"}
	ErrAbandoned      = &Error{Code: "abandoned", Message: "您未同意个人承诺，已放弃本次报名"}
	ErrWizardDone     = &Error{Code: "wizard_done", Message: "本次报名已提交，无需重复提交"}
	ErrCannotGoBack   = &Error{Code: "cannot_go_back", Message: "当前步骤不能返回"}
	ErrWizardState    = &Error{Code: "wizard_state", Message: "报名进度数据无效，请重新开始报名"}
	ErrWizardVersion  = &Error{Code: "wizard_version", Message: "报名进度数据版本不受支持，请重新开始报名"}
	ErrNotSubmittable = &Error{Code: "not_submittable", Message: "报名信息不完整，请完成所有步骤后再提交"}
)

// WizardVersion is the version of the saved state this code writes and reads.
const WizardVersion = 1

// StepInput is one post of the wizard: the step it answers and the posted fields.
type StepInput struct {
	Step   Step
	Values url.Values
}

// Env is what the wizard consults; the portal fills it per request.
type Env struct {
	// Now is the current time.
	Now time.Time
	// Catalogue holds the windows, authorities and confirmation points.
	Catalogue *Catalogue
	// Applicant is the logged-in applicant.
	Applicant Applicant
	// Certificates are the account's synced certificates (本人的教师资格证书).
	Certificates []certificate.Certificate
	// MandarinCertificates are the applicant's 普通话证书; when not nil the form's choice must be
	// one of them.
	MandarinCertificates []form.MandarinCertificate
	// PhotoReport returns the check report of the stored photo with this key, and false when no
	// photo with the key belongs to the applicant.
	PhotoReport func(key string) (photo.Report, bool)
	// Store runs the eligibility gates and creates the application (step 6 only).
	Store Store
	// Numbers issues application numbers; nil means SequenceNumbers{Seq: Store}.
	Numbers NumberGenerator
}

// Wizard is the state of one applicant's registration wizard (报名向导): the current step and what
// was typed at each step, kept even when it did not validate so that nothing typed is lost. It is
// pure data; the portal saves it (MarshalJSON) after every post and loads it with UnmarshalWizard.
//
// Use: render w.Step() (refilling fields from w.Values(step)); on a post call Next with the step
// the page answered; on success render the new w.Step(); on a form.Errors render w.Step() (the
// posted step, or an earlier one whose data no longer holds, such as a closed window) with the
// errors; on ErrAbandoned delete the saved state. Only Next at StepCommitment with 同意 creates an
// Application, after every step and every submission gate has been checked again.
type Wizard struct {
	step        Step
	values      map[Step]url.Values
	number      string
	submittedAt time.Time
}

// NewWizard returns a wizard at step 0 with nothing typed.
func NewWizard() *Wizard { return &Wizard{values: map[Step]url.Values{}} }

// Step returns the step to show.
func (w *Wizard) Step() Step { return w.step }

// Values returns a copy of what was last posted for step s (to refill its fields).
func (w *Wizard) Values(s Step) url.Values {
	v := url.Values{}
	for k, vs := range w.values[s] {
		v[k] = slices.Clone(vs)
	}
	return v
}

// Number returns the application number once step 7 is reached, else "".
func (w *Wizard) Number() string { return w.number }

// SubmittedAt returns when the application was created (zero before step 7).
func (w *Wizard) SubmittedAt() time.Time { return w.submittedAt }

// Back moves to the previous step, keeping everything typed. It refuses at step 0 and at step 7
// (the application exists).
func (w *Wizard) Back() error {
	if w.step <= StepWindow || w.step >= StepReminder {
		return ErrCannotGoBack
	}
	w.step--
	return nil
}

// GoTo moves back to an earlier step s (the review page's 修改 links), keeping everything typed;
// the steps after it must then be passed again. It refuses a step that is not earlier than the
// current one, and any move at step 7.
func (w *Wizard) GoTo(s Step) error {
	if !s.Valid() || s >= w.step || w.step >= StepReminder {
		return ErrCannotGoBack
	}
	w.step = s
	return nil
}

// Reset forgets everything (the wizard is back at step 0 with nothing typed).
func (w *Wizard) Reset() { *w = *NewWizard() }

// keep stores the allowed fields of a post for step s, one bounded value each.
func (w *Wizard) keep(s Step, in url.Values) {
	kept := url.Values{}
	for _, f := range stepFields[s] {
		if v := in.Get(f); v != "" {
			kept.Set(f, clip(v))
		}
	}
	if w.values == nil {
		w.values = map[Step]url.Values{}
	}
	w.values[s] = kept
}

// clip makes v valid UTF-8 and cuts it to maxValueBytes on a character boundary.
func clip(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	if len(v) <= maxValueBytes {
		return v
	}
	v = v[:maxValueBytes]
	for !utf8.ValidString(v) { // only the last character can be cut: at most 3 rounds
		v = v[:len(v)-1]
	}
	return v
}

// normal returns env with an empty catalogue in place of a nil one, so that a misconfigured Env
// fails validation instead of panicking.
func (env Env) normal() Env {
	if env.Catalogue == nil {
		env.Catalogue = &Catalogue{}
	}
	return env
}

// Next handles a post for in.Step. The step must be the current one (ErrWrongStep otherwise:
// no skipping ahead, no stale pages). The post is kept; every earlier step is checked again; if
// one no longer holds the wizard moves back to it and returns its form.Errors. Then the post is
// validated: form.Errors keyed by field on failure (the wizard stays), the next step on success.
//
// At StepCommitment, 不同意 resets the wizard and returns ErrAbandoned (the portal deletes the
// saved state); 同意 runs every submission gate (CheckChoice, CheckEligibility), creates the
// application through env.Store and returns it, with the wizard at StepReminder. A gate's refusal
// is returned as its *Error and the wizard stays at StepCommitment. At StepReminder Next returns
// ErrWizardDone. The returned Application is nil except on that one successful submission.
func (w *Wizard) Next(ctx context.Context, in StepInput, env Env) (*Application, error) {
	env = env.normal()
	if w.step == StepReminder {
		return nil, ErrWizardDone
	}
	if in.Step != w.step {
		return nil, ErrWrongStep.with(fmt.Sprintf("页面已过期或步骤顺序有误，请按当前步骤“%s”继续填写", w.step))
	}
	before := w.values[StepWindow]
	w.keep(w.step, in.Values) // kept even if an earlier step turns out not to hold
	if err := w.recheck(env, w.step); err != nil {
		return nil, err
	}
	if w.step == StepCommitment {
		return w.commit(ctx, env)
	}
	if errs := w.validate(w.step, env, true); errs.Len() > 0 {
		return nil, errs
	}
	if w.step == StepWindow && (len(w.values[StepAuthority]) == 0 ||
		before.Get(FieldWindow) != w.values[StepWindow].Get(FieldWindow) || before.Get(FieldPoint) != w.values[StepWindow].Get(FieldPoint)) {
		w.prefillAuthority(env)
	}
	w.step++
	return nil, nil
}

// recheck validates steps before upto against env and moves back to the first that fails.
func (w *Wizard) recheck(env Env, upto Step) error {
	for s := StepWindow; s < upto; s++ {
		if errs := w.validate(s, env, false); errs.Len() > 0 {
			w.step = s
			return errs
		}
	}
	return nil
}

// prefillAuthority copies the step-0 choice into step 3 (SPEC: step 0 pre-fills step 3), keeping a
// subject already typed there. Next calls it when step 0 passes with a new window or point (passing
// step 0 again unchanged keeps a choice changed at step 3).
func (w *Wizard) prefillAuthority(env Env) {
	win, _ := env.Catalogue.Window(w.values[StepWindow].Get(FieldWindow))
	v := w.Values(StepAuthority)
	v.Set(FieldProvince, win.Province)
	v.Set(FieldCity, win.City)
	v.Set(FieldAuthority, win.AuthorityID)
	v.Set(FieldPoint, w.values[StepWindow].Get(FieldPoint))
	v.Del(FieldDistrict)
	w.values[StepAuthority] = v
}

// validate checks the kept values of step s. fresh is true when s was just posted: then the
// step-0 window must be open (later, the step-3 check of the window actually applied to is what
// counts).
func (w *Wizard) validate(s Step, env Env, fresh bool) form.Errors {
	var errs form.Errors
	v := w.values[s]
	switch s {
	case StepWindow:
		w.validateWindow(v, env, fresh, &errs)
	case StepAgreement:
		if !isYes(v.Get(FieldAgree)) {
			errs.Add(FieldAgree, "请阅读网上申报协议并勾选“已阅读并完全同意”")
		}
	case StepInformation:
		_, _ = w.validateInformation(env, &errs)
	case StepAuthority:
		_, _ = w.validateAuthority(env, &errs)
	}
	return errs
}

func isYes(s string) bool { return s == "1" || s == "on" || s == "true" || s == "yes" }

func (w *Wizard) validateWindow(v url.Values, env Env, fresh bool, errs *form.Errors) {
	win, ok := env.Catalogue.Window(v.Get(FieldWindow))
	if !ok {
		errs.Add(FieldWindow, "请选择网报时间")
		return
	}
	if fresh {
		if err := win.Check(env.Now); err != nil {
			errs.Add(FieldWindow, err.Error())
			return
		}
	}
	p, ok := env.Catalogue.Point(v.Get(FieldPoint))
	switch {
	case !ok:
		errs.Add(FieldPoint, ErrUnknownPoint.Message)
	case p.AuthorityID != win.AuthorityID:
		errs.Add(FieldPoint, ErrPointNotOfAuthority.Message)
	case len(p.Scope.Stages) > 0 && !slices.Contains(p.Scope.Stages, win.Stage):
		errs.Add(FieldPoint, fmt.Sprintf("确认点“%s”的确认范围（%s）不包括%s", p.Name, p.ScopeText, win.Stage))
	}
}

// stage is the applicant's current teaching stage: the stage of the window chosen at step 0.
func (w *Wizard) stage(env Env) Stage {
	win, _ := env.Catalogue.Window(w.values[StepWindow].Get(FieldWindow))
	return win.Stage
}

// validateInformation checks step 2 and returns the certificate and the decoded information.
func (w *Wizard) validateInformation(env Env, errs *form.Errors) (certificate.Certificate, form.RegistrationInfo) {
	v := w.values[StepInformation]
	c := w.chosenCertificate(v, env, errs)
	info, ferrs := decodeInfo(v, env)
	errs.Merge(ferrs)
	key := v.Get(form.FieldPhoto)
	if !errs.Has(form.FieldPhoto) {
		if key == "" {
			errs.Add(form.FieldPhoto, "请上传照片")
		} else if env.PhotoReport == nil {
			errs.Add(form.FieldPhoto, "照片无法读取，请重新上传")
		} else if r, ok := env.PhotoReport(key); !ok {
			errs.Add(form.FieldPhoto, "照片无法读取，请重新上传")
		} else if !r.OK() {
			msgs := make([]string, len(r.Problems))
			for i, p := range r.Problems {
				msgs[i] = p.Message
			}
			errs.Add(form.FieldPhoto, "照片不符合要求："+strings.Join(msgs, "；"))
		}
	}
	return c, info
}

// chosenCertificate resolves the certificate of step 2: one of the account's, or one added by
// hand where certificate.ManualEntryAllowed permits.
func (w *Wizard) chosenCertificate(v url.Values, env Env, errs *form.Errors) certificate.Certificate {
	if !isYes(v.Get(FieldManual)) {
		num := v.Get(FieldCertificate)
		for _, c := range env.Certificates {
			if c.Number.String() == num && num != "" {
				if !c.Registrable() {
					errs.Add(FieldCertificate, fmt.Sprintf("%s教师资格证书不参加中小学教师资格定期注册", c.Kind))
				}
				return c
			}
		}
		errs.Add(FieldCertificate, "请选择参加本次定期注册的教师资格证书")
		return certificate.Certificate{}
	}
	n, err := certificate.ParseNumberAt(v.Get(FieldManualNumber), env.Now)
	if err != nil {
		errs.Add(FieldManualNumber, err.Error())
		return certificate.Certificate{}
	}
	for _, c := range env.Certificates {
		if c.Number == n {
			errs.Add(FieldManualNumber, "该教师资格证书已同步到您的账号，请直接在列表中选择，不需要手动添加")
			return certificate.Certificate{}
		}
	}
	issued, err := form.ParseDate(v.Get(FieldManualIssued))
	if err != nil {
		errs.Add(FieldManualIssued, "请填写证书签发日期，格式如2006-01-02")
		return certificate.Certificate{}
	}
	if err := certificate.ManualEntryAllowed(n, issued.Time(CST), false); err != nil {
		errs.Add(FieldManualNumber, err.Error())
		return certificate.Certificate{}
	}
	if !n.Kind().Registrable() {
		errs.Add(FieldManualNumber, fmt.Sprintf("%s教师资格证书不参加中小学教师资格定期注册", n.Kind()))
	}
	return certificate.Certificate{
		Number: n, HolderName: env.Applicant.Name, DocType: env.Applicant.DocType,
		DocNumber: env.Applicant.DocNumber, Kind: n.Kind(), Subject: v.Get(FieldManualSubject),
		Issued: issued.Time(CST), Manual: true,
	}
}

// validateAuthority checks step 3 against the certificate of step 2 and the stage of step 0.
func (w *Wizard) validateAuthority(env Env, errs *form.Errors) (Choice, Window) {
	v := w.values[StepAuthority]
	var none form.Errors
	cert, _ := w.validateInformation(env, &none)
	ch := Choice{
		Certificate: cert.Number, Kind: cert.Kind, Stage: w.stage(env),
		Subject: v.Get(FieldSubject), AuthorityID: v.Get(FieldAuthority), PointID: v.Get(FieldPoint),
	}
	prov, city := v.Get(FieldProvince), v.Get(FieldCity)
	if !slices.ContainsFunc(env.Catalogue.Provinces, func(p Province) bool { return p.Code == prov }) {
		errs.Add(FieldProvince, "请选择省份")
	}
	if !slices.ContainsFunc(env.Catalogue.CitiesOf(prov), func(c City) bool { return c.Code == city }) {
		errs.Add(FieldCity, "请选择城市")
	}
	if _, err := form.Subjects.Parse(ch.Subject); err != nil {
		errs.Add(FieldSubject, "请选择现任教学科")
	}
	ch.District = city
	if d := v.Get(FieldDistrict); d != "" {
		if len(d) != 6 || len(city) != 6 || d[:4] != city[:4] {
			errs.Add(FieldDistrict, "所选区县不在所选城市内")
		}
		ch.District = d
	}
	if a, ok := env.Catalogue.Authority(ch.AuthorityID); ok && (a.Province != prov || a.City != city) {
		errs.Add(FieldAuthority, "所选注册机构不在所选省市")
	}
	if errs.Len() > 0 {
		return ch, Window{}
	}
	win, err := CheckChoice(env.Catalogue, ch, env.Now)
	if err != nil {
		field := FieldAuthority
		if errors.Is(err, ErrUnknownPoint) || errors.Is(err, ErrPointNotOfAuthority) || errors.Is(err, ErrPointOutOfScope) {
			field = FieldPoint
		}
		errs.Add(field, err.Error())
	}
	return ch, win
}

// commit handles the step-6 post.
func (w *Wizard) commit(ctx context.Context, env Env) (*Application, error) {
	switch w.values[StepCommitment].Get(FieldCommitment) {
	case CommitmentDisagree:
		w.Reset()
		return nil, ErrAbandoned
	case CommitmentAgree:
	default:
		var errs form.Errors
		errs.Add(FieldCommitment, "请选择是否同意个人承诺")
		return nil, errs
	}
	return w.submit(ctx, env)
}

// submit checks everything once more and creates the application.
func (w *Wizard) submit(ctx context.Context, env Env) (*Application, error) {
	if err := w.recheck(env, StepCommitment); err != nil {
		return nil, err
	}
	var errs form.Errors
	cert, info := w.validateInformation(env, &errs)
	ch, win := w.validateAuthority(env, &errs)
	if errs.Len() > 0 || env.Store == nil {
		return nil, ErrNotSubmittable
	}
	if err := CheckEligibility(ctx, env.Store, env.Applicant, cert.Number, env.Now); err != nil {
		return nil, err
	}
	auth, _ := env.Catalogue.Authority(ch.AuthorityID)
	a := &Application{
		AccountID: env.Applicant.AccountID, Certificate: cert.Number, Kind: cert.Kind, Stage: ch.Stage,
		Subject: ch.Subject, Info: info, Photo: w.values[StepInformation].Get(form.FieldPhoto),
		WindowID: win.ID, AuthorityID: auth.ID, ConfirmationPointID: ch.PointID,
		Status: StatusPending, SubmittedAt: env.Now,
		Events: []Event{{Actor: ActorApplicant, To: StatusPending, At: env.Now, Note: "网上报名"}},
	}
	if cert.Manual {
		mc := cert
		a.ManualCertificate = &mc
	}
	if err := Submit(ctx, env.Store, env.Numbers, a, auth.Province); err != nil {
		return nil, err
	}
	w.step, w.number, w.submittedAt = StepReminder, a.Number, env.Now
	return a, nil
}

// Application is built at submission only; these accessors serve the review page.

// Certificate returns the certificate chosen or added at step 2, if step 2 validates.
func (w *Wizard) Certificate(env Env) (certificate.Certificate, bool) {
	env = env.normal()
	var errs form.Errors
	c := w.chosenCertificate(w.values[StepInformation], env, &errs)
	return c, errs.Len() == 0
}

// Information returns the registration information typed at step 2, decoded, with its errors.
func (w *Wizard) Information(env Env) (form.RegistrationInfo, form.Errors) {
	return decodeInfo(w.values[StepInformation], env)
}

// Choice returns the authority choice of step 3 with the certificate and stage it applies to.
func (w *Wizard) Choice(env Env) (Choice, form.Errors) {
	env = env.normal()
	var errs form.Errors
	ch, _ := w.validateAuthority(env, &errs)
	return ch, errs
}

// Review is everything the review page (step 4, 确认申报信息) shows, resolved against the Env.
type Review struct {
	Certificate certificate.Certificate
	Info        form.RegistrationInfo
	Choice      Choice
	Window      Window
	Authority   Authority
	Point       ConfirmationPoint
}

// Review resolves what steps 0–3 hold for display, with the problems of steps 2 and 3 (empty when
// the wizard could be submitted as it stands, gates apart).
func (w *Wizard) Review(env Env) (Review, form.Errors) {
	env = env.normal()
	var errs form.Errors
	cert, info := w.validateInformation(env, &errs)
	ch, win := w.validateAuthority(env, &errs)
	a, _ := env.Catalogue.Authority(ch.AuthorityID)
	p, _ := env.Catalogue.Point(ch.PointID)
	return Review{Certificate: cert, Info: info, Choice: ch, Window: win, Authority: a, Point: p}, errs
}

// wizardJSON is the saved form of a Wizard.
type wizardJSON struct {
	Version     int                   `json:"version"`
	Step        Step                  `json:"step"`
	Values      map[string]url.Values `json:"values,omitempty"`
	Number      string                `json:"number,omitempty"`
	SubmittedAt time.Time             `json:"submitted_at,omitzero"`
}

// MarshalJSON saves the wizard (with "version": WizardVersion).
func (w Wizard) MarshalJSON() ([]byte, error) {
	j := wizardJSON{Version: WizardVersion, Step: w.step, Number: w.number, SubmittedAt: w.submittedAt, Values: map[string]url.Values{}}
	for s, v := range w.values {
		if len(v) > 0 {
			j.Values[strconv.Itoa(int(s))] = v
		}
	}
	return json.Marshal(j)
}

// maxWizardJSON bounds the saved state UnmarshalWizard reads.
const maxWizardJSON = 64 << 10

// UnmarshalWizard loads saved state. It never trusts it: it refuses another version
// (ErrWizardVersion), malformed data, unknown steps or fields and over-long values (ErrWizardState),
// and a step that the saved data could not have reached — every earlier step is validated again
// as far as possible without the request's Env (the agreement ticked, the window and point named,
// the certificate named, the information form decoding without errors, the authority named, and
// at step 7 the commitment agreed to plus a valid application number and submission time: a
// step-7 state must carry the values of steps 0–6, so a forged 报名号 alone never loads). Next
// re-validates everything against the Env as well.
func UnmarshalWizard(data []byte) (*Wizard, error) {
	if len(data) > maxWizardJSON {
		return nil, ErrWizardState
	}
	var j wizardJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, ErrWizardState
	}
	if j.Version != WizardVersion {
		return nil, ErrWizardVersion
	}
	if !j.Step.Valid() {
		return nil, ErrWizardState
	}
	w := NewWizard()
	w.step = j.Step
	for k, v := range j.Values {
		s, err := ParseStep(k)
		if err != nil {
			return nil, ErrWizardState
		}
		allowed := stepFields[s]
		for f, vs := range v {
			if !slices.Contains(allowed, f) || len(vs) != 1 || len(vs[0]) > maxValueBytes || !utf8.ValidString(vs[0]) {
				return nil, ErrWizardState
			}
		}
		w.values[s] = v
	}
	if w.step == StepReminder {
		if _, err := ParseApplicationNumber(j.Number); err != nil || j.SubmittedAt.IsZero() {
			return nil, ErrWizardState
		}
		w.number, w.submittedAt = j.Number, j.SubmittedAt
	} else if j.Number != "" || !j.SubmittedAt.IsZero() {
		return nil, ErrWizardState
	}
	for s := StepWindow; s < w.step; s++ {
		if !w.plausible(s) {
			return nil, ErrWizardState
		}
	}
	return w, nil
}

// plausible checks step s's saved data without an Env.
func (w *Wizard) plausible(s Step) bool {
	v := w.values[s]
	switch s {
	case StepWindow:
		return v.Get(FieldWindow) != "" && v.Get(FieldPoint) != ""
	case StepAgreement:
		return isYes(v.Get(FieldAgree))
	case StepInformation:
		if isYes(v.Get(FieldManual)) {
			if v.Get(FieldManualNumber) == "" || v.Get(FieldManualIssued) == "" {
				return false
			}
		} else if v.Get(FieldCertificate) == "" {
			return false
		}
		if v.Get(form.FieldPhoto) == "" {
			return false
		}
		_, errs := decodeInfo(v, Env{})
		return errs.Len() == 0
	case StepAuthority:
		return v.Get(FieldAuthority) != "" && v.Get(FieldPoint) != "" && v.Get(FieldSubject) != ""
	case StepCommitment:
		return v.Get(FieldCommitment) == CommitmentAgree
	}
	return true
}

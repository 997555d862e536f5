package web

import (
	"context"
	"net/url"
	"slices"

	"github.com/a-h/templ"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/templates"
)

// wizardView is the model of one wizard step page.
type wizardView struct {
	Step    registration.Step
	Steps   []templates.Step
	Errs    templates.Errors
	Message string
	Values  url.Values

	// Step 0: the window and confirmation point chosen on the window query.
	WindowText, PointText, PointScope string

	// Step 2: certificate, information form and photo.
	Certs           []certChoice
	Manual          bool
	UnsyncedReasons []string
	Fields          []templates.Field
	PhotoKey        string
	PhotoChecked    bool
	PhotoProblems   []string
	PhotoOK         bool
	// PhotoNote says the upload was converted into the stored photo (shown with 照片符合要求).
	PhotoNote string

	// Step 3: authority and confirmation point.
	AuthorityFields []templates.Field

	// Step 4: review.
	Review []reviewSection

	// Step 7: reminder.
	Number, SubmittedAt, FormReadyAt string
}

// certChoice is one of the account's certificates offered at step 2.
type certChoice struct {
	Number, Kind, Subject, Issued, Authority string
	Registrable                              bool
}

// reviewSection is one block of the review page with its 修改 target.
type reviewSection struct {
	Title    string
	Step     registration.Step
	Rows     []form.Row
	PhotoKey string
}

// wizardFieldOrder orders error summaries: the wizard's own fields, then the information form.
var wizardFieldOrder = append([]string{
	registration.FieldWindow, registration.FieldPoint, registration.FieldAgree,
	registration.FieldCertificate, registration.FieldManualNumber, registration.FieldManualIssued, registration.FieldManualSubject,
}, append(form.FieldNames(),
	registration.FieldProvince, registration.FieldCity, registration.FieldSubject, registration.FieldDistrict,
	registration.FieldAuthority, registration.FieldCommitment)...)

// orderedErrors turns form.Errors into the page's error list, in page order.
func orderedErrors(e form.Errors) templates.Errors {
	var out templates.Errors
	for _, f := range wizardFieldOrder {
		if e.Has(f) {
			out = append(out, templates.FieldError{Field: f, Message: e.Get(f)})
		}
	}
	for _, f := range e.Fields() {
		if !slices.Contains(wizardFieldOrder, f) {
			out = append(out, templates.FieldError{Field: f, Message: e.Get(f)})
		}
	}
	return out
}

func toOptions(os []form.Option) []templates.Option {
	out := make([]templates.Option, len(os))
	for i, o := range os {
		out[i] = templates.Option{Value: o.Code, Label: o.Label}
	}
	return out
}

// codeOptions are the select options of the information form's code-list fields.
func codeOptions(field string) []templates.Option {
	switch field {
	case form.FieldMandarinLevel:
		return toOptions(form.MandarinLevels.Options())
	case form.FieldEducation:
		return toOptions(form.Educations.Options())
	case form.FieldMajorCategory:
		return toOptions(form.MajorCategories.Options())
	case form.FieldDegree:
		return toOptions(form.Degrees.Options())
	case form.FieldNewSchoolType:
		return toOptions(form.SchoolTypes.Options())
	case form.FieldStudyMode:
		return toOptions(form.StudyModes.Options())
	case form.FieldSchoolOwnership:
		return toOptions(form.SchoolOwnerships.Options())
	case form.FieldTeacherTitle:
		return toOptions(form.TeacherTitles.Options())
	case form.FieldPostType:
		return toOptions(form.PostTypes.Options())
	case form.FieldPolitical:
		return toOptions(form.Politicals.Options())
	}
	return nil
}

// displayValue is what the review and detail pages print for a field's stored value.
func displayValue(field, value string) string {
	for _, o := range codeOptions(field) {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// infoFieldsView builds the information form's fields (all but the photo) from values and errors.
// mandarin, when not nil, turns the 普通话证书 into a choice among the applicant's certificates.
func infoFieldsView(values url.Values, errs form.Errors, mandarin []form.MandarinCertificate) []templates.Field {
	var out []templates.Field
	for _, name := range form.FieldNames() {
		if name == form.FieldPhoto {
			continue
		}
		f := templates.Field{Name: name, Label: form.FieldLabel(name), Value: values.Get(name), Error: errs.Get(name), Required: true}
		f.Options = codeOptions(name)
		switch name {
		case form.FieldMandarinNumber:
			if mandarin != nil {
				for _, m := range mandarin {
					f.Options = append(f.Options, templates.Option{Value: m.Number, Label: m.Number + "(" + form.MandarinLevels.Label(m.Level) + ")"})
				}
			} else {
				f.Hint = "填写普通话水平测试等级证书编号"
				f.MaxLength = form.MaxMandarinNumber
			}
		case form.FieldNewSchool:
			f.Type, f.Required, f.Label = "checkbox", false, "未查到毕业学校,新增学校(填写学校全称并选择办学类型)"
		case form.FieldNewSchoolType:
			f.Required = false
		case form.FieldGraduationDate, form.FieldWorkStart, form.FieldEmploymentStart:
			f.Type, f.Hint = "date", "格式如2006-01-02"
		case form.FieldSchool:
			f.Hint = "请填写学校全称"
		case form.FieldPostcode:
			f.InputMode, f.MaxLength = "numeric", 6
		}
		if name == form.FieldGraduationSchool {
			f.Hint = "输入学校名称的一部分可查询;未查到时请勾选“新增学校”"
			f.Attrs = templ.Attributes{
				"list": "school-list", "autocomplete": "off",
				"hx-get": "/platform/schools/options", "hx-trigger": "input changed delay:300ms",
				"hx-target": "#school-list", "hx-swap": "innerHTML",
			}
		} else {
			// Chrome fires change on a date input as soon as its parts form a valid date, i.e.
			// while the person is still typing the day; swapping the field then would eat the
			// rest of the keystrokes. Dates are checked when the field is left instead.
			trigger := "change delay:200ms"
			if f.Type == "date" {
				trigger = "blur changed"
			}
			f.Attrs = templ.Attributes{
				"hx-post": "/platform/wizard/validate", "hx-trigger": trigger, "hx-sync": "this:replace", "hx-target": "closest .field",
				"hx-swap": "outerHTML", "hx-include": "closest form", "hx-encoding": "application/x-www-form-urlencoded",
				"hx-vals": `{"_field":"` + name + `"}`,
			}
		}
		out = append(out, f)
	}
	return out
}

func (p *registrationPages) wizardView(ctx context.Context, wz *registration.Wizard, env registration.Env, st stepState) wizardView {
	v := wizardView{Step: wz.Step(), Message: st.message, Errs: orderedErrors(st.errs), PhotoChecked: st.photoChecked}
	for _, s := range registration.Steps {
		v.Steps = append(v.Steps, templates.Step{Label: s.String()})
	}
	v.Values = wz.Values(v.Step)
	if st.values != nil {
		v.Values = st.values
	}
	cat := env.Catalogue
	step0 := wz.Values(registration.StepWindow)
	if win, ok := cat.Window(step0.Get(registration.FieldWindow)); ok {
		a, _ := cat.Authority(win.AuthorityID)
		v.WindowText = a.Name + " · " + win.Stage.String() + " · 网报时间 " + cstTime(win.Opens) + " 至 " + cstTime(win.Closes)
	}
	if pt, ok := cat.Point(step0.Get(registration.FieldPoint)); ok {
		v.PointText, v.PointScope = pt.Name, pt.ScopeText
	}
	switch v.Step {
	case registration.StepInformation:
		p.informationView(&v, env, st)
	case registration.StepAuthority:
		v.AuthorityFields = authorityFields(wz, env, v.Values, st.errs)
	case registration.StepReview:
		v.Review = reviewSections(wz, env)
	case registration.StepReminder:
		v.Number = wz.Number()
		v.SubmittedAt = cstTime(wz.SubmittedAt())
		v.FormReadyAt = cstTime(wz.SubmittedAt().Add(registration.FormDelay))
	}
	return v
}

func (p *registrationPages) informationView(v *wizardView, env registration.Env, st stepState) {
	for _, c := range env.Certificates {
		v.Certs = append(v.Certs, certChoice{
			Number: c.Number.String(), Kind: c.Kind.String(), Subject: c.Subject, Issued: c.Issued.In(registration.CST).Format("2006-01-02"),
			Authority: c.Authority, Registrable: c.Registrable(),
		})
	}
	v.Manual = v.Values.Get(registration.FieldManual) != ""
	v.UnsyncedReasons = certificate.UnsyncedReasons()
	v.Fields = infoFieldsView(v.Values, st.errs, env.MandarinCertificates)
	v.PhotoKey = v.Values.Get(form.FieldPhoto)
	if v.PhotoKey != "" && env.PhotoReport != nil {
		if rep, ok := env.PhotoReport(v.PhotoKey); ok {
			v.PhotoOK = rep.OK()
			v.PhotoProblems = problemTexts(rep)
		}
		if st.photoProblems != nil {
			v.PhotoOK, v.PhotoProblems = false, st.photoProblems
		}
		v.PhotoNote = st.photoNote
	}
}

func problemTexts(r photo.Report) []string {
	out := make([]string, len(r.Problems))
	for i, pr := range r.Problems {
		out[i] = pr.Message
	}
	return out
}

// authorityFields are the selects of step 3: province → city → subject → authority → point.
func authorityFields(wz *registration.Wizard, env registration.Env, values url.Values, errs form.Errors) []templates.Field {
	cat := env.Catalogue
	field := func(name, label string) templates.Field {
		return templates.Field{Name: name, Label: label, Value: values.Get(name), Error: errs.Get(name), Required: true}
	}
	prov := field(registration.FieldProvince, "所在地省份")
	for _, pr := range cat.ProvinceList() {
		prov.Options = append(prov.Options, templates.Option{Value: pr.Code, Label: pr.Name})
	}
	city := field(registration.FieldCity, "所在地城市")
	for _, c := range cat.CitiesOf(prov.Value) {
		city.Options = append(city.Options, templates.Option{Value: c.Code, Label: c.Name})
	}
	cert, _ := wz.Certificate(env)
	stage := registration.Stage(0)
	if win, ok := cat.Window(wz.Values(registration.StepWindow).Get(registration.FieldWindow)); ok {
		stage = win.Stage
	}
	kind := field("kind", "资格种类")
	kind.Value, kind.Required = cert.Kind.String(), false
	kind.Attrs = templ.Attributes{"readonly": true}
	subject := field(registration.FieldSubject, "现任教学科")
	subject.Options = toOptions(form.Subjects.Options())
	district := field(registration.FieldDistrict, "任教学校所在区县代码")
	district.Required, district.Hint, district.MaxLength, district.InputMode = false, "可不填;确认范围限定区县时请填写6位区县代码,如天河区440106", 6, "numeric"
	auth := field(registration.FieldAuthority, "注册机构")
	var auths []registration.Authority
	if cert.Kind != 0 && stage != 0 {
		auths = cat.AuthoritiesFor(prov.Value, city.Value, cert.Kind, stage)
	} else {
		auths = cat.AuthoritiesOf(prov.Value, city.Value, stage)
	}
	for _, a := range auths {
		auth.Options = append(auth.Options, templates.Option{Value: a.ID, Label: a.Name})
	}
	point := field(registration.FieldPoint, "确认点")
	sit := registration.Situation{Kind: cert.Kind, Stage: stage, Subject: subject.Value, District: city.Value}
	if d := values.Get(registration.FieldDistrict); d != "" {
		sit.District = d
	}
	for _, pt := range cat.PointsOf(auth.Value, sit) {
		point.Options = append(point.Options, templates.Option{Value: pt.ID, Label: pt.Name + "(确认范围:" + pt.ScopeText + ")"})
	}
	return []templates.Field{prov, city, kind, subject, district, auth, point}
}

// reviewSections are the blocks of step 4, each with the step its 修改 goes back to.
func reviewSections(wz *registration.Wizard, env registration.Env) []reviewSection {
	cat := env.Catalogue
	var out []reviewSection
	s0 := wz.Values(registration.StepWindow)
	sec0 := reviewSection{Title: "网报时间和确认点", Step: registration.StepWindow}
	if win, ok := cat.Window(s0.Get(registration.FieldWindow)); ok {
		a, _ := cat.Authority(win.AuthorityID)
		sec0.Rows = append(sec0.Rows, form.Row{Label: "网报时间", Value: a.Name + " " + win.Stage.String() + " " + cstTime(win.Opens) + " 至 " + cstTime(win.Closes)})
	}
	out = append(out, sec0)
	cert, _ := wz.Certificate(env)
	secC := reviewSection{Title: "教师资格证书", Step: registration.StepInformation, Rows: []form.Row{
		{Label: "证书号码", Value: cert.Number.String()}, {Label: "资格种类", Value: cert.Kind.String()},
		{Label: "任教学科", Value: cert.Subject},
	}}
	if cert.Manual {
		secC.Rows = append(secC.Rows, form.Row{Label: "来源", Value: "手动添加"})
	}
	out = append(out, secC)
	v2 := wz.Values(registration.StepInformation)
	secI := reviewSection{Title: "注册信息", Step: registration.StepInformation}
	for _, name := range form.FieldNames() {
		switch name {
		case form.FieldPhoto, form.FieldNewSchool, form.FieldNewSchoolType:
			continue
		}
		val := displayValue(name, v2.Get(name))
		if name == form.FieldGraduationSchool && v2.Get(form.FieldNewSchool) != "" {
			val += "(新增学校,办学类型:" + displayValue(form.FieldNewSchoolType, v2.Get(form.FieldNewSchoolType)) + ")"
		}
		secI.Rows = append(secI.Rows, form.Row{Label: form.FieldLabel(name), Value: val})
	}
	out = append(out, secI)
	out = append(out, reviewSection{Title: "照片", Step: registration.StepInformation, PhotoKey: v2.Get(form.FieldPhoto)})
	v3 := wz.Values(registration.StepAuthority)
	secA := reviewSection{Title: "注册机构和确认点", Step: registration.StepAuthority}
	a, _ := cat.Authority(v3.Get(registration.FieldAuthority))
	pt, _ := cat.Point(v3.Get(registration.FieldPoint))
	secA.Rows = []form.Row{
		{Label: "现任教学科", Value: form.Subjects.Label(form.Subject(v3.Get(registration.FieldSubject)))},
		{Label: "注册机构", Value: a.Name}, {Label: "确认点", Value: pt.Name}, {Label: "确认范围", Value: pt.ScopeText},
	}
	out = append(out, secA)
	return out
}

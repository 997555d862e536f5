package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/templates"
)

// The registration wizard (报名向导, manual §3.1.2). The state is a registration.Wizard saved per
// account in the backend after every post, so a closed tab, a logout or a crash loses nothing.
// Every post names the step it answers; the domain refuses any other (registration.ErrWrongStep)
// and the page shows the current step instead.

func (p *registrationPages) wizardRoutes(rt *Router) {
	rt.Applicant("GET /platform/wizard", p.wizardPage)
	rt.Applicant("POST /platform/wizard", p.wizardPost, BodyLimit(PhotoBodyLimit))
	rt.Applicant("POST /platform/wizard/back", p.wizardBack, BodyLimit(PhotoBodyLimit))
	rt.Applicant("POST /platform/wizard/goto", p.wizardGoTo)
	rt.Applicant("POST /platform/wizard/validate", p.wizardValidate, BodyLimit(PhotoBodyLimit))
	rt.Applicant("GET /platform/schools", p.schoolSearch)
	rt.Applicant("GET /platform/schools/options", p.schoolOptions)
	rt.Applicant("GET /platform/photos/{key}", p.photoFile)
}

// Form actions of the step-2 page besides 下一步.
const (
	actionUpload   = "upload"  // 上传照片
	actionAutofix  = "autofix" // 自动调整
	photoFileField = "photo_file"
)

// env is what the wizard consults for this request.
func (p *registrationPages) env(ctx context.Context, a Applicant) (registration.Env, error) {
	b := p.backend()
	cat, err := b.Catalogue(ctx)
	if err != nil {
		return registration.Env{}, err
	}
	certs, err := b.AccountCertificates(ctx, a.Account)
	if err != nil {
		return registration.Env{}, err
	}
	mand, err := b.AccountMandarinCertificates(ctx, a.Account)
	if err != nil {
		return registration.Env{}, err
	}
	if len(mand) == 0 {
		mand = nil
	}
	return registration.Env{
		Now: p.s.now(), Catalogue: cat, Applicant: applicantOf(a), Certificates: certs,
		MandarinCertificates: mand, Store: b,
		PhotoReport: func(key string) (photo.Report, bool) {
			return p.reports.get(a.ID, key, func() (photo.Report, bool) {
				data, err := b.Photo(ctx, a.ID, key)
				if err != nil {
					return photo.Report{}, false
				}
				return photo.Registration.Check(data), true
			})
		},
	}, nil
}

// openWizard loads the applicant's wizard in progress and what it consults. Without one it
// sends the applicant to the window query; on a failure it answers the error page. ok is false
// when it has answered.
func (p *registrationPages) openWizard(w http.ResponseWriter, r *http.Request) (a Applicant, wz *registration.Wizard, env registration.Env, ok bool) {
	a, _ = CurrentAccount(r.Context())
	wz, err := p.loadWizard(r, a)
	if err != nil {
		p.s.fail(w, r, err)
		return a, nil, env, false
	}
	if wz == nil {
		p.s.redirect(w, r, "/platform/windows")
		return a, nil, env, false
	}
	if env, err = p.env(r.Context(), a); err != nil {
		p.s.fail(w, r, err)
		return a, nil, env, false
	}
	return a, wz, env, true
}

// loadWizard returns the account's saved wizard, nil when there is none. Saved state that no
// longer loads (another version, tampered) is dropped: the applicant starts again.
func (p *registrationPages) loadWizard(r *http.Request, a Applicant) (*registration.Wizard, error) {
	data, err := p.backend().WizardDraft(r.Context(), a.ID)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	wz, err := registration.UnmarshalWizard(data)
	if err != nil {
		p.s.log.Warn("wizard draft dropped", slog.String("error", err.Error()))
		_ = p.backend().DeleteWizardDraft(r.Context(), a.ID)
		return nil, nil
	}
	return wz, nil
}

func (p *registrationPages) saveWizard(ctx context.Context, a Applicant, wz *registration.Wizard) error {
	data, err := json.Marshal(wz)
	if err != nil {
		return err
	}
	return p.backend().SaveWizardDraft(ctx, a.ID, data)
}

// wizardStart is 定期注册报名 on a confirmation point of the window query: step 0. A wizard in
// progress goes back to step 0 and keeps everything typed; a finished one starts afresh.
func (p *registrationPages) wizardStart(w http.ResponseWriter, r *http.Request) {
	if !p.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	a, _ := CurrentAccount(ctx)
	wz, err := p.loadWizard(r, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	if wz == nil {
		wz = registration.NewWizard()
	}
	if wz.Step() == registration.StepReminder {
		wz.Reset()
	} else if wz.Step() > registration.StepWindow {
		_ = wz.GoTo(registration.StepWindow)
	}
	env, err := p.env(ctx, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	in := url.Values{registration.FieldWindow: {r.PostFormValue(registration.FieldWindow)}, registration.FieldPoint: {r.PostFormValue(registration.FieldPoint)}}
	if _, err := wz.Next(ctx, registration.StepInput{Step: registration.StepWindow, Values: in}, env); err != nil {
		var ferrs form.Errors
		if !errors.As(err, &ferrs) {
			p.s.fail(w, r, err)
			return
		}
		v := windowSearchView{Error: strings.Join(mapValues(ferrs), ";")}
		if win, ok := env.Catalogue.Window(in.Get(registration.FieldWindow)); ok {
			v = buildWindowSearch(env.Catalogue, map[string]string{"province": win.Province, "city": win.City, "stage": itoa(int(win.Stage)), "authority": win.AuthorityID}, env.Now)
			v.Error = strings.Join(mapValues(ferrs), ";")
		} else {
			v2 := buildWindowSearch(env.Catalogue, nil, env.Now)
			v2.Error = v.Error
			v = v2
		}
		p.s.render(w, r, http.StatusUnprocessableEntity, WindowsPage(v))
		return
	}
	if err := p.saveWizard(ctx, a, wz); err != nil {
		p.s.fail(w, r, err)
		return
	}
	p.s.redirect(w, r, "/platform/wizard")
}

func mapValues(e form.Errors) []string {
	var out []string
	for _, f := range e.Fields() {
		out = append(out, e.Get(f))
	}
	return out
}

// wizardPage shows the current step. At step 3 a query (step=3&province=…) refills the form
// without saving: the cascading selects of the authority step.
func (p *registrationPages) wizardPage(w http.ResponseWriter, r *http.Request) {
	_, wz, env, ok := p.openWizard(w, r)
	if !ok {
		return
	}
	var override url.Values
	if q := r.URL.Query(); q.Get(registration.FieldStep) == itoa(int(wz.Step())) && wz.Step() == registration.StepAuthority {
		override = q
	}
	p.renderStep(w, r, http.StatusOK, wz, env, stepState{values: override})
}

// stepState is what a re-rendered step shows besides the saved values.
type stepState struct {
	values  url.Values // posted values to show instead of the saved ones
	errs    form.Errors
	message string
	// photoChecked shows the photo report after an upload or adjustment.
	photoChecked bool
	// photoProblems, when set, are the check's messages of the bytes just uploaded, shown
	// instead of the report of the stored (re-encoded) photo.
	photoProblems []string
	// photoNote says the bytes just uploaded were converted into the stored photo (which passes).
	photoNote string
}

func (p *registrationPages) renderStep(w http.ResponseWriter, r *http.Request, status int, wz *registration.Wizard, env registration.Env, st stepState) {
	v := p.wizardView(r.Context(), wz, env, st)
	p.s.render(w, r, status, WizardPage(v))
}

// wizardPost handles 下一步 (and 上传照片 / 自动调整 on step 2, 提交 on step 6).
func (p *registrationPages) wizardPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, wz, env, ok := p.openWizard(w, r)
	if !ok {
		return
	}
	if err := parseBody(r); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			var errs form.Errors
			errs.Add(form.FieldPhoto, "照片文件过大:上传的文件应小于200KB,请压缩后重新上传")
			p.renderStep(w, r, http.StatusRequestEntityTooLarge, wz, env, stepState{errs: errs})
			return
		}
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	step, err := registration.ParseStep(r.PostFormValue(registration.FieldStep))
	if err != nil {
		step = -1
	}
	values := cloneValues(r.PostForm)
	if action := r.PostFormValue("action"); step == registration.StepInformation && wz.Step() == step && (action == actionUpload || action == actionAutofix) {
		p.photoAction(w, r, a, wz, env, values, action)
		return
	}
	before := wz.Step()
	app, err := wz.Next(ctx, registration.StepInput{Step: step, Values: values}, env)
	var ferrs form.Errors
	switch {
	case err == nil:
	case errors.As(err, &ferrs):
		if err := p.saveWizard(ctx, a, wz); err != nil {
			p.s.fail(w, r, err)
			return
		}
		st := stepState{errs: ferrs}
		if wz.Step() != before {
			st.message = "之前步骤的信息已不再有效,请修改后继续:" + wz.Step().String()
		}
		p.renderStep(w, r, http.StatusUnprocessableEntity, wz, env, st)
		return
	case errors.Is(err, registration.ErrWrongStep):
		p.renderStep(w, r, http.StatusConflict, wz, env, stepState{message: userText(err)})
		return
	case errors.Is(err, registration.ErrAbandoned):
		if err := p.backend().DeleteWizardDraft(ctx, a.ID); err != nil {
			p.s.fail(w, r, err)
			return
		}
		p.s.setFlash(w, r, "info", registration.ErrAbandoned.Message)
		p.s.redirect(w, r, "/platform")
		return
	case errors.Is(err, registration.ErrWizardDone):
		p.s.redirect(w, r, "/platform/wizard")
		return
	default:
		var re *registration.Error
		if errors.As(err, &re) {
			if err := p.saveWizard(ctx, a, wz); err != nil {
				p.s.fail(w, r, err)
				return
			}
			p.renderStep(w, r, http.StatusConflict, wz, env, stepState{message: re.Error()})
			return
		}
		p.s.fail(w, r, err)
		return
	}
	if before == registration.StepInformation && values.Get(form.FieldNewSchool) != "" {
		if info, _ := wz.Information(env); info.NewSchool != nil {
			if err := p.backend().AddSchool(ctx, a.ID, *info.NewSchool); err != nil {
				p.s.log.Warn("add school failed", slog.String("error", err.Error()))
			}
		}
	}
	_ = app // the application is in the store; step 7 shows its number from the wizard
	if err := p.saveWizard(ctx, a, wz); err != nil {
		p.s.fail(w, r, err)
		return
	}
	if isFragment(r) {
		p.renderStep(w, r, http.StatusOK, wz, env, stepState{})
		return
	}
	p.s.redirect(w, r, "/platform/wizard")
}

// userText is the zh-CN message of a domain error.
func userText(err error) string {
	var re *registration.Error
	if errors.As(err, &re) {
		return re.Error()
	}
	return "操作未能完成,请重试"
}

// parseBody parses a url-encoded or multipart body within the route's limit.
func parseBody(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(PhotoBodyLimit)
	}
	return r.ParseForm()
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// keepTyped saves what was typed on the current step (1–3) without moving on: the wizard keeps
// every post, so a post followed by a step back loses nothing. It returns the step to show.
func keepTyped(ctx context.Context, wz *registration.Wizard, step registration.Step, values url.Values, env registration.Env) {
	if step < registration.StepAgreement || step > registration.StepAuthority || wz.Step() != step {
		return
	}
	_, _ = wz.Next(ctx, registration.StepInput{Step: step, Values: values}, env)
	if wz.Step() > step {
		_ = wz.GoTo(step)
	}
}

// photoAction handles 上传照片 and 自动调整 on step 2: the photo is stored by content hash, the
// typed form is kept, and the page shows the photo with its check.
func (p *registrationPages) photoAction(w http.ResponseWriter, r *http.Request, a Applicant, wz *registration.Wizard, env registration.Env, values url.Values, action string) {
	ctx := r.Context()
	var errs form.Errors
	out := p.photoFromRequest(r, a, values.Get(form.FieldPhoto), action)
	if out.refusal != "" {
		errs.Add(form.FieldPhoto, out.refusal)
	} else {
		values.Set(form.FieldPhoto, out.key)
	}
	keepTyped(ctx, wz, registration.StepInformation, values, env)
	if err := p.saveWizard(ctx, a, wz); err != nil {
		p.s.fail(w, r, err)
		return
	}
	p.renderStep(w, r, out.httpStatus(), wz, env, stepState{errs: errs, photoChecked: true, photoProblems: out.problems, photoNote: out.note})
}

// photoOutcome is what 上传照片 or 自动调整 did with the photo.
type photoOutcome struct {
	key string
	// problems are the check's messages of an upload that fails it but was kept re-encoded: the
	// page shows them instead of the stored photo's report.
	problems []string
	// note says an upload that failed the check was converted into a stored photo that passes.
	note string
	// refusal is the zh-CN answer when nothing was stored; busy says it is because no photo work
	// slot was free (503 rather than 422).
	refusal string
	busy    bool
}

// httpStatus is the status of the page that answers the outcome.
func (o photoOutcome) httpStatus() int {
	switch {
	case o.busy:
		return http.StatusServiceUnavailable
	case o.refusal != "":
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

func photoRefused(msg string) photoOutcome { return photoOutcome{refusal: msg} }

// photoFromRequest stores the uploaded file (upload) or the adjusted current photo (autofix).
// The decoding and encoding run in a photo work slot (Server.photoWork).
func (p *registrationPages) photoFromRequest(r *http.Request, a Applicant, current, action string) photoOutcome {
	ctx := r.Context()
	var (
		data []byte
		out  photoOutcome
	)
	switch action {
	case actionUpload:
		if r.MultipartForm == nil || len(r.MultipartForm.File[photoFileField]) == 0 {
			return photoRefused("请选择要上传的照片文件")
		}
		f, err := r.MultipartForm.File[photoFileField][0].Open()
		if err != nil {
			return photoRefused("照片文件无法读取,请重新上传")
		}
		defer f.Close()
		sent, err := io.ReadAll(io.LimitReader(f, PhotoBodyLimit+1))
		if err != nil || len(sent) == 0 {
			return photoRefused("照片文件无法读取,请重新上传")
		}
		if !p.s.photoWork.acquire(ctx) {
			return photoOutcome{refusal: msgPhotoBusy, busy: true}
		}
		// Only bytes the portal encoded itself are stored (see storableUpload).
		up, refusal := storableUpload(sent)
		p.s.photoWork.release()
		if refusal != "" {
			return photoRefused(refusal)
		}
		data, out.problems, out.note = up.data, up.problems, up.note
	case actionAutofix:
		if current == "" {
			return photoRefused("请先上传照片")
		}
		src, err := p.backend().Photo(ctx, a.ID, current)
		if err != nil {
			return photoRefused("照片无法读取,请重新上传")
		}
		if !p.s.photoWork.acquire(ctx) {
			return photoOutcome{refusal: msgPhotoBusy, busy: true}
		}
		data, err = photo.Normalize(src, photo.Registration)
		p.s.photoWork.release()
		if err != nil {
			return photoRefused("照片无法自动调整:" + userPhotoError(err))
		}
	}
	key, err := p.backend().SavePhoto(ctx, a.ID, data)
	if errors.Is(err, ErrPhotoTooLarge) {
		return photoRefused(ErrPhotoTooLarge.Error())
	}
	if err != nil {
		p.s.log.Error("save photo", slog.String("error", err.Error()))
		return photoRefused("照片保存失败,请稍后再试")
	}
	out.key = key
	return out
}

func userPhotoError(err error) string {
	var pe *photo.Error
	if errors.As(err, &pe) {
		return pe.Error()
	}
	return "无法识别的图片"
}

// wizardBack is 上一步: what was typed on this page is kept, then the wizard goes back one step.
func (p *registrationPages) wizardBack(w http.ResponseWriter, r *http.Request) {
	p.moveBack(w, r, func(wz *registration.Wizard, step registration.Step) registration.Step { return step - 1 })
}

// wizardGoTo is the review page's 修改: back to an earlier step, keeping everything.
func (p *registrationPages) wizardGoTo(w http.ResponseWriter, r *http.Request) {
	p.moveBack(w, r, func(wz *registration.Wizard, _ registration.Step) registration.Step {
		s, err := registration.ParseStep(r.PostFormValue("to"))
		if err != nil {
			return -1
		}
		return s
	})
}

func (p *registrationPages) moveBack(w http.ResponseWriter, r *http.Request, target func(*registration.Wizard, registration.Step) registration.Step) {
	ctx := r.Context()
	a, wz, env, ok := p.openWizard(w, r)
	if !ok {
		return
	}
	if err := parseBody(r); err != nil {
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	step, err := registration.ParseStep(r.PostFormValue(registration.FieldStep))
	if err != nil || step != wz.Step() {
		p.renderStep(w, r, http.StatusConflict, wz, env, stepState{message: registration.ErrWrongStep.Message})
		return
	}
	to := target(wz, step)
	keepTyped(ctx, wz, step, cloneValues(r.PostForm), env)
	if to >= 0 && to < wz.Step() {
		if err := wz.GoTo(to); err != nil {
			p.renderStep(w, r, http.StatusConflict, wz, env, stepState{message: userText(err)})
			return
		}
	}
	if err := p.saveWizard(ctx, a, wz); err != nil {
		p.s.fail(w, r, err)
		return
	}
	if isFragment(r) {
		p.renderStep(w, r, http.StatusOK, wz, env, stepState{})
		return
	}
	p.s.redirect(w, r, "/platform/wizard")
}

// wizardValidate checks one field of the information form as typed (HTMX on change) and returns
// that field's fragment with its inline error. Nothing is saved.
func (p *registrationPages) wizardValidate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := CurrentAccount(ctx)
	if err := parseBody(r); err != nil {
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	field := r.PostFormValue("_field")
	if form.FieldLabel(field) == "" || field == form.FieldPhoto {
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	env, err := p.env(ctx, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	errs := validateInfo(cloneValues(r.PostForm), env)
	fv := infoFieldsView(cloneValues(r.PostForm), errs, env.MandarinCertificates)
	i := slices.IndexFunc(fv, func(f templates.Field) bool { return f.Name == field })
	if i < 0 {
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	renderBare(w, r, p.s, infoField(fv[i]))
}

// validateInfo decodes and validates the information form with today, the birth date and the
// applicant's Mandarin certificates.
func validateInfo(v url.Values, env registration.Env) form.Errors {
	ctx := form.WithToday(context.Background(), form.ChinaDate(env.Now))
	if !env.Applicant.Birth.IsZero() {
		ctx = form.WithBirth(ctx, form.DateOf(env.Applicant.Birth))
	}
	if env.MandarinCertificates != nil {
		ctx = form.WithMandarinCertificates(ctx, env.MandarinCertificates)
	}
	_, errs := form.DecodeAndValidate(ctx, v)
	return errs
}

// renderBare writes a component without the layout (an HTMX swap target smaller than main).
func renderBare(w http.ResponseWriter, r *http.Request, s *Server, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(templates.WithPage(r.Context(), templates.Page{}), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	_, _ = w.Write(buf.Bytes())
}

// schoolQuery is the typed school name, bounded.
func schoolQuery(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get(form.FieldGraduationSchool))
	if q == "" {
		q = strings.TrimSpace(r.URL.Query().Get("q"))
	}
	if len([]rune(q)) > form.MaxSchoolName {
		q = string([]rune(q)[:form.MaxSchoolName])
	}
	return q
}

// schoolSearch is the graduation-school search as a page (without scripts, or in a new tab).
func (p *registrationPages) schoolSearch(w http.ResponseWriter, r *http.Request) {
	q := schoolQuery(r)
	schools, err := p.backend().SearchSchools(r.Context(), q, 20)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	p.s.render(w, r, http.StatusOK, SchoolSearchPage(q, schools))
}

// schoolOptions answers the school field's HTMX search with the <option>s of its datalist; a
// plain request is sent to the search page.
func (p *registrationPages) schoolOptions(w http.ResponseWriter, r *http.Request) {
	q := schoolQuery(r)
	if r.Header.Get("HX-Request") != "true" {
		http.Redirect(w, r, "/platform/schools?q="+url.QueryEscape(q), http.StatusSeeOther)
		return
	}
	schools, err := p.backend().SearchSchools(r.Context(), q, 20)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	renderBare(w, r, p.s, SchoolOptions(schools))
}

// photoFile serves one of the applicant's own photos; any other key is 404.
func (p *registrationPages) photoFile(w http.ResponseWriter, r *http.Request) {
	a, _ := CurrentAccount(r.Context())
	data, err := p.backend().Photo(r.Context(), a.ID, r.PathValue("key"))
	if err != nil {
		if isNotFound(err) {
			p.s.errorPage(w, r, http.StatusNotFound, "")
			return
		}
		p.s.fail(w, r, err)
		return
	}
	ct := "image/jpeg"
	if bytes.HasPrefix(data, []byte("\x89PNG")) {
		ct = "image/png"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}

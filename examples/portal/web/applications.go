package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/pdf"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/templates"
)

// 查询报名信息 (manual §3.2): this batch's applications (see currentBatch) with their 注册结论, and per application
// 注意事项, 详情, 修改 (only while 网报待确认), 撤回, 申请表预览/下载 and 留言. Every URL names an
// application by its number; another account's number is 404, exactly like an unknown one.

func (p *registrationPages) applicationRoutes(rt *Router) {
	rt.Applicant("GET /platform/applications", p.applicationsPage)
	rt.Applicant("GET /platform/applications/{number}", p.applicationDetail)
	rt.Applicant("GET /platform/applications/{number}/notes", p.applicationNotes)
	rt.Applicant("GET /platform/applications/{number}/edit", p.applicationEdit)
	rt.Applicant("POST /platform/applications/{number}/edit", p.applicationEditPost, BodyLimit(PhotoBodyLimit))
	rt.Applicant("GET /platform/applications/{number}/withdraw", p.applicationWithdrawPage)
	rt.Applicant("POST /platform/applications/{number}/withdraw", p.applicationWithdraw)
	rt.Applicant("GET /platform/applications/{number}/form", p.applicationFormPreview)
	rt.Applicant("GET /platform/applications/{number}/form.pdf", p.applicationFormPDF)
	rt.Applicant("GET /platform/applications/{number}/messages", p.applicationMessages)
	rt.Applicant("POST /platform/applications/{number}/messages/read", p.applicationMessagesRead)
}

// applicationRow is one line of the list.
type applicationRow struct {
	Number, Certificate, Authority, Point, Submitted, Status string
	Tone                                                     templates.Tone
	Editable, Withdrawable, HasMessages                      bool
	Unread                                                   int
	FormReadyAt                                              string
	FormReady                                                bool
}

// statusTone picks the badge colour of a 注册结论.
func statusTone(s registration.Status) templates.Tone {
	switch s {
	case registration.StatusPending:
		return templates.ToneInfo
	case registration.StatusConfirmed:
		return templates.ToneNeutral
	case registration.StatusQualified:
		return templates.ToneOK
	case registration.StatusDeferred:
		return templates.ToneWarn
	case registration.StatusUnqualified:
		return templates.ToneBad
	}
	return templates.ToneNeutral
}

func (p *registrationPages) row(cat *registration.Catalogue, a *registration.Application, now time.Time) applicationRow {
	auth, _ := cat.Authority(a.AuthorityID)
	pt, _ := cat.Point(a.ConfirmationPointID)
	return applicationRow{
		Number: a.Number, Certificate: a.Certificate.String(), Authority: auth.Name, Point: pt.Name,
		Submitted: cstTime(a.SubmittedAt), Status: a.Status.String(), Tone: statusTone(a.Status),
		Editable: a.Status.Editable(), Withdrawable: registration.CanTransition(a.Status, registration.StatusWithdrawn, registration.ActorApplicant),
		HasMessages: a.HasMessages(), Unread: a.UnreadCount(),
		FormReadyAt: cstTime(a.FormReadyAt()), FormReady: a.FormReady(now),
	}
}

func (p *registrationPages) applicationsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := CurrentAccount(ctx)
	apps, err := p.backend().ApplicationsOf(ctx, a.ID)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	cat, err := p.backend().Catalogue(ctx)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	now := p.s.now()
	var rows []applicationRow
	for _, app := range currentBatch(cat, apps, now) {
		rows = append(rows, p.row(cat, app, now))
	}
	p.s.render(w, r, http.StatusOK, ApplicationsPage(rows))
}

// currentBatch keeps the applications of this batch (本批次), the list 查询报名信息 shows and
// /platform counts. An application belongs to the batch of its window (网报时间), not to the
// calendar year it was sent in: a window may open in December and close in February. The rule
// is the one a teacher expects:
//   - an application that is not final (网报待确认, 已确认) is always shown: something is still
//     to be done or awaited;
//   - so is one whose window has not closed yet, whatever its 注册结论 (a 撤回 or a conclusion
//     reached while the window is open stays in view until it closes);
//   - a final one of a closed window is shown while it became final (注册结论 or 撤回) in the
//     current year (CST), so this year's 注册结论 stay visible — also those of a window that
//     opened last December — and it drops out with the next year.
//
// An application whose window is no longer in the catalogue falls back to its submission time
// for the window's closing.
func currentBatch(cat *registration.Catalogue, apps []*registration.Application, now time.Time) []*registration.Application {
	year := now.In(registration.CST).Year()
	var out []*registration.Application
	for _, a := range apps {
		closes := a.SubmittedAt
		if w, ok := cat.Window(a.WindowID); ok {
			closes = w.Closes
		}
		if !a.Status.Final() || now.Before(closes) || finalAt(a).In(registration.CST).Year() == year {
			out = append(out, a)
		}
	}
	return out
}

// finalAt is when a final application reached its status: the last event that changed the status
// to it, or its submission time when the trail has none.
func finalAt(a *registration.Application) time.Time {
	for i := len(a.Events) - 1; i >= 0; i-- {
		if e := a.Events[i]; e.To == a.Status && e.From != e.To {
			return e.At
		}
	}
	return a.SubmittedAt
}

// ownApplication loads the application named in the path if it belongs to the logged-in
// applicant; otherwise it answers 404 and returns nil.
func (p *registrationPages) ownApplication(w http.ResponseWriter, r *http.Request) (*registration.Application, Applicant) {
	a, _ := CurrentAccount(r.Context())
	number := r.PathValue("number")
	if _, err := registration.ParseApplicationNumber(number); err != nil {
		p.s.errorPage(w, r, http.StatusNotFound, "")
		return nil, a
	}
	app, err := p.backend().Application(r.Context(), number)
	if err != nil {
		if isNotFound(err) {
			p.s.errorPage(w, r, http.StatusNotFound, "")
			return nil, a
		}
		p.s.fail(w, r, err)
		return nil, a
	}
	if app.AccountID != strconv.FormatInt(a.ID, 10) {
		p.s.errorPage(w, r, http.StatusNotFound, "")
		return nil, a
	}
	return app, a
}

// applicationForm builds the 申请表 of an application.
func (p *registrationPages) applicationForm(ctx context.Context, app *registration.Application, a Applicant) (form.ApplicationForm, error) {
	cat, err := p.backend().Catalogue(ctx)
	if err != nil {
		return form.ApplicationForm{}, err
	}
	cert := certificate.Certificate{Number: app.Certificate, Kind: app.Kind}
	if app.ManualCertificate != nil {
		cert = *app.ManualCertificate
	} else if certs, err := p.backend().AccountCertificates(ctx, a.Account); err == nil {
		for _, c := range certs {
			if c.Number == app.Certificate {
				cert = c
			}
		}
	}
	auth, _ := cat.Authority(app.AuthorityID)
	pt, _ := cat.Point(app.ConfirmationPointID)
	info := app.Info
	info.Photo = app.Photo
	return form.NewApplicationForm(formApplicant(a.Account), cert, info, form.Submission{
		Authority: auth.Name, ConfirmationPoint: pt.Name, ApplicationNumber: app.Number,
		Submitted: form.ChinaDate(app.SubmittedAt),
	})
}

// detailView is the model of 详情 and 申请表预览.
type detailView struct {
	Row      applicationRow
	Form     form.ApplicationForm
	PhotoKey string
	Preview  bool
	History  []historyRow
}

// historyRow is one line of the applicant's 办理记录: when, which role (never a staff member's
// name), the 注册结论 before and after, and the note.
type historyRow struct {
	At, Actor, From, To, Note string
}

// historyRows is the application's audit trail as the applicant sees it, oldest first. From is
// empty for the submission itself.
func historyRows(events []registration.Event) []historyRow {
	out := make([]historyRow, 0, len(events))
	for _, e := range events {
		h := historyRow{At: cstTime(e.At), Actor: e.Actor.String(), To: e.To.String(), Note: e.Note}
		if e.From.Valid() {
			h.From = e.From.String()
		}
		out = append(out, h)
	}
	return out
}

func (p *registrationPages) detailOrPreview(w http.ResponseWriter, r *http.Request, preview bool) {
	app, a := p.ownApplication(w, r)
	if app == nil {
		return
	}
	ctx := r.Context()
	f, err := p.applicationForm(ctx, app, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	cat, err := p.backend().Catalogue(ctx)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	v := detailView{Row: p.row(cat, app, p.s.now()), Form: f, PhotoKey: app.Photo, Preview: preview}
	if !preview {
		v.History = historyWithMessages(app.Events, app.Messages)
	}
	p.s.render(w, r, http.StatusOK, ApplicationDetailPage(v))
}

func (p *registrationPages) applicationDetail(w http.ResponseWriter, r *http.Request) {
	p.detailOrPreview(w, r, false)
}

func (p *registrationPages) applicationFormPreview(w http.ResponseWriter, r *http.Request) {
	p.detailOrPreview(w, r, true)
}

func (p *registrationPages) applicationNotes(w http.ResponseWriter, r *http.Request) {
	app, _ := p.ownApplication(w, r)
	if app == nil {
		return
	}
	p.s.render(w, r, http.StatusOK, ApplicationNotesPage(app.Number, cstTime(app.SubmittedAt), cstTime(app.FormReadyAt())))
}

// applicationFormPDF sends the 申请表 as a PDF, not earlier than FormReadyAt.
func (p *registrationPages) applicationFormPDF(w http.ResponseWriter, r *http.Request) {
	app, a := p.ownApplication(w, r)
	if app == nil {
		return
	}
	if !app.FormReady(p.s.now()) {
		p.s.render(w, r, http.StatusConflict, FormNotReadyPage(app.Number, cstTime(app.FormReadyAt())))
		return
	}
	ctx := r.Context()
	f, err := p.applicationForm(ctx, app, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	jpeg, err := p.backend().Photo(ctx, a.ID, app.Photo)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	doc, err := pdf.Render(f, jpeg)
	if err != nil {
		p.s.log.Error("render application form", slog.String("error", err.Error()))
		p.s.errorPage(w, r, http.StatusInternalServerError, "申请表生成失败,请稍后再试;如仍失败,请重新上传照片,1小时后再下载。")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="application-`+app.Number+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, _ = w.Write(doc)
}

// editView is the model of 修改报名信息.
type editView struct {
	Number        string
	Version       int64
	Errs          templates.Errors
	Message       string
	Fields        []templates.Field
	PhotoKey      string
	PhotoProblems []string
	PhotoOK       bool
	PhotoNote     string
	PhotoChanged  bool
}

func (p *registrationPages) editView(ctx context.Context, app *registration.Application, a Applicant, values url.Values, errs form.Errors, msg string) (editView, error) {
	mand, err := p.backend().AccountMandarinCertificates(ctx, a.Account)
	if err != nil {
		return editView{}, err
	}
	if len(mand) == 0 {
		mand = nil
	}
	v := editView{Number: app.Number, Version: app.Version, Errs: orderedErrors(errs), Message: msg}
	v.Fields = infoFieldsView(values, errs, mand)
	v.PhotoKey = values.Get(form.FieldPhoto)
	if v.PhotoKey == "" {
		v.PhotoKey = app.Photo
	}
	v.PhotoChanged = v.PhotoKey != app.Photo
	if data, err := p.backend().Photo(ctx, a.ID, v.PhotoKey); err == nil {
		rep := photo.Registration.Check(data)
		v.PhotoOK, v.PhotoProblems = rep.OK(), problemTexts(rep)
	}
	return v, nil
}

func (p *registrationPages) renderEdit(w http.ResponseWriter, r *http.Request, status int, app *registration.Application, a Applicant, values url.Values, errs form.Errors, msg string) {
	v, err := p.editView(r.Context(), app, a, values, errs, msg)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	p.s.render(w, r, status, ApplicationEditPage(v))
}

func (p *registrationPages) applicationEdit(w http.ResponseWriter, r *http.Request) {
	app, a := p.ownApplication(w, r)
	if app == nil {
		return
	}
	if !app.Status.Editable() {
		p.s.render(w, r, http.StatusConflict, ApplicationMessagePage("修改报名信息", registration.ErrNotEditable.Message, app.Number))
		return
	}
	values := app.Info.Values()
	values.Set(form.FieldPhoto, app.Photo)
	p.renderEdit(w, r, http.StatusOK, app, a, values, nil, "")
}

// applicationEditPost saves the edit through Application.Edit (or stores a new photo and shows
// it, on 上传照片 / 自动调整). A stale version is refused with a plain message.
func (p *registrationPages) applicationEditPost(w http.ResponseWriter, r *http.Request) {
	app, a := p.ownApplication(w, r)
	if app == nil {
		return
	}
	ctx := r.Context()
	if err := parseBody(r); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			var errs form.Errors
			errs.Add(form.FieldPhoto, "照片文件过大:上传的文件应小于200KB,请压缩后重新上传")
			values := app.Info.Values()
			values.Set(form.FieldPhoto, app.Photo)
			p.renderEdit(w, r, http.StatusRequestEntityTooLarge, app, a, values, errs, "")
			return
		}
		p.s.errorPage(w, r, http.StatusBadRequest, "")
		return
	}
	if !app.Status.Editable() {
		p.s.render(w, r, http.StatusConflict, ApplicationMessagePage("修改报名信息", registration.ErrNotEditable.Message, app.Number))
		return
	}
	values := cloneValues(r.PostForm)
	if v, _ := strconv.ParseInt(values.Get("version"), 10, 64); v != app.Version {
		p.renderEdit(w, r, http.StatusConflict, app, a, values, nil, registration.ErrConflict.Message)
		return
	}
	if action := values.Get("action"); action == actionUpload || action == actionAutofix {
		out := p.photoFromRequest(r, a, values.Get(form.FieldPhoto), action)
		var errs form.Errors
		if out.refusal != "" {
			errs.Add(form.FieldPhoto, out.refusal)
		} else {
			values.Set(form.FieldPhoto, out.key)
		}
		v, err := p.editView(ctx, app, a, values, errs, "")
		if err != nil {
			p.s.fail(w, r, err)
			return
		}
		if out.problems != nil { // the check of the bytes sent, not of their re-encoding
			v.PhotoOK, v.PhotoProblems = false, out.problems
		}
		v.PhotoNote = out.note
		p.s.render(w, r, out.httpStatus(), ApplicationEditPage(v))
		return
	}
	env, err := p.env(ctx, a)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	errs := validateInfo(values, env)
	key := values.Get(form.FieldPhoto)
	if key == "" {
		key = app.Photo
	}
	if rep, ok := env.PhotoReport(key); !ok {
		errs.Add(form.FieldPhoto, "照片无法读取,请重新上传")
	} else if !rep.OK() && key != app.Photo {
		errs.Add(form.FieldPhoto, "照片不符合要求,请使用“自动调整”或重新上传")
	}
	if errs.Len() > 0 {
		p.renderEdit(w, r, http.StatusUnprocessableEntity, app, a, values, errs, "")
		return
	}
	info, _ := form.Decode(values)
	info.Photo = key
	if err := app.Edit(info, env.Now); err != nil {
		p.renderEdit(w, r, http.StatusConflict, app, a, values, nil, userText(err))
		return
	}
	if err := p.backend().SaveApplication(ctx, app); err != nil {
		if errors.Is(err, registration.ErrConflict) {
			p.renderEdit(w, r, http.StatusConflict, app, a, values, nil, registration.ErrConflict.Message)
			return
		}
		p.s.fail(w, r, err)
		return
	}
	msg := "报名信息已修改。"
	if !app.PhotoChangedAt.IsZero() && app.PhotoChangedAt.Equal(env.Now) {
		msg += "照片已更换,申请表请于 " + cstTime(app.FormReadyAt()) + " 后下载。"
	}
	p.s.setFlash(w, r, "ok", msg)
	p.s.redirect(w, r, "/platform/applications/"+app.Number)
}

func (p *registrationPages) applicationWithdrawPage(w http.ResponseWriter, r *http.Request) {
	app, _ := p.ownApplication(w, r)
	if app == nil {
		return
	}
	p.s.render(w, r, http.StatusOK, WithdrawPage(app.Number, app.Status.String(), registration.CanTransition(app.Status, registration.StatusWithdrawn, registration.ActorApplicant)))
}

// applicationWithdraw is 撤回 (only while 网报待确认).
func (p *registrationPages) applicationWithdraw(w http.ResponseWriter, r *http.Request) {
	app, _ := p.ownApplication(w, r)
	if app == nil {
		return
	}
	if err := app.Transition(registration.StatusWithdrawn, registration.ActorApplicant, p.s.now(), "申请人撤回"); err != nil {
		p.s.render(w, r, http.StatusConflict, ApplicationMessagePage("撤回报名", userText(err), app.Number))
		return
	}
	if err := p.backend().SaveApplication(r.Context(), app); err != nil {
		if errors.Is(err, registration.ErrConflict) {
			p.s.render(w, r, http.StatusConflict, ApplicationMessagePage("撤回报名", registration.ErrConflict.Message, app.Number))
			return
		}
		p.s.fail(w, r, err)
		return
	}
	p.s.setFlash(w, r, "ok", "报名 "+app.Number+" 已撤回。")
	p.s.redirect(w, r, "/platform/applications")
}

// messageRow is one 留言.
type messageRow struct {
	From, At, Text string
	Unread         bool
}

func (p *registrationPages) applicationMessages(w http.ResponseWriter, r *http.Request) {
	app, _ := p.ownApplication(w, r)
	if app == nil {
		return
	}
	var rows []messageRow
	for _, m := range app.Messages {
		rows = append(rows, messageRow{From: m.From.String(), At: m.At.In(registration.CST).Format("2006-01-02 15:04:05"), Text: m.Text, Unread: !m.Read && m.From != registration.ActorApplicant})
	}
	p.s.render(w, r, http.StatusOK, MessagesPage(app.Number, rows))
}

// applicationMessagesRead is a click on 有留言: the messages are marked read, then shown.
func (p *registrationPages) applicationMessagesRead(w http.ResponseWriter, r *http.Request) {
	app, _ := p.ownApplication(w, r)
	if app == nil {
		return
	}
	if app.MarkRead() {
		if err := p.backend().SaveApplication(r.Context(), app); err != nil && !errors.Is(err, registration.ErrConflict) {
			p.s.fail(w, r, err)
			return
		}
	}
	p.s.redirect(w, r, "/platform/applications/"+app.Number+"/messages")
}

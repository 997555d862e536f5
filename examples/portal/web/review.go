package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// The reviewer console (审核端) under /review: confirmation points confirm, authorities conclude,
// administrators keep the catalogue and the 限制库. See review_auth.go for the staff login and
// review_store.go for what it stores.
//
// Who sees what: a confirmation point's staff only the applications made at their point, an
// authority's staff only those made to their authority; any other application URL answers 404,
// as does every /review URL for a logged-in applicant. An anonymous GET is sent to /review/login
// and any other anonymous request gets 404.

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		c := newReviewConsole(s)
		staff := []store.StaffRole{store.RoleConfirmationPoint, store.RoleAuthority, store.RoleAdmin}
		reviewers := []store.StaffRole{store.RoleConfirmationPoint, store.RoleAuthority}
		rt.Handle("GET /review/login", c.notForApplicants(c.loginPage))
		rt.Handle("POST /review/login", c.notForApplicants(c.loginSubmit))
		rt.Handle("GET /review/login/totp", c.notForApplicants(c.totpPage))
		rt.Handle("POST /review/login/totp", c.notForApplicants(c.totpSubmit))
		rt.Handle("GET /review/login/totp/qr.png", c.notForApplicants(c.totpQR))
		rt.Handle("POST /review/logout", c.notForApplicants(c.logout))
		rt.Handle("GET /review", c.staffOnly(c.home, staff...))
		rt.Handle("GET /review/", c.staffOnly(c.s.notFound, staff...))
		rt.Handle("GET /review/queue", c.staffOnly(c.queue, reviewers...))
		rt.Handle("POST /review/search", c.staffOnly(c.search, reviewers...))
		rt.Handle("POST /review/confirm", c.staffOnly(c.confirm, store.RoleConfirmationPoint))
		rt.Handle("GET /review/applications/{number}", c.staffOnly(c.detail, reviewers...))
		rt.Handle("GET /review/applications/{number}/photo", c.staffOnly(c.photo, reviewers...))
		rt.Handle("POST /review/applications/{number}/message", c.staffOnly(c.message, reviewers...))
		rt.Handle("POST /review/applications/{number}/decide", c.staffOnly(c.decide, store.RoleAuthority))
		rt.Handle("POST /review/applications/{number}/cycle", c.staffOnly(c.saveCycle, store.RoleAuthority))
		rt.Handle("POST /review/cycle/import", c.staffOnly(c.importCycles, store.RoleAuthority), BodyLimit(cycleCSVLimit+8<<10))
		c.adminRoutes(rt)
	})
}

// home sends each role to its first page.
func (c *reviewConsole) home(w http.ResponseWriter, r *http.Request) {
	st, _ := currentStaff(r.Context())
	if st.Role == store.RoleAdmin {
		http.Redirect(w, r, "/review/admin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/review/queue", http.StatusSeeOther)
}

// staffBar is the console's header line: who is logged in, their scope, and 退出.
type staffBar struct {
	Name, Role, Scope string
	Admin             bool
}

func (c *reviewConsole) bar(ctx context.Context, st store.Staff) staffBar {
	b := staffBar{Name: st.Name, Role: st.Role.String(), Admin: st.Role == store.RoleAdmin}
	if cat, err := c.apps().Catalogue(ctx); err == nil {
		switch st.Role {
		case store.RoleConfirmationPoint:
			if p, ok := cat.Point(st.PointID); ok {
				b.Scope = p.Name
			}
		case store.RoleAuthority:
			if a, ok := cat.Authority(st.AuthorityID); ok {
				b.Scope = a.Name
			}
		}
	}
	return b
}

// reviewInScope reports whether st may see application a.
func reviewInScope(st store.Staff, a *registration.Application) bool {
	switch st.Role {
	case store.RoleConfirmationPoint:
		return st.PointID != "" && a.ConfirmationPointID == st.PointID
	case store.RoleAuthority:
		return st.AuthorityID != "" && a.AuthorityID == st.AuthorityID
	}
	return false
}

// reviewScopeFilter is the filter of everything st may see.
func reviewScopeFilter(st store.Staff) ReviewFilter {
	switch st.Role {
	case store.RoleConfirmationPoint:
		return ReviewFilter{PointID: st.PointID}
	case store.RoleAuthority:
		return ReviewFilter{AuthorityID: st.AuthorityID}
	}
	return ReviewFilter{PointID: "\x00none"}
}

// reviewItem is an application with its applicant's identity.
type reviewItem struct {
	App       *registration.Application
	Name      string
	DocType   account.DocType
	DocNumber string
}

// applications lists the applications matching f whose number, document number or name equals
// search ("" matches all), oldest submission first, through the store's queue query.
func (c *reviewConsole) applications(ctx context.Context, f ReviewFilter, search string) ([]reviewItem, error) {
	const page = 500
	qq := store.QueueQuery{PointID: f.PointID, AuthorityID: f.AuthorityID, Search: search, Limit: page}
	if f.Status != 0 {
		qq.Statuses = []registration.Status{f.Status}
	}
	var out []reviewItem
	for {
		items, err := c.s.cfg.Store.Queue(ctx, qq)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if f.Match(it.Application) {
				out = append(out, reviewItem{App: it.Application, Name: it.Name, DocType: it.DocType, DocNumber: it.DocNumber})
			}
		}
		if len(items) < page || (f.Max > 0 && len(out) >= f.Max) {
			break
		}
		qq.Offset += page
	}
	if f.Max > 0 && len(out) > f.Max {
		out = out[:f.Max]
	}
	return out, nil
}

// reviewQueueMax bounds the rows of one queue page or search (the oldest submissions first);
// the export has no bound.
const reviewQueueMax = 500

// reviewAppRow is one line of a queue.
type reviewAppRow struct {
	Number, Name, Certificate, Stage, Submitted, Status, Badge string
	Version                                                    int64
	Pending                                                    bool
}

// reviewQueueView is the queue and search page's model.
type reviewQueueView struct {
	Bar      staffBar
	Title    string
	Query    string
	Searched bool
	Status   registration.Status
	Rows     []reviewAppRow
	// Confirmable: the rows carry checkboxes and the page a 确认 button (confirmation points).
	Confirmable bool
	// CanImport: the page offers the cycle-record CSV import (authorities).
	CanImport bool
	// Truncated: only the first reviewQueueMax applications are listed.
	Truncated bool
	Error     string
}

// reviewQueueStatus is the status a role's queue lists by default.
func reviewQueueStatus(st store.Staff) registration.Status {
	if st.Role == store.RoleConfirmationPoint {
		return registration.StatusPending
	}
	return registration.StatusConfirmed
}

func (c *reviewConsole) queue(w http.ResponseWriter, r *http.Request) {
	st, _ := currentStaff(r.Context())
	status := reviewQueueStatus(st)
	if q := r.URL.Query().Get("status"); q != "" {
		parsed, err := registration.ParseStatus(q)
		if err != nil {
			c.s.notFound(w, r)
			return
		}
		status = parsed
	}
	f := reviewScopeFilter(st)
	f.Status = status
	f.Max = reviewQueueMax
	apps, err := c.applications(r.Context(), f, "")
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	v := c.reviewQueueView(r.Context(), st, apps)
	v.Status = status
	v.Title = "待处理报名:" + status.String()
	c.s.render(w, r, http.StatusOK, ReviewQueuePage(v))
}

func (c *reviewConsole) reviewQueueView(ctx context.Context, st store.Staff, items []reviewItem) reviewQueueView {
	v := reviewQueueView{Bar: c.bar(ctx, st), Confirmable: st.Role == store.RoleConfirmationPoint, CanImport: st.Role == store.RoleAuthority}
	v.Truncated = len(items) >= reviewQueueMax
	for _, it := range items {
		a := it.App
		v.Rows = append(v.Rows, reviewAppRow{
			Number: a.Number, Name: it.Name, Certificate: a.Certificate.String(), Stage: a.Stage.String(),
			Submitted: a.SubmittedAt.In(registration.CST).Format("2006-01-02 15:04"), Status: a.Status.String(),
			Badge: a.MessageBadge(), Version: a.Version, Pending: a.Status == registration.StatusPending,
		})
	}
	return v
}

// account returns the applicant's account of a.
func (c *reviewConsole) account(ctx context.Context, a *registration.Application) (account.Account, error) {
	id, err := strconv.ParseInt(a.AccountID, 10, 64)
	if err != nil {
		return account.Account{}, errNotFound
	}
	return c.s.cfg.Store.AccountByID(ctx, id)
}

// search finds applications in the staff member's scope by name (contains), document number or
// application number (exact). It is a POST so that no ID number ever lands in a URL or a log.
func (c *reviewConsole) search(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	q := strings.TrimSpace(r.PostFormValue("q"))
	v := reviewQueueView{Bar: c.bar(ctx, st), Query: q, Searched: true, Title: "查询结果"}
	if q == "" {
		v.Error = "请输入姓名、证件号码或报名号"
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewQueuePage(v))
		return
	}
	sf := reviewScopeFilter(st)
	sf.Max = reviewQueueMax
	found, err := c.applications(ctx, sf, q)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	v2 := c.reviewQueueView(ctx, st, found)
	v2.Query, v2.Searched, v2.Title = q, true, "查询结果"
	c.s.render(w, r, http.StatusOK, ReviewQueuePage(v2))
}

// loadApp returns the application named in the path if st may see it; errNotFound otherwise.
// openApp loads the application of the URL for the signed-in staff member; false when it has
// answered already (404 outside the member's scope, or an error page).
func (c *reviewConsole) openApp(w http.ResponseWriter, r *http.Request) (store.Staff, *registration.Application, bool) {
	st, _ := currentStaff(r.Context())
	a, err := c.loadApp(r, st)
	if err != nil {
		c.s.fail(w, r, err)
		return st, nil, false
	}
	return st, a, true
}

func (c *reviewConsole) loadApp(r *http.Request, st store.Staff) (*registration.Application, error) {
	number := r.PathValue("number")
	if _, err := registration.ParseApplicationNumber(number); err != nil {
		return nil, errNotFound
	}
	a, err := c.apps().Application(r.Context(), number)
	if isNotFound(err) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if !reviewInScope(st, a) {
		return nil, errNotFound
	}
	return a, nil
}

// reviewHistoryRow is one line of the history (办理记录).
type reviewHistoryRow struct {
	At, Actor, From, To, Note, Staff string
}

// reviewDetailView is the staff detail page's model.
type reviewDetailView struct {
	Bar                       staffBar
	Number, Status            string
	StatusCode                registration.Status
	Version                   int64
	Name, DocType, DocNumber  string
	Authority, Point, Window  string
	PhotoURL                  string
	PhotoProblems             []string
	PhotoSize                 string
	FormRows                  []form.Row
	FormError                 string
	Certificate               []form.Row
	Messages                  []reviewMessageRow
	History                   []reviewHistoryRow
	CanConfirm, CanDecide     bool
	CanMessage, CanCycle      bool
	Cycle                     reviewCycleView
	Assessment                *registration.Assessment
	Decision                  reviewDecisionForm
	MessageText, MessageError string
	Conflict                  string
}

// reviewMessageRow is one 留言 as staff see it.
type reviewMessageRow struct {
	From, At, Text string
	Read           bool
}

// reviewDecisionForm is the authority's decision form (kept across a failed or conflicting post).
type reviewDecisionForm struct {
	Conclusion, Note string
	Errs             []string
}

func (c *reviewConsole) detail(w http.ResponseWriter, r *http.Request) {
	st, a, ok := c.openApp(w, r)
	if !ok {
		return
	}
	v, err := c.reviewDetailView(r.Context(), st, a)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.render(w, r, http.StatusOK, ReviewDetailPage(v))
}

func (c *reviewConsole) reviewDetailView(ctx context.Context, st store.Staff, a *registration.Application) (reviewDetailView, error) {
	v := reviewDetailView{
		Bar: c.bar(ctx, st), Number: a.Number, Status: a.Status.String(), StatusCode: a.Status, Version: a.Version,
		CanConfirm: st.Role == store.RoleConfirmationPoint && registration.CanTransition(a.Status, registration.StatusConfirmed, registration.ActorConfirmationPoint),
		CanDecide:  st.Role == store.RoleAuthority && a.Status == registration.StatusConfirmed,
		CanMessage: st.Role == store.RoleConfirmationPoint || st.Role == store.RoleAuthority,
		CanCycle:   st.Role == store.RoleAuthority,
	}
	acc, err := c.account(ctx, a)
	if err != nil && !isNotFound(err) && !errors.Is(err, account.ErrNotFound) {
		return v, err
	}
	v.Name, v.DocType, v.DocNumber = acc.Name, acc.DocType.String(), acc.DocNumber
	b := c.apps()
	cat, err := b.Catalogue(ctx)
	if err != nil {
		return v, err
	}
	auth, _ := cat.Authority(a.AuthorityID)
	point, _ := cat.Point(a.ConfirmationPointID)
	v.Authority, v.Point = auth.Name, point.Name
	if win, ok := cat.Window(a.WindowID); ok {
		v.Window = win.Stage.String() + " " + win.Opens.In(registration.CST).Format("2006-01-02") + " 至 " + win.Closes.In(registration.CST).Format("2006-01-02")
	}
	if a.Photo != "" {
		if data, err := b.Photo(ctx, acc.ID, a.Photo); err == nil {
			v.PhotoURL = "/review/applications/" + a.Number + "/photo"
			rep := photo.Registration.Check(data)
			v.PhotoSize = strconv.Itoa(rep.Width) + "×" + strconv.Itoa(rep.Height) + " 像素," + strconv.FormatInt((rep.Bytes+1023)/1024, 10) + "KB"
			for _, p := range rep.Problems {
				v.PhotoProblems = append(v.PhotoProblems, p.Message)
			}
		}
	}
	cert := c.certificateOf(ctx, acc, a)
	v.Certificate = []form.Row{
		{Label: "证书号码", Value: a.Certificate.String()}, {Label: "资格种类", Value: a.Kind.String()},
		{Label: "任教学科", Value: cert.Subject}, {Label: "认定机构", Value: cert.Authority},
	}
	if !cert.Issued.IsZero() {
		v.Certificate = append(v.Certificate, form.Row{Label: "证书签发日期", Value: cert.Issued.In(registration.CST).Format("2006-01-02")})
	}
	af, err := form.NewApplicationForm(formApplicant(acc), cert, a.Info, form.Submission{
		Authority: auth.Name, ConfirmationPoint: point.Name, ApplicationNumber: a.Number, Submitted: form.DateOf(a.SubmittedAt.In(registration.CST)),
	})
	if err != nil {
		v.FormError = "申请表生成失败:" + err.Error()
	} else {
		v.FormRows = af.Rows()
	}
	for _, m := range a.Messages {
		v.Messages = append(v.Messages, reviewMessageRow{From: m.From.String(), At: m.At.In(registration.CST).Format("2006-01-02 15:04"), Text: m.Text, Read: m.Read})
	}
	history, err := c.s.cfg.Store.ApplicationHistory(ctx, a.Number)
	if err != nil {
		return v, err
	}
	for _, e := range history {
		h := reviewHistoryRow{At: e.At.In(registration.CST).Format("2006-01-02 15:04:05"), Actor: e.Actor.String(), To: e.To.String(), Note: e.Note, Staff: e.ActorName}
		if e.From.Valid() {
			h.From = e.From.String()
		}
		v.History = append(v.History, h)
	}
	v.History = reviewHistoryWithMessages(history, v.History, a.Messages)
	if st.Role == store.RoleAuthority {
		rec, err := c.s.cfg.Store.CycleRecord(ctx, a.Certificate)
		ok := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return v, err
		}
		v.Cycle = reviewCycleViewOf(rec, ok)
		if ok {
			as := registration.Assess(rec)
			v.Assessment = &as
			v.Decision.Conclusion = strconv.Itoa(int(as.Conclusion))
		}
	}
	return v, nil
}

// certificateOf returns the certificate of the application (synced, or added by hand).
func (c *reviewConsole) certificateOf(ctx context.Context, acc account.Account, a *registration.Application) certificate.Certificate {
	if a.ManualCertificate != nil {
		return *a.ManualCertificate
	}
	certs, _ := c.apps().AccountCertificates(ctx, acc)
	for _, ct := range certs {
		if ct.Number == a.Certificate {
			return ct
		}
	}
	return certificate.Certificate{Number: a.Certificate, Kind: a.Kind}
}

func (c *reviewConsole) photo(w http.ResponseWriter, r *http.Request) {
	_, a, ok := c.openApp(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(a.AccountID, 10, 64)
	data, err := c.apps().Photo(r.Context(), id, a.Photo)
	if isNotFound(err) || a.Photo == "" {
		c.s.notFound(w, r)
		return
	}
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(data)
}

// reviewConflictMessage is what a person sees when someone else changed the application first.
const reviewConflictMessage = "该报名信息刚刚被他人修改(例如已被确认或已作出结论),您的操作未保存。下方已保留您填写的内容,请核对最新信息后重新提交。"

// change applies fn to the application at the posted version and saves it, recording the staff
// member's username with every status change in the store's audit trail. It returns errConflict when the application changed since the page was shown
// (version mismatch, or the store's optimistic lock).
func (c *reviewConsole) change(ctx context.Context, st store.Staff, a *registration.Application, version int64, note string, fn func(*registration.Application) error) error {
	if version != a.Version {
		return registration.ErrConflict
	}
	if err := fn(a); err != nil {
		return err
	}
	return c.s.cfg.Store.SaveApplicationAs(ctx, a, st.Username)
}

func reviewIsConflict(err error) bool {
	return errors.Is(err, registration.ErrConflict) || errors.Is(err, store.ErrConflict)
}

// confirm moves one or many 网报待确认 applications of the point to 已确认. Each checked number
// carries the version the page showed ("v_<number>"); an application changed since is left
// alone and named in the answer.
func (c *reviewConsole) confirm(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	numbers := r.PostForm["number"]
	if len(numbers) == 0 {
		c.s.setFlash(w, r, "warn", "请先勾选要确认的报名信息。")
		c.s.redirect(w, r, "/review/queue")
		return
	}
	if len(numbers) > 200 {
		c.s.errorPage(w, r, http.StatusBadRequest, "一次最多确认 200 条报名信息。")
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if note == "" {
		note = "现场确认通过"
	}
	// Every number must be this point's before anything changes: one foreign or unknown number
	// answers 404 for the whole post.
	apps := make([]*registration.Application, len(numbers))
	for i, n := range numbers {
		r2 := r.Clone(ctx)
		r2.SetPathValue("number", n)
		a, err := c.loadApp(r2, st)
		if err != nil {
			c.s.fail(w, r, err)
			return
		}
		apps[i] = a
	}
	var done, conflicts []string
	for _, a := range apps {
		n := a.Number
		version, _ := strconv.ParseInt(r.PostFormValue("v_"+n), 10, 64)
		err := c.change(ctx, st, a, version, note, func(a *registration.Application) error {
			return a.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, c.s.now(), note)
		})
		switch {
		case err == nil:
			done = append(done, n)
		case reviewIsConflict(err), errors.Is(err, registration.ErrTransitionNotAllowed):
			conflicts = append(conflicts, n)
		default:
			c.s.fail(w, r, err)
			return
		}
	}
	msg := "已确认 " + strconv.Itoa(len(done)) + " 条报名信息。"
	kind := "ok"
	if len(conflicts) > 0 {
		kind = "warn"
		msg += "以下报名信息已被他人修改,未作更改,请核对后重试:" + strings.Join(conflicts, "、")
	}
	c.s.setFlash(w, r, kind, msg)
	target := "/review/queue"
	if len(numbers) == 1 && r.PostFormValue("from") == "detail" {
		target = "/review/applications/" + numbers[0]
	}
	c.s.redirect(w, r, target)
}

// decide records the authority's conclusion (注册合格 / 暂缓注册 / 注册不合格) with a note, or
// returns the application to 网报待确认 (调整注册结论).
func (c *reviewConsole) decide(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, a, ok := c.openApp(w, r)
	if !ok {
		return
	}
	d := reviewDecisionForm{Conclusion: r.PostFormValue("conclusion"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	to, perr := registration.ParseStatus(d.Conclusion)
	switch {
	case perr != nil || !slices.Contains([]registration.Status{registration.StatusQualified, registration.StatusDeferred, registration.StatusUnqualified, registration.StatusPending}, to):
		d.Errs = append(d.Errs, "请选择注册结论")
	case to != registration.StatusQualified && d.Note == "":
		d.Errs = append(d.Errs, "请填写说明(暂缓注册、注册不合格和调整注册结论须写明原因)")
	}
	if len([]rune(d.Note)) > 500 {
		d.Errs = append(d.Errs, "说明不能超过500字")
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	status := http.StatusUnprocessableEntity
	conflict := ""
	if len(d.Errs) == 0 {
		note := d.Note
		if note == "" {
			note = "注册合格"
		}
		err := c.change(ctx, st, a, version, note, func(a *registration.Application) error {
			return a.Transition(to, registration.ActorAuthority, c.s.now(), note)
		})
		switch {
		case err == nil:
			msg := "已将注册结论设为“" + to.String() + "”。"
			if to == registration.StatusPending {
				msg = "已将注册结论调整为“网报待确认”,申请人可修改报名信息。"
			}
			c.s.setFlash(w, r, "ok", msg)
			c.s.redirect(w, r, "/review/applications/"+a.Number)
			return
		case reviewIsConflict(err):
			status, conflict = http.StatusConflict, reviewConflictMessage
		case errors.Is(err, registration.ErrTransitionNotAllowed):
			d.Errs = append(d.Errs, err.Error())
		default:
			c.s.fail(w, r, err)
			return
		}
	}
	c.rerender(w, r, st, status, func(v *reviewDetailView) { v.Decision, v.Conflict = d, conflict })
}

// rerender shows the detail page again, freshly loaded, with the posted values kept by edit.
func (c *reviewConsole) rerender(w http.ResponseWriter, r *http.Request, st store.Staff, status int, edit func(*reviewDetailView)) {
	a, err := c.loadApp(r, st)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	v, err := c.reviewDetailView(r.Context(), st, a)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	edit(&v)
	c.s.render(w, r, status, ReviewDetailPage(v))
}

// message leaves a 留言 the applicant sees (有留言 in the list).
func (c *reviewConsole) message(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, a, ok := c.openApp(w, r)
	if !ok {
		return
	}
	text := r.PostFormValue("text")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err := c.change(ctx, st, a, version, "", func(a *registration.Application) error {
		return a.AddMessage(reviewStaffActor(st), c.s.now(), text)
	})
	switch {
	case err == nil:
		c.s.setFlash(w, r, "ok", "留言已发送,申请人登录后可以看到。")
		c.s.redirect(w, r, "/review/applications/"+a.Number)
		return
	case reviewIsConflict(err):
		c.rerender(w, r, st, http.StatusConflict, func(v *reviewDetailView) { v.MessageText, v.Conflict = text, reviewConflictMessage })
	default:
		var re *registration.Error
		if errors.As(err, &re) {
			c.rerender(w, r, st, http.StatusUnprocessableEntity, func(v *reviewDetailView) { v.MessageText, v.MessageError = text, re.Message })
			return
		}
		c.s.fail(w, r, err)
	}
}

// reviewCstDate formats t as a CST date.
func reviewCstDate(t time.Time) string { return t.In(registration.CST).Format("2006-01-02") }

package web

import (
	"context"
	"encoding/csv"
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/templates"
)

// The administrator's pages (系统管理): authorities, confirmation points and windows (create,
// edit, close early), the 限制库, and the CSV export of a batch (one window's applications).

func (c *reviewConsole) adminRoutes(rt *Router) {
	admin := func(h http.HandlerFunc) http.HandlerFunc { return c.staffOnly(h, store.RoleAdmin) }
	rt.Handle("GET /review/admin", admin(c.adminPage))
	rt.Handle("POST /review/admin/authorities", admin(c.saveAuthority))
	rt.Handle("POST /review/admin/cities", admin(c.addCity))
	rt.Handle("POST /review/admin/points", admin(c.savePoint))
	rt.Handle("POST /review/admin/windows", admin(c.saveWindow))
	rt.Handle("POST /review/admin/windows/{id}/close", admin(c.closeWindow))
	rt.Handle("GET /review/admin/restrictions", admin(c.restrictionsPage))
	rt.Handle("POST /review/admin/restrictions", admin(c.addRestriction))
	rt.Handle("POST /review/admin/restrictions/{id}/lift", admin(c.liftRestriction))
	rt.Handle("GET /review/admin/audit", admin(c.auditPage))
	rt.Handle("POST /review/admin/staff/unlock", admin(c.unlockStaff))
	rt.Handle("GET /review/admin/export", admin(c.export))
}

// catalogue is the store's catalogue writer with every change audited for the staff member
// signed in (the administrator's handlers write the catalogue only through it).
func (c *reviewConsole) catalogue(ctx context.Context) auditedCatalogue {
	by, _ := currentStaff(ctx)
	return auditedCatalogue{st: c.s.cfg.Store, by: by}
}

// reviewAdminView is the administrator's page model.
type reviewAdminView struct {
	Bar         staffBar
	Authorities []registration.Authority
	Points      []registration.ConfirmationPoint
	Windows     []reviewWindowAdminRow
	Provinces   []registration.Province
	Cities      []registration.City
	Auth        registration.Authority
	Point       registration.ConfirmationPoint
	Window      reviewWindowAdminRow
	Errors      []string
	Section     string
	// NewCity keeps the add-city form on an error.
	NewCity registration.City
	// UnlockUsername and UnlockNote keep the staff-unlock form on an error.
	UnlockUsername, UnlockNote string
}

// reviewWindowAdminRow is a window as the administrator sees and edits it (dates in CST).
type reviewWindowAdminRow struct {
	ID, AuthorityID, Authority, Stage, Opens, Closes string
	StageCode                                        string
	Open, Closed                                     bool
}

func (c *reviewConsole) reviewAdminView(ctx context.Context, st store.Staff) (reviewAdminView, error) {
	cat, err := c.apps().Catalogue(ctx)
	if err != nil {
		return reviewAdminView{}, err
	}
	now := c.s.now()
	v := reviewAdminView{Bar: c.bar(ctx, st), Authorities: cat.Authorities, Points: cat.Points, Provinces: cat.Provinces, Cities: cat.Cities}
	for _, w := range cat.Windows {
		v.Windows = append(v.Windows, reviewWindowRowOf(cat, w, now))
	}
	return v, nil
}

func reviewWindowRowOf(cat *registration.Catalogue, w registration.Window, now time.Time) reviewWindowAdminRow {
	a, _ := cat.Authority(w.AuthorityID)
	last := w.Closes.Add(-time.Nanosecond)
	return reviewWindowAdminRow{ID: w.ID, AuthorityID: w.AuthorityID, Authority: a.Name, Stage: w.Stage.String(), StageCode: strconv.Itoa(int(w.Stage)),
		Opens: reviewCstDate(w.Opens), Closes: reviewCstDate(last), Open: w.Check(now) == nil, Closed: !now.Before(w.Closes)}
}

func (c *reviewConsole) adminPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	v, err := c.reviewAdminView(ctx, st)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	cat, _ := c.apps().Catalogue(ctx)
	if id := q.Get("authority"); id != "" {
		v.Auth, _ = cat.Authority(id)
		v.Section = "authority"
	}
	if id := q.Get("point"); id != "" {
		v.Point, _ = cat.Point(id)
		v.Section = "point"
	}
	if id := q.Get("window"); id != "" {
		if win, ok := cat.Window(id); ok {
			v.Window = reviewWindowRowOf(cat, win, c.s.now())
		}
		v.Section = "window"
	}
	c.s.render(w, r, http.StatusOK, ReviewAdminPage(v))
}

// adminDone redirects after a successful change, or shows the page again with the errors and
// the posted values.
func (c *reviewConsole) adminDone(w http.ResponseWriter, r *http.Request, err error, msg string, keep func(*reviewAdminView)) {
	if err == nil {
		c.s.setFlash(w, r, "ok", msg)
		c.s.redirect(w, r, "/review/admin")
		return
	}
	var msgs reviewAdminErrors
	var re *registration.Error
	switch {
	case errors.As(err, &msgs):
	case errors.As(err, &re):
		msgs = reviewAdminErrors{re.Message}
	default:
		c.s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	v, verr := c.reviewAdminView(ctx, st)
	if verr != nil {
		c.s.fail(w, r, verr)
		return
	}
	v.Errors = msgs
	keep(&v)
	c.s.render(w, r, http.StatusUnprocessableEntity, ReviewAdminPage(v))
}

// reviewAdminErrors are the zh-CN problems of an administrator's form.
type reviewAdminErrors []string

func (e reviewAdminErrors) Error() string { return strings.Join(e, ";") }

func reviewAdminInput(msgs ...string) error { return reviewAdminErrors(msgs) }

func (c *reviewConsole) saveAuthority(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	a := registration.Authority{ID: f.Get("id"), Name: f.Get("name"), Province: f.Get("province"), City: f.Get("city"),
		Stages: slices.Clone(registration.Stages), Kinds: certificate.Kinds()}
	keep := func(v *reviewAdminView) { v.Auth, v.Section = a, "authority" }
	var errs []string
	if !reviewValidCatalogueID(a.ID) {
		errs = append(errs, "机构代码只能由字母、数字或短横线组成(不超过 32 位);新增时留空")
	}
	if a.Name == "" {
		errs = append(errs, "请填写机构名称")
	}
	if a.City == "" {
		errs = append(errs, "请选择城市")
	}
	if len(errs) > 0 {
		c.adminDone(w, r, reviewAdminInput(errs...), "", keep)
		return
	}
	cat, err := c.apps().Catalogue(ctx)
	if err == nil {
		if old, ok := cat.Authority(a.ID); ok {
			a.Stages, a.Kinds = old.Stages, old.Kinds
		}
		_, err = c.catalogue(ctx).SaveAuthority(ctx, a)
	}
	c.adminDone(w, r, err, "注册机构“"+a.Name+"”已保存。", keep)
}

// addCity adds a city (地级行政区) to the catalogue by its GB/T 2260 code, audited: a
// deployment without the demo dataset starts with the reference list, which has a few cities
// per province.
func (c *reviewConsole) addCity(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	city := registration.City{Province: f.Get("province"), Code: f.Get("code"), Name: f.Get("name")}
	keep := func(v *reviewAdminView) { v.NewCity, v.Section = city, "authority" }
	cat, err := c.apps().Catalogue(ctx)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	var errs []string
	prov, provOK := "", false
	for _, p := range cat.Provinces {
		if p.Code == city.Province {
			prov, provOK = p.Name, true
		}
	}
	switch {
	case !provOK:
		errs = append(errs, "请选择省份")
	case len(city.Code) != 6 || strings.Trim(city.Code, "0123456789") != "" || city.Code[:2] != city.Province || city.Code[2:] == "0000":
		errs = append(errs, "行政区划代码应为6位数字,前两位为所选省份的代码(如 440300)")
	}
	if n := len([]rune(city.Name)); n == 0 || n > 32 {
		errs = append(errs, "请填写城市名称(不超过32个字)")
	}
	for _, existing := range cat.Cities {
		if len(errs) == 0 && existing.Code == city.Code {
			errs = append(errs, "行政区划代码 "+city.Code+" 已有城市“"+existing.Name+"”")
		}
	}
	if len(errs) > 0 {
		c.adminDone(w, r, reviewAdminInput(errs...), "", keep)
		return
	}
	a := c.catalogue(ctx)
	err = c.s.cfg.Store.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		if err := tx.AddCity(ctx, city); err != nil {
			return store.AdminAuditEntry{}, err
		}
		return a.entry(auditCityCreate, "城市 "+city.Code, "", prov+" "+city.Name, ""), nil
	})
	if errors.Is(err, store.ErrDuplicate) {
		err = reviewAdminInput("行政区划代码 " + city.Code + " 已有城市")
	}
	c.adminDone(w, r, err, "城市“"+city.Name+"”已添加。", keep)
}

func (c *reviewConsole) savePoint(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	p := registration.ConfirmationPoint{ID: f.Get("id"), AuthorityID: f.Get("authority"), Name: f.Get("name"),
		ScopeText: f.Get("scope"), Address: f.Get("address"), Notes: f.Get("notes")}
	keep := func(v *reviewAdminView) { v.Point, v.Section = p, "point" }
	var errs []string
	if !reviewValidCatalogueID(p.ID) {
		errs = append(errs, "确认点代码只能由字母、数字或短横线组成(不超过 32 位);新增时留空")
	}
	if p.AuthorityID == "" {
		errs = append(errs, "请选择注册机构")
	}
	if p.Name == "" {
		errs = append(errs, "请填写确认点名称")
	}
	if len(errs) > 0 {
		c.adminDone(w, r, reviewAdminInput(errs...), "", keep)
		return
	}
	cat, err := c.apps().Catalogue(ctx)
	if err == nil {
		if old, ok := cat.Point(p.ID); ok {
			p.Scope = old.Scope
		}
		_, err = c.catalogue(ctx).SaveConfirmationPoint(ctx, p)
	}
	c.adminDone(w, r, err, "确认点“"+p.Name+"”已保存。", keep)
}

// reviewParseCSTDate reads a 2006-01-02 date as midnight China Standard Time.
func reviewParseCSTDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), registration.CST)
	return t, err == nil
}

func (c *reviewConsole) saveWindow(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	row := reviewWindowAdminRow{ID: f.Get("id"), AuthorityID: f.Get("authority"), StageCode: f.Get("stage"), Opens: f.Get("opens"), Closes: f.Get("closes")}
	keep := func(v *reviewAdminView) { v.Window, v.Section = row, "window" }
	var errs []string
	if !reviewValidCatalogueID(row.ID) {
		errs = append(errs, "网报时间代码只能由字母、数字或短横线组成(不超过 32 位);新增时留空")
	}
	if row.AuthorityID == "" {
		errs = append(errs, "请选择注册机构")
	}
	stage, err := registration.ParseStage(row.StageCode)
	if err != nil {
		errs = append(errs, "请选择任教学段")
	}
	opens, ok1 := reviewParseCSTDate(row.Opens)
	last, ok2 := reviewParseCSTDate(row.Closes)
	if !ok1 || !ok2 {
		errs = append(errs, "请按 2026-03-01 的格式填写开始日期和截止日期")
	} else if last.Before(opens) {
		errs = append(errs, "截止日期不能早于开始日期")
	}
	if len(errs) > 0 {
		c.adminDone(w, r, reviewAdminInput(errs...), "", keep)
		return
	}
	win := registration.Window{ID: row.ID, AuthorityID: row.AuthorityID, Stage: stage, Opens: opens, Closes: last.AddDate(0, 0, 1)}
	_, err = c.catalogue(ctx).SaveWindow(ctx, win)
	c.adminDone(w, r, err, "网报时间已保存。", keep)
}

// closeWindow ends a window now (提前截止): applications are no longer taken from this moment.
func (c *reviewConsole) closeWindow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	now := c.s.now()
	cat, err := c.apps().Catalogue(ctx)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if _, ok := cat.Window(id); !ok {
		c.s.notFound(w, r)
		return
	}
	err = c.catalogue(ctx).CloseWindow(ctx, id, now)
	c.adminDone(w, r, err, "网报时间已提前截止。", func(*reviewAdminView) {})
}

// unlockStaff lifts the login lock of a staff user name (the throttle's hard cap, which no
// password reset clears for staff): the failures recorded for the name are forgotten, audited
// with the administrator's note and the lock as it was. A name that is not locked is refused
// (422, nothing audited). Client-address waits are left alone.
func (c *reviewConsole) unlockStaff(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	username, note := f.Get("username"), f.Get("note")
	keep := func(v *reviewAdminView) { v.UnlockUsername, v.UnlockNote = username, note }
	var errs reviewAdminErrors
	if username == "" {
		errs = append(errs, "请填写工作人员用户名")
	}
	if note == "" {
		errs = append(errs, "请填写核实情况")
	} else if len([]rune(note)) > 200 {
		errs = append(errs, "核实情况不能超过200个字")
	}
	if len(errs) == 0 {
		if _, err := c.s.cfg.Store.StaffByUsername(ctx, username); errors.Is(err, store.ErrNotFound) {
			errs = append(errs, "没有用户名为“"+username+"”的工作人员")
		} else if err != nil {
			c.s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		c.adminDone(w, r, errs, "", keep)
		return
	}
	a := c.catalogue(ctx)
	err := c.s.unlockStaffName(ctx, username, func(before string) store.AdminAuditEntry {
		return a.entry(auditStaffUnlock, "工作人员 "+username, before, "已解除", note)
	})
	if errors.Is(err, errNotLocked) {
		err = reviewAdminInput(errNotLocked.Error())
	}
	c.adminDone(w, r, err, "已解除工作人员“"+username+"”的登录锁定。", keep)
}

func reviewValidCatalogueID(id string) bool {
	if id == "" {
		return true
	}
	if len(id) > 32 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// reviewRestrictionView is the 限制库 page's model.
type reviewRestrictionView struct {
	Bar     staffBar
	Entries []reviewRestrictionRow
	Form    reviewRestrictionForm
	Errors  []string
}

type reviewRestrictionRow struct {
	DocType, DocNumber, Kind, Since, Until, Note string
	Active                                       bool
	// ID names the entry; Lifted, LiftedAt, LiftedBy and LiftNote describe its lifting (解除限制).
	ID, LiftedAt, LiftedBy, LiftNote string
	Lifted                           bool
	// LiftDraft is the reason typed for a lift that was refused, shown again in its form.
	LiftDraft string
}

type reviewRestrictionForm struct {
	DocType, DocNumber, Kind, Since, Note string
}

func (c *reviewConsole) reviewRestrictionView(ctx context.Context, st store.Staff) (reviewRestrictionView, error) {
	list, err := c.s.cfg.Store.ListRestrictions(ctx, 500)
	if err != nil {
		return reviewRestrictionView{}, err
	}
	v := reviewRestrictionView{Bar: c.bar(ctx, st), Form: reviewRestrictionForm{DocType: account.DocResidentID.Code()}}
	now := c.s.now()
	names := map[int64]string{}
	for _, e := range list {
		row := reviewRestrictionRow{DocType: e.DocType.String(), DocNumber: e.DocNumber, Kind: e.Kind.String(),
			Since: reviewCstDate(e.Since), Note: e.Note, Active: e.Active(now), Until: "终身"}
		if u, ok := e.Until(); ok {
			row.Until = reviewCstDate(u)
		}
		c.restrictionLift(ctx, &row, e, names)
		v.Entries = append(v.Entries, row)
	}
	return v, nil
}

func (c *reviewConsole) restrictionsPage(w http.ResponseWriter, r *http.Request) {
	st, _ := currentStaff(r.Context())
	v, err := c.reviewRestrictionView(r.Context(), st)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.render(w, r, http.StatusOK, ReviewRestrictionsPage(v))
}

// addRestriction records a 限制库 entry in the store, where the submission gate reads it.
func (c *reviewConsole) addRestriction(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	f := newForm(r)
	form := reviewRestrictionForm{DocType: f.Get("doc_type"), DocNumber: f.Get("doc_number"), Kind: f.Get("kind"), Since: f.Get("since"), Note: f.Get("note")}
	var errs []string
	docType, err := account.ParseDocType(form.DocType)
	if err != nil {
		errs = append(errs, "请选择证件类型")
	}
	canonical := ""
	if err == nil {
		if canonical, err = account.ValidateDocumentAt(docType, form.DocNumber, c.s.now()); err != nil {
			errs = append(errs, "证件号码:"+reviewUserMessageOr(err, "证件号码无效"))
		}
	}
	kind, err := registration.ParseRestrictionKind(form.Kind)
	if err != nil {
		errs = append(errs, "请选择限制类型")
	}
	since, ok := reviewParseCSTDate(form.Since)
	if !ok {
		errs = append(errs, "请按 2026-03-01 的格式填写生效日期")
	}
	if len([]rune(form.Note)) > 500 {
		errs = append(errs, "备注不能超过500字")
	}
	if len(errs) > 0 {
		v, verr := c.reviewRestrictionView(ctx, st)
		if verr != nil {
			c.s.fail(w, r, verr)
			return
		}
		v.Form, v.Errors = form, errs
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewRestrictionsPage(v))
		return
	}
	res := registration.Restriction{Kind: kind, Since: since, Note: form.Note}
	if err := c.addRestrictionAudited(ctx, st, store.RestrictionEntry{DocType: docType, DocNumber: canonical, Restriction: res}); err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.setFlash(w, r, "ok", "已加入限制库。")
	c.s.redirect(w, r, "/review/admin/restrictions")
}

func reviewUserMessageOr(err error, fallback string) string {
	if m := userMessage(err); m != "" {
		return m
	}
	return fallback
}

// ExportCSVHeader is the header row of the batch export (批次报名及注册结论导出).
var ExportCSVHeader = []string{"报名号", "姓名", "证件类型", "证件号码", "证书号码", "资格种类", "任教学段", "注册机构", "确认点", "提交时间", "注册结论", "结论时间", "结论说明"}

// export sends one window's applications and conclusions as CSV: UTF-8 with a BOM (so that
// spreadsheet programs read the Chinese correctly), a header row, one line per application.
func (c *reviewConsole) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cat, err := c.apps().Catalogue(ctx)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	win, ok := cat.Window(r.URL.Query().Get("window"))
	if !ok {
		c.s.errorPage(w, r, http.StatusNotFound, "请选择要导出的网报时间(批次)。")
		return
	}
	items, err := c.applications(ctx, ReviewFilter{WindowID: win.ID, AuthorityID: win.AuthorityID}, "")
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	auth, _ := cat.Authority(win.AuthorityID)
	var buf strings.Builder
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(ExportCSVHeader)
	for _, it := range items {
		a := it.App
		point, _ := cat.Point(a.ConfirmationPointID)
		var concludedAt, note string
		for _, e := range a.Events {
			if e.From.Valid() && e.From != e.To {
				concludedAt, note = e.At.In(registration.CST).Format("2006-01-02 15:04"), e.Note
			}
		}
		_ = cw.Write([]string{a.Number, reviewCsvSafe(it.Name), it.DocType.String(), it.DocNumber, a.Certificate.String(), a.Kind.String(),
			a.Stage.String(), reviewCsvSafe(auth.Name), reviewCsvSafe(point.Name), a.SubmittedAt.In(registration.CST).Format("2006-01-02 15:04"),
			a.Status.String(), concludedAt, reviewCsvSafe(note)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		c.s.fail(w, r, err)
		return
	}
	name := "注册结论-" + win.ID + "-" + c.s.now().In(registration.CST).Format("20060102") + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write([]byte(buf.String()))
}

// reviewCsvSafe keeps a free-text cell from being read as a formula by a spreadsheet program.
func reviewCsvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func reviewAuthorityOptions(as []registration.Authority) []templates.Option {
	out := make([]templates.Option, 0, len(as))
	for _, a := range as {
		out = append(out, templates.Option{Value: a.ID, Label: a.Name})
	}
	return out
}

func reviewStageOptions() []templates.Option {
	out := make([]templates.Option, 0, len(registration.Stages))
	for _, s := range registration.Stages {
		out = append(out, templates.Option{Value: strconv.Itoa(int(s)), Label: s.String()})
	}
	return out
}

func reviewProvinceOptions(ps []registration.Province) []templates.Option {
	out := make([]templates.Option, 0, len(ps))
	for _, p := range ps {
		out = append(out, templates.Option{Value: p.Code, Label: p.Name})
	}
	return out
}

func reviewCityOptions(cs []registration.City) []templates.Option {
	out := make([]templates.Option, 0, len(cs))
	for _, c := range cs {
		out = append(out, templates.Option{Value: c.Code, Label: c.Name})
	}
	return out
}

func reviewRestrictionOptions() []templates.Option {
	out := make([]templates.Option, 0, len(registration.RestrictionKinds))
	for _, k := range registration.RestrictionKinds {
		out = append(out, templates.Option{Value: strconv.Itoa(int(k)), Label: k.String()})
	}
	return out
}

package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// The administrators' audit log (系统管理操作记录, issue 6): every change of an authority, a
// confirmation point or a window (closing one early included), every 限制库 entry added or
// lifted and every lifted staff login lock (解除工作人员登录锁定) is written with the actor, the
// role, the state before and after, the time and the note, in the change's own transaction
// (store.Audited). GET /review/admin/audit lists the newest
// entries.

// Audit actions (stored codes: do not change them) and their zh-CN labels.
const (
	auditAuthorityCreate  = "authority.create"
	auditAuthorityUpdate  = "authority.update"
	auditPointCreate      = "point.create"
	auditPointUpdate      = "point.update"
	auditWindowCreate     = "window.create"
	auditWindowUpdate     = "window.update"
	auditWindowClose      = "window.close"
	auditRestrictionAdd   = "restriction.add"
	auditRestrictionLift  = "restriction.lift"
	auditStaffUnlock      = "staff.unlock"
	auditCityCreate       = "city.create"
	adminAuditPageEntries = 200
)

var auditLabels = map[string]string{
	auditAuthorityCreate: "新增注册机构", auditAuthorityUpdate: "修改注册机构",
	auditPointCreate: "新增确认点", auditPointUpdate: "修改确认点",
	auditWindowCreate: "新增网报时间", auditWindowUpdate: "修改网报时间", auditWindowClose: "提前截止网报",
	auditRestrictionAdd: "加入限制库", auditRestrictionLift: "解除限制",
	auditStaffUnlock: "解除工作人员登录锁定", auditCityCreate: "新增城市",
}

func auditLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}

// auditedCatalogue is the store's catalogue writer with every change audited for the staff
// member by ((*reviewConsole).catalogue hands it to the administrator's handlers).
type auditedCatalogue struct {
	st *store.Store
	by store.Staff
}

func (a auditedCatalogue) entry(action, subject, from, to, note string) store.AdminAuditEntry {
	return store.AdminAuditEntry{StaffID: a.by.ID, Actor: a.by.Name, Role: a.by.Role, Action: action, Subject: subject, From: from, To: to, Note: note}
}

// Catalogue writes through the store, audited.
func (a auditedCatalogue) Catalogue(ctx context.Context) (*registration.Catalogue, error) {
	return a.st.Catalogue(ctx)
}

// auditedKind says how one kind of catalogue entry is saved and described in the audit log.
type auditedKind[T any] struct {
	subject        string // the zh-CN name of the kind, e.g. 注册机构
	create, update string // the audit actions
	find           func(*registration.Catalogue, T) (T, bool)
	save           func(*store.Store, context.Context, T) (T, error) // a method expression of *store.Store
	id             func(T) string
	describe       func(*registration.Catalogue, T) string
}

// auditedSave creates or updates x in one audited transaction: the entry records the state
// before (for an update) and after.
func auditedSave[T any](ctx context.Context, a auditedCatalogue, k auditedKind[T], x T) (out T, err error) {
	err = a.st.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		cat, err := tx.Catalogue(ctx)
		if err != nil {
			return store.AdminAuditEntry{}, err
		}
		old, existed := k.find(cat, x)
		if out, err = k.save(tx, ctx, x); err != nil {
			return store.AdminAuditEntry{}, err
		}
		action, from := k.create, ""
		if existed {
			action, from = k.update, k.describe(cat, old)
		}
		return a.entry(action, k.subject+" "+k.id(out), from, k.describe(cat, out), ""), nil
	})
	return out, err
}

var (
	auditedAuthority = auditedKind[registration.Authority]{
		subject: "注册机构", create: auditAuthorityCreate, update: auditAuthorityUpdate,
		find: func(c *registration.Catalogue, x registration.Authority) (registration.Authority, bool) {
			return c.Authority(x.ID)
		},
		save:     (*store.Store).SaveAuthority,
		id:       func(x registration.Authority) string { return x.ID },
		describe: describeAuthority,
	}
	auditedPoint = auditedKind[registration.ConfirmationPoint]{
		subject: "确认点", create: auditPointCreate, update: auditPointUpdate,
		find: func(c *registration.Catalogue, x registration.ConfirmationPoint) (registration.ConfirmationPoint, bool) {
			return c.Point(x.ID)
		},
		save:     (*store.Store).SaveConfirmationPoint,
		id:       func(x registration.ConfirmationPoint) string { return x.ID },
		describe: describePoint,
	}
	auditedWindow = auditedKind[registration.Window]{
		subject: "网报时间", create: auditWindowCreate, update: auditWindowUpdate,
		find: func(c *registration.Catalogue, x registration.Window) (registration.Window, bool) {
			return c.Window(x.ID)
		},
		save:     (*store.Store).SaveWindow,
		id:       func(x registration.Window) string { return x.ID },
		describe: describeWindow,
	}
)

// SaveAuthority writes through the store, audited.
func (a auditedCatalogue) SaveAuthority(ctx context.Context, x registration.Authority) (registration.Authority, error) {
	return auditedSave(ctx, a, auditedAuthority, x)
}

// SaveConfirmationPoint writes through the store, audited.
func (a auditedCatalogue) SaveConfirmationPoint(ctx context.Context, p registration.ConfirmationPoint) (registration.ConfirmationPoint, error) {
	return auditedSave(ctx, a, auditedPoint, p)
}

// SaveWindow writes through the store, audited.
func (a auditedCatalogue) SaveWindow(ctx context.Context, w registration.Window) (registration.Window, error) {
	return auditedSave(ctx, a, auditedWindow, w)
}

// CloseWindow writes through the store, audited.
func (a auditedCatalogue) CloseWindow(ctx context.Context, id string, at time.Time) error {
	return a.st.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		before, err := tx.Catalogue(ctx)
		if err != nil {
			return store.AdminAuditEntry{}, err
		}
		old, _ := before.Window(id)
		if err := tx.CloseWindow(ctx, id, at); err != nil {
			return store.AdminAuditEntry{}, err
		}
		after, err := tx.Catalogue(ctx)
		if err != nil {
			return store.AdminAuditEntry{}, err
		}
		now, _ := after.Window(id)
		return a.entry(auditWindowClose, "网报时间 "+id, describeWindow(before, old), describeWindow(after, now), "提前截止"), nil
	})
}

func describeAuthority(cat *registration.Catalogue, a registration.Authority) string {
	place := a.City
	for _, c := range cat.Cities {
		if c.Code == a.City {
			place = c.Name
		}
	}
	return a.Name + " · " + place
}

func describePoint(cat *registration.Catalogue, p registration.ConfirmationPoint) string {
	auth, _ := cat.Authority(p.AuthorityID)
	s := p.Name + " · " + auth.Name
	if p.ScopeText != "" {
		s += " · 确认范围:" + p.ScopeText
	}
	if p.Address != "" {
		s += " · 地址:" + p.Address
	}
	return s
}

func describeWindow(cat *registration.Catalogue, w registration.Window) string {
	auth, _ := cat.Authority(w.AuthorityID)
	return auth.Name + " · " + w.Stage.String() + " · " + cstTime(w.Opens) + " 至 " + cstTime(w.Closes)
}

func describeRestriction(e store.RestrictionEntry) string {
	return e.Kind.String() + " · " + e.DocType.String() + " " + certificate.MaskDocument(e.DocNumber) + " · 生效日期 " + reviewCstDate(e.Since)
}

// addRestrictionAudited stores a 限制库 entry added by st, with its author and audit entry.
func (c *reviewConsole) addRestrictionAudited(ctx context.Context, st store.Staff, e store.RestrictionEntry) error {
	e.CreatedBy = st.ID
	a := auditedCatalogue{st: c.s.cfg.Store, by: st}
	return c.s.cfg.Store.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		added, err := tx.AddRestriction(ctx, e)
		if err != nil {
			return store.AdminAuditEntry{}, err
		}
		return a.entry(auditRestrictionAdd, "限制库 "+strconv.FormatInt(added.ID, 10), "", describeRestriction(added), e.Note), nil
	})
}

// liftRestrictionAudited lifts entry for st with the reason note, audited.
func (c *reviewConsole) liftRestrictionAudited(ctx context.Context, st store.Staff, e store.RestrictionEntry, note string) error {
	a := auditedCatalogue{st: c.s.cfg.Store, by: st}
	return c.s.cfg.Store.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		if err := tx.LiftRestriction(ctx, e.ID, st.ID, note, c.s.now()); err != nil {
			return store.AdminAuditEntry{}, err
		}
		d := describeRestriction(e)
		return a.entry(auditRestrictionLift, "限制库 "+strconv.FormatInt(e.ID, 10), "限制中 · "+d, "已解除 · "+d, note), nil
	})
}

// reviewAuditView is the audit log page's model.
type reviewAuditView struct {
	Bar     staffBar
	Entries []reviewAuditRow
	Limit   int
}

type reviewAuditRow struct {
	At, Actor, Role, Action, Subject, From, To, Note string
}

func (c *reviewConsole) auditPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	log, err := c.s.cfg.Store.AdminAudit(ctx, adminAuditPageEntries)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	v := reviewAuditView{Bar: c.bar(ctx, st), Limit: adminAuditPageEntries}
	for _, e := range log {
		v.Entries = append(v.Entries, reviewAuditRow{At: e.At.In(registration.CST).Format("2006-01-02 15:04:05"), Actor: e.Actor,
			Role: e.Role.String(), Action: auditLabel(e.Action), Subject: e.Subject, From: e.From, To: e.To, Note: e.Note})
	}
	c.s.render(w, r, http.StatusOK, ReviewAuditPage(v))
}

package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// Lifting a 限制库 entry (解除限制, administrators only): the entry stays in the list, marked with
// the date, the administrator and the reason; the submission gate no longer sees it.

// restrictionLift fills the row's ID and lifting; names caches staff names by ID.
func (c *reviewConsole) restrictionLift(ctx context.Context, row *reviewRestrictionRow, e store.RestrictionEntry, names map[int64]string) {
	row.ID = strconv.FormatInt(e.ID, 10)
	if e.LiftedAt.IsZero() {
		return
	}
	row.Lifted, row.LiftedAt, row.LiftNote = true, reviewCstDate(e.LiftedAt), e.LiftNote
	name, ok := names[e.LiftedBy]
	if !ok {
		if st, err := c.s.cfg.Store.StaffByID(ctx, e.LiftedBy); err == nil {
			name = st.Name
		}
		names[e.LiftedBy] = name
	}
	row.LiftedBy = name
}

// liftRestriction is POST /review/admin/restrictions/{id}/lift with the reason in note.
func (c *reviewConsole) liftRestriction(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.s.notFound(w, r)
		return
	}
	entry, err := c.s.cfg.Store.RestrictionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		c.s.notFound(w, r)
		return
	}
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	var errs []string
	switch {
	case !entry.LiftedAt.IsZero():
		errs = append(errs, "该记录已解除,无需再次解除")
	case note == "":
		errs = append(errs, "请填写解除理由")
	case len([]rune(note)) > 500:
		errs = append(errs, "解除理由不能超过500字")
	}
	if len(errs) == 0 {
		err = c.liftRestrictionAudited(ctx, st, entry, note)
		if errors.Is(err, store.ErrNotFound) { // lifted by someone else meanwhile
			errs = append(errs, "该记录已解除,无需再次解除")
		} else if err != nil {
			c.s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		v, verr := c.reviewRestrictionView(ctx, st)
		if verr != nil {
			c.s.fail(w, r, verr)
			return
		}
		v.Errors = errs
		for i := range v.Entries { // the refused reason stays in its form
			if v.Entries[i].ID == strconv.FormatInt(entry.ID, 10) {
				v.Entries[i].LiftDraft = r.PostForm.Get("note")
			}
		}
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewRestrictionsPage(v))
		return
	}
	c.s.setFlash(w, r, "ok", "已解除限制。")
	c.s.redirect(w, r, "/review/admin/restrictions")
}

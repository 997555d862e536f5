package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/registration"
)

// TestApplicationsListFollowsTheWindowAcrossTheNewYear: 查询报名信息 shows the batch of the
// application's window, not of the calendar year it was sent in, and /platform counts the same
// applications.
func TestApplicationsListFollowsTheWindowAcrossTheNewYear(t *testing.T) {
	h := newReviewHarness(t)
	ctx := context.Background()
	point, _ := h.demoStaff(pointUser)
	p, _ := h.Cat.Point(point.PointID)
	cst := registration.CST
	// A December window of the same authority, running into February.
	dec, err := h.Store.SaveWindow(ctx, registration.Window{AuthorityID: p.AuthorityID, Stage: registration.StagePrimary,
		Opens: time.Date(2026, 12, 20, 0, 0, 0, 0, cst), Closes: time.Date(2027, 2, 20, 0, 0, 0, 0, cst)})
	if err != nil {
		t.Fatal(err)
	}
	var autumn registration.Window // the seeded window open at the harness clock (September 2026)
	for _, w := range h.Cat.Windows {
		if w.AuthorityID == p.AuthorityID && w.Check(h.Clock.Now()) == nil {
			autumn = w
		}
	}
	if autumn.ID == "" {
		t.Fatal("no open seeded window")
	}
	at := func(day time.Time) func(*registration.Application) {
		return func(a *registration.Application) {
			a.SubmittedAt = day
			a.Events[0].At = day
		}
	}
	finalOn := func(s registration.Status, day time.Time) func(*registration.Application) {
		return func(a *registration.Application) {
			if day.IsZero() {
				day = a.SubmittedAt
			}
			a.Events = append(a.Events, registration.Event{Actor: registration.ActorAuthority, From: a.Status, To: s, At: day})
			a.Status = s
		}
	}
	final := func(s registration.Status) func(*registration.Application) { return finalOn(s, time.Time{}) }
	inWindow := func(w registration.Window) func(*registration.Application) {
		return func(a *registration.Application) { a.WindowID = w.ID }
	}

	// Three applications of one teacher: a 注册合格 one of the autumn window, then in December a
	// withdrawn one and a pending one of the December window.
	qualified, ap := h.newApp(point.PointID, registration.StatusPending, inWindow(autumn), at(time.Date(2026, 9, 1, 9, 0, 0, 0, cst)), final(registration.StatusQualified))
	mine := func(a *registration.Application) { a.AccountID = strconv.FormatInt(ap.ID, 10) }
	withdrawn, _ := h.newApp(point.PointID, registration.StatusPending, mine, inWindow(dec), at(time.Date(2026, 12, 21, 9, 0, 0, 0, cst)), final(registration.StatusWithdrawn))
	pending, _ := h.newApp(point.PointID, registration.StatusPending, mine, inWindow(dec), at(time.Date(2026, 12, 28, 9, 0, 0, 0, cst)))
	// And one of the December window concluded 注册合格 in January: this year's conclusion.
	january, _ := h.newApp(point.PointID, registration.StatusPending, mine, inWindow(dec), at(time.Date(2026, 12, 22, 9, 0, 0, 0, cst)),
		finalOn(registration.StatusQualified, time.Date(2027, 1, 15, 10, 0, 0, 0, cst)))

	cases := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"in December the year's conclusion and the new window's applications", time.Date(2026, 12, 31, 23, 0, 0, 0, cst), []string{qualified.Number, withdrawn.Number, pending.Number, january.Number}},
		{"on 2 January the December window's applications stay, last year's conclusion goes", time.Date(2027, 1, 2, 9, 0, 0, 0, cst), []string{withdrawn.Number, pending.Number, january.Number}},
		{"after the window closed the pending one stays until it is decided, and January's conclusion stays; last year's 撤回 goes", time.Date(2027, 3, 1, 9, 0, 0, 0, cst), []string{pending.Number, january.Number}},
		{"on the last day of the year January's conclusion is still there", time.Date(2027, 12, 31, 23, 0, 0, 0, cst), []string{pending.Number, january.Number}},
		{"the next year it goes", time.Date(2028, 1, 2, 9, 0, 0, 0, cst), []string{pending.Number}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.Clock.Advance(tc.now.Sub(h.Clock.Now()))
			c := h.client()
			c.login(ap)
			r := c.get("/platform/applications")
			wantStatus(t, r, http.StatusOK)
			got := map[string]bool{}
			for _, n := range r.find("application-row").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("data-number", "") }) {
				got[n] = true
			}
			if len(got) != len(tc.want) {
				t.Errorf("list shows %v, want %v", got, tc.want)
			}
			for _, n := range tc.want {
				if !got[n] {
					t.Errorf("list lacks %s (shows %v)", n, got)
				}
			}
			want := "查询报名信息(" + strconv.Itoa(len(tc.want)) + ")"
			if p := c.get("/platform"); p.text("my-applications") != want {
				t.Errorf("/platform shows %q, want %q", p.text("my-applications"), want)
			}
		})
	}
}

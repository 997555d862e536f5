package registration

import (
	"fmt"
	"time"
)

// CST is China Standard Time (UTC+8), the zone in which dates are shown to people.
var CST = time.FixedZone("CST", 8*60*60)

// dateLayout is how window dates appear in messages.
const dateLayout = "2006-01-02 15:04"

// Window is a 网报时间: the period in which one registration authority takes online applications
// from teachers of one stage in one city. Opens is inclusive, Closes exclusive.
type Window struct {
	// ID identifies the window in the store.
	ID string
	// AuthorityID is the registration authority (注册机构) that runs the window.
	AuthorityID string
	// Province and City are the codes of the Province and City in the Catalogue.
	Province, City string
	// Stage is the current teaching stage (现任教学段) the window serves.
	Stage Stage
	// Opens is the first instant applications are taken (网报开始时间).
	Opens time.Time
	// Closes is the first instant they are no longer taken (网报结束时间).
	Closes time.Time
}

// Window errors; match them with errors.Is. The returned message carries the window's dates.
var (
	ErrNotOpenYet = &Error{Code: "window_not_open_yet", Message: "还未到网报时间"}
	ErrClosed     = &Error{Code: "window_closed", Message: "网报时间已截止"}
)

// Check returns nil when now is in [Opens, Closes); before it ErrNotOpenYet, from Closes on
// ErrClosed, each with the window's dates in China Standard Time (see Dates).
func (w Window) Check(now time.Time) error {
	switch {
	case now.Before(w.Opens):
		return ErrNotOpenYet.with("还未到网报时间，" + w.Dates())
	case !now.Before(w.Closes):
		return ErrClosed.with("网报时间已截止，" + w.Dates())
	}
	return nil
}

// Dates returns the window's dates for people, in China Standard Time:
// "网报时间为 2026-07-01 09:00 至 2026-08-01 00:00".
func (w Window) Dates() string {
	return fmt.Sprintf("网报时间为 %s 至 %s", w.Opens.In(CST).Format(dateLayout), w.Closes.In(CST).Format(dateLayout))
}

// Open reports whether now is inside the window.
func (w Window) Open(now time.Time) bool { return w.Check(now) == nil }

package registration

import (
	"fmt"
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
)

// FormDelay is how long after submission or a photo change the application form (申请表) can be
// downloaded (manual §3.2.4).
const FormDelay = time.Hour

// Application is a 定期注册报名: what exists once the wizard reached step 7 (申报提醒).
//
// Methods decide and record; they never persist. Version is for optimistic locking and belongs
// to the store: Transition, Edit and AddMessage leave it alone; Store.SaveApplication writes only
// when the stored version equals Version and then increments it (see Store).
type Application struct {
	// Number is the 报名号 (see ApplicationNumber for the format).
	Number string
	// AccountID is the applicant's account, as the store identifies it.
	AccountID string
	// Certificate is the teacher qualification certificate being registered.
	Certificate certificate.Number
	// Kind is the certificate's qualification kind (资格种类).
	Kind certificate.Kind
	// Stage is the current teaching stage (现任教学段).
	Stage Stage
	// Subject is the current subject (现任教学科), a form.Subject code.
	Subject string
	// Info is the registration information (注册信息) of step 2.
	Info form.RegistrationInfo
	// ManualCertificate is the certificate record when the applicant added it by hand at step 2
	// (the portal stores it with the account's certificates); nil for a synced certificate.
	ManualCertificate *certificate.Certificate
	// Photo is an opaque key of the stored photo whose check passed.
	Photo string
	// WindowID, AuthorityID and ConfirmationPointID say where the application was made.
	WindowID, AuthorityID, ConfirmationPointID string
	// Status is the 注册结论.
	Status Status
	// Version is the optimistic-locking version; 0 until the store created the application.
	Version int64
	// SubmittedAt is when step 7 was reached; PhotoChangedAt the last photo change (zero if none).
	SubmittedAt, PhotoChangedAt time.Time
	// Messages are the 留言, oldest first.
	Messages []Message
	// Events is the audit trail, oldest first; the store appends the ones it has not stored yet.
	Events []Event
}

// Event is one change of an application (a status change, or an edit with From == To), for the
// audit trail and the history page.
type Event struct {
	Actor    Actor
	From, To Status // From is 0 for the submission itself
	At       time.Time
	Note     string
}

// ErrTransitionNotAllowed is returned (with the statuses and actor in the message) when
// CanTransition refuses a change.
var ErrTransitionNotAllowed = &Error{Code: "transition_not_allowed", Message: "不允许变更注册结论"}

// Transition moves the application to status to on behalf of by, if CanTransition allows it, and
// records an Event. It does not change Version: the store does when it saves.
func (a *Application) Transition(to Status, by Actor, now time.Time, note string) error {
	if !CanTransition(a.Status, to, by) {
		return ErrTransitionNotAllowed.with(fmt.Sprintf("%s不能将注册结论从“%s”变更为“%s”", by, a.Status, to))
	}
	a.Events = append(a.Events, Event{Actor: by, From: a.Status, To: to, At: now, Note: note})
	a.Status = to
	return nil
}

// FormReadyAt is when the application form can first be downloaded: one hour after the later of
// the submission and the last photo change (manual §3.2.4).
func (a *Application) FormReadyAt() time.Time {
	t := a.SubmittedAt
	if a.PhotoChangedAt.After(t) {
		t = a.PhotoChangedAt
	}
	return t.Add(FormDelay)
}

// FormReady reports whether the application form can be downloaded at now.
func (a *Application) FormReady(now time.Time) bool { return !now.Before(a.FormReadyAt()) }

// ErrNotEditable refuses an edit once the application left 网报待确认.
var ErrNotEditable = &Error{Code: "not_editable", Message: "只有注册结论为“网报待确认”的报名信息才能修改，如需修改请联系注册机构将注册结论调整为“网报待确认”"}

// Edit replaces the registration information while the status is Editable (ErrNotEditable
// otherwise; nothing changes). info must already be validated (form.DecodeAndValidate). The photo
// is info.Photo: empty keeps the current photo; a different key replaces it and sets
// PhotoChangedAt to now, which moves FormReadyAt. The edit is recorded as an Event from and to the
// current status with the note 修改报名信息. Version is left to the store.
func (a *Application) Edit(info form.RegistrationInfo, now time.Time) error {
	if !a.Status.Editable() {
		return ErrNotEditable
	}
	if info.Photo == "" {
		info.Photo = a.Photo
	}
	note := "修改报名信息"
	if info.Photo != a.Photo {
		a.Photo, a.PhotoChangedAt = info.Photo, now
		note = "修改报名信息（更换照片）"
	}
	a.Info = info
	a.Events = append(a.Events, Event{Actor: ActorApplicant, From: a.Status, To: a.Status, At: now, Note: note})
	return nil
}

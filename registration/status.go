package registration

import (
	"fmt"
	"strconv"
)

// Status is a registration status, shown to applicants as 注册结论.
// Stored codes: do not reorder; add new values at the end.
type Status int

// The statuses. The zero value is not a status.
const (
	StatusPending     Status = iota + 1 // 网报待确认: submitted, awaiting on-site confirmation
	StatusConfirmed                     // 已确认: the confirmation point checked the materials
	StatusQualified                     // 注册合格
	StatusDeferred                      // 暂缓注册
	StatusUnqualified                   // 注册不合格
	StatusWithdrawn                     // 已撤回: withdrawn by the applicant while pending
)

// Statuses lists every status in stored-code order.
var Statuses = []Status{StatusPending, StatusConfirmed, StatusQualified, StatusDeferred, StatusUnqualified, StatusWithdrawn}

var statusLabels = [...]string{"", "网报待确认", "已确认", "注册合格", "暂缓注册", "注册不合格", "已撤回"}

// String returns the zh-CN label, e.g. "网报待确认".
func (s Status) String() string {
	if s.Valid() {
		return statusLabels[s]
	}
	return "未知状态（" + strconv.Itoa(int(s)) + "）"
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return s >= StatusPending && s <= StatusWithdrawn }

// Editable reports whether the applicant may edit an application in this status: only while
// 网报待确认 (manual §3.2.3).
func (s Status) Editable() bool { return s == StatusPending }

// Final reports whether no further transition leaves s (注册合格, 暂缓注册, 注册不合格, 已撤回 are final
// for that application; a deferred teacher applies again with a new application).
func (s Status) Final() bool {
	return s == StatusQualified || s == StatusDeferred || s == StatusUnqualified || s == StatusWithdrawn
}

// Active reports whether an application in this status blocks another application for the same
// (account, certificate): pending and confirmed applications are active.
func (s Status) Active() bool { return s == StatusPending || s == StatusConfirmed }

// ErrInvalidStatus is returned by ParseStatus for an unknown label or code.
var ErrInvalidStatus = &Error{Code: "invalid_status", Message: "注册结论无效"}

// ParseStatus accepts the zh-CN label ("注册合格") or the stored code ("3").
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if s == statusLabels[st] {
			return st, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && Status(n).Valid() {
		return Status(n), nil
	}
	return 0, ErrInvalidStatus
}

// Actor is who moves an application: the applicant (申请人), a confirmation point (确认点) or a
// registration authority (注册机构). Stored codes: do not reorder.
type Actor int

// The actors. The zero value is not an actor.
const (
	ActorApplicant         Actor = iota + 1 // 申请人
	ActorConfirmationPoint                  // 确认点
	ActorAuthority                          // 注册机构
)

// Actors lists every actor in stored-code order.
var Actors = []Actor{ActorApplicant, ActorConfirmationPoint, ActorAuthority}

var actorLabels = [...]string{"", "申请人", "确认点", "注册机构"}

// String returns the zh-CN label, e.g. "确认点".
func (a Actor) String() string {
	if a.Valid() {
		return actorLabels[a]
	}
	return fmt.Sprintf("未知角色（%d）", int(a))
}

// Valid reports whether a is one of the defined actors.
func (a Actor) Valid() bool { return a >= ActorApplicant && a <= ActorAuthority }

// ErrInvalidActor is returned by ParseActor for an unknown label or code.
var ErrInvalidActor = &Error{Code: "invalid_actor", Message: "操作角色无效"}

// ParseActor accepts the zh-CN label ("注册机构") or the stored code ("3").
func ParseActor(s string) (Actor, error) {
	for _, a := range Actors {
		if s == actorLabels[a] {
			return a, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && Actor(n).Valid() {
		return Actor(n), nil
	}
	return 0, ErrInvalidActor
}

// transitions is the whole status machine: from → to → the one actor allowed.
var transitions = map[Status]map[Status]Actor{
	StatusPending: {
		StatusConfirmed: ActorConfirmationPoint,
		StatusWithdrawn: ActorApplicant,
	},
	StatusConfirmed: {
		StatusQualified:   ActorAuthority,
		StatusDeferred:    ActorAuthority,
		StatusUnqualified: ActorAuthority,
		StatusPending:     ActorAuthority, // 调整注册结论 (manual §3.2.3)
	},
}

// CanTransition reports whether actor by may move an application from one status to another:
// 网报待确认→已确认 by the confirmation point; 网报待确认→已撤回 by the applicant;
// 已确认→注册合格|暂缓注册|注册不合格 by the authority; 已确认→网报待确认 by the authority. Nothing
// else: the four conclusions and 已撤回 are final for that application.
func CanTransition(from, to Status, by Actor) bool {
	a, ok := transitions[from][to]
	return ok && a == by
}

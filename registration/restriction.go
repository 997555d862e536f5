package registration

import (
	"strconv"
	"time"
)

// RestrictionKind is why a person is in the 限制库 (restriction list) and may not register.
// Stored codes: do not reorder.
type RestrictionKind int

// The restriction kinds. The zero value is not a kind.
const (
	RestrictionLost     RestrictionKind = iota + 1 // 丧失教师资格: for life
	RestrictionRevoked                             // 撤销教师资格: 5 years
	RestrictionCheating                            // 考试作弊: 3 years
)

// RestrictionKinds lists every kind in stored-code order.
var RestrictionKinds = []RestrictionKind{RestrictionLost, RestrictionRevoked, RestrictionCheating}

var restrictionLabels = [...]string{"", "丧失教师资格", "撤销教师资格", "考试作弊"}

// String returns the zh-CN label, e.g. "撤销教师资格".
func (k RestrictionKind) String() string {
	if k.Valid() {
		return restrictionLabels[k]
	}
	return "未知限制（" + strconv.Itoa(int(k)) + "）"
}

// Valid reports whether k is one of the defined kinds.
func (k RestrictionKind) Valid() bool { return k >= RestrictionLost && k <= RestrictionCheating }

// Years is how long the restriction lasts; 0 means for life.
func (k RestrictionKind) Years() int {
	switch k {
	case RestrictionRevoked:
		return 5
	case RestrictionCheating:
		return 3
	}
	return 0
}

// ErrInvalidRestriction is returned by ParseRestrictionKind for an unknown label or code.
var ErrInvalidRestriction = &Error{Code: "invalid_restriction", Message: "限制类型无效"}

// ParseRestrictionKind accepts the zh-CN label ("考试作弊") or the stored code ("3").
func ParseRestrictionKind(s string) (RestrictionKind, error) {
	for _, k := range RestrictionKinds {
		if s == restrictionLabels[k] {
			return k, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && RestrictionKind(n).Valid() {
		return RestrictionKind(n), nil
	}
	return 0, ErrInvalidRestriction
}

// Restriction is one entry of the 限制库 against a person (identified by document).
type Restriction struct {
	Kind RestrictionKind
	// Since is when the decision took effect.
	Since time.Time
	// Note is free text for staff; never shown to the applicant.
	Note string
}

// Until returns the first instant the restriction no longer applies, and false for a life-long
// restriction (and for an unknown kind, which is treated as life-long: fail closed).
func (r Restriction) Until() (time.Time, bool) {
	y := r.Kind.Years()
	if y == 0 {
		return time.Time{}, false
	}
	return r.Since.AddDate(y, 0, 0), true
}

// Active reports whether the restriction blocks a registration at now: from Since (inclusive)
// until Until (exclusive), for ever for a life-long one.
func (r Restriction) Active(now time.Time) bool {
	if now.Before(r.Since) {
		return false
	}
	until, ok := r.Until()
	return !ok || now.Before(until)
}

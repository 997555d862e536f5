package store

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// StaffRole is a reviewer's role (工作人员角色). Stored codes: do not change them.
type StaffRole string

// The staff roles.
const (
	RoleConfirmationPoint StaffRole = "confirmation_point" // 确认点工作人员, bound to a point
	RoleAuthority         StaffRole = "authority"          // 注册机构工作人员, bound to an authority
	RoleAdmin             StaffRole = "admin"              // 管理员
	// RoleOperator marks audit entries made by the person running the portal command (e.g.
	// -unlock-staff), not by a staff account; no account has it.
	RoleOperator StaffRole = "operator" // 运维人员(命令行)
)

// ErrInvalidRole is returned by ParseStaffRole.
var ErrInvalidRole = errors.New("工作人员角色无效")

// String returns the zh-CN label.
func (r StaffRole) String() string {
	switch r {
	case RoleConfirmationPoint:
		return "确认点工作人员"
	case RoleAuthority:
		return "注册机构工作人员"
	case RoleAdmin:
		return "管理员"
	case RoleOperator:
		return "运维人员(命令行)"
	}
	return "未知角色"
}

// ParseStaffRole accepts a stored code or a zh-CN label.
func ParseStaffRole(s string) (StaffRole, error) {
	for _, r := range []StaffRole{RoleConfirmationPoint, RoleAuthority, RoleAdmin} {
		if s == string(r) || s == r.String() {
			return r, nil
		}
	}
	return "", ErrInvalidRole
}

// Staff is a reviewer account (工作人员账号) of the console: a confirmation point's or an
// authority's staff member, or an administrator. Login is password + TOTP.
type Staff struct {
	ID              int64
	Username        string
	Name            string
	Role            StaffRole
	AuthorityID     string // set for RoleAuthority (and the authority of a point's staff when known)
	PointID         string // set for RoleConfirmationPoint
	PasswordHash    string // PHC string (account.Hasher)
	TOTPSecret      string // base32; "" before enrolment
	TOTPLastCounter int64  // the last accepted TOTP time step (replay protection)
	TOTPEnrolledAt  time.Time
	CreatedAt       time.Time
	Disabled        bool
}

type staffRow struct {
	bun.BaseModel `bun:"table:staff"`

	ID              int64     `bun:"id,pk,autoincrement"`
	Username        string    `bun:"username,notnull"`
	Name            string    `bun:"name,notnull"`
	Role            string    `bun:"role,notnull"`
	AuthorityID     int64     `bun:"authority_id,nullzero"`
	PointID         int64     `bun:"point_id,nullzero"`
	PasswordHash    string    `bun:"password_hash,notnull"`
	TOTPSecret      string    `bun:"totp_secret,notnull"`
	TOTPLastCounter int64     `bun:"totp_last_counter,notnull"`
	TOTPEnrolledAt  time.Time `bun:"totp_enrolled_at,nullzero"`
	CreatedAt       time.Time `bun:"created_at,notnull"`
	Disabled        bool      `bun:"disabled,notnull"`
}

func (r staffRow) domain() Staff {
	return Staff{ID: r.ID, Username: r.Username, Name: r.Name, Role: StaffRole(r.Role),
		AuthorityID: idString(r.AuthorityID), PointID: idString(r.PointID), PasswordHash: r.PasswordHash,
		TOTPSecret: r.TOTPSecret, TOTPLastCounter: r.TOTPLastCounter, TOTPEnrolledAt: utcOrZero(r.TOTPEnrolledAt),
		CreatedAt: r.CreatedAt.UTC(), Disabled: r.Disabled}
}

// CreateStaff stores a staff account and returns it with its ID (CreatedAt zero: the
// store's clock). ErrDuplicate when the username is taken.
func (s *Store) CreateStaff(ctx context.Context, st Staff) (Staff, error) {
	aid, _ := id64(st.AuthorityID)
	pid, _ := id64(st.PointID)
	if st.CreatedAt.IsZero() {
		st.CreatedAt = s.now()
	}
	row := staffRow{Username: st.Username, Name: st.Name, Role: string(st.Role), AuthorityID: aid, PointID: pid,
		PasswordHash: st.PasswordHash, TOTPSecret: st.TOTPSecret, TOTPLastCounter: st.TOTPLastCounter,
		TOTPEnrolledAt: ts(st.TOTPEnrolledAt), CreatedAt: ts(st.CreatedAt), Disabled: st.Disabled}
	if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return Staff{}, s.wrap("create staff", err)
	}
	return row.domain(), nil
}

// StaffByUsername returns the staff account, or ErrNotFound.
func (s *Store) StaffByUsername(ctx context.Context, username string) (Staff, error) {
	var row staffRow
	if err := s.idb.NewSelect().Model(&row).Where("username = ?", username).Scan(ctx); err != nil {
		return Staff{}, s.wrap("staff by username", err)
	}
	return row.domain(), nil
}

// StaffByID returns the staff account, or ErrNotFound.
func (s *Store) StaffByID(ctx context.Context, id int64) (Staff, error) {
	var row staffRow
	if err := s.idb.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return Staff{}, s.wrap("staff by id", err)
	}
	return row.domain(), nil
}

// ListStaff returns every staff account by ID.
func (s *Store) ListStaff(ctx context.Context) ([]Staff, error) {
	var rows []staffRow
	if err := s.idb.NewSelect().Model(&rows).Order("id").Scan(ctx); err != nil {
		return nil, s.wrap("list staff", err)
	}
	out := make([]Staff, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SetStaffPassword stores a new password hash; ErrNotFound for an unknown id.
func (s *Store) SetStaffPassword(ctx context.Context, id int64, hash string) error {
	res, err := s.idb.NewUpdate().Model((*staffRow)(nil)).Set("password_hash = ?", hash).Where("id = ?", id).Exec(ctx)
	return s.wrap("set staff password", affectedOne(res, err))
}

// EnrollStaffTOTP stores the staff member's TOTP secret (enrolment done at at) and resets
// the replay counter; ErrNotFound for an unknown id.
func (s *Store) EnrollStaffTOTP(ctx context.Context, id int64, secret string, at time.Time) error {
	res, err := s.idb.NewUpdate().Model((*staffRow)(nil)).
		Set("totp_secret = ?", secret).Set("totp_enrolled_at = ?", ts(at)).Set("totp_last_counter = 0").
		Where("id = ?", id).Exec(ctx)
	return s.wrap("enroll staff totp", affectedOne(res, err))
}

// AcceptTOTPCounter records that the TOTP code of time step counter was accepted, only if
// it is later than the last accepted one: atomically, so a code is accepted at most once
// even by two concurrent logins. ErrConflict when counter is not later (a replay).
func (s *Store) AcceptTOTPCounter(ctx context.Context, id int64, counter int64) error {
	res, err := s.idb.NewUpdate().Model((*staffRow)(nil)).
		Set("totp_last_counter = ?", counter).
		Where("id = ?", id).Where("totp_last_counter < ?", counter).Exec(ctx)
	if err := affectedOne(res, err); errors.Is(err, errNoRows) {
		if _, err := s.StaffByID(ctx, id); err != nil {
			return err
		}
		return newError(ErrConflict, "accept totp counter")
	} else if err != nil {
		return s.wrap("accept totp counter", err)
	}
	return nil
}

// SetStaffDisabled enables or disables a staff account; ErrNotFound for an unknown id.
func (s *Store) SetStaffDisabled(ctx context.Context, id int64, disabled bool) error {
	res, err := s.idb.NewUpdate().Model((*staffRow)(nil)).Set("disabled = ?", disabled).Where("id = ?", id).Exec(ctx)
	return s.wrap("set staff disabled", affectedOne(res, err))
}

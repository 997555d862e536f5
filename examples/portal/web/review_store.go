package web

import (
	"crypto/rand"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// The reviewer console (审核端, /review) works on the store: staff accounts, TOTP enrolment and
// replay counters, cycle records (by certificate), the 限制库, the catalogue, the queue query,
// named saves and the audit trail. Applications, photos and certificates are read through the
// RegistrationBackend the applicant pages use (itself over the store), so staff see exactly what
// applicants submitted.

// reviewActor is the registration actor a staff role moves applications as (0 for the
// administrator, who moves none).
func reviewActor(r store.StaffRole) registration.Actor {
	switch r {
	case store.RoleConfirmationPoint:
		return registration.ActorConfirmationPoint
	case store.RoleAuthority:
		return registration.ActorAuthority
	}
	return 0
}

// reviewTotpIssuer names the portal in authenticator apps.
const reviewTotpIssuer = "tqreg 定期注册审核"

// reviewNewTOTPKey makes a fresh 160-bit TOTP key (SHA-1, 6 digits, 30 s: what authenticator apps use).
func reviewNewTOTPKey(username string) (*otp.Key, error) {
	secret := make([]byte, 20)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return totp.Generate(totp.GenerateOpts{Issuer: reviewTotpIssuer, AccountName: username, Secret: secret})
}

// reviewTotpKeyOf rebuilds the otp.Key of a stored secret (for the enrolment QR code).
func reviewTotpKeyOf(username, secret string) (*otp.Key, error) {
	v := url.Values{"secret": {secret}, "issuer": {reviewTotpIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + reviewTotpIssuer + ":" + username, RawQuery: v.Encode()}
	return otp.NewKeyFromURL(u.String())
}

// reviewTotpPeriod is the TOTP time step.
const reviewTotpPeriod = 30

// reviewCheckTOTP returns the time step of code if it is valid at now within ±1 step, checking each
// step separately (so the caller knows which step matched and can refuse replays).
func reviewCheckTOTP(code, secret string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / reviewTotpPeriod
	for _, d := range []int64{0, -1, 1} {
		step := cur + d
		ok, err := totp.ValidateCustom(code, secret, time.Unix(step*reviewTotpPeriod, 0).UTC(), totp.ValidateOpts{
			Period: reviewTotpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
		})
		if err == nil && ok {
			return step, true
		}
	}
	return 0, false
}

// ReviewFilter narrows the console's application lists; empty fields match everything.
type ReviewFilter struct {
	PointID, AuthorityID, WindowID string
	Status                         registration.Status
	// Max bounds the result (0: no bound).
	Max int
}

// Match reports whether a passes the filter.
func (f ReviewFilter) Match(a *registration.Application) bool {
	return (f.PointID == "" || a.ConfirmationPointID == f.PointID) &&
		(f.AuthorityID == "" || a.AuthorityID == f.AuthorityID) &&
		(f.WindowID == "" || a.WindowID == f.WindowID) &&
		(f.Status == 0 || a.Status == f.Status)
}

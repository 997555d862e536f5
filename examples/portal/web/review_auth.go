package web

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// Staff sessions (审核人员会话) share the portal's session store but carry their own kind, so an
// applicant session never opens a /review page and a staff session never opens an applicant one.
const (
	sessStaff        = "staff"         // the staff id (decimal) once password and TOTP passed
	sessStaffRole    = "staff_role"    // the role's stored code
	sessStaffSeen    = "staff_seen"    // unix seconds of the last staff request (idle limit)
	sessStaffPending = "staff_pending" // the staff id after the password, before the TOTP code
	sessStaffPendAt  = "staff_pend_at" // unix seconds when the password was accepted
	// sessStaffNewSecret is the TOTP secret being enrolled (kept server-side until a code
	// from it is accepted, then stored on the staff account).
	sessStaffNewSecret = "staff_new_totp"
	kindStaff          = "staff"
	kindStaffPending   = "staff_pending"
)

// Staff session limits: idle at most 15 minutes; the password step is good for 5 minutes.
const (
	StaffIdleTimeout = 15 * time.Minute
	staffPendingTTL  = 5 * time.Minute
	staffTouchEvery  = time.Minute
)

// reviewConsole is the reviewer console of one Server.
type reviewConsole struct {
	s *Server
}

func newReviewConsole(s *Server) *reviewConsole {
	return &reviewConsole{s: s}
}

// apps is the registration backend the applicant pages use (applications, photos, catalogue),
// so staff see exactly what applicants submitted.
func (c *reviewConsole) apps() RegistrationBackend { return c.s.registration }

type staffKey struct{}

// currentStaff returns the logged-in staff member of a /review request.
func currentStaff(ctx context.Context) (store.Staff, bool) {
	st, ok := ctx.Value(staffKey{}).(store.Staff)
	return st, ok
}

// notForApplicants answers 404 to a logged-in applicant: /review does not exist for them.
func (c *reviewConsole) notForApplicants(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := CurrentAccount(r.Context()); ok {
			c.s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next(w, r)
	}
}

// staffOnly lets through a logged-in staff member whose role is one of roles. Applicants and
// staff of other roles get 404; an anonymous or expired GET goes to /review/login, any other
// anonymous method gets 404 too (a /review URL says nothing to someone not logged in as staff).
func (c *reviewConsole) staffOnly(next http.HandlerFunc, roles ...store.StaffRole) http.HandlerFunc {
	return c.notForApplicants(func(w http.ResponseWriter, r *http.Request) {
		s := c.s
		sess, err := s.session(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		toLogin := func() {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				s.redirect(w, r, "/review/login")
				return
			}
			s.notFound(w, r)
		}
		if stringValue(sess, sessKind) != kindStaff {
			toLogin()
			return
		}
		now := s.now()
		seen, _ := strconv.ParseInt(stringValue(sess, sessStaffSeen), 10, 64)
		if now.Sub(time.Unix(seen, 0)) > StaffIdleTimeout {
			if err := s.sessions.Destroy(r, w, sess); err != nil {
				s.fail(w, r, err)
				return
			}
			toLogin()
			return
		}
		id, _ := strconv.ParseInt(stringValue(sess, sessStaff), 10, 64)
		st, err := s.cfg.Store.StaffByID(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) || err == nil && st.Disabled {
			_ = s.sessions.Destroy(r, w, sess)
			toLogin()
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		allowed := len(roles) == 0
		for _, role := range roles {
			allowed = allowed || st.Role == role
		}
		if !allowed {
			s.notFound(w, r)
			return
		}
		if now.Sub(time.Unix(seen, 0)) >= staffTouchEvery {
			sess.Values[sessStaffSeen] = strconv.FormatInt(now.Unix(), 10)
			if err := s.sessions.Save(r, w, sess); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		next(w, r.WithContext(context.WithValue(r.Context(), staffKey{}, st)))
	})
}

// staffLoginView is the model of the staff login pages.
type staffLoginView struct {
	Form     *formValues
	Username string
	// Enrol is set on the TOTP step when the authenticator is not enrolled yet: the page shows
	// the QR code and the secret.
	Enrol  bool
	Secret string
	Error  string
}

const staffLoginFailed = "用户名或密码错误"

func (c *reviewConsole) loginPage(w http.ResponseWriter, r *http.Request) {
	c.s.render(w, r, http.StatusOK, ReviewLoginPage(staffLoginView{Form: newForm(r)}))
}

// loginSubmit checks the throttle, then username and password (an unknown username costs the
// same hashing work), then starts a pending session that still needs the TOTP code.
func (c *reviewConsole) loginSubmit(w http.ResponseWriter, r *http.Request) {
	s := c.s
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	v := staffLoginView{Form: f, Username: f.Get("username")}
	f.Required("username", "用户名", "password", "密码")
	if !f.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, ReviewLoginPage(v))
		return
	}
	userKey, clientKey := s.throttleKey("review:user", v.Username), s.clientKey("review", r)
	if !c.throttleOK(w, r, f, userKey, clientKey) {
		s.render(w, r, http.StatusTooManyRequests, ReviewLoginPage(v))
		return
	}
	st, err := s.cfg.Store.StaffByUsername(ctx, v.Username)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		_ = s.svc.Hasher.DummyVerifyContext(ctx, f.Raw("password"))
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		ok, err = s.svc.Hasher.VerifyContext(ctx, f.Raw("password"), st.PasswordHash)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ok = ok && !st.Disabled
	}
	if !ok {
		if err := c.throttleFail(ctx, userKey, clientKey); err != nil {
			s.fail(w, r, err)
			return
		}
		f.Fail("password", staffLoginFailed)
		s.render(w, r, http.StatusUnprocessableEntity, ReviewLoginPage(v))
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	clear(sess.Values)
	sess.Values[sessKind] = kindStaffPending
	sess.Values[sessStaffPending] = strconv.FormatInt(st.ID, 10)
	sess.Values[sessStaffPendAt] = strconv.FormatInt(s.now().Unix(), 10)
	if st.TOTPEnrolledAt.IsZero() {
		secret := st.TOTPSecret
		if secret == "" {
			key, err := reviewNewTOTPKey(st.Username)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			secret = key.Secret()
		}
		sess.Values[sessStaffNewSecret] = secret
	}
	if err := s.sessions.Rotate(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/review/login/totp")
}

// staffLocked is the answer for a staff user name at the login throttle's hard cap (the same for
// an unknown name). Staff have no 忘记密码: an administrator clears the lock.
const staffLocked = "登录失败次数过多,账号已锁定。请联系系统管理员解锁。"

// throttleOK checks the login throttle of the user name (capped) and of the client (waits only);
// when attempts must wait, or the user name is locked, it records the message on f.
func (c *reviewConsole) throttleOK(w http.ResponseWriter, r *http.Request, f *formValues, userKey, clientKey string) bool {
	ctx := r.Context()
	ok, wait, locked, err := c.s.throttleCheck(ctx, c.s.svc.LoginThrottle, userKey)
	if err == nil && !locked {
		var okClient bool
		var waitClient time.Duration
		okClient, waitClient, err = c.s.throttleAllow(ctx, clientThrottle(c.s.svc.LoginThrottle), clientKey)
		ok, wait = ok && okClient, max(wait, waitClient)
	}
	if err != nil {
		c.s.log.Error("review throttle", slog.String("error", err.Error()))
		ok, wait, locked = false, time.Minute, false
	}
	if locked {
		f.Fail("password", staffLocked)
		return false
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		f.Fail("password", "登录失败次数过多,请 "+waitText(wait)+" 后再试。")
	}
	return ok
}

// throttleFail records a failed password or code for the user name (capped) and the client.
func (c *reviewConsole) throttleFail(ctx context.Context, userKey, clientKey string) error {
	if err := c.s.throttleFail(ctx, c.s.svc.LoginThrottle, userKey); err != nil {
		return err
	}
	return c.s.throttleFail(ctx, clientThrottle(c.s.svc.LoginThrottle), clientKey)
}

// pendingLogin is a login whose password was accepted and whose TOTP code is awaited.
type pendingLogin struct {
	Staff store.Staff
	// Secret is the TOTP secret the code is checked against; Enrol is set when it is a new one
	// being enrolled (the page shows its QR code).
	Secret string
	Enrol  bool
}

// pendingStaff returns the login of this session whose password was accepted in the last five
// minutes.
func (c *reviewConsole) pendingStaff(r *http.Request) (pendingLogin, bool, error) {
	sess, err := c.s.session(r)
	if err != nil {
		return pendingLogin{}, false, err
	}
	if stringValue(sess, sessKind) != kindStaffPending {
		return pendingLogin{}, false, nil
	}
	at, _ := strconv.ParseInt(stringValue(sess, sessStaffPendAt), 10, 64)
	if c.s.now().Sub(time.Unix(at, 0)) > staffPendingTTL {
		return pendingLogin{}, false, nil
	}
	id, _ := strconv.ParseInt(stringValue(sess, sessStaffPending), 10, 64)
	st, err := c.s.cfg.Store.StaffByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && st.Disabled {
		return pendingLogin{}, false, nil
	}
	if err != nil {
		return pendingLogin{}, false, err
	}
	p := pendingLogin{Staff: st, Secret: st.TOTPSecret}
	if st.TOTPEnrolledAt.IsZero() {
		p.Secret, p.Enrol = stringValue(sess, sessStaffNewSecret), true
		if p.Secret == "" {
			return pendingLogin{}, false, nil
		}
	}
	return p, true, nil
}

func (c *reviewConsole) totpPage(w http.ResponseWriter, r *http.Request) {
	p, ok, err := c.pendingStaff(r)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if !ok {
		c.s.redirect(w, r, "/review/login")
		return
	}
	c.s.render(w, r, http.StatusOK, ReviewTOTPPage(totpView(p, newForm(r))))
}

func totpView(p pendingLogin, f *formValues) staffLoginView {
	v := staffLoginView{Form: f, Username: p.Staff.Username, Enrol: p.Enrol}
	if v.Enrol {
		v.Secret = p.Secret
	}
	return v
}

// totpSubmit accepts a code valid within ±1 time step whose step is later than the last one
// accepted (a code works once), then starts the staff session with a new id.
func (c *reviewConsole) totpSubmit(w http.ResponseWriter, r *http.Request) {
	s := c.s
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	p, ok, err := c.pendingStaff(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.redirect(w, r, "/review/login")
		return
	}
	st := p.Staff
	f := newForm(r)
	v := totpView(p, f)
	userKey, clientKey := s.throttleKey("review:user", st.Username), s.clientKey("review", r)
	if !c.throttleOK(w, r, f, userKey, clientKey) {
		v.Error = f.Errs.For("password")
		s.render(w, r, http.StatusTooManyRequests, ReviewTOTPPage(v))
		return
	}
	step, valid := reviewCheckTOTP(f.Get("code"), p.Secret, s.now())
	if valid && p.Enrol {
		err = s.cfg.Store.EnrollStaffTOTP(ctx, st.ID, p.Secret, s.now())
	}
	if valid && err == nil {
		err = s.cfg.Store.AcceptTOTPCounter(ctx, st.ID, step)
	}
	replay := valid && errors.Is(err, store.ErrConflict)
	if !valid || replay {
		if err := c.throttleFail(ctx, userKey, clientKey); err != nil {
			s.fail(w, r, err)
			return
		}
		v.Error = "动态口令错误,请输入验证器上当前显示的 6 位数字。"
		if replay {
			v.Error = "该动态口令已使用过,请等待验证器显示新的口令后再输入。"
		}
		f.Fail("code", v.Error)
		s.render(w, r, http.StatusUnprocessableEntity, ReviewTOTPPage(v))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.throttleClear(ctx, userKey, clientKey); err != nil {
		s.fail(w, r, err)
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	clear(sess.Values)
	sess.Values[sessKind] = kindStaff
	sess.Values[sessStaff] = strconv.FormatInt(st.ID, 10)
	sess.Values[sessStaffRole] = string(st.Role)
	sess.Values[sessStaffSeen] = strconv.FormatInt(s.now().Unix(), 10)
	if err := s.sessions.Rotate(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/review")
}

// totpQR is the enrolment QR code (PNG) of the pending staff member, only while the
// authenticator is not enrolled.
func (c *reviewConsole) totpQR(w http.ResponseWriter, r *http.Request) {
	p, ok, err := c.pendingStaff(r)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	if !ok || !p.Enrol {
		c.s.notFound(w, r)
		return
	}
	key, err := reviewTotpKeyOf(p.Staff.Username, p.Secret)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	img, err := key.Image(240, 240)
	if err != nil {
		c.s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func (c *reviewConsole) logout(w http.ResponseWriter, r *http.Request) {
	if err := c.s.logOut(w, r); err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.redirect(w, r, "/review/login")
}

// reviewStaffActor is the registration actor of a staff member (0 for the administrator).
func reviewStaffActor(st store.Staff) registration.Actor { return reviewActor(st.Role) }

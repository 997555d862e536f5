package web

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// day formats a date in China time ("" for zero).
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(account.ChinaStandardTime).Format("2006-01-02")
}

// centreView is the model of the personal information centre (个人信息中心, manual §2).
type centreView struct {
	Form     *formValues
	Account  account.Account
	Certs    []certificate.Certificate
	Info     store.InfoCentre
	Locked   bool
	NewPhone string // the phone a code was sent to (masked), change-phone step 2
}

// centreModules are the seven modules of manual §2, in its order.
var centreModules = []struct{ Key, Title, Note string }{
	{"identity", "个人身份信息", "修改个人身份信息、实名核验、修改密码、修改手机号码。"},
	{"exam", "教师资格考试信息", "教师资格考试合格证明信息,由考试系统同步。"},
	{"mandarin", "普通话证书信息", "普通话水平测试等级证书信息,报名时可选择使用。"},
	{"education", "学历学籍信息", "最高学历及学籍信息。"},
	{"degree", "学位证书信息", "最高学位证书信息。"},
	{"certificates", "教师资格证书信息", "仅展示2008年及以后(广西壮族自治区2012年及以后)认定的教师资格证书。"},
	{"other", "其他证书信息", "其他与教师资格相关的证书。"},
}

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Applicant("GET /centre", s.centrePage)
		rt.Applicant("GET /centre/identity", s.identityPage)
		rt.Applicant("POST /centre/identity", s.identitySubmit)
		rt.Applicant("GET /centre/password", s.passwordPage)
		rt.Applicant("POST /centre/password", s.passwordSubmit)
		rt.Applicant("GET /centre/phone", s.phonePage)
		rt.Applicant("POST /centre/phone/code", s.phoneCode)
		rt.Applicant("POST /centre/phone", s.phoneSubmit)
	})
}

// identityView is the identity page's model: the account and the identity lock.
func (s *Server) identityView(r *http.Request) (centreView, error) {
	a, _ := CurrentAccount(r.Context())
	v := centreView{Form: newForm(r), Account: a.Account}
	var err error
	v.Locked, err = s.certificateInUse(r.Context(), a.ID)
	return v, err
}

// centreView is identityView plus the certificates and the information-centre records.
func (s *Server) centreView(r *http.Request) (centreView, error) {
	v, err := s.identityView(r)
	if err != nil {
		return v, err
	}
	a := v.Account
	if v.Certs, err = s.ownCertificates(r.Context(), a); err != nil {
		return v, err
	}
	v.Info, err = s.infoCentre(r.Context(), a)
	return v, err
}

// centrePage shows the seven modules.
func (s *Server) centrePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.centreView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, CentrePage(v))
}

// identityPage is 个人身份信息 with the name change (through real-name verification).
func (s *Server) identityPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.identityView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, IdentityPage(v))
}

// identitySubmit changes the name and e-mail. A refused real-name verification keeps the old name
// and says 实名审核失败,信息更新未成功 — the applicant carries on as before.
func (s *Server) identitySubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	v, err := s.identityView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(r)
	v.Form = f
	f.Required("name", "姓名", "email", "电子邮箱")
	if e := f.Get("email"); e != "" && !validEmail(e) {
		f.Fail("email", "电子邮箱格式不正确")
	}
	if !f.OK() {
		f.Errs = f.Sorted("name", "email")
		s.render(w, r, http.StatusUnprocessableEntity, IdentityPage(v))
		return
	}
	updated := v.Account
	if name := f.Get("name"); name != v.Account.Name {
		updated, err = account.ChangeName(ctx, s.svc.Verifier, v.Account, name, v.Locked)
		switch {
		case errors.Is(err, account.ErrIdentityLocked):
			f.FailErr("name", err)
			s.render(w, r, http.StatusConflict, IdentityPage(v))
			return
		case errors.Is(err, account.ErrRealNameFailed):
			// The old name stays; the rest of the form is not applied either.
			f.Fail("name", "实名审核失败,信息更新未成功。您仍可正常办理业务,如确需修改,可参照页面右侧说明开通网证,再进行实名审核。")
			s.render(w, r, http.StatusUnprocessableEntity, IdentityPage(v))
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
	}
	updated.Email = f.Get("email")
	if err := s.cfg.Store.UpdateAccount(ctx, updated); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "ok", "修改成功。请注意更新您的证书及报名信息(点击修改后直接提交即可;证书信息以实际情况为准,如无错误则不需变更)。")
	s.redirect(w, r, "/centre/identity")
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	v, _ := s.centreViewLight(r)
	s.render(w, r, http.StatusOK, PasswordPage(v))
}

func (s *Server) centreViewLight(r *http.Request) (centreView, bool) {
	a, ok := CurrentAccount(r.Context())
	return centreView{Form: newForm(r), Account: a.Account}, ok
}

// passwordSubmit is 修改密码: the current password, then the new one twice. Other sessions of the
// account end and this one gets a new id.
func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	v, _ := s.centreViewLight(r)
	f := newForm(r)
	v.Form = f
	f.Required("current", "当前密码", "password", "新密码", "password2", "确认新密码")
	if f.Raw("password2") != "" && f.Raw("password") != f.Raw("password2") {
		f.Fail("password2", "两次输入的密码不一致")
	}
	if f.Raw("password") != "" {
		if err := account.CheckPassword(f.Raw("password"), v.Account.DocNumber); err != nil {
			f.FailErr("password", err)
		}
	}
	key := s.throttleKey("password:acct", v.Account.DocNumber)
	if f.Raw("current") != "" {
		ok, wait, locked, err := s.throttleCheck(ctx, s.svc.LoginThrottle, key)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if locked {
			f.Fail("current", account.ErrLocked.Error())
		} else if !ok {
			f.Fail("current", "尝试次数过多,请 "+waitText(wait)+" 后再试。")
		} else if match, err := s.svc.Hasher.VerifyContext(ctx, f.Raw("current"), v.Account.PasswordHash); err != nil || !match {
			if err := s.throttleFail(ctx, s.svc.LoginThrottle, key); err != nil {
				s.fail(w, r, err)
				return
			}
			f.Fail("current", "当前密码不正确")
		}
	}
	if !f.OK() {
		f.Errs = f.Sorted("current", "password", "password2")
		s.render(w, r, http.StatusUnprocessableEntity, PasswordPage(v))
		return
	}
	hash, err := s.svc.Hasher.HashContext(ctx, f.Raw("password"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Store.SetPassword(ctx, v.Account.ID, hash, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	// The password did change, so the page says so even when the throttle keys (the password-change
	// key and the login key) could not be cleared; the failure is logged (no personal data), and
	// the keys then expire on their own or clear at the next successful login.
	if err := s.unlockAccount(ctx, v.Account); err != nil {
		s.log.Error("clear login throttle after password change", slog.String("error", err.Error()))
	}
	if _, err := s.cfg.Store.DeleteSessionsForAccount(ctx, v.Account.ID, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.rotateSession(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "ok", "密码已修改。其他设备上的登录已失效。")
	s.redirect(w, r, "/centre/identity")
}

// sessNewPhone is the phone a change-phone code was sent to (server-side only).
const sessNewPhone = "new_phone"

func (s *Server) phonePage(w http.ResponseWriter, r *http.Request) {
	v, _ := s.centreViewLight(r)
	if sess, err := s.session(r); err == nil {
		if p := stringValue(sess, sessNewPhone); p != "" {
			v.NewPhone = account.MaskPhone(p)
		}
	}
	s.render(w, r, http.StatusOK, PhonePage(v))
}

// phoneCode sends the code to the new phone (throttled per phone and client).
func (s *Server) phoneCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, _ := s.centreViewLight(r)
	f := newForm(r)
	v.Form = f
	phone, err := account.ParsePhone(f.Get("phone"))
	switch {
	case f.Get("phone") == "":
		f.Fail("phone", "请填写新手机号码")
	case err != nil:
		f.FailErr("phone", err)
	case phone == v.Account.Phone:
		f.Fail("phone", "新手机号码与当前手机号码相同")
	}
	if !f.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, PhonePage(v))
		return
	}
	if !s.sendAllowed(w, r, s.clientKey("sms", r), s.throttleKey("sms:phone", phone)) {
		return
	}
	if err := s.svc.Codes.Send(r.Context(), phone, account.PurposeChangePhone); err != nil {
		if _, _, known := classify(err); !known {
			s.fail(w, r, err)
			return
		}
		f.FailErr("phone", err)
		s.render(w, r, http.StatusTooManyRequests, PhonePage(v))
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sess.Values[sessNewPhone] = phone
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/centre/phone")
}

// phoneSubmit checks the code sent to the new phone and stores it.
func (s *Server) phoneSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	v, _ := s.centreViewLight(r)
	f := newForm(r)
	v.Form = f
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	phone := stringValue(sess, sessNewPhone)
	if phone == "" {
		s.redirect(w, r, "/centre/phone")
		return
	}
	v.NewPhone = account.MaskPhone(phone)
	f.Required("code", "短信验证码")
	if f.OK() {
		if err := s.svc.Codes.Check(ctx, phone, account.PurposeChangePhone, f.Get("code")); err != nil {
			if _, _, known := classify(err); !known {
				s.fail(w, r, err)
				return
			}
			f.FailErr("code", err)
		}
	}
	if !f.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, PhonePage(v))
		return
	}
	updated := v.Account
	updated.Phone = phone
	if err := s.cfg.Store.UpdateAccount(ctx, updated); err != nil {
		s.fail(w, r, err)
		return
	}
	delete(sess.Values, sessNewPhone)
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, r, "ok", "手机号码已修改。")
	s.redirect(w, r, "/centre/identity")
}

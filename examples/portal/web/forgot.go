package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// Password reset (忘记密码, manual §1.2.2). Identification (document type + number + name) gives a
// signed ticket kept in the server-side session, never in a URL; then one of three ways: e-mail
// link (24 h), SMS code, or WeChat (simulated QR code). Answers never say which of the three
// identification fields was wrong, and an unknown document answers like a wrong name.

// Session keys of the reset flow.
const (
	sessResetTicket  = "reset_ticket"
	sessResetAccount = "reset_account" // account id, to end its other sessions afterwards
	sessResetEmail   = "reset_email"   // masked
	sessResetPhone   = "reset_phone"   // masked
	sessResetWeChat  = "reset_wechat"  // "1" when linked
	sessResetToken   = "reset_token"   // the e-mail link's token after the link was opened
)

// forgotView is the model of every page of the reset flow.
type forgotView struct {
	Form   *formValues
	Email  string // masked
	Phone  string // masked
	WeChat bool
	QR     string // data: URL of the simulated WeChat QR code
	Sent   string // what was sent where
}

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Public("GET /password/forgot", s.forgotPage)
		rt.Public("POST /password/forgot", s.forgotSubmit)
		rt.Public("GET /password/forgot/method", s.forgotMethodPage)
		rt.Public("POST /password/forgot/email", s.forgotEmail)
		rt.Public("POST /password/forgot/sms", s.forgotSMS)
		rt.Public("GET /password/forgot/sms", s.forgotSMSPage)
		rt.Public("POST /password/forgot/sms/complete", s.forgotSMSComplete)
		rt.Public("GET /password/forgot/wechat", s.forgotWeChatPage)
		rt.Public("POST /password/forgot/wechat", s.forgotWeChatComplete)
		rt.Public("GET /password/reset/{token}", s.resetLink)
		rt.Public("GET /password/reset", s.resetPage)
		rt.Public("POST /password/reset", s.resetSubmit)
	})
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, ForgotPage(forgotView{Form: newForm(r)}))
}

func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	again := func(status int) {
		f.Errs = f.Sorted("doc_type", "doc_number", "name")
		s.render(w, r, status, ForgotPage(forgotView{Form: f}))
	}
	f.Required("doc_number", "证件号码", "name", "姓名")
	docType, err := account.ParseDocType(f.Get("doc_type"))
	if err != nil {
		f.Fail("doc_type", "请选择证件类型")
	}
	if !f.OK() {
		again(http.StatusUnprocessableEntity)
		return
	}
	clientKey := s.clientKey("reset", r)
	ok, wait, err := s.throttleAllow(ctx, clientThrottle(s.svc.LoginThrottle), clientKey)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		f.Fail("name", "尝试次数过多,请 "+waitText(wait)+" 后再试。")
		again(http.StatusTooManyRequests)
		return
	}
	rt, err := s.svc.Reset.Begin(ctx, docType, f.Get("doc_number"), f.Get("name"))
	switch {
	case errors.Is(err, account.ErrInvalidDocument):
		f.FailErr("doc_number", err)
	case errors.Is(err, account.ErrResetMismatch):
		if err := s.throttleFail(ctx, clientThrottle(s.svc.LoginThrottle), clientKey); err != nil {
			s.fail(w, r, err)
			return
		}
		f.FailErr("name", err)
	case errors.Is(err, account.ErrResetUnavailable):
		f.FailErr("doc_number", err)
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if !f.OK() {
		again(http.StatusUnprocessableEntity)
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canonical, _ := account.ValidateDocumentAt(docType, f.Get("doc_number"), s.now())
	if a, err := s.cfg.Store.AccountByDocument(ctx, docType, canonical); err == nil {
		sess.Values[sessResetAccount] = strconv.FormatInt(a.ID, 10)
	}
	sess.Values[sessResetTicket] = rt.Ticket
	sess.Values[sessResetEmail] = rt.Email
	sess.Values[sessResetPhone] = rt.Phone
	sess.Values[sessResetWeChat] = ""
	if rt.WeChat {
		sess.Values[sessResetWeChat] = "1"
	}
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/password/forgot/method")
}

// resetState returns the reset flow's view from the session, or false (then the person is sent
// back to the start).
func (s *Server) resetState(w http.ResponseWriter, r *http.Request) (forgotView, string, bool) {
	sess, err := s.session(r)
	if err != nil || stringValue(sess, sessResetTicket) == "" {
		s.setFlash(w, r, "warn", account.ErrTicketInvalid.Error())
		s.redirect(w, r, "/password/forgot")
		return forgotView{}, "", false
	}
	v := forgotView{Form: newForm(r), Email: stringValue(sess, sessResetEmail), Phone: stringValue(sess, sessResetPhone),
		WeChat: stringValue(sess, sessResetWeChat) == "1"}
	return v, stringValue(sess, sessResetTicket), true
}

func (s *Server) forgotMethodPage(w http.ResponseWriter, r *http.Request) {
	v, _, ok := s.resetState(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, ForgotMethodPage(v))
}

// sendAllowed applies the send throttle (per client and per identified account) and counts the
// send; it answers the 429 page itself when the limit is reached.
func (s *Server) sendAllowed(w http.ResponseWriter, r *http.Request, keys ...string) bool {
	ok, wait, err := s.throttleAllow(r.Context(), sendThrottle, keys...)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		s.errorPage(w, r, http.StatusTooManyRequests, "发送过于频繁,请 "+waitText(wait)+" 后再试。")
		return false
	}
	if err := s.throttleFail(r.Context(), sendThrottle, keys...); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

func (s *Server) resetSendKeys(r *http.Request, kind string) []string {
	keys := []string{s.clientKey(kind, r)}
	if sess, err := s.session(r); err == nil {
		if id := stringValue(sess, sessResetAccount); id != "" {
			keys = append(keys, s.throttleKey(kind+":acct", id))
		}
	}
	return keys
}

func (s *Server) forgotEmail(w http.ResponseWriter, r *http.Request) {
	v, ticket, ok := s.resetState(w, r)
	if !ok || !s.sendAllowed(w, r, s.resetSendKeys(r, "reset-mail")...) {
		return
	}
	if err := s.svc.Reset.SendEmailLink(r.Context(), ticket); err != nil {
		s.resetFailed(w, r, v, err)
		return
	}
	v.Sent = "密码重置邮件已发送至 " + v.Email + ",请在24小时内点击邮件中的链接重置密码。"
	s.render(w, r, http.StatusOK, ForgotSentPage(v))
}

func (s *Server) forgotSMS(w http.ResponseWriter, r *http.Request) {
	v, ticket, ok := s.resetState(w, r)
	if !ok || !s.sendAllowed(w, r, s.resetSendKeys(r, "reset-sms")...) {
		return
	}
	if err := s.svc.Reset.SendSMSCode(r.Context(), ticket); err != nil && !errors.Is(err, account.ErrCodeTooSoon) {
		s.resetFailed(w, r, v, err)
		return
	}
	s.redirect(w, r, "/password/forgot/sms")
}

func (s *Server) forgotSMSPage(w http.ResponseWriter, r *http.Request) {
	v, _, ok := s.resetState(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, ForgotCodePage(v))
}

func (s *Server) forgotSMSComplete(w http.ResponseWriter, r *http.Request) {
	v, ticket, ok := s.resetState(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := newForm(r)
	v.Form = f
	f.Required("code", "短信验证码", "password", "新密码", "password2", "确认新密码")
	if f.Raw("password2") != "" && f.Raw("password") != f.Raw("password2") {
		f.Fail("password2", "两次输入的密码不一致")
	}
	if f.OK() {
		err := s.svc.Reset.CompleteWithCode(r.Context(), ticket, f.Get("code"), f.Raw("password"))
		if err == nil {
			s.resetDone(w, r)
			return
		}
		if errors.Is(err, account.ErrWeakPassword) {
			f.FailErr("password", err)
		} else if _, _, known := classify(err); known {
			f.FailErr("code", err)
		} else {
			s.fail(w, r, err)
			return
		}
	}
	f.Errs = f.Sorted("code", "password", "password2")
	s.render(w, r, http.StatusUnprocessableEntity, ForgotCodePage(v))
}

func (s *Server) forgotWeChatPage(w http.ResponseWriter, r *http.Request) {
	v, ticket, ok := s.resetState(w, r)
	if !ok {
		return
	}
	if !v.WeChat {
		s.resetFailed(w, r, v, account.ErrWeChatNotLinked)
		return
	}
	v.QR = simulatedQR(ticket)
	s.render(w, r, http.StatusOK, ForgotWeChatPage(v))
}

func (s *Server) forgotWeChatComplete(w http.ResponseWriter, r *http.Request) {
	v, ticket, ok := s.resetState(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := newForm(r)
	v.Form = f
	v.QR = simulatedQR(ticket)
	f.Required("password", "新密码", "password2", "确认新密码")
	if f.Raw("password2") != "" && f.Raw("password") != f.Raw("password2") {
		f.Fail("password2", "两次输入的密码不一致")
	}
	if f.OK() {
		err := s.svc.Reset.CompleteWithWeChat(r.Context(), ticket, f.Raw("password"))
		if err == nil {
			s.resetDone(w, r)
			return
		}
		if _, _, known := classify(err); !known {
			s.fail(w, r, err)
			return
		}
		f.FailErr("password", err)
	}
	f.Errs = f.Sorted("password", "password2")
	s.render(w, r, http.StatusUnprocessableEntity, ForgotWeChatPage(v))
}

// resetLink opens an e-mail link: the token moves into the session and the browser goes on to a
// URL without it (so it stays out of history and logs).
func (s *Server) resetLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.svc.Reset.CheckToken(r.Context(), token); err != nil {
		s.fail(w, r, err)
		return
	}
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sess.Values[sessResetToken] = token
	if h, err := account.ParseResetToken(token); err == nil {
		if t, err := s.cfg.Store.ResetTokenByHash(r.Context(), h); err == nil {
			sess.Values[sessResetAccount] = strconv.FormatInt(t.AccountID, 10)
		}
	}
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/password/reset", http.StatusSeeOther)
}

func (s *Server) resetToken(r *http.Request) string {
	sess, err := s.session(r)
	if err != nil {
		return ""
	}
	return stringValue(sess, sessResetToken)
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) {
	if s.resetToken(r) == "" {
		s.errorPage(w, r, http.StatusGone, account.ErrTokenInvalid.Error())
		return
	}
	s.render(w, r, http.StatusOK, ResetPage(forgotView{Form: newForm(r)}))
}

func (s *Server) resetSubmit(w http.ResponseWriter, r *http.Request) {
	token := s.resetToken(r)
	if token == "" {
		s.errorPage(w, r, http.StatusGone, account.ErrTokenInvalid.Error())
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	f := newForm(r)
	f.Required("password", "新密码", "password2", "确认新密码")
	if f.Raw("password2") != "" && f.Raw("password") != f.Raw("password2") {
		f.Fail("password2", "两次输入的密码不一致")
	}
	if f.OK() {
		err := s.svc.Reset.CompleteWithToken(r.Context(), token, f.Raw("password"))
		if err == nil {
			s.resetDone(w, r)
			return
		}
		if !errors.Is(err, account.ErrWeakPassword) {
			s.fail(w, r, err)
			return
		}
		f.FailErr("password", err)
	}
	f.Errs = f.Sorted("password", "password2")
	s.render(w, r, http.StatusUnprocessableEntity, ResetPage(forgotView{Form: f}))
}

// resetDone ends every session of the account (a stolen session dies with the old password),
// clears the flow from this session and shows the result.
func (s *Server) resetDone(w http.ResponseWriter, r *http.Request) {
	sess, err := s.session(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if id, err := strconv.ParseInt(stringValue(sess, sessResetAccount), 10, 64); err == nil {
		if _, err := s.cfg.Store.DeleteSessionsForAccount(r.Context(), id, ""); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
		// The new password unlocks the login throttle (account.ErrLocked sends people here).
		a, err := s.cfg.Store.AccountByID(r.Context(), id)
		if err == nil {
			err = s.unlockAccount(r.Context(), a)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
	}
	for _, k := range []string{sessResetTicket, sessResetAccount, sessResetEmail, sessResetPhone, sessResetWeChat, sessResetToken} {
		delete(sess.Values, k)
	}
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, ResetDonePage())
}

// resetFailed shows a domain refusal (no e-mail on file, WeChat not linked, ticket expired) on the
// method page.
func (s *Server) resetFailed(w http.ResponseWriter, r *http.Request, v forgotView, err error) {
	status, msg, known := classify(err)
	if !known {
		s.fail(w, r, err)
		return
	}
	if errors.Is(err, account.ErrTicketInvalid) {
		s.setFlash(w, r, "warn", msg)
		s.redirect(w, r, "/password/forgot")
		return
	}
	v.Form.Fail("method", msg)
	s.render(w, r, status, ForgotMethodPage(v))
}

// simulatedQR draws a QR-like picture (not a real QR code) from the ticket, as the stand-in for
// the WeChat service account's code, and returns it as a data: URL.
func simulatedQR(ticket string) string {
	const n, scale = 25, 6
	sum := sha256.Sum256([]byte("wechat:" + ticket))
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	finder := func(x, y int) bool {
		for _, c := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
			dx, dy := x-c[0], y-c[1]
			if dx >= 0 && dx < 7 && dy >= 0 && dy < 7 {
				return dx == 0 || dy == 0 || dx == 6 || dy == 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4)
			}
		}
		return false
	}
	inFinderZone := func(x, y int) bool {
		return (x < 8 && y < 8) || (x >= n-8 && y < 8) || (x < 8 && y >= n-8)
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			bit := (y*n + x) % 256
			dark := finder(x, y) || (!inFinderZone(x, y) && sum[bit/8]>>(bit%8)&1 == 1 != ((x*y)%3 == 0))
			if !dark {
				continue
			}
			for py := y * scale; py < (y+1)*scale; py++ {
				for px := x * scale; px < (x+1)*scale; px++ {
					img.SetGray(px, py, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

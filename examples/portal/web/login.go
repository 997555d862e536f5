package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/templates"
)

// Session keys of the login captcha: the challenge's id and its two PNGs (base64), kept
// server-side so any app server can serve the images of the challenge it did not issue.
const (
	sessCaptchaID    = "captcha_id"
	sessCaptchaBG    = "captcha_bg"
	sessCaptchaPiece = "captcha_piece"
)

// loginFailed is the one answer for an unknown document and a wrong password (no enumeration).
const loginFailed = "证件号码或密码错误"

// loginView is the login page's model.
type loginView struct {
	Form      *formValues
	DocType   string
	DocNumber string
	Next      string
	Captcha   captchaView
	// Locked is the throttle's message when attempts must wait.
	Locked string
}

// captchaView is what the page shows of a challenge (the images come from their own URL).
type captchaView struct {
	ID        string
	Kind      account.CaptchaKind
	Prompt    string
	Width     int
	Height    int
	PieceSize int
	PieceY    int
	Error     string
}

// Slider reports whether the challenge is the drag puzzle.
func (c captchaView) Slider() bool { return c.Kind == account.CaptchaSlider }

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Public("GET /login", s.loginPage)
		rt.Public("POST /login", s.loginSubmit)
		rt.Public("GET /login/captcha/{id}/{part}", s.captchaImage)
		rt.Public("POST /logout", s.logoutSubmit)
	})
}

// issueCaptcha makes a new challenge of the kind the page asked for and keeps its images in the
// session.
func (s *Server) issueCaptcha(w http.ResponseWriter, r *http.Request, text bool) (captchaView, error) {
	c := s.svc.Captcha
	if text {
		c = s.svc.TextCaptcha
	}
	ch, err := c.Issue(r.Context(), s.now())
	if err != nil {
		return captchaView{}, err
	}
	sess, err := s.session(r)
	if err != nil {
		return captchaView{}, err
	}
	sess.Values[sessCaptchaID] = ch.ID
	sess.Values[sessCaptchaBG] = base64.StdEncoding.EncodeToString(ch.Background)
	sess.Values[sessCaptchaPiece] = base64.StdEncoding.EncodeToString(ch.Piece)
	if err := s.sessions.Save(r, w, sess); err != nil {
		return captchaView{}, err
	}
	return captchaView{ID: ch.ID, Kind: ch.Kind, Prompt: ch.Prompt, Width: ch.Width, Height: ch.Height,
		PieceSize: ch.PieceSize, PieceY: ch.PieceY}, nil
}

// loginPage is 登录: document type and number, password, slider puzzle (?captcha=text: the typed
// alternative).
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := CurrentAccount(r.Context()); ok {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/platform"), http.StatusSeeOther)
		return
	}
	v := loginView{Form: newForm(r), DocType: account.DocResidentID.Code(), Next: localPath(r.URL.Query().Get("next"), "")}
	var err error
	if v.Captcha, err = s.issueCaptcha(w, r, r.URL.Query().Get("captcha") == "text"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, LoginPage(v))
}

// captchaImage serves the background or the piece of the session's current challenge.
func (s *Server) captchaImage(w http.ResponseWriter, r *http.Request) {
	sess, err := s.session(r)
	if err != nil || stringValue(sess, sessCaptchaID) != r.PathValue("id") {
		s.notFound(w, r)
		return
	}
	key := map[string]string{"background.png": sessCaptchaBG, "piece.png": sessCaptchaPiece}[r.PathValue("part")]
	b, err := base64.StdEncoding.DecodeString(stringValue(sess, key))
	if key == "" || err != nil || len(b) == 0 {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// loginSubmit checks throttle, captcha, document and password, in that order. An unknown
// document and a wrong password get the same answer after the same work (a dummy hash).
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	v := loginView{Form: f, DocType: f.Get("doc_type"), DocNumber: f.Get("doc_number"), Next: localPath(f.Get("next"), "")}
	textCaptcha := f.Get("captcha_kind") == kindCode(account.CaptchaText)
	answer := func(status int) {
		var err error
		if v.Captcha, err = s.issueCaptcha(w, r, textCaptcha); err != nil {
			s.fail(w, r, err)
			return
		}
		v.Captcha.Error = f.Errs.For("captcha_answer")
		f.Errs = f.Sorted("doc_type", "doc_number", "password", "captcha_answer")
		s.render(w, r, status, LoginPage(v))
	}

	f.Required("doc_number", "证件号码", "password", "密码")
	docType, err := account.ParseDocType(v.DocType)
	if err != nil {
		f.Fail("doc_type", "请选择证件类型")
	}
	if f.Get("captcha_answer") == "" {
		if textCaptcha {
			f.Fail("captcha_answer", "请填写验证问题的答案")
		} else {
			f.Fail("captcha_answer", "请拖动滑块完成拼图验证")
		}
	}
	if !f.OK() {
		answer(http.StatusUnprocessableEntity)
		return
	}

	acctKey := s.loginAcctKey(docType, v.DocNumber)
	clientKey := s.clientKey("login", r)
	acctThrottle, clientThrottle := s.svc.LoginThrottle, clientThrottle(s.svc.LoginThrottle)
	ok, wait, locked, err := s.throttleCheck(ctx, acctThrottle, acctKey)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if locked {
		// The same answer for an unknown account: its key locks the same way.
		v.Locked = account.ErrLocked.Error()
		f.Fail("password", v.Locked)
		answer(http.StatusTooManyRequests)
		return
	}
	okClient, waitClient, err := s.throttleAllow(ctx, clientThrottle, clientKey)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok, wait = ok && okClient, max(wait, waitClient); !ok {
		v.Locked = "登录失败次数过多,请 " + waitText(wait) + " 后再试。"
		f.Fail("password", v.Locked)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		answer(http.StatusTooManyRequests)
		return
	}

	captcha := s.svc.Captcha
	if textCaptcha {
		captcha = s.svc.TextCaptcha
	}
	if err := captcha.Verify(ctx, f.Get("captcha_id"), f.Get("captcha_answer"), s.now()); err != nil {
		if _, _, known := classify(err); !known {
			s.fail(w, r, err)
			return
		}
		f.FailErr("captcha_answer", err)
		if err := s.throttleFail(ctx, clientThrottle, clientKey); err != nil {
			s.fail(w, r, err)
			return
		}
		answer(http.StatusUnprocessableEntity)
		return
	}

	id, err := s.checkPassword(r, docType, v.DocNumber, f.Raw("password"))
	if errors.Is(err, errLoginFailed) {
		nowLocked, err := s.throttleFailKey(ctx, acctThrottle, acctKey)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if nowLocked { // this failure reached the hard cap: the key was not locked a moment ago
			s.warnLocked(ctx, docType, v.DocNumber)
		}
		if err := s.throttleFail(ctx, clientThrottle, clientKey); err != nil {
			s.fail(w, r, err)
			return
		}
		f.Fail("password", loginFailed)
		answer(http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.throttleClear(ctx, acctKey, clientKey); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.logIn(w, r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, localPath(v.Next, "/platform"))
}

var errLoginFailed = errors.New(loginFailed)

// checkPassword returns the account id for the document and password, or errLoginFailed for an
// unknown document, a malformed one, or a wrong password — after the same hashing work.
func (s *Server) checkPassword(r *http.Request, t account.DocType, number, password string) (int64, error) {
	ctx := r.Context()
	canonical, err := account.ValidateDocumentAt(t, number, s.now())
	if err != nil {
		_ = s.svc.Hasher.DummyVerifyContext(ctx, password)
		return 0, errLoginFailed
	}
	a, err := s.cfg.Store.AccountByDocument(ctx, t, canonical)
	if errors.Is(err, account.ErrNotFound) {
		_ = s.svc.Hasher.DummyVerifyContext(ctx, password)
		return 0, errLoginFailed
	}
	if err != nil {
		return 0, err
	}
	ok, err := s.svc.Hasher.VerifyContext(ctx, password, a.PasswordHash)
	if err != nil || !ok {
		return 0, errLoginFailed
	}
	if s.svc.Hasher.NeedsRehash(a.PasswordHash) {
		if h, err := s.svc.Hasher.HashContext(ctx, password); err == nil {
			_ = s.cfg.Store.SetPassword(ctx, a.ID, h, a.PasswordChangedAt)
		}
	}
	return a.ID, nil
}

// logoutSubmit is 退出: the session is destroyed server-side.
func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.logOut(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/")
}

func loginFields(v loginView) (docType, docNumber, password templates.Field) {
	docType = v.Form.field("doc_type", "证件类型")
	docType.Value = v.DocType
	docType.Options = docTypeOptions()
	docType.Required = true
	docNumber = v.Form.field("doc_number", "账号(证件号码)")
	docNumber.Value = v.DocNumber
	docNumber.Autocomplete = "username"
	docNumber.Required = true
	docNumber.MaxLength = 32
	password = v.Form.field("password", "密码")
	password.Type = "password"
	password.Autocomplete = "current-password"
	password.Required = true
	password.MaxLength = 128
	return
}

func kindCode(k account.CaptchaKind) string { return strconv.Itoa(int(k)) }

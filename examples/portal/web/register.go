package web

import (
	"errors"
	"net/http"
	"net/mail"
	"unicode/utf8"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/templates"
)

// Registering an account does not reveal whether a document is registered already: a new account
// and an existing document get the same page ("if the details are valid you can now log in"),
// after the same work (the password is hashed first in both cases). The owner of an existing
// account is told by e-mail that someone tried to register with their document. Only checks that
// depend on the typed input alone (formats, password policy, real-name verification of name and
// number) answer with field errors.

// registerView is the register page's model.
type registerView struct {
	Form *formValues
	Done bool
}

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Public("GET /register", s.registerPage)
		rt.Public("POST /register", s.registerSubmit)
	})
}

var registerOrder = []string{"doc_type", "doc_number", "name", "phone", "email", "password", "password2"}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, RegisterPage(registerView{Form: newForm(r)}))
}

func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	f.Required("doc_number", "证件号码", "name", "姓名", "phone", "手机号码", "email", "电子邮箱", "password", "密码", "password2", "确认密码")
	docType, err := account.ParseDocType(f.Get("doc_type"))
	if err != nil {
		f.Fail("doc_type", "请选择证件类型")
	}
	var canonical string
	if f.Get("doc_number") != "" && err == nil {
		if canonical, err = account.ValidateDocumentAt(docType, f.Get("doc_number"), s.now()); err != nil {
			f.FailErr("doc_number", err)
		}
	}
	name := f.Get("name")
	if n := utf8.RuneCountInString(name); name != "" && (n < 2 || n > 30) {
		f.Fail("name", "姓名应为2到30个字")
	}
	phone, err := account.ParsePhone(f.Get("phone"))
	if f.Get("phone") != "" && err != nil {
		f.FailErr("phone", err)
	}
	email := f.Get("email")
	if email != "" && !validEmail(email) {
		f.Fail("email", "电子邮箱格式不正确")
	}
	pw := f.Raw("password")
	if pw != "" {
		if err := account.CheckPassword(pw, canonical); err != nil {
			f.FailErr("password", err)
		}
	}
	if f.Raw("password2") != "" && pw != f.Raw("password2") {
		f.Fail("password2", "两次输入的密码不一致")
	}
	if f.OK() {
		if err := s.svc.Verifier.Verify(ctx, docType, canonical, name); err != nil {
			if !errors.Is(err, account.ErrRealNameFailed) {
				s.fail(w, r, err)
				return
			}
			f.Fail("name", "实名核验未通过:姓名与证件号码不一致,请核对后重新填写")
		}
	}
	if !f.OK() {
		f.Errs = f.Sorted(registerOrder...)
		s.render(w, r, http.StatusUnprocessableEntity, RegisterPage(registerView{Form: f}))
		return
	}
	hash, err := s.svc.Hasher.HashContext(ctx, pw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.now()
	_, err = s.cfg.Store.CreateAccount(ctx, account.Account{
		DocType: docType, DocNumber: canonical, Name: name, Phone: phone, Email: email,
		RegisteredAt: now, PasswordHash: hash, PasswordChangedAt: now, RealNameVerified: true,
	})
	switch {
	case errors.Is(err, store.ErrDuplicate):
		s.warnOwner(ctx, docType, canonical)
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, RegisterPage(registerView{Form: newForm(r), Done: true}))
}

func registerFields(f *formValues) []templates.Field {
	docType := f.field("doc_type", "证件类型")
	if docType.Value == "" {
		docType.Value = account.DocResidentID.Code()
	}
	docType.Options = docTypeOptions()
	docType.Required = true
	docNumber := f.field("doc_number", "证件号码")
	docNumber.Required, docNumber.MaxLength, docNumber.Autocomplete = true, 32, "username"
	docNumber.Hint = "注册后证件号码即为登录账号。"
	name := f.field("name", "姓名")
	name.Required, name.MaxLength, name.Autocomplete = true, 30, "name"
	name.Hint = "须与证件上的姓名一致,将进行实名核验。"
	phone := f.field("phone", "手机号码")
	phone.Type, phone.Required, phone.Autocomplete, phone.InputMode, phone.MaxLength = "tel", true, "tel", "numeric", 20
	email := f.field("email", "电子邮箱")
	email.Type, email.Required, email.Autocomplete, email.MaxLength = "email", true, "email", 100
	email.Hint = "用于找回密码。"
	pw := f.field("password", "密码")
	pw.Type, pw.Required, pw.Autocomplete, pw.MaxLength = "password", true, "new-password", 128
	pw.Hint = "至少8个字符,不能与证件号码相同,不能使用常见密码。"
	pw2 := f.field("password2", "确认密码")
	pw2.Type, pw2.Required, pw2.Autocomplete, pw2.MaxLength = "password", true, "new-password", 128
	return []templates.Field{docType, docNumber, name, phone, email, pw, pw2}
}

// validEmail accepts a bare address (no display name) of at most 100 bytes.
func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && len(e) <= 100
}

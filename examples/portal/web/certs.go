package web

import (
	"net/http"
	"strings"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// certsView is the model of the certificate query pages (证书查询, manual §1.1.2).
type certsView struct {
	Form     *formValues
	LoggedIn bool
	Certs    []certificate.Certificate
	Cert     certificate.Certificate
	// Searched is true once an other-query ran (Certs may be empty: the not-found answer).
	Searched bool
	// Holder is the masked holder line of an other-query answer.
	HolderName string
	HolderDoc  string
	// CodeSent is true right after the SMS code went out.
	CodeSent bool
}

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Public("GET /certificates", s.certsPage)
		rt.Applicant("GET /certificates/{number}", s.certDetailPage)
		rt.Public("GET /certificates/other", s.otherQueryPage)
		rt.Public("POST /certificates/other/code", s.otherQueryCode)
		rt.Public("POST /certificates/other", s.otherQuerySubmit)
	})
}

// certsPage is 本人查询: the logged-in applicant's certificates; others are asked to log in.
func (s *Server) certsPage(w http.ResponseWriter, r *http.Request) {
	v := certsView{Form: newForm(r)}
	if a, ok := CurrentAccount(r.Context()); ok {
		v.LoggedIn = true
		var err error
		if v.Certs, err = s.ownCertificates(r.Context(), a.Account); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, CertsPage(v))
}

// certDetailPage shows one of the applicant's own certificates; anyone else's number is 404.
func (s *Server) certDetailPage(w http.ResponseWriter, r *http.Request) {
	a, _ := CurrentAccount(r.Context())
	certs, err := s.ownCertificates(r.Context(), a.Account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range certs {
		if c.Number.String() == r.PathValue("number") {
			s.render(w, r, http.StatusOK, CertDetailPage(certsView{Cert: c}))
			return
		}
	}
	s.fail(w, r, errNotFound)
}

var otherOrder = []string{"name", "doc_type", "doc_number", "phone", "code"}

func (s *Server) otherQueryPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, OtherQueryPage(certsView{Form: newForm(r)}))
}

// otherQuery reads and checks the form; the problems are recorded on f.
func otherQuery(f *formValues) certificate.OtherQuery {
	docType, _ := account.ParseDocType(f.Get("doc_type"))
	q := certificate.OtherQuery{Name: f.Get("name"), DocType: docType, DocNumber: f.Get("doc_number"), Phone: f.Get("phone")}
	for _, p := range q.Problems() {
		f.Fail(string(p.Field), p.Message)
	}
	return q
}

// otherQueryCode sends the SMS code that proves the phone (throttled per phone and client).
func (s *Server) otherQueryCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := newForm(r)
	phone, err := account.ParsePhone(f.Get("phone"))
	if err != nil {
		f.FailErr("phone", err)
		f.Errs = f.Sorted(otherOrder...)
		s.render(w, r, http.StatusUnprocessableEntity, OtherQueryPage(certsView{Form: f}))
		return
	}
	if !s.sendAllowed(w, r, s.clientKey("sms", r), s.throttleKey("sms:phone", phone)) {
		return
	}
	if err := s.svc.Codes.Send(r.Context(), phone, account.PurposeOtherQuery); err != nil {
		if _, _, known := classify(err); !known {
			s.fail(w, r, err)
			return
		}
		f.FailErr("code", err)
		s.render(w, r, http.StatusTooManyRequests, OtherQueryPage(certsView{Form: f}))
		return
	}
	s.render(w, r, http.StatusOK, OtherQueryPage(certsView{Form: f, CodeSent: true}))
}

// otherQuerySubmit is 其他查询: every field checked, the SMS code verified, then the holder's
// certificates with the document number masked. No match answers the same way for an unknown
// person and for a known one with different details.
func (s *Server) otherQuerySubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := newForm(r)
	q := otherQuery(f)
	if f.Get("code") == "" {
		f.Fail("code", "请填写短信验证码")
	}
	if f.OK() {
		if err := s.svc.Codes.Check(ctx, q.Phone, account.PurposeOtherQuery, f.Get("code")); err != nil {
			if _, _, known := classify(err); !known {
				s.fail(w, r, err)
				return
			}
			f.FailErr("code", err)
		}
	}
	if !f.OK() {
		f.Errs = f.Sorted(otherOrder...)
		s.render(w, r, http.StatusUnprocessableEntity, OtherQueryPage(certsView{Form: f}))
		return
	}
	canonical, _ := account.ValidateDocumentAt(q.DocType, q.DocNumber, s.now())
	found, err := s.otherCertificates(ctx, q, canonical)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := certsView{Form: newForm(r), Searched: true, Certs: found,
		HolderName: strings.TrimSpace(q.Name), HolderDoc: certificate.MaskDocument(canonical)}
	s.render(w, r, http.StatusOK, OtherQueryPage(v))
}

func certDate(c certificate.Certificate) string {
	if c.Issued.IsZero() {
		return ""
	}
	return c.Issued.In(account.ChinaStandardTime).Format("2006-01-02")
}

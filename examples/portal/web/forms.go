package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/templates"
)

// docTypeOptions are the 证件类型 choices of every form that asks for a document.
func docTypeOptions() []templates.Option {
	var out []templates.Option
	for _, t := range account.DocTypes() {
		out = append(out, templates.Option{Value: t.Code(), Label: t.String()})
	}
	return out
}

// formValues is a submitted form with its errors, as a page shows it again.
type formValues struct {
	r    *http.Request
	Errs templates.Errors
}

func newForm(r *http.Request) *formValues { return &formValues{r: r} }

// Get returns the trimmed value of field.
func (f *formValues) Get(field string) string { return strings.TrimSpace(f.r.PostFormValue(field)) }

// Raw returns the value of field as typed (passwords).
func (f *formValues) Raw(field string) string { return f.r.PostFormValue(field) }

// Fail records message for field (the first error of a field wins).
func (f *formValues) Fail(field, message string) {
	if f.Errs.For(field) == "" {
		f.Errs = append(f.Errs, templates.FieldError{Field: field, Message: message})
	}
}

// FailErr records err's zh-CN message for field; an internal error gives a generic text.
func (f *formValues) FailErr(field string, err error) {
	msg := userMessage(err)
	var de *account.DocumentError
	var pe *account.PasswordError
	switch {
	case errors.As(err, &de), errors.As(err, &pe):
		msg = err.Error()
	case msg == "":
		msg = "信息有误,请检查后重试"
	}
	f.Fail(field, msg)
}

// Required records "请填写…" for each empty field; nameLabel alternates field name and label.
func (f *formValues) Required(nameLabel ...string) {
	for i := 0; i+1 < len(nameLabel); i += 2 {
		if f.Get(nameLabel[i]) == "" {
			f.Fail(nameLabel[i], "请填写"+nameLabel[i+1])
		}
	}
}

// Sorted returns the errors in the order of the page's fields (others last).
func (f *formValues) Sorted(order ...string) templates.Errors {
	rank := func(field string) int {
		for i, o := range order {
			if o == field {
				return i
			}
		}
		return len(order)
	}
	out := slices.Clone(f.Errs)
	slices.SortStableFunc(out, func(a, b templates.FieldError) int { return rank(a.Field) - rank(b.Field) })
	return out
}

// OK reports whether no error was recorded.
func (f *formValues) OK() bool { return len(f.Errs) == 0 }

// field builds a templates.Field for name with its submitted value and error.
func (f *formValues) field(name, label string) templates.Field {
	v := ""
	if f.r != nil && f.r.PostForm != nil {
		v = f.Get(name)
	}
	return templates.Field{Name: name, Label: label, Value: v, Error: f.Errs.For(name)}
}

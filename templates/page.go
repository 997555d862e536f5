// Package templates holds the templ components shared by any tqreg front end: the page layout,
// the step bar (步骤条), form field widgets with inline errors, the error summary, status badges,
// tables and flash messages. Components take plain view models; they never touch a database.
package templates

import (
	"context"
	"strings"

	"github.com/a-h/templ"
)

// MainFragment is the templ fragment id of a page's main content. A server renders only this
// fragment for an HTMX request (HX-Request without HX-Boosted) and the whole page otherwise.
const MainFragment = "main"

// Page is the per-request frame of a page (页面框架): who is logged in, whether development mode
// is on, and page flags. The server puts it into the context; Layout reads it.
type Page struct {
	// Title is the page title shown in the browser tab and the heading.
	Title string
	// UserName is the logged-in applicant's name, empty when nobody is logged in.
	UserName string
	// Dev is true when the portal runs in development mode (shows the dev outbox link).
	Dev bool
	// Private marks a page that shows personal data: HTMX must not keep it in its history cache.
	Private bool
	// Nav is the key of the active navigation entry ("home", "certs", "platform", "centre", ...).
	Nav string
	// Flash is a one-time message shown above the content.
	Flash *Flash
	// Staff marks a page of the staff console (审核端): the header shows neither the applicant's
	// name nor 登录/注册; the page shows its own staff bar.
	Staff bool
}

type pageKey struct{}

// WithPage returns a context carrying p for Layout.
func WithPage(ctx context.Context, p Page) context.Context {
	return context.WithValue(ctx, pageKey{}, p)
}

// PageFrom returns the Page in ctx (the zero Page when none is set).
func PageFrom(ctx context.Context) Page {
	p, _ := ctx.Value(pageKey{}).(Page)
	return p
}

// Titled returns the context's Page with the given title and navigation key.
func Titled(ctx context.Context, title, nav string) Page {
	p := PageFrom(ctx)
	p.Title = title
	if nav != "" {
		p.Nav = nav
	}
	return p
}

// Private returns the context's Page with the given title and navigation key, marked as showing
// personal data (hx-history="false").
func Private(ctx context.Context, title, nav string) Page {
	p := Titled(ctx, title, nav)
	p.Private = true
	return p
}

// Flash is a one-time message (提示) shown at the top of a page.
type Flash struct {
	// Kind is "ok", "info" or "warn"; it picks the colour.
	Kind string
	// Message is the zh-CN text.
	Message string
}

// FieldError is one form error (表单错误) keyed by the HTML field name.
type FieldError struct {
	Field   string
	Message string
}

// Errors is every error of a submitted form, in page order.
type Errors []FieldError

// For returns the message for field, or "" when the field has no error.
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Option is one choice of a select box (下拉选项).
type Option struct {
	Value string
	Label string
}

// Field describes one form control (表单项): its name, zh-CN label, current value and error.
type Field struct {
	Name         string
	Label        string
	Type         string // input type; "text" when empty
	Value        string
	Error        string
	Hint         string
	Autocomplete string
	InputMode    string
	Required     bool
	MaxLength    int
	Options      []Option // for Select
	// Attrs are extra attributes on the control, e.g. hx-get for cascading selects.
	Attrs templ.Attributes
	// Form, when set, goes into the control's id: a page with several forms that share field
	// names (系统管理) needs it, or each label would name the first form's control (ids must
	// be unique). Such fields are not the target of ErrorSummary's links.
	Form string
}

// ID is the element id of the field's control, the target of the error summary's links.
func (f Field) ID() string {
	if f.Form != "" {
		return "field-" + f.Form + "-" + f.Name
	}
	return "field-" + f.Name
}

// describedBy is the aria-describedby of the control: its hint and its error, those it has.
func (f Field) describedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// Step is one entry of the step bar.
type Step struct {
	Label string
	// Href, when set, makes a finished step a link back to it.
	Href string
}

// Tone picks a status badge's colour: neutral, info, ok, warn, bad.
type Tone string

// The badge tones.
const (
	ToneNeutral Tone = "neutral"
	ToneInfo    Tone = "info"
	ToneOK      Tone = "ok"
	ToneWarn    Tone = "warn"
	ToneBad     Tone = "bad"
)

// tableName is the accessible name of a table's scrolling region: its caption, or for a table
// that has none (the heading above it names it for sighted readers) 表格 and its first three
// column headers, so that two tables of a page are told apart.
func tableName(caption string, headers []string) string {
	if caption != "" {
		return caption
	}
	var cols []string
	for _, h := range headers {
		if h != "" && len(cols) < 3 {
			cols = append(cols, h)
		}
	}
	if len(cols) == 0 {
		return "表格"
	}
	name := "表格:" + strings.Join(cols, "、")
	if len(headers) > len(cols) {
		name += "等"
	}
	return name
}

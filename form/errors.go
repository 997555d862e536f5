package form

import (
	"slices"
	"strings"
)

// Errors holds the form's problems, one zh-CN message per HTML field name (the Field*
// constants), so a page can show each inline and all of them in a summary. A nil Errors is
// empty and ready to read; Add allocates on first use.
type Errors map[string]string

// Add records msg for field unless the field already has a message (the first, most specific
// message wins).
func (e *Errors) Add(field, msg string) {
	if *e == nil {
		*e = Errors{}
	}
	if _, ok := (*e)[field]; !ok {
		(*e)[field] = msg
	}
}

// Merge adds every message of o whose field has none yet.
func (e *Errors) Merge(o Errors) {
	for _, f := range o.Fields() {
		e.Add(f, o[f])
	}
}

// Has reports whether field has a problem.
func (e Errors) Has(field string) bool {
	_, ok := e[field]
	return ok
}

// Get returns field's message, or "".
func (e Errors) Get(field string) string { return e[field] }

// Len returns the number of fields with a problem.
func (e Errors) Len() int { return len(e) }

// Fields returns the fields with a problem in a stable order: the order of the form
// (FieldNames), then any other names alphabetically.
func (e Errors) Fields() []string {
	out := make([]string, 0, len(e))
	for _, f := range fieldOrder {
		if e.Has(f) {
			out = append(out, f)
		}
	}
	var rest []string
	for f := range e {
		if _, known := fieldIndex[f]; !known {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Error joins the messages in Fields order with "；", so Errors can travel as an error.
func (e Errors) Error() string {
	var b strings.Builder
	for i, f := range e.Fields() {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(e[f])
	}
	return b.String()
}

// Err returns e as an error, or nil when it is empty (a nil map inside an error interface is
// not nil, so use this rather than returning e directly).
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

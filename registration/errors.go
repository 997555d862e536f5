package registration

import "fmt"

// Error is a registration rule's refusal (拒绝原因): a stable Code for programs (the web layer maps
// it to an HTTP status in one table) and a zh-CN Message for people. Two errors match with
// errors.Is when their codes are equal, so a message that carries dates or names still matches its
// sentinel (for example errors.Is(w.Check(now), ErrClosed)).
type Error struct {
	// Code is stable and never shown to people, e.g. "window_closed".
	Code string
	// Message is the zh-CN text shown to people.
	Message string
}

// Error returns the zh-CN message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// with returns a copy of the sentinel e whose message is msg.
func (e *Error) with(msg string) *Error { return &Error{Code: e.Code, Message: msg} }

// withf is with and fmt.Sprintf.
func (e *Error) withf(format string, args ...any) *Error { return e.with(fmt.Sprintf(format, args...)) }

package registration

import (
	"strings"
	"time"
	"unicode/utf8"
)

// LabelHasMessages is what the application list shows when an application has messages (有留言).
const LabelHasMessages = "有留言"

// MaxMessageRunes bounds a message's text.
const MaxMessageRunes = 500

// Message is a 留言 left on an application by a confirmation point or an authority (or, where
// the portal allows it, the applicant).
type Message struct {
	From Actor
	At   time.Time
	Text string
	// Read is set once the applicant has opened it.
	Read bool
}

// ErrMessageEmpty and ErrMessageTooLong refuse a message's text.
var (
	ErrMessageEmpty   = &Error{Code: "message_empty", Message: "请填写留言内容"}
	ErrMessageTooLong = &Error{Code: "message_too_long", Message: "留言内容不能超过500字"}
	ErrMessageInvalid = &Error{Code: "message_invalid", Message: "留言内容含有无效字符"}
)

// AddMessage appends a message from the given actor, with its text trimmed. It refuses an empty
// text, one longer than MaxMessageRunes, invalid UTF-8 or NUL, and an unknown actor.
func (a *Application) AddMessage(from Actor, at time.Time, text string) error {
	if !from.Valid() {
		return ErrInvalidActor
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return ErrMessageEmpty
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return ErrMessageInvalid
	case utf8.RuneCountInString(text) > MaxMessageRunes:
		return ErrMessageTooLong
	}
	a.Messages = append(a.Messages, Message{From: from, At: at, Text: text})
	return nil
}

// HasMessages reports whether anyone left a message (shown as 有留言).
func (a *Application) HasMessages() bool { return len(a.Messages) > 0 }

// MessageBadge returns LabelHasMessages (有留言) when the application has messages, else "": what
// the application list shows in the row.
func (a *Application) MessageBadge() string {
	if a.HasMessages() {
		return LabelHasMessages
	}
	return ""
}

// UnreadCount counts messages from staff the applicant has not opened.
func (a *Application) UnreadCount() int {
	n := 0
	for _, m := range a.Messages {
		if !m.Read && m.From != ActorApplicant {
			n++
		}
	}
	return n
}

// HasUnread reports whether UnreadCount is above zero.
func (a *Application) HasUnread() bool { return a.UnreadCount() > 0 }

// MarkRead marks every message as read (the applicant opened the 留言 page) and reports whether
// anything changed, so the portal saves only when needed.
func (a *Application) MarkRead() bool {
	changed := false
	for i := range a.Messages {
		if !a.Messages[i].Read {
			a.Messages[i].Read = true
			changed = true
		}
	}
	return changed
}

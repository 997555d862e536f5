package web

import (
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// The 办理记录 (history) of an application shows its 留言 among the status changes, on the
// applicant's detail page and on the staff detail page alike: a message is a row with its time,
// who wrote it, no change of 注册结论 (—) and the text as the note. Rows are oldest first; at the
// same instant a status change comes before a message.

// messageNote is how a message reads in the history's note column.
func messageNote(m registration.Message) string { return "留言:" + m.Text }

// mergeByTime merges two lists already oldest first: a's element before b's at equal times.
func mergeByTime[T any](a []T, at func(int) time.Time, b []T, bt func(int) time.Time) []T {
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && !bt(j).Before(at(i)) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// historyWithMessages is the applicant's 办理记录: events and messages, oldest first.
func historyWithMessages(events []registration.Event, msgs []registration.Message) []historyRow {
	rows := historyRows(events)
	var mrows []historyRow
	for _, m := range msgs {
		mrows = append(mrows, historyRow{At: cstTime(m.At), Actor: m.From.String(), To: "—", Note: messageNote(m)})
	}
	return mergeByTime(rows, func(i int) time.Time { return events[i].At }, mrows, func(i int) time.Time { return msgs[i].At })
}

// reviewHistoryWithMessages adds the messages to the staff history rows (one per event of
// history, in order).
func reviewHistoryWithMessages(history []store.AuditEvent, rows []reviewHistoryRow, msgs []registration.Message) []reviewHistoryRow {
	var mrows []reviewHistoryRow
	for _, m := range msgs {
		mrows = append(mrows, reviewHistoryRow{At: m.At.In(registration.CST).Format("2006-01-02 15:04:05"), Actor: m.From.String(),
			From: "—", To: "—", Note: messageNote(m)})
	}
	return mergeByTime(rows, func(i int) time.Time { return history[i].At }, mrows, func(i int) time.Time { return msgs[i].At })
}

package registration_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

func pendingApp() *registration.Application {
	return &registration.Application{Number: "20264400000001", AccountID: "1", Status: registration.StatusPending, SubmittedAt: inside}
}

func TestTransitionRecordsEventsAndLeavesVersion(t *testing.T) {
	a := pendingApp()
	a.Version = 3
	steps := []struct {
		to   registration.Status
		by   registration.Actor
		note string
	}{
		{registration.StatusConfirmed, registration.ActorConfirmationPoint, "材料齐全"},
		{registration.StatusPending, registration.ActorAuthority, "照片需重新上传"},
		{registration.StatusConfirmed, registration.ActorConfirmationPoint, ""},
		{registration.StatusQualified, registration.ActorAuthority, "注册合格"},
	}
	from := a.Status
	for i, s := range steps {
		at := inside.Add(time.Duration(i) * time.Hour)
		if err := a.Transition(s.to, s.by, at, s.note); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		want := registration.Event{Actor: s.by, From: from, To: s.to, At: at, Note: s.note}
		if a.Events[i] != want {
			t.Errorf("event %d = %+v, want %+v", i, a.Events[i], want)
		}
		from = s.to
	}
	if a.Status != registration.StatusQualified || a.Version != 3 || len(a.Events) != len(steps) {
		t.Errorf("after transitions: status %v version %d events %d", a.Status, a.Version, len(a.Events))
	}
}

func TestTransitionRefusedChangesNothing(t *testing.T) {
	tests := []struct {
		name string
		from registration.Status
		to   registration.Status
		by   registration.Actor
	}{
		{"applicant cannot confirm", registration.StatusPending, registration.StatusConfirmed, registration.ActorApplicant},
		{"authority cannot skip confirmation", registration.StatusPending, registration.StatusQualified, registration.ActorAuthority},
		{"qualified is final", registration.StatusQualified, registration.StatusPending, registration.ActorAuthority},
		{"withdrawn is final", registration.StatusWithdrawn, registration.StatusPending, registration.ActorApplicant},
		{"confirmation point cannot conclude", registration.StatusConfirmed, registration.StatusQualified, registration.ActorConfirmationPoint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := pendingApp()
			a.Status = tt.from
			err := a.Transition(tt.to, tt.by, inside, "")
			if !errors.Is(err, registration.ErrTransitionNotAllowed) {
				t.Fatalf("error = %v", err)
			}
			if !strings.Contains(err.Error(), tt.from.String()) || !strings.Contains(err.Error(), tt.to.String()) {
				t.Errorf("message %q does not name the statuses", err)
			}
			if a.Status != tt.from || len(a.Events) != 0 {
				t.Errorf("refused transition changed the application: %v, %d events", a.Status, len(a.Events))
			}
		})
	}
}

func TestFormReadyAt(t *testing.T) {
	tests := []struct {
		name           string
		submitted, pic time.Time
		want           time.Time
	}{
		{"one hour after submission", inside, time.Time{}, inside.Add(time.Hour)},
		{"one hour after a later photo change", inside, inside.Add(2 * time.Hour), inside.Add(3 * time.Hour)},
		{"an earlier photo change does not matter", inside, inside.Add(-time.Hour), inside.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &registration.Application{SubmittedAt: tt.submitted, PhotoChangedAt: tt.pic}
			if got := a.FormReadyAt(); !got.Equal(tt.want) {
				t.Errorf("FormReadyAt = %v, want %v", got, tt.want)
			}
			if a.FormReady(tt.want.Add(-time.Nanosecond)) || !a.FormReady(tt.want) {
				t.Error("FormReady boundary wrong")
			}
		})
	}
}

func TestMessages(t *testing.T) {
	a := pendingApp()
	if a.HasMessages() || a.HasUnread() {
		t.Fatal("new application has messages")
	}
	for _, bad := range []struct {
		from registration.Actor
		text string
		want error
	}{
		{registration.ActorAuthority, "  ", registration.ErrMessageEmpty},
		{registration.ActorAuthority, strings.Repeat("留", registration.MaxMessageRunes+1), registration.ErrMessageTooLong},
		{registration.ActorAuthority, "a\xffb", registration.ErrMessageInvalid},
		{registration.ActorAuthority, "a\x00b", registration.ErrMessageInvalid},
		{0, "你好", registration.ErrInvalidActor},
	} {
		if err := a.AddMessage(bad.from, inside, bad.text); !errors.Is(err, bad.want) {
			t.Errorf("AddMessage(%q) = %v, want %v", bad.text, err, bad.want)
		}
	}
	if err := a.AddMessage(registration.ActorConfirmationPoint, inside, strings.Repeat("留", registration.MaxMessageRunes)); err != nil {
		t.Fatalf("a message of exactly the limit: %v", err)
	}
	if err := a.AddMessage(registration.ActorApplicant, inside, " 已补交材料 "); err != nil {
		t.Fatal(err)
	}
	if a.Messages[1].Text != "已补交材料" {
		t.Errorf("text not trimmed: %q", a.Messages[1].Text)
	}
	if !a.HasMessages() || a.UnreadCount() != 1 {
		t.Errorf("HasMessages %v, UnreadCount %d (the applicant's own message is not unread)", a.HasMessages(), a.UnreadCount())
	}
	if !a.MarkRead() || a.HasUnread() || a.MarkRead() {
		t.Error("MarkRead did not mark once")
	}
}

func TestApplicationNumbers(t *testing.T) {
	valid := []string{"20264400000001", "20261199999999", "99996500000042"}
	for _, s := range valid {
		n, err := registration.ParseApplicationNumber(s)
		if err != nil || n.String() != s {
			t.Errorf("ParseApplicationNumber(%q) = %v, %v", s, n, err)
		}
	}
	invalid := map[string]string{
		"too short":           "2026440000001",
		"too long":            "202644000000011",
		"letters":             "2026440000000A",
		"sequence zero":       "20264400000000",
		"province below 11":   "20260900000001",
		"year before 2000":    "19994400000001",
		"full-width digits":   "２０２６４４０００００００１",
		"empty":               "",
		"sign in the numbers": "2026+400000001",
	}
	for name, s := range invalid {
		if _, err := registration.ParseApplicationNumber(s); !errors.Is(err, registration.ErrInvalidApplicationNumber) {
			t.Errorf("%s: ParseApplicationNumber(%q) = %v", name, s, err)
		}
	}
}

// counter is an in-test Sequence.
type counter struct {
	mu sync.Mutex
	n  map[string]int64
}

func (c *counter) NextSequence(_ context.Context, year int, province string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	k := fmt.Sprint(year, province)
	c.n[k]++
	return c.n[k], nil
}

func TestSequenceNumbers(t *testing.T) {
	g := registration.SequenceNumbers{Seq: &counter{}}
	ctx := context.Background()
	// 2026-12-31 20:00 UTC is already 2027 in China.
	late := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	want := []struct {
		now  time.Time
		prov string
		num  string
	}{
		{inside, "44", "20264400000001"},
		{inside, "44", "20264400000002"},
		{inside, "45", "20264500000001"},
		{late, "44", "20274400000001"},
	}
	for _, w := range want {
		got, err := g.NewNumber(ctx, w.now, w.prov)
		if err != nil || got != w.num {
			t.Errorf("NewNumber(%v, %s) = %q, %v, want %q", w.now, w.prov, got, err, w.num)
		}
	}
	if _, err := g.NewNumber(ctx, inside, "4"); err == nil {
		t.Error("a one-digit province gave a number")
	}
	full := registration.SequenceNumbers{Seq: fixedSeq(registration.MaxSequence + 1)}
	if _, err := full.NewNumber(ctx, inside, "44"); !errors.Is(err, registration.ErrSequenceExhausted) {
		t.Errorf("exhausted sequence: %v", err)
	}
}

type fixedSeq int64

func (f fixedSeq) NextSequence(context.Context, int, string) (int64, error) { return int64(f), nil }

func ExampleParseApplicationNumber() {
	n, err := registration.ParseApplicationNumber("20264400000123")
	fmt.Println(n.Year, n.Province, n.Sequence, err)
	_, err = registration.ParseApplicationNumber("2026-44-123")
	fmt.Println(err)
	// Output:
	// 2026 44 123 <nil>
	// 报名号无效：应为14位数字
}

func FuzzParseApplicationNumber(f *testing.F) {
	for _, s := range []string{"20264400000001", "", "2026440000000A", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := registration.ParseApplicationNumber(s)
		if err != nil {
			return
		}
		if n.String() != s {
			t.Fatalf("String() = %q for %q", n.String(), s)
		}
	})
}

func TestRestrictionActive(t *testing.T) {
	since := time.Date(2020, 3, 1, 0, 0, 0, 0, registration.CST)
	tests := []struct {
		name string
		kind registration.RestrictionKind
		now  time.Time
		want bool
	}{
		{"lost is active after 50 years", registration.RestrictionLost, since.AddDate(50, 0, 0), true},
		{"nothing is active before it began", registration.RestrictionLost, since.Add(-time.Second), false},
		{"revoked is active the day before 5 years", registration.RestrictionRevoked, since.AddDate(5, 0, -1), true},
		{"revoked ends at 5 years", registration.RestrictionRevoked, since.AddDate(5, 0, 0), false},
		{"cheating is active the day before 3 years", registration.RestrictionCheating, since.AddDate(3, 0, -1), true},
		{"cheating ends at 3 years", registration.RestrictionCheating, since.AddDate(3, 0, 0), false},
		{"an unknown kind fails closed", 0, since.AddDate(50, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := registration.Restriction{Kind: tt.kind, Since: since}
			if got := r.Active(tt.now); got != tt.want {
				t.Errorf("Active = %v, want %v", got, tt.want)
			}
		})
	}
	for _, k := range registration.RestrictionKinds {
		if got, err := registration.ParseRestrictionKind(k.String()); err != nil || got != k {
			t.Errorf("ParseRestrictionKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := registration.ParseRestrictionKind("警告"); !errors.Is(err, registration.ErrInvalidRestriction) {
		t.Errorf("ParseRestrictionKind(警告) = %v", err)
	}
}

func TestEditOnlyWhilePendingAndPhotoChangeMovesFormReady(t *testing.T) {
	info := form.RegistrationInfo{School: "广州市天河区第一小学", Photo: "photo-ok"}
	for _, s := range registration.Statuses {
		t.Run(s.String(), func(t *testing.T) {
			a := pendingApp()
			a.Status, a.Photo, a.Info = s, "photo-ok", info
			next := info
			next.School = "广州市天河区第二小学"
			err := a.Edit(next, inside.Add(time.Hour))
			if s != registration.StatusPending {
				if !errors.Is(err, registration.ErrNotEditable) || a.Info.School != info.School || len(a.Events) != 0 {
					t.Errorf("Edit in %v = %v, info %q", s, err, a.Info.School)
				}
				return
			}
			if err != nil || a.Info.School != next.School || !a.PhotoChangedAt.IsZero() {
				t.Fatalf("Edit = %v, school %q, photo changed %v", err, a.Info.School, a.PhotoChangedAt)
			}
			if len(a.Events) != 1 || a.Events[0].From != s || a.Events[0].To != s || a.Events[0].Actor != registration.ActorApplicant {
				t.Errorf("edit event = %+v", a.Events)
			}
		})
	}
	a := pendingApp()
	a.Photo = "photo-ok"
	changed := inside.Add(3 * time.Hour)
	if err := a.Edit(form.RegistrationInfo{Photo: "photo-new"}, changed); err != nil {
		t.Fatal(err)
	}
	if a.Photo != "photo-new" || !a.PhotoChangedAt.Equal(changed) || !a.FormReadyAt().Equal(changed.Add(time.Hour)) {
		t.Errorf("photo %q changed at %v ready at %v", a.Photo, a.PhotoChangedAt, a.FormReadyAt())
	}
	// An empty photo keeps the current one.
	if err := a.Edit(form.RegistrationInfo{}, changed.Add(time.Hour)); err != nil || a.Photo != "photo-new" || a.Info.Photo != "photo-new" || !a.PhotoChangedAt.Equal(changed) {
		t.Errorf("empty photo: %v, %q, %v", err, a.Photo, a.PhotoChangedAt)
	}
}

func TestMessageBadge(t *testing.T) {
	a := pendingApp()
	if a.MessageBadge() != "" {
		t.Error("badge without messages")
	}
	_ = a.AddMessage(registration.ActorAuthority, inside, "请补交学历证书复印件")
	if a.MessageBadge() != "有留言" {
		t.Errorf("badge = %q", a.MessageBadge())
	}
}

func TestStageAndTeachingStageAgree(t *testing.T) {
	for _, s := range registration.Stages {
		ts := s.TeachingStage()
		if ts.String() != s.String() {
			t.Errorf("%v ↔ form %q (%s)", s, string(ts), ts.String())
		}
		if back, err := registration.StageOf(ts); err != nil || back != s {
			t.Errorf("StageOf(%q) = %v, %v", string(ts), back, err)
		}
	}
	if _, err := registration.StageOf("9"); !errors.Is(err, registration.ErrInvalidStage) {
		t.Errorf("StageOf(9) = %v", err)
	}
	if registration.Stage(0).TeachingStage() != "" {
		t.Error("zero stage has a form code")
	}
}

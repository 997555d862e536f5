package form

import (
	"context"
	"time"
)

type ctxKey int

const (
	birthKey ctxKey = iota
	todayKey
	mandarinKey
)

// WithBirth returns a context carrying the applicant's birth date, which comes from the
// account's identity document (account.ResidentID.Birth); Validate reads it.
func WithBirth(ctx context.Context, birth Date) context.Context {
	return context.WithValue(ctx, birthKey, birth)
}

// BirthFrom returns the birth date stored by WithBirth.
func BirthFrom(ctx context.Context) (Date, bool) {
	d, ok := ctx.Value(birthKey).(Date)
	return d, ok && !d.IsZero()
}

// WithToday returns a context carrying "today" for Validate (the injected clock).
func WithToday(ctx context.Context, today Date) context.Context {
	return context.WithValue(ctx, todayKey, today)
}

// TodayFrom returns the date stored by WithToday, or else today in China Standard Time.
func TodayFrom(ctx context.Context) Date {
	if d, ok := ctx.Value(todayKey).(Date); ok && !d.IsZero() {
		return d
	}
	return ChinaDate(time.Now())
}

// WithMandarinCertificates returns a context carrying the applicant's own Mandarin
// certificates (普通话证书信息 of the personal information centre); Validate then requires the
// chosen certificate to be one of them.
func WithMandarinCertificates(ctx context.Context, own []MandarinCertificate) context.Context {
	return context.WithValue(ctx, mandarinKey, append([]MandarinCertificate(nil), own...))
}

// MandarinCertificatesFrom returns the certificates stored by WithMandarinCertificates.
func MandarinCertificatesFrom(ctx context.Context) ([]MandarinCertificate, bool) {
	c, ok := ctx.Value(mandarinKey).([]MandarinCertificate)
	return c, ok
}

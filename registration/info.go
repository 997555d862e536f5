package registration

import (
	"context"
	"net/url"

	"github.com/tqreg/tqreg/form"
)

// decodeInfo decodes the information form of step 2 and validates it with what env knows: the
// applicant's birth date, today, and the applicant's Mandarin certificates when given. With a zero
// env only the checks that need none of these run.
func decodeInfo(v url.Values, env Env) (form.RegistrationInfo, form.Errors) {
	info, errs := form.Decode(v)
	if env.Now.IsZero() {
		return info, errs
	}
	ctx := form.WithToday(context.Background(), form.ChinaDate(env.Now))
	if !env.Applicant.Birth.IsZero() {
		ctx = form.WithBirth(ctx, form.DateOf(env.Applicant.Birth))
	}
	if env.MandarinCertificates != nil {
		ctx = form.WithMandarinCertificates(ctx, env.MandarinCertificates)
	}
	errs.Merge(info.Validate(ctx))
	return info, errs
}

package form_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/tqreg/tqreg/form"
)

var sinkInfo form.RegistrationInfo

// BenchmarkDecode measures decoding and full validation of a complete form against the floor
// every handler pays first: url.ParseQuery of the same body.
func BenchmarkDecode(b *testing.B) {
	body := goodValues().Encode()
	v, _ := url.ParseQuery(body)
	ctx := form.WithToday(form.WithBirth(context.Background(), birth), today)
	b.Run("DecodeAndValidate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			info, errs := form.DecodeAndValidate(ctx, v)
			if errs.Len() != 0 {
				b.Fatal(errs)
			}
			sinkInfo = info
		}
	})
	b.Run("floor-ParseQuery", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := url.ParseQuery(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

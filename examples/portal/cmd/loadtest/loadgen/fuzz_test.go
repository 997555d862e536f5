package loadgen_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
)

// FuzzCheckLocal: whatever the input, an accepted URL parses and names a loopback host.
func FuzzCheckLocal(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8080", "http://localhost", "http://[::1]:1/", "http://example.com",
		"http://127.0.0.1@evil.com", "http://evil.com#@127.0.0.1", "http://127.0.0.1%2f@evil", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if loadgen.CheckLocal(s) != nil {
			return
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("accepted %q that does not parse: %v", s, err)
		}
		if !loadgen.LocalHost(u.Hostname()) {
			t.Fatalf("accepted %q with host %q", s, u.Hostname())
		}
	})
}

// FuzzFormValues: any HTML gives form values without a panic.
func FuzzFormValues(f *testing.F) {
	f.Add(testForm)
	f.Add(`<form><select name="a"></select><input type=radio name=r checked></form>`)
	f.Fuzz(func(t *testing.T, html string) {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
		if err != nil {
			return
		}
		_ = loadgen.FormValues(d.Selection)
		_ = loadgen.FirstOption(d.Selection, "a")
	})
}

package main

import (
	"fmt"
	"io"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// printBanner tells the person who started the portal where it is and how to log in.
func printBanner(w io.Writer, url string, dev, secureCookies bool, st *store.Store) {
	fmt.Fprintf(w, "tqreg 教师资格定期注册 portal: %s\n", url)
	if dev {
		fmt.Fprintf(w, "development mode is ON (-dev=false turns it off): sent mail and SMS at %s/dev/outbox\n", url)
	}
	if !secureCookies {
		fmt.Fprintln(w, "session cookies are not Secure (plain-HTTP local development; -secure-cookies=on behind TLS)")
	}
}

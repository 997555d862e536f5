package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// printBanner tells the person who started the portal where it is and, when the demo dataset is
// served (-demo), how to log in: the demo applicants (document type, number, password) and the
// demo staff, in development mode with their TOTP secrets for enrolling an authenticator app.
func printBanner(w io.Writer, url string, dev, demo, secureCookies bool) {
	fmt.Fprintf(w, "tqreg 教师资格定期注册 portal: %s\n", url)
	if dev {
		fmt.Fprintf(w, "development mode is ON (-dev=false turns it off): sent mail and SMS at %s/dev/outbox\n", url)
	}
	if !secureCookies {
		fmt.Fprintln(w, "session cookies are not Secure (plain-HTTP local development; -secure-cookies=on behind TLS)")
	}
	if !demo {
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "\ndemo applicants (log in at %s/login):\n", url)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  姓名\t证件类型\t证件号码(账号)\t密码\t说明")
	for _, a := range store.Demo.Applicants {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Name, a.DocType, a.DocNumber, a.Password, a.Note)
	}
	tw.Flush()
	if len(store.Demo.Staff) > 0 {
		fmt.Fprintf(w, "\ndemo staff (reviewer console at %s/review):\n", url)
		tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, s := range store.Demo.Staff {
			if dev {
				fmt.Fprintf(tw, "  %s\t%s\t%s\tTOTP secret %s\t%s\n", s.Username, s.Password, s.Role, s.TOTPSecret, s.Place)
			} else {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.Username, s.Password, s.Role, s.Place)
			}
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
}

// Package static embeds the portal's static files: css/ (the portal's own style sheet), js/ (small
// scripts; no inline script is allowed by the Content-Security-Policy) and vendor/htmx (the htmx
// release file with its licence and VERSION).
package static

import "embed"

// FS holds css/, js/ and vendor/, served under /static/.
//
//go:embed css js vendor
var FS embed.FS

package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxValueRunes caps one printed value. The form package bounds every field far below this;
// the cap only keeps a damaged or hostile value from pushing the form over many pages.
const maxValueRunes = 300

// fallbackRune is printed for a character the font cannot draw (an emoji, a rare ideograph
// outside the font): a visible white square rather than a silent gap.
const fallbackRune = '□'

// printable returns s as the fonts can draw it: invalid UTF-8 and characters without a glyph
// become fallback, control characters (tabs, newlines) become spaces, invisible format
// characters (zero-width joiners, bidi controls, variation selectors) are dropped, and the
// result is trimmed and capped at limit runes (with "…" after the cut).
func printable(s string, has func(rune) bool, fallback rune, limit int) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			r = fallback
		case unicode.IsControl(r) || unicode.IsSpace(r):
			r = ' '
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
			continue
		case !has(r):
			r = fallback
		}
		if n == limit {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimRight(b.String(), " ")
}

// Package fonts holds the fonts shipped with the portal, embedded into the binary so the
// application form (申请表) PDF renders correct Chinese text on any machine.
//
// Each font lives in its own folder with its licence and a README that says where it came
// from and which version: droidsansfallback/ (Apache-2.0) and goregular/ (BSD-3-Clause).
package fonts

import _ "embed"

// DroidSansFallback is Droid Sans Fallback Full, a TrueType (glyf) font covering the CJK
// Unified Ideographs and full-width punctuation (中文字体), licensed under Apache-2.0. It has no
// Latin letters or digits; pair it with GoRegular. The bytes are the unmodified file from
// Debian's fonts-droid-fallback 1:6.0.1r16-1.1 (about 3.9 MiB). Callers must not modify them.
//
//go:embed droidsansfallback/DroidSansFallbackFull.ttf
var DroidSansFallback []byte

// GoRegular is the Go Regular TrueType font (西文字体) for Latin letters, digits, ASCII and
// general punctuation and symbols such as □, licensed under a BSD-3-Clause licence
// (golang.org/x/image v0.48.0). Callers must not modify the bytes.
//
//go:embed goregular/Go-Regular.ttf
var GoRegular []byte

package photo_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

// FuzzParseCode: no panic; a label ParseCode accepts names a defined code whose String is that
// label exactly; anything else is ErrUnknownCode with the zero code.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"", "不是 JPEG 格式", "文件太小", "文件太大", "宽度不符", "高度不符", "背景不是白色", "文件已损坏",
		"Code(0)", "Code(8)", " 文件太大", "文件太大 ", "文件太", "\xff", "文件太大\x00", "3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := photo.ParseCode(s)
		if err != nil {
			if !errors.Is(err, photo.ErrUnknownCode) || c != 0 {
				t.Fatalf("ParseCode(%q) = %d, %v", s, c, err)
			}
			return
		}
		if c < photo.CodeNotJPEG || c > photo.CodeCorrupt || c.String() != s {
			t.Fatalf("ParseCode(%q) = %d (%q)", s, c, c.String())
		}
		if again, err := photo.ParseCode(c.String()); err != nil || again != c {
			t.Fatalf("String %q parses to %d, %v", c.String(), again, err)
		}
	})
}

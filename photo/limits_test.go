package photo_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

// large is a spec that allows pictures far beyond what Check can inspect.
var large = photo.Spec{MinBytes: 0, MaxBytes: 16 << 20, MinWidth: 0, MaxWidth: 2000, MinHeight: 0, MaxHeight: 2000, WhiteBackground: true}

// TestCheckNeverSilentlyOKBeyondItsLimits: a Spec may allow more than Check can
// inspect; such a picture gets a problem naming the limit, never an OK.
func TestCheckNeverSilentlyOKBeyondItsLimits(t *testing.T) {
	redBig := encodeJPEG(t, portrait(1100, 1100, red, 6, 1), 85)
	whiteBig := encodeJPEG(t, portrait(1100, 1100, white, 6, 2), 85)
	whiteSmall := encodeJPEG(t, portrait(1000, 1000, white, 6, 3), 85) // 1000000 ≤ MaxCheckPixels
	redSmall := encodeJPEG(t, portrait(1000, 1000, red, 6, 4), 85)
	noBackground := large
	noBackground.WhiteBackground = false
	tests := []struct {
		name    string
		spec    photo.Spec
		data    []byte
		want    []photo.Code
		message []string // parts of the first problem's message
		whole   string   // the first problem's whole message, when set
	}{
		{"red 1100×1100 on a white-background spec up to 2000 px", large, redBig, []photo.Code{photo.CodeTooLarge}, []string{"1100×1100", strconv.Itoa(photo.MaxCheckPixels), "无法检查背景"}, ""},
		{"white 1100×1100 is not passed unchecked either", large, whiteBig, []photo.Code{photo.CodeTooLarge}, []string{"无法检查背景"}, ""},
		{"1100×1100 without a background rule: its scan is unchecked", noBackground, redBig, []photo.Code{photo.CodeTooLarge}, []string{"无法检查图片内容"}, ""},
		{"red 1000×1000 is decoded and refused for its background", large, redSmall, []photo.Code{photo.CodeBackground}, nil, ""},
		{"white 1000×1000 passes", large, whiteSmall, nil, nil, ""},
		{"5 MiB file on a spec allowing 16 MiB: the system's lower limit applies", large, padTo(t, whiteSmall, 5<<20), []photo.Code{photo.CodeTooLarge}, nil,
			"照片文件大小为 5242880 字节（5120 KB），超过系统可以检查的文件大小上限 4194304 字节（4096 KB）" +
				"（低于照片要求中的大小上限 16777216 字节（16384 KB），以系统上限为准），请压缩后重新上传"},
		{"exactly MaxCheckBytes is still checked", large, padTo(t, whiteSmall, photo.MaxCheckBytes), nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.spec.Check(tt.data)
			wantCodes(t, r, tt.want...)
			if tt.whole != "" && r.Problems[0].Message != tt.whole {
				t.Errorf("message\n%q\nwant\n%q", r.Problems[0].Message, tt.whole)
			}
			for _, s := range tt.message {
				if !strings.Contains(r.Problems[0].Message, s) {
					t.Errorf("message %q lacks %q", r.Problems[0].Message, s)
				}
			}
		})
	}
}

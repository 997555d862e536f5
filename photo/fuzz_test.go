package photo_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

// tiny is a spec small fuzzed pictures can meet, so the fuzzer reaches the pixel
// decoding and the background check, not only the size checks.
var tiny = photo.Spec{MinBytes: 0, MaxBytes: 1 << 20, MinWidth: 0, MaxWidth: 200, MinHeight: 0, MaxHeight: 200, WhiteBackground: true}

func addSeeds(f *testing.F) {
	good := encodeJPEG(f, portrait(24, 32, white, 6, 1), 75)
	f.Add(good)
	f.Add(encodeJPEG(f, portrait(24, 32, red, 6, 1), 50))
	f.Add(withEXIFOrientation(good, 6))
	f.Add(withSize(f, good, 60000, 60000))
	f.Add(withSize(f, good, 0, 0))
	f.Add(good[:len(good)/2])
	f.Add(good[:20])
	f.Add(encodePNG(f, portrait(24, 32, white, 6, 1)))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, '*', 0, 0, 0, 8})
	f.Add([]byte{0xff, 0xd8, 0xff, 0x13, 0x37})
	f.Add([]byte{})
}

func FuzzCheck(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range []photo.Spec{photo.Registration, tiny} {
			r := s.Check(data)
			if r.OK() != (len(r.Problems) == 0) {
				t.Fatalf("OK() = %v with %d problems", r.OK(), len(r.Problems))
			}
			if r.Bytes != int64(len(data)) {
				t.Fatalf("Bytes = %d, want %d", r.Bytes, len(data))
			}
			seen := map[photo.Code]bool{}
			for _, p := range r.Problems {
				if p.Code < photo.CodeNotJPEG || p.Code > photo.CodeCorrupt || p.Message == "" {
					t.Fatalf("bad problem %+v", p)
				}
				if seen[p.Code] && p.Code != photo.CodeTooLarge {
					t.Fatalf("code %v reported twice: %+v", p.Code, r.Problems)
				}
				seen[p.Code] = true
			}
			if r.OK() && (r.Width <= s.MinWidth || r.Width >= s.MaxWidth || r.Height <= s.MinHeight || r.Height >= s.MaxHeight) {
				t.Fatalf("accepted %d×%d outside the spec", r.Width, r.Height)
			}
		}
	})
}

func FuzzNormalize(f *testing.F) {
	addSeeds(f)
	small := photo.Spec{MinBytes: 100, MaxBytes: 20 << 10, MinWidth: 20, MaxWidth: 30, MinHeight: 28, MaxHeight: 38}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := photo.Normalize(data, small)
		if err != nil {
			var pe *photo.Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if r := small.Check(out); !r.OK() {
			t.Fatalf("Normalize result fails Check: %+v", r.Problems)
		}
	})
}

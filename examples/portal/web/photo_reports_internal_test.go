package web

import (
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

func TestPhotoReportsCache(t *testing.T) {
	tooSmall := photo.Report{Width: 295, Height: 413, Bytes: 10, Problems: []photo.Problem{{Code: photo.CodeTooSmall, Message: "太小"}}}
	loads := 0
	loader := func(r photo.Report, ok bool) func() (photo.Report, bool) {
		return func() (photo.Report, bool) { loads++; return r, ok }
	}

	t.Run("a report is loaded once per account and key", func(t *testing.T) {
		var c photoReports
		loads = 0
		for range 3 {
			r, ok := c.get(1, "k", loader(tooSmall, true))
			if !ok || r.Width != 295 || len(r.Problems) != 1 {
				t.Fatalf("get = %+v, %v", r, ok)
			}
		}
		if loads != 1 {
			t.Fatalf("loaded %d times, want 1", loads)
		}
	})

	t.Run("another account loads for itself (its ownership check runs)", func(t *testing.T) {
		var c photoReports
		loads = 0
		c.get(1, "k", loader(tooSmall, true))
		if _, ok := c.get(2, "k", loader(photo.Report{}, false)); ok {
			t.Fatal("account 2 got account 1's report although its own load failed")
		}
		if loads != 2 {
			t.Fatalf("loaded %d times, want 2", loads)
		}
	})

	t.Run("a failed load is not remembered", func(t *testing.T) {
		var c photoReports
		loads = 0
		c.get(1, "k", loader(photo.Report{}, false))
		if _, ok := c.get(1, "k", loader(tooSmall, true)); !ok || loads != 2 {
			t.Fatalf("ok=%v loads=%d, want a second load that succeeds", ok, loads)
		}
	})

	t.Run("a caller's edit of its report does not reach the cache", func(t *testing.T) {
		var c photoReports
		r, _ := c.get(1, "k", loader(tooSmall, true))
		r.Problems[0].Message = "改过"
		r2, _ := c.get(1, "k", loader(tooSmall, true))
		if r2.Problems[0].Message != "太小" {
			t.Fatalf("cached report changed to %q", r2.Problems[0].Message)
		}
	})

	t.Run("the cache stays bounded", func(t *testing.T) {
		var c photoReports
		for i := range maxPhotoReports + 10 {
			c.get(1, fmt.Sprint(i), loader(tooSmall, true))
		}
		if n := len(c.m); n > maxPhotoReports {
			t.Fatalf("%d entries, bound is %d", n, maxPhotoReports)
		}
	})
}

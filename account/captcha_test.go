package account_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

// spyStore wraps the in-memory store and remembers every secret put, so a
// black-box test can learn the target the captcha chose.
type spyStore struct {
	account.MemoryCaptchaStore
	mu      sync.Mutex
	secrets map[string]account.CaptchaSecret
}

func (s *spyStore) Put(ctx context.Context, id string, sec account.CaptchaSecret) error {
	s.mu.Lock()
	if s.secrets == nil {
		s.secrets = map[string]account.CaptchaSecret{}
	}
	s.secrets[id] = sec
	s.mu.Unlock()
	return s.MemoryCaptchaStore.Put(ctx, id, sec)
}

func (s *spyStore) answer(t *testing.T, id string) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, ok := s.secrets[id]
	if !ok {
		t.Fatalf("no secret stored for challenge %q", id)
	}
	return sec.Answer
}

var acctT0 = time.Date(2026, 7, 1, 9, 0, 0, 0, account.ChinaStandardTime)

func TestSliderVerifyTolerance(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		delta string // added to the target, as the page would submit it
		want  error
	}{
		{"exact target passes", "+0", nil},
		{"4 px left passes", "-4", nil},
		{"4 px right passes", "+4", nil},
		{"fraction rounding to 4 px passes", "+4.4", nil},
		{"5 px left fails", "-5", account.ErrCaptchaWrong},
		{"5 px right fails", "+5", account.ErrCaptchaWrong},
		{"fraction rounding to 5 px fails", "+4.5", account.ErrCaptchaWrong},
		{"far off fails", "+60", account.ErrCaptchaWrong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &spyStore{}
			c := &account.SliderCaptcha{Store: st}
			ch, err := c.Issue(ctx, acctT0)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := strconv.ParseFloat(tc.delta, 64)
			answer := strconv.FormatFloat(float64(st.answer(t, ch.ID))+d, 'f', -1, 64)
			if err := c.Verify(ctx, ch.ID, answer, acctT0.Add(time.Second)); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Verify(%s) = %v, want %v", answer, err, tc.want)
			}
		})
	}
}

func TestCaptchaSingleUseAndExpiry(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		first  func(target int) (answer string, at time.Duration) // zero answer: skip first verify
		second time.Duration                                      // when the right answer is tried
		want   error
	}{
		{"right answer passes once", nil, time.Second, nil},
		{"replay of a passed challenge is refused", func(x int) (string, time.Duration) { return strconv.Itoa(x), time.Second }, 2 * time.Second, account.ErrCaptchaInvalid},
		{"a wrong answer burns the challenge", func(x int) (string, time.Duration) { return strconv.Itoa(x + 30), time.Second }, 2 * time.Second, account.ErrCaptchaInvalid},
		{"an unreadable answer burns the challenge", func(int) (string, time.Duration) { return "abc", time.Second }, 2 * time.Second, account.ErrCaptchaInvalid},
		{"just before 2 minutes passes", nil, 2*time.Minute - time.Nanosecond, nil},
		{"at 2 minutes it has expired", nil, 2 * time.Minute, account.ErrCaptchaExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &spyStore{}
			c := &account.SliderCaptcha{Store: st}
			ch, err := c.Issue(ctx, acctT0)
			if err != nil {
				t.Fatal(err)
			}
			x := st.answer(t, ch.ID)
			if tc.first != nil {
				a, at := tc.first(x)
				_ = c.Verify(ctx, ch.ID, a, acctT0.Add(at))
			}
			err = c.Verify(ctx, ch.ID, strconv.Itoa(x), acctT0.Add(tc.second))
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCaptchaUnknownIDs(t *testing.T) {
	c := &account.SliderCaptcha{Store: &account.MemoryCaptchaStore{}}
	for _, id := range []string{"", "x", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA==", "../../etc/passwd", "AAAAAAAAAAAAAAAAAAAAA!"} {
		if err := c.Verify(context.Background(), id, "100", acctT0); !errors.Is(err, account.ErrCaptchaInvalid) {
			t.Errorf("Verify(%q) = %v, want ErrCaptchaInvalid", id, err)
		}
	}
}

func TestSliderImagesDecodeAndLineUpWithTarget(t *testing.T) {
	st := &spyStore{}
	c := &account.SliderCaptcha{Store: st}
	for i := range 3 {
		ch, err := c.Issue(context.Background(), acctT0)
		if err != nil {
			t.Fatal(err)
		}
		bgImg, err := png.Decode(bytes.NewReader(ch.Background))
		if err != nil {
			t.Fatalf("background: %v", err)
		}
		pcImg, err := png.Decode(bytes.NewReader(ch.Piece))
		if err != nil {
			t.Fatalf("piece: %v", err)
		}
		if b := bgImg.Bounds(); b.Dx() != ch.Width || b.Dy() != ch.Height || ch.Width != account.SliderWidth {
			t.Fatalf("background is %v, challenge says %d×%d", b, ch.Width, ch.Height)
		}
		if b := pcImg.Bounds(); b.Dx() != ch.PieceSize || b.Dy() != ch.PieceSize {
			t.Fatalf("piece is %v, challenge says %d", b, ch.PieceSize)
		}
		if ch.PieceY < 0 || ch.PieceY+ch.PieceSize > ch.Height {
			t.Fatalf("PieceY %d puts the piece outside the background", ch.PieceY)
		}
		var transparent, opaque int
		for y := range ch.PieceSize {
			for x := range ch.PieceSize {
				switch _, _, _, a := pcImg.At(x, y).RGBA(); a {
				case 0:
					transparent++
				case 0xffff:
					opaque++
				}
			}
		}
		if transparent == 0 || opaque == 0 {
			t.Fatalf("piece has %d transparent and %d opaque pixels; want a shaped cut-out", transparent, opaque)
		}
		if got, want := findHole(bgImg, pcImg, ch.PieceY), st.answer(t, ch.ID); got != want {
			t.Errorf("challenge %d: the hole is at x=%d, the stored target is %d", i, got, want)
		}
	}
}

// findHole returns the X at which the darkened hole in bg best matches the
// opaque pixels of the piece (the hole is the piece at 45 % brightness).
func findHole(bg, piece image.Image, py int) int {
	type px struct{ x, y, want int }
	var opaque []px
	for y := range piece.Bounds().Dy() {
		for x := range piece.Bounds().Dx() {
			if r, _, _, a := piece.At(x, y).RGBA(); a == 0xffff {
				opaque = append(opaque, px{x, y, int(r>>8) * 45 / 100})
			}
		}
	}
	red := make([][]int, bg.Bounds().Dy())
	for y := range red {
		red[y] = make([]int, bg.Bounds().Dx())
		for x := range red[y] {
			r, _, _, _ := bg.At(x, y).RGBA()
			red[y][x] = int(r >> 8)
		}
	}
	best, bestX := -1, -1
	for x := 0; x+piece.Bounds().Dx() <= bg.Bounds().Dx(); x++ {
		score := 0
		for _, p := range opaque {
			if d := red[py+p.y][x+p.x] - p.want; d >= -1 && d <= 1 {
				score++
			}
		}
		if score > best {
			best, bestX = score, x
		}
	}
	return bestX
}

func TestSliderTargetsVary(t *testing.T) {
	st := &spyStore{}
	c := &account.SliderCaptcha{Store: st}
	seen := map[int]bool{}
	for range 12 {
		ch, err := c.Issue(context.Background(), acctT0)
		if err != nil {
			t.Fatal(err)
		}
		x := st.answer(t, ch.ID)
		if x < account.SliderPieceSize || x+account.SliderPieceSize > account.SliderWidth {
			t.Fatalf("target %d overlaps the start position or the edge", x)
		}
		seen[x] = true
	}
	if len(seen) < 4 { // 12 draws from 195 positions; fewer than 4 distinct means no randomness
		t.Fatalf("12 challenges used only %d distinct targets", len(seen))
	}
}

func TestTextCaptcha(t *testing.T) {
	ctx := context.Background()
	st := &spyStore{}
	c := &account.TextCaptcha{Store: st}
	for range 30 {
		ch, err := c.Issue(ctx, acctT0)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Kind != account.CaptchaText || ch.Prompt == "" || ch.Background != nil {
			t.Fatalf("text challenge %+v", ch)
		}
		got, err := solvePrompt(ch.Prompt)
		if err != nil {
			t.Fatalf("prompt %q: %v", ch.Prompt, err)
		}
		if want := st.answer(t, ch.ID); got != want {
			t.Fatalf("prompt %q means %d, stored answer is %d", ch.Prompt, got, want)
		}
	}
	tests := []struct {
		name   string
		answer func(n int) string
		want   error
	}{
		{"ASCII digits pass", func(n int) string { return strconv.Itoa(n) }, nil},
		{"full-width digits pass", func(n int) string { return toFullWidth(strconv.Itoa(n)) }, nil},
		{"spaces around pass", func(n int) string { return " " + strconv.Itoa(n) + " " }, nil},
		{"off by one fails", func(n int) string { return strconv.Itoa(n + 1) }, account.ErrCaptchaWrong},
		{"empty fails", func(int) string { return "" }, account.ErrCaptchaWrong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := c.Issue(ctx, acctT0)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Verify(ctx, ch.ID, tc.answer(st.answer(t, ch.ID)), acctT0.Add(time.Second))
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func toFullWidth(s string) string {
	r := []rune(s)
	for i := range r {
		r[i] += '０' - '0'
	}
	return string(r)
}

// solvePrompt reads "请计算:A op B等于多少?..." the way a person would.
func solvePrompt(p string) (int, error) {
	var body string
	if _, err := fmt.Sscanf(p, "请计算:%s", &body); err != nil {
		return 0, err
	}
	r := []rune(body)
	for i := range r {
		for _, op := range []string{"加", "减", "乘以"} {
			opr := []rune(op)
			if i+len(opr) <= len(r) && string(r[i:i+len(opr)]) == op {
				a, err := account.ParseTextAnswer(string(r[:i]))
				if err != nil {
					return 0, err
				}
				rest := string(r[i+len(opr):])
				end := bytes.Index([]byte(rest), []byte("等于"))
				b, err := account.ParseTextAnswer(rest[:end])
				if err != nil {
					return 0, err
				}
				switch op {
				case "加":
					return a + b, nil
				case "减":
					return a - b, nil
				}
				return a * b, nil
			}
		}
	}
	return 0, fmt.Errorf("no operator in %q", p)
}

func TestParseTextAnswer(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"18", 18, false},
		{"０７", 7, false},
		{"1 8", 18, false},
		{"十八", 18, false},
		{"十", 10, false},
		{"四十", 40, false},
		{"八十一", 81, false},
		{"一十二", 12, false},
		{"两", 2, false},
		{"〇", 0, false},
		{"零", 0, false},
		{"1000", 0, true},
		{"-3", 0, true},
		{"3a", 0, true},
		{"十十", 0, true},
		{"十零", 0, true},
		{"一百", 0, true},
		{"", 0, true},
		{"  ", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := account.ParseTextAnswer(tc.in)
			if tc.wantErr {
				if !errors.Is(err, account.ErrCaptchaAnswer) {
					t.Fatalf("ParseTextAnswer(%q) = %d, %v; want ErrCaptchaAnswer", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseTextAnswer(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseSliderAnswer(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"120", 120, false},
		{" 120 ", 120, false},
		{"120.49", 120, false},
		{"120.5", 121, false},
		{"0", 0, false},
		{"320", 320, false},
		{"321", 0, true},
		{"-1", 0, true},
		{"+12", 0, true},
		{"1e2", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
		{"0x10", 0, true},
		{"1..2", 0, true},
		{"", 0, true},
		{"１２０", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := account.ParseSliderAnswer(tc.in)
			if tc.wantErr {
				if !errors.Is(err, account.ErrCaptchaAnswer) {
					t.Fatalf("ParseSliderAnswer(%q) = %d, %v; want ErrCaptchaAnswer", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseSliderAnswer(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestCaptchaKind(t *testing.T) {
	for _, k := range []account.CaptchaKind{account.CaptchaSlider, account.CaptchaText} {
		for _, s := range []string{k.String(), strconv.Itoa(int(k))} {
			if got, err := account.ParseCaptchaKind(s); err != nil || got != k {
				t.Errorf("ParseCaptchaKind(%q) = %v, %v; want %v", s, got, err, k)
			}
		}
	}
	if _, err := account.ParseCaptchaKind("3"); !errors.Is(err, account.ErrCaptchaKind) {
		t.Errorf("ParseCaptchaKind(3) = %v", err)
	}
}

func TestMemoryCaptchaStorePrunesExpiredAndBounds(t *testing.T) {
	ctx := context.Background()
	st := &account.MemoryCaptchaStore{Max: 2000}
	old := account.CaptchaSecret{Kind: account.CaptchaText, IssuedAt: acctT0, ExpiresAt: acctT0.Add(time.Minute)}
	for i := range 1500 {
		if err := st.Put(ctx, fmt.Sprint("old", i), old); err != nil {
			t.Fatal(err)
		}
	}
	later := account.CaptchaSecret{Kind: account.CaptchaText, IssuedAt: acctT0.Add(time.Hour), ExpiresAt: acctT0.Add(time.Hour + time.Minute)}
	for i := range 600 {
		if err := st.Put(ctx, fmt.Sprint("new", i), later); err != nil {
			t.Fatalf("put %d after the old ones expired: %v", i, err)
		}
	}
	if n := st.Len(); n > 1000 {
		t.Fatalf("store holds %d challenges; the 1500 expired ones were not pruned", n)
	}
	for i := 600; i < 2000; i++ {
		if err := st.Put(ctx, fmt.Sprint("new", i), later); err != nil {
			if !errors.Is(err, account.ErrCaptchaBusy) {
				t.Fatal(err)
			}
			if st.Len() != 2000 {
				t.Fatalf("busy at %d live challenges, want at Max 2000", st.Len())
			}
			return
		}
	}
	if err := st.Put(ctx, "one-too-many", later); !errors.Is(err, account.ErrCaptchaBusy) {
		t.Fatalf("Put beyond Max = %v, want ErrCaptchaBusy", err)
	}
}

func TestMemoryCaptchaStoreTakeIsAtomic(t *testing.T) {
	ctx := context.Background()
	st := &account.MemoryCaptchaStore{}
	c := &account.TextCaptcha{Store: st}
	ch, err := c.Issue(ctx, acctT0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for range 8 {
		wg.Go(func() {
			if _, err := st.Take(ctx, ch.ID); err == nil {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if taken != 1 {
		t.Fatalf("%d concurrent Takes succeeded, want 1", taken)
	}
}

func ExampleSliderCaptcha_Verify() {
	ctx := context.Background()
	store := &account.MemoryCaptchaStore{}
	slider := &account.SliderCaptcha{Store: store}
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

	ch, _ := slider.Issue(ctx, now)
	fmt.Println(ch.Kind, ch.Width, ch.Height, ch.PieceSize)

	// Nobody can drop the piece left of its start: -1 is refused, and the
	// challenge is used up by that one attempt.
	fmt.Println(slider.Verify(ctx, ch.ID, "-1", now.Add(3*time.Second)))
	fmt.Println(slider.Verify(ctx, ch.ID, "100", now.Add(5*time.Second)))
	// Output:
	// 滑块拼图验证 320 160 56
	// 验证未通过,请重新验证
	// 验证码已失效,请刷新后重新验证
}

func ExampleParseTextAnswer() {
	for _, s := range []string{"18", "１８", "十八", "十八岁"} {
		n, err := account.ParseTextAnswer(s)
		fmt.Println(n, err)
	}
	// Output:
	// 18 <nil>
	// 18 <nil>
	// 18 <nil>
	// 0 验证答案格式不正确
}

func ExampleParseSliderAnswer() {
	n, err := account.ParseSliderAnswer("187.6")
	fmt.Println(n, err)
	_, err = account.ParseSliderAnswer("-3")
	fmt.Println(err)
	// Output:
	// 188 <nil>
	// 验证答案格式不正确
}

func FuzzParseSliderAnswer(f *testing.F) {
	for _, s := range []string{"120", " 120.5 ", "-1", "NaN", "1e2", "", "320", "0000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := account.ParseSliderAnswer(s)
		if err != nil {
			if !errors.Is(err, account.ErrCaptchaAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if n < 0 || n > account.SliderWidth {
			t.Fatalf("ParseSliderAnswer(%q) = %d, outside 0..%d", s, n, account.SliderWidth)
		}
		if m, err := account.ParseSliderAnswer(strconv.Itoa(n)); err != nil || m != n {
			t.Fatalf("round trip of %d gave %d, %v", n, m, err)
		}
	})
}

func FuzzParseTextAnswer(f *testing.F) {
	for _, s := range []string{"18", "１８", "十八", "八十一", "两", "〇", "十十", "", "999", "一百"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := account.ParseTextAnswer(s)
		if err != nil {
			if !errors.Is(err, account.ErrCaptchaAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if n < 0 || n > 999 {
			t.Fatalf("ParseTextAnswer(%q) = %d, outside 0..999", s, n)
		}
		if m, err := account.ParseTextAnswer(strconv.Itoa(n)); err != nil || m != n {
			t.Fatalf("round trip of %d gave %d, %v", n, m, err)
		}
	})
}

func FuzzVerifyCaptchaID(f *testing.F) {
	ctx := context.Background()
	st := &account.MemoryCaptchaStore{}
	c := &account.TextCaptcha{Store: st}
	ch, _ := c.Issue(ctx, acctT0)
	f.Add(ch.ID, "5")
	f.Add("", "")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA", "1")
	f.Fuzz(func(t *testing.T, id, answer string) {
		err := c.Verify(ctx, id, answer, acctT0)
		if err == nil {
			return // a lucky guess of the one live challenge
		}
		for _, want := range []error{account.ErrCaptchaInvalid, account.ErrCaptchaWrong, account.ErrCaptchaExpired} {
			if errors.Is(err, want) {
				return
			}
		}
		t.Fatalf("Verify(%q, %q) = untyped %v", id, answer, err)
	})
}

func BenchmarkSliderIssue(b *testing.B) {
	c := &account.SliderCaptcha{Store: &account.MemoryCaptchaStore{}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Issue(ctx, acctT0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSliderPNGFloor is the floor for BenchmarkSliderIssue: encoding
// images of the same sizes (a gradient background and a piece) with the same
// PNG settings, without drawing or storing anything.
func BenchmarkSliderPNGFloor(b *testing.B) {
	bg := image.NewRGBA(image.Rect(0, 0, account.SliderWidth, account.SliderHeight))
	for i := range bg.Pix {
		bg.Pix[i] = uint8(i / 7)
		if i%4 == 3 {
			bg.Pix[i] = 255
		}
	}
	pc := image.NewNRGBA(image.Rect(0, 0, account.SliderPieceSize, account.SliderPieceSize))
	for i := range pc.Pix {
		pc.Pix[i] = uint8(i / 5)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(&buf, bg); err != nil {
			b.Fatal(err)
		}
		if err := enc.Encode(&buf, pc); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParseCaptchaKind() {
	k, err := account.ParseCaptchaKind("2")
	fmt.Println(k, err)
	// Output:
	// 文字算式验证 <nil>
}

// The text captcha is the non-drag alternative (WCAG 2.2, 2.5.7): a question
// answered with a number. Each challenge takes one answer.
func ExampleTextCaptcha_Verify() {
	ctx := context.Background()
	text := &account.TextCaptcha{Store: &account.MemoryCaptchaStore{}}
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

	ch, _ := text.Issue(ctx, now)
	fmt.Println(ch.Kind, ch.Prompt != "", ch.ExpiresAt.Sub(now))
	fmt.Println(text.Verify(ctx, ch.ID, "不是数字", now.Add(3*time.Second)))
	fmt.Println(text.Verify(ctx, "no-such-challenge", "18", now.Add(4*time.Second)))
	// Output:
	// 文字算式验证 true 2m0s
	// 验证未通过,请重新验证
	// 验证码已失效,请刷新后重新验证
}

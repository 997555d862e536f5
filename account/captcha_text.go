package account

import (
	"context"
	"crypto/rand"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// TextCaptcha is the 文字算式 captcha, the non-drag alternative to
// SliderCaptcha for keyboard and screen-reader users (WCAG 2.2 SC 2.5.7,
// dragging movements): a small sum written in Chinese words, e.g.
// "请计算:十三加五等于多少?", answered by typing the number into an ordinary
// text field ("18", "１８" or "十八"). It is plain text, so a screen reader
// reads it and no pointer is needed.
//
// It resists bots no better than the slider does; both only slow down
// scripted guessing, which the login throttle bounds. Challenges share the
// store, lifetime and single-use rule of SliderCaptcha.
type TextCaptcha struct {
	Store CaptchaStore
	TTL   time.Duration // lifetime of a challenge; 0 means DefaultCaptchaTTL
}

// Issue makes a new question, stores its result and returns it.
func (c *TextCaptcha) Issue(ctx context.Context, now time.Time) (Challenge, error) {
	var seed [32]byte
	_, _ = rand.Read(seed[:])
	rng := mrand.New(mrand.NewChaCha8(seed))

	var a, b, result int
	var op string
	switch rng.IntN(3) {
	case 0:
		a, b = 1+rng.IntN(20), 1+rng.IntN(20)
		op, result = "加", a+b
	case 1:
		a = 2 + rng.IntN(19)
		b = 1 + rng.IntN(a-1)
		op, result = "减", a-b
	default:
		a, b = 2+rng.IntN(8), 2+rng.IntN(8)
		op, result = "乘以", a*b
	}
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultCaptchaTTL
	}
	ch := Challenge{
		ID:        newRandomID(),
		Kind:      CaptchaText,
		ExpiresAt: now.Add(ttl),
		Prompt:    "请计算:" + chineseNumber(a) + op + chineseNumber(b) + "等于多少?请输入数字。",
	}
	err := c.Store.Put(ctx, ch.ID, CaptchaSecret{Kind: CaptchaText, Answer: result, IssuedAt: now, ExpiresAt: ch.ExpiresAt})
	if err != nil {
		return Challenge{}, err
	}
	return ch, nil
}

// Verify consumes the challenge id and accepts the exact result. See Captcha.
func (c *TextCaptcha) Verify(ctx context.Context, id, answer string, now time.Time) error {
	return VerifyCaptcha(ctx, c.Store, id, answer, DefaultSliderTolerance, now)
}

var chineseDigits = []rune("零一二三四五六七八九")

// chineseNumber writes 0 ≤ n ≤ 99 in Chinese words: 7 七, 10 十, 13 十三, 40 四十, 81 八十一.
func chineseNumber(n int) string {
	switch {
	case n < 10:
		return string(chineseDigits[n])
	case n < 20:
		return "十" + strings.TrimPrefix(string(chineseDigits[n%10]), "零")
	}
	s := string(chineseDigits[n/10]) + "十"
	if n%10 != 0 {
		s += string(chineseDigits[n%10])
	}
	return s
}

// ParseTextAnswer parses a typed answer to a TextCaptcha question: a number
// 0..999 in ASCII or full-width digits, or 0..99 in Chinese words (十八, 两,
// 四十, 〇). Spaces anywhere are ignored. Anything else gives ErrCaptchaAnswer.
func ParseTextAnswer(s string) (int, error) {
	if len(s) > 64 {
		return 0, ErrCaptchaAnswer
	}
	s = strings.Join(strings.Fields(norm.NFKC.String(s)), "")
	if s == "" {
		return 0, ErrCaptchaAnswer
	}
	if s[0] >= '0' && s[0] <= '9' {
		if len(s) > 3 {
			return 0, ErrCaptchaAnswer
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, ErrCaptchaAnswer
			}
		}
		n, _ := strconv.Atoi(s)
		return n, nil
	}
	return parseChineseNumber([]rune(s))
}

func chineseDigit(r rune) (int, bool) {
	switch r {
	case '〇':
		return 0, true
	case '两':
		return 2, true
	}
	for i, d := range chineseDigits {
		if d == r {
			return i, true
		}
	}
	return 0, false
}

// parseChineseNumber reads D, 十, 十D, D十, D十D (D a Chinese digit).
func parseChineseNumber(r []rune) (int, error) {
	digit := func(i int) (int, bool) {
		if i >= len(r) {
			return 0, false
		}
		return chineseDigit(r[i])
	}
	switch len(r) {
	case 1:
		if r[0] == '十' {
			return 10, nil
		}
		if d, ok := digit(0); ok {
			return d, nil
		}
	case 2:
		if r[0] == '十' {
			if d, ok := digit(1); ok && d > 0 {
				return 10 + d, nil
			}
		} else if r[1] == '十' {
			if d, ok := digit(0); ok && d > 0 {
				return 10 * d, nil
			}
		}
	case 3:
		t, ok1 := digit(0)
		u, ok2 := digit(2)
		if r[1] == '十' && ok1 && ok2 && t > 0 && u > 0 {
			return 10*t + u, nil
		}
	}
	return 0, ErrCaptchaAnswer
}

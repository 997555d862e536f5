package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Captcha is a 验证码 service: it issues a challenge and verifies one answer to it.
//
// Every challenge can be verified exactly once: Verify consumes it whether the
// answer is right or wrong, so a wrong answer means issuing a new challenge.
// A challenge expires at Challenge.ExpiresAt.
//
// Verify returns nil, or one of ErrCaptchaWrong (wrong or unreadable answer),
// ErrCaptchaExpired, ErrCaptchaInvalid (unknown id, or already used), or a store
// error.
type Captcha interface {
	Issue(ctx context.Context, now time.Time) (Challenge, error)
	Verify(ctx context.Context, id, answer string, now time.Time) error
}

// CaptchaKind is the kind of a 验证码 challenge.
type CaptchaKind uint8

// The captcha kinds. Stored codes: do not reorder, do not renumber.
const (
	// CaptchaSlider is the 滑块拼图 puzzle: drag the piece into the hole.
	CaptchaSlider CaptchaKind = 1
	// CaptchaText is the 文字算式 challenge, the non-drag alternative for keyboard
	// and screen-reader users (WCAG 2.2 SC 2.5.7): a sum written in Chinese words,
	// answered by typing the number.
	CaptchaText CaptchaKind = 2
)

// String returns the zh-CN label of the captcha kind.
func (k CaptchaKind) String() string {
	switch k {
	case CaptchaSlider:
		return "滑块拼图验证"
	case CaptchaText:
		return "文字算式验证"
	}
	return "未知验证方式(" + strconv.Itoa(int(k)) + ")"
}

// ParseCaptchaKind parses a captcha kind from its stored code ("1", "2") or its
// zh-CN label. Anything else gives ErrCaptchaKind.
func ParseCaptchaKind(s string) (CaptchaKind, error) {
	s = strings.TrimSpace(s)
	for _, k := range []CaptchaKind{CaptchaSlider, CaptchaText} {
		if s == strconv.Itoa(int(k)) || s == k.String() {
			return k, nil
		}
	}
	return 0, ErrCaptchaKind
}

// Captcha errors. The messages are for people (zh-CN).
var (
	// ErrCaptchaWrong: the answer was wrong or unreadable; the challenge is used up.
	ErrCaptchaWrong = errors.New("验证未通过,请重新验证")
	// ErrCaptchaExpired: the challenge is older than its lifetime.
	ErrCaptchaExpired = errors.New("验证码已过期,请刷新后重新验证")
	// ErrCaptchaInvalid: the challenge id is unknown or was already used.
	ErrCaptchaInvalid = errors.New("验证码已失效,请刷新后重新验证")
	// ErrCaptchaBusy: the in-memory store is full of live challenges.
	ErrCaptchaBusy = errors.New("验证服务繁忙,请稍后再试")
	// ErrCaptchaKind: an unknown captcha kind.
	ErrCaptchaKind = errors.New("验证方式无效")
	// ErrCaptchaAnswer: an answer that is not a number in the expected range
	// (returned by the answer parsers; Verify reports it as ErrCaptchaWrong).
	ErrCaptchaAnswer = errors.New("验证答案格式不正确")
)

// Challenge is one issued 验证码 challenge, everything the page shows.
//
// For CaptchaSlider: Background is a PNG of Width×Height pixels with a hole,
// Piece is a PNG (with alpha) of PieceSize×PieceSize pixels that the page shows
// at X = 0, Y = PieceY over the background; the answer is the X offset, in
// background pixels, at which the user dropped the piece's left edge.
// For CaptchaText: Prompt is the question to show (and read out); the answer is
// the number typed.
type Challenge struct {
	ID        string // opaque, 128 random bits, base64url
	Kind      CaptchaKind
	ExpiresAt time.Time

	Background []byte // slider: PNG with the hole
	Piece      []byte // slider: PNG of the piece, transparent outside its shape
	Width      int    // slider: background width in pixels
	Height     int    // slider: background height in pixels
	PieceSize  int    // slider: width and height of the piece image
	PieceY     int    // slider: Y of the piece's top edge in the background

	Prompt string // text: the question, e.g. "七加五等于多少?"
}

// CaptchaSecret is what a CaptchaStore keeps for an issued challenge: the
// expected answer and its lifetime. It never leaves the server.
type CaptchaSecret struct {
	Kind      CaptchaKind
	Answer    int // slider: the target X offset; text: the result
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// CaptchaStore keeps issued captcha challenges until they are verified.
// Take must be atomic: of two concurrent Takes of one id at most one succeeds.
type CaptchaStore interface {
	// Put stores the secret under id.
	Put(ctx context.Context, id string, s CaptchaSecret) error
	// Take returns and deletes the secret under id; ErrCaptchaInvalid when
	// there is none.
	Take(ctx context.Context, id string) (CaptchaSecret, error)
}

// MemoryCaptchaStore is an in-memory CaptchaStore for one process: a map under
// a mutex, pruned of expired challenges as it grows. The zero value is ready to
// use. Several app servers need a shared store (e.g. the database) instead.
type MemoryCaptchaStore struct {
	// Max bounds the number of live challenges (0 means 100000); beyond it Put
	// returns ErrCaptchaBusy.
	Max int

	mu        sync.Mutex
	m         map[string]CaptchaSecret
	pruneSize int
}

// Put stores s under id. Challenges that expired before s was issued are pruned
// when the map has doubled since the last pruning.
func (st *MemoryCaptchaStore) Put(_ context.Context, id string, s CaptchaSecret) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.m == nil {
		st.m = make(map[string]CaptchaSecret)
	}
	max := st.Max
	if max <= 0 {
		max = 100000
	}
	if len(st.m) >= st.pruneSize || len(st.m) >= max {
		for k, v := range st.m {
			if !v.ExpiresAt.After(s.IssuedAt) {
				delete(st.m, k)
			}
		}
		st.pruneSize = 2 * len(st.m)
		if st.pruneSize < 1024 {
			st.pruneSize = 1024
		}
	}
	if len(st.m) >= max {
		return ErrCaptchaBusy
	}
	st.m[id] = s
	return nil
}

// Take returns and deletes the secret under id, or ErrCaptchaInvalid.
func (st *MemoryCaptchaStore) Take(_ context.Context, id string) (CaptchaSecret, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[id]
	if !ok {
		return CaptchaSecret{}, ErrCaptchaInvalid
	}
	delete(st.m, id)
	return s, nil
}

// Len reports the number of challenges held, expired ones included.
func (st *MemoryCaptchaStore) Len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.m)
}

// DefaultCaptchaTTL is how long a challenge stays valid unless configured.
const DefaultCaptchaTTL = 2 * time.Minute

// VerifyCaptcha takes the challenge id out of store and checks answer against
// it, whatever its kind: the slider offset within tolerance pixels, or the
// text result exactly. The challenge is consumed in every case. Both captcha
// implementations verify through it, so the portal may verify any challenge
// with either of them.
func VerifyCaptcha(ctx context.Context, store CaptchaStore, id, answer string, tolerance int, now time.Time) error {
	if !validRandomID(id) {
		return ErrCaptchaInvalid
	}
	s, err := store.Take(ctx, id)
	if err != nil {
		return err
	}
	if !now.Before(s.ExpiresAt) {
		return ErrCaptchaExpired
	}
	switch s.Kind {
	case CaptchaSlider:
		x, err := ParseSliderAnswer(answer)
		if err != nil || x < s.Answer-tolerance || x > s.Answer+tolerance {
			return ErrCaptchaWrong
		}
		return nil
	case CaptchaText:
		n, err := ParseTextAnswer(answer)
		if err != nil || n != s.Answer {
			return ErrCaptchaWrong
		}
		return nil
	}
	return ErrCaptchaInvalid
}

// randomIDBytes is the size of captcha ids and reset tokens: 128 bits.
const randomIDBytes = 16

// newRandomID returns 128 bits from crypto/rand in unpadded base64url (22 characters).
func newRandomID() string {
	var b [randomIDBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validRandomID reports whether s has the shape newRandomID gives.
func validRandomID(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(randomIDBytes) {
		return false
	}
	var b [randomIDBytes]byte
	n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(s))
	return err == nil && n == randomIDBytes
}

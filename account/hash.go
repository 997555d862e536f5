package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of a password hash (密码哈希参数).
// They are stored in every PHC string, so they can be raised later: hashes with
// lower parameters still verify, and NeedsRehash tells when to re-hash.
type Params struct {
	Memory  uint32 // memory in KiB (m)
	Time    uint32 // passes over the memory (t)
	Threads uint32 // parallelism (p), 1..255
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key length in bytes
}

// DefaultParams are the OWASP minimum for argon2id: m = 19 MiB, t = 2, p = 1,
// a 16-byte salt and a 32-byte key.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits of what a Hasher accepts, both as its own parameters and in stored
// PHC strings. A stored hash may use at most maxStoredFactor times the
// hasher's memory and time, so a corrupt or hostile record cannot make one
// verification allocate gigabytes or run for minutes.
const (
	minSaltLen      = 8
	maxSaltLen      = 64
	minKeyLen       = 16
	maxKeyLen       = 128
	maxStoredFactor = 4
)

// Validate reports whether p can be used for hashing: Time ≥ 1, Threads
// 1..255, Memory ≥ 8×Threads KiB, SaltLen 8..64 and KeyLen 16..128 bytes.
// The error matches ErrInvalidHash.
func (p Params) Validate() error {
	if p.Time < 1 || p.Threads < 1 || p.Threads > 255 || p.Memory < 8*p.Threads ||
		p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen || p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen {
		return hashErr(HashParamsOutOfRange)
	}
	return nil
}

// ErrInvalidHash is matched (errors.Is) by every error about a stored password
// hash (密码哈希) that cannot be verified, and by invalid Params. The concrete
// error is a *HashError.
var ErrInvalidHash = errors.New("密码哈希无效")

// HashProblem says what is wrong with a PHC string or Params. Stable codes: do
// not reorder.
type HashProblem uint8

// The problems Verify reports.
const (
	HashMalformed          HashProblem = iota + 1 // not $argon2id$v=..$m=..,t=..,p=..$salt$hash
	HashUnsupportedAlgo                           // another algorithm than argon2id
	HashUnsupportedVersion                        // an argon2 version other than 19 (0x13)
	HashParamsOutOfRange                          // parameters, salt or key length outside the limits
)

// HashError is the error of an unusable PHC string or Params. It never
// contains the hash. errors.Is(err, ErrInvalidHash) is true for every HashError.
type HashError struct {
	Problem HashProblem // what is wrong; a stable code
}

// Error returns a zh-CN message naming the problem.
func (e *HashError) Error() string {
	switch e.Problem {
	case HashMalformed:
		return "密码哈希格式错误"
	case HashUnsupportedAlgo:
		return "不支持的密码哈希算法"
	case HashUnsupportedVersion:
		return "不支持的argon2版本"
	case HashParamsOutOfRange:
		return "密码哈希参数超出范围"
	}
	return ErrInvalidHash.Error()
}

// Is makes errors.Is match ErrInvalidHash.
func (e *HashError) Is(target error) bool { return target == ErrInvalidHash }

var hashErrors = [...]*HashError{
	HashMalformed:          {HashMalformed},
	HashUnsupportedAlgo:    {HashUnsupportedAlgo},
	HashUnsupportedVersion: {HashUnsupportedVersion},
	HashParamsOutOfRange:   {HashParamsOutOfRange},
}

func hashErr(p HashProblem) error { return hashErrors[p] }

// Hasher hashes and verifies passwords (密码哈希) with argon2id and limits how
// many run at once: each run holds Params.Memory KiB, so with concurrency c at
// most about c × Memory is in use however many logins arrive together; the rest
// wait their turn. A Hasher is safe for concurrent use; create it with
// NewHasher.
type Hasher struct {
	params Params
	sem    chan struct{}
}

// NewHasher returns a Hasher with parameters p that runs at most concurrency
// hashes at once; concurrency ≤ 0 means runtime.GOMAXPROCS(0). The error, for
// invalid p, matches ErrInvalidHash.
func NewHasher(p Params, concurrency int) (*Hasher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if concurrency <= 0 {
		concurrency = runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: p, sem: make(chan struct{}, concurrency)}, nil
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// Concurrency returns how many hashes may run at once.
func (h *Hasher) Concurrency() int { return cap(h.sem) }

// InUse returns how many hashes are running now (for metrics).
func (h *Hasher) InUse() int { return len(h.sem) }

func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC string of password with a fresh random salt:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, salt and key in standard base64
// without padding. It waits for a free slot; see HashContext.
func (h *Hasher) Hash(password string) (string, error) {
	return h.HashContext(context.Background(), password)
}

// HashContext is Hash that gives up waiting for a free slot when ctx is done,
// returning ctx.Err().
func (h *Hasher) HashContext(ctx context.Context, password string) (string, error) {
	p := h.params
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never returns an error (crypto/rand, Go 1.24+)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, uint8(p.Threads), p.KeyLen)
	h.release()
	return formatPHC(p, salt, key), nil
}

func formatPHC(p Params, salt, key []byte) string {
	enc := base64.RawStdEncoding
	b := make([]byte, 0, 48+enc.EncodedLen(len(salt))+enc.EncodedLen(len(key)))
	b = append(b, "$argon2id$v=19$m="...)
	b = strconv.AppendUint(b, uint64(p.Memory), 10)
	b = append(b, ",t="...)
	b = strconv.AppendUint(b, uint64(p.Time), 10)
	b = append(b, ",p="...)
	b = strconv.AppendUint(b, uint64(p.Threads), 10)
	b = append(b, '$')
	b = enc.AppendEncode(b, salt)
	b = append(b, '$')
	b = enc.AppendEncode(b, key)
	return string(b)
}

// phc is a parsed PHC string.
type phc struct {
	params    Params
	salt, key []byte
}

// parsePHC parses $argon2id$v=19$m=M,t=T,p=P$salt$key strictly: fields in this
// order, decimal numbers without sign or leading zeros, canonical unpadded
// standard base64. Lengths and parameters are checked against the hard limits
// here; against the hasher's own limits in Verify.
func parsePHC(s string) (phc, error) {
	var out phc
	rest, ok := strings.CutPrefix(s, "$")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	algo, rest, ok := strings.Cut(rest, "$")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	if algo != "argon2id" {
		return out, hashErr(HashUnsupportedAlgo)
	}
	ver, rest, ok := strings.Cut(rest, "$")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	v, ok := phcNumber(ver, "v=")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	if v != argon2.Version {
		return out, hashErr(HashUnsupportedVersion)
	}
	params, rest, ok := strings.Cut(rest, "$")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	mStr, params, ok1 := strings.Cut(params, ",")
	tStr, pStr, ok2 := strings.Cut(params, ",")
	m, ok3 := phcNumber(mStr, "m=")
	t, ok4 := phcNumber(tStr, "t=")
	p, ok5 := phcNumber(pStr, "p=")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return out, hashErr(HashMalformed)
	}
	saltStr, keyStr, ok := strings.Cut(rest, "$")
	if !ok {
		return out, hashErr(HashMalformed)
	}
	enc := base64.RawStdEncoding.Strict()
	// Bound the decoded sizes before decoding.
	if len(saltStr) > enc.EncodedLen(maxSaltLen) || len(keyStr) > enc.EncodedLen(maxKeyLen) {
		return out, hashErr(HashParamsOutOfRange)
	}
	salt, err := enc.DecodeString(saltStr)
	if err != nil {
		return out, hashErr(HashMalformed)
	}
	key, err := enc.DecodeString(keyStr)
	if err != nil {
		return out, hashErr(HashMalformed)
	}
	out.params = Params{Memory: m, Time: t, Threads: p, SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if err := out.params.Validate(); err != nil {
		return out, err
	}
	out.salt, out.key = salt, key
	return out, nil
}

// phcNumber parses prefix followed by a decimal uint32 without leading zeros.
func phcNumber(s, prefix string) (uint32, bool) {
	s, ok := strings.CutPrefix(s, prefix)
	if !ok || s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') || !isDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}

// Verify reports whether password matches the PHC string stored, comparing in
// constant time. A PHC string that cannot be used gives false and a *HashError
// matching ErrInvalidHash (never a panic): malformed, another algorithm or
// version, or parameters beyond the limits (Params.Validate, and memory or
// time more than 4× the hasher's). It waits for a free slot; see VerifyContext.
func (h *Hasher) Verify(password, stored string) (bool, error) {
	return h.VerifyContext(context.Background(), password, stored)
}

// VerifyContext is Verify that gives up waiting for a free slot when ctx is
// done, returning false and ctx.Err().
func (h *Hasher) VerifyContext(ctx context.Context, password, stored string) (bool, error) {
	ph, err := parsePHC(stored)
	if err != nil {
		return false, err
	}
	p := ph.params
	if uint64(p.Memory) > maxStoredFactor*uint64(h.params.Memory) ||
		uint64(p.Time) > maxStoredFactor*uint64(h.params.Time) {
		return false, hashErr(HashParamsOutOfRange)
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), ph.salt, p.Time, p.Memory, uint8(p.Threads), p.KeyLen)
	h.release()
	return subtle.ConstantTimeCompare(key, ph.key) == 1, nil
}

// dummySalt is the salt of DummyVerify; its value does not matter.
var dummySalt = make([]byte, maxSaltLen)

// DummyVerify spends the time and memory of a Verify against a hash with the
// hasher's parameters, and always fails. Call it when the account does not
// exist (or has no password), so that the answer takes as long as for a real
// account and timing does not reveal which document numbers are registered.
func (h *Hasher) DummyVerify(password string) {
	_ = h.DummyVerifyContext(context.Background(), password)
}

// DummyVerifyContext is DummyVerify that gives up waiting for a free slot when
// ctx is done, returning ctx.Err().
func (h *Hasher) DummyVerifyContext(ctx context.Context, password string) error {
	p := h.params
	want := make([]byte, p.KeyLen)
	rand.Read(want)
	if err := h.acquire(ctx); err != nil {
		return err
	}
	key := argon2.IDKey([]byte(password), dummySalt[:p.SaltLen], p.Time, p.Memory, uint8(p.Threads), p.KeyLen)
	h.release()
	subtle.ConstantTimeCompare(key, want)
	return nil
}

// NeedsRehash reports whether stored should be replaced by a new Hash of the
// password (after a successful Verify): when it cannot be parsed, or its
// memory, time, salt or key length is below the hasher's Params, or its
// parallelism differs.
func (h *Hasher) NeedsRehash(stored string) bool {
	ph, err := parsePHC(stored)
	if err != nil {
		return true
	}
	s, c := ph.params, h.params
	return s.Memory < c.Memory || s.Time < c.Time || s.Threads != c.Threads ||
		s.SaltLen < c.SaltLen || s.KeyLen < c.KeyLen
}

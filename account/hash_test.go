package account_test

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"golang.org/x/crypto/argon2"
)

// fastParams keep unit tests quick; DefaultParams are exercised separately.
var fastParams = account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t testing.TB, p account.Params, concurrency int) *account.Hasher {
	t.Helper()
	h, err := account.NewHasher(p, concurrency)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashDefaultParamsPHCFormat(t *testing.T) {
	if account.DefaultParams != (account.Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}) {
		t.Fatalf("DefaultParams = %+v", account.DefaultParams)
	}
	h := newHasher(t, account.DefaultParams, 0)
	if got := h.Concurrency(); got != runtime.GOMAXPROCS(0) {
		t.Errorf("Concurrency() = %d, want GOMAXPROCS %d", got, runtime.GOMAXPROCS(0))
	}
	phc, err := h.Hash("Tq7#mwp2-zz")
	if err != nil {
		t.Fatal(err)
	}
	if !phcPattern.MatchString(phc) {
		t.Fatalf("Hash = %q, not a PHC argon2id string with default params", phc)
	}
	// The key is argon2id of the password and the salt at these params.
	parts := strings.Split(phc, "$")
	salt, _ := base64.RawStdEncoding.DecodeString(parts[4])
	key, _ := base64.RawStdEncoding.DecodeString(parts[5])
	want := argon2.IDKey([]byte("Tq7#mwp2-zz"), salt, 2, 19456, 1, 32)
	if string(key) != string(want) {
		t.Error("stored key is not argon2.IDKey(password, salt, 2, 19456, 1, 32)")
	}
	ok, err := h.Verify("Tq7#mwp2-zz", phc)
	if err != nil || !ok {
		t.Errorf("Verify(right password) = %v, %v", ok, err)
	}
	if h.NeedsRehash(phc) {
		t.Error("NeedsRehash(fresh hash) = true")
	}
}

func TestHashVerify(t *testing.T) {
	h := newHasher(t, fastParams, 2)
	a, err := h.Hash("教师资格定期注册")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Hash("教师资格定期注册")
	if a == b {
		t.Error("two hashes of one password are equal: salt not random")
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right password", "教师资格定期注册", true},
		{"wrong password", "教师资格定期注删", false},
		{"empty password", "", false},
		{"prefix of the password", "教师资格", false},
		{"password plus a space", "教师资格定期注册 ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, phc := range []string{a, b} {
				got, err := h.Verify(tt.password, phc)
				if err != nil || got != tt.want {
					t.Errorf("Verify = %v, %v; want %v", got, err, tt.want)
				}
			}
		})
	}
}

// TestVerifyOlderParams: a hash made with lower parameters still verifies and
// asks to be re-hashed; one with the current parameters does not.
func TestVerifyOlderParamsAndNeedsRehash(t *testing.T) {
	old := newHasher(t, fastParams, 1)
	stronger := fastParams
	stronger.Memory, stronger.Time = 128, 2
	cur := newHasher(t, stronger, 1)
	phc, _ := old.Hash("pw-old-params")
	if ok, err := cur.Verify("pw-old-params", phc); !ok || err != nil {
		t.Fatalf("Verify(old-params hash) = %v, %v", ok, err)
	}
	tests := []struct {
		name string
		p    account.Params
		want bool
	}{
		{"same params", stronger, false},
		{"lower memory", account.Params{Memory: 64, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"lower time", account.Params{Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"other parallelism", account.Params{Memory: 128, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}, true},
		{"shorter salt", account.Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 32}, true},
		{"shorter key", account.Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 16}, true},
		{"higher memory and time", account.Params{Memory: 256, Time: 3, Threads: 1, SaltLen: 16, KeyLen: 32}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phc, err := newHasher(t, tt.p, 1).Hash("x")
			if err != nil {
				t.Fatal(err)
			}
			if got := cur.NeedsRehash(phc); got != tt.want {
				t.Errorf("NeedsRehash(%s) = %v, want %v", phc, got, tt.want)
			}
			if ok, err := cur.Verify("x", phc); !ok || err != nil {
				t.Errorf("Verify = %v, %v", ok, err)
			}
		})
	}
	if !cur.NeedsRehash("garbage") {
		t.Error("NeedsRehash(garbage) = false")
	}
}

func TestVerifyRefusesBadPHC(t *testing.T) {
	h := newHasher(t, fastParams, 1)
	good, _ := h.Hash("pw")
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..,t=..,p=.., salt, key
	salt, key := parts[4], parts[5]
	join := func(fields ...string) string { return "$" + strings.Join(fields, "$") }
	tests := []struct {
		name    string
		phc     string
		problem account.HashProblem
	}{
		{"empty", "", account.HashMalformed},
		{"no leading dollar", strings.TrimPrefix(good, "$"), account.HashMalformed},
		{"argon2i", join("argon2i", "v=19", parts[3], salt, key), account.HashUnsupportedAlgo},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", account.HashUnsupportedAlgo},
		{"version 16", join("argon2id", "v=16", parts[3], salt, key), account.HashUnsupportedVersion},
		{"version missing", join("argon2id", parts[3], salt, key), account.HashMalformed},
		{"params out of order", join("argon2id", "v=19", "t=1,m=64,p=1", salt, key), account.HashMalformed},
		{"leading zero", join("argon2id", "v=19", "m=064,t=1,p=1", salt, key), account.HashMalformed},
		{"negative", join("argon2id", "v=19", "m=64,t=-1,p=1", salt, key), account.HashMalformed},
		{"overflowing uint32", join("argon2id", "v=19", "m=4294967296,t=1,p=1", salt, key), account.HashMalformed},
		{"extra param", join("argon2id", "v=19", "m=64,t=1,p=1,k=1", salt, key), account.HashMalformed},
		{"time 0", join("argon2id", "v=19", "m=64,t=0,p=1", salt, key), account.HashParamsOutOfRange},
		{"threads 0", join("argon2id", "v=19", "m=64,t=1,p=0", salt, key), account.HashParamsOutOfRange},
		{"threads 256", join("argon2id", "v=19", "m=4096,t=1,p=256", salt, key), account.HashParamsOutOfRange},
		{"memory below 8 per thread", join("argon2id", "v=19", "m=8,t=1,p=2", salt, key), account.HashParamsOutOfRange},
		{"memory 4 GiB (beyond 4x the hasher's)", join("argon2id", "v=19", "m=4194304,t=1,p=1", salt, key), account.HashParamsOutOfRange},
		{"time beyond 4x the hasher's", join("argon2id", "v=19", "m=64,t=5,p=1", salt, key), account.HashParamsOutOfRange},
		{"salt missing", join("argon2id", "v=19", parts[3], key), account.HashMalformed},
		{"salt too short", join("argon2id", "v=19", parts[3], "AAAA", key), account.HashParamsOutOfRange},
		{"key too short", join("argon2id", "v=19", parts[3], salt, "AAAA"), account.HashParamsOutOfRange},
		{"salt with padding", join("argon2id", "v=19", parts[3], salt+"==", key), account.HashMalformed},
		{"key not base64", join("argon2id", "v=19", parts[3], salt, "!!"+key[2:]), account.HashMalformed},
		{"URL base64 alphabet", join("argon2id", "v=19", parts[3], strings.Repeat("-", 22), key), account.HashMalformed},
		{"trailing field", good + "$", account.HashMalformed},
		{"huge key", join("argon2id", "v=19", parts[3], salt, strings.Repeat("A", 1<<20)), account.HashParamsOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify("pw", tt.phc)
			if ok {
				t.Fatal("Verify = true")
			}
			var he *account.HashError
			if !errors.Is(err, account.ErrInvalidHash) || !errors.As(err, &he) {
				t.Fatalf("err = %v, want a *HashError", err)
			}
			if he.Problem != tt.problem {
				t.Errorf("Problem = %d (%v), want %d", he.Problem, err, tt.problem)
			}
			if strings.Contains(err.Error(), "$") {
				t.Errorf("message %q leaks the hash", err.Error())
			}
		})
	}
}

func TestNewHasherRefusesBadParams(t *testing.T) {
	for name, p := range map[string]account.Params{
		"zero":           {},
		"time 0":         {Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		"threads 0":      {Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		"threads 256":    {Memory: 4096, Time: 1, Threads: 256, SaltLen: 16, KeyLen: 32},
		"memory too low": {Memory: 7, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		"salt 4 bytes":   {Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		"key 8 bytes":    {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := account.NewHasher(p, 1); !errors.Is(err, account.ErrInvalidHash) {
				t.Errorf("NewHasher(%+v) err = %v", p, err)
			}
		})
	}
}

// TestHasherWaitsForAFreeSlot fills every slot by hand: hashing, verifying and
// dummy-verifying must then wait, and give up when their context ends; once a
// slot frees, they run.
func TestHasherWaitsForAFreeSlot(t *testing.T) {
	h := newHasher(t, fastParams, 2)
	phc, _ := h.Hash("pw")
	slots := account.HasherSlots(h)
	slots <- struct{}{}
	slots <- struct{}{}
	if h.InUse() != 2 {
		t.Fatalf("InUse() = %d, want 2", h.InUse())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.HashContext(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("HashContext with all slots busy: err = %v", err)
	}
	if ok, err := h.VerifyContext(ctx, "pw", phc); ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("VerifyContext with all slots busy: %v, %v", ok, err)
	}
	if err := h.DummyVerifyContext(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("DummyVerifyContext with all slots busy: err = %v", err)
	}
	done := make(chan bool)
	go func() {
		ok, _ := h.Verify("pw", phc)
		done <- ok
	}()
	<-slots // free one slot
	if !<-done {
		t.Error("Verify after a slot freed = false")
	}
	<-slots
	if h.InUse() != 0 {
		t.Errorf("InUse() = %d after all work, want 0", h.InUse())
	}
}

// TestHasherParallelLogins: 100 parallel verifications on a hasher with 2
// slots all succeed and never hold more than 2 slots.
func TestHasherParallelLogins(t *testing.T) {
	h := newHasher(t, fastParams, 2)
	phc, _ := h.Hash("pw")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	maxInUse := 0
	var mon sync.WaitGroup
	mon.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				maxInUse = max(maxInUse, h.InUse())
				runtime.Gosched()
			}
		}
	})
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			if ok, err := h.Verify("pw", phc); !ok || err != nil {
				errs <- errors.New("verify failed")
			}
		})
	}
	wg.Wait()
	close(stop)
	mon.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if maxInUse > 2 {
		t.Errorf("max slots in use = %d, want ≤ 2", maxInUse)
	}
}

func TestDummyVerify(t *testing.T) {
	h := newHasher(t, fastParams, 1)
	h.DummyVerify("any password") // must not panic
	if err := h.DummyVerifyContext(context.Background(), ""); err != nil {
		t.Errorf("DummyVerifyContext = %v", err)
	}
	if h.InUse() != 0 {
		t.Errorf("InUse() = %d after DummyVerify", h.InUse())
	}
}

// BenchmarkHash measures one Hash at DefaultParams; compare with
// BenchmarkArgon2IDKeyFloor (argon2.IDKey alone, same params).
func BenchmarkHash(b *testing.B) {
	h := newHasher(b, account.DefaultParams, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash("Tq7#mwp2-zz"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := newHasher(b, account.DefaultParams, 1)
	phc, _ := h.Hash("Tq7#mwp2-zz")
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := h.Verify("Tq7#mwp2-zz", phc); !ok {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	h := newHasher(b, account.DefaultParams, 1)
	b.ReportAllocs()
	for b.Loop() {
		h.DummyVerify("Tq7#mwp2-zz")
	}
}

// BenchmarkArgon2IDKeyFloor is the floor for BenchmarkHash: argon2.IDKey alone
// at DefaultParams.
func BenchmarkArgon2IDKeyFloor(b *testing.B) {
	p := account.DefaultParams
	salt := make([]byte, p.SaltLen)
	b.ReportAllocs()
	for b.Loop() {
		argon2.IDKey([]byte("Tq7#mwp2-zz"), salt, p.Time, p.Memory, uint8(p.Threads), p.KeyLen)
	}
}

// BenchmarkHashOverFloor alternates one Hash and one argon2.IDKey at the same
// params in each iteration, so machine load hits both alike, and reports the
// ratio of their summed times as "hash/floor". A GC before each timed call
// keeps one side from paying for the other's 19 MiB of garbage.
func BenchmarkHashOverFloor(b *testing.B) {
	h := newHasher(b, account.DefaultParams, 1)
	p := account.DefaultParams
	salt := make([]byte, p.SaltLen)
	var hashT, floorT time.Duration
	i := 0
	for b.Loop() {
		runHash := func() {
			runtime.GC() // neither side pays for the other's garbage
			start := time.Now()
			if _, err := h.Hash("Tq7#mwp2-zz"); err != nil {
				b.Fatal(err)
			}
			hashT += time.Since(start)
		}
		runFloor := func() {
			runtime.GC()
			start := time.Now()
			argon2.IDKey([]byte("Tq7#mwp2-zz"), salt, p.Time, p.Memory, uint8(p.Threads), p.KeyLen)
			floorT += time.Since(start)
		}
		if i%2 == 0 {
			runHash()
			runFloor()
		} else {
			runFloor()
			runHash()
		}
		i++
	}
	b.ReportMetric(float64(hashT.Nanoseconds())/float64(i), "hash-ns/op")
	b.ReportMetric(float64(floorT.Nanoseconds())/float64(i), "floor-ns/op")
	b.ReportMetric(float64(hashT)/float64(floorT), "hash/floor")
}

// BenchmarkVerify100Parallel starts 100 logins at once per iteration and
// reports the peak heap seen while they run ("peak-heap-MiB"), on a hasher
// with the default slot count (GOMAXPROCS) and, as the comparison, one with
// 100 slots, where all 100 × 19 MiB of argon2 memory are live together.
func BenchmarkVerify100Parallel(b *testing.B) {
	for _, slots := range []int{0, 100} {
		name := "slots=GOMAXPROCS"
		if slots > 0 {
			name = "slots=100"
		}
		b.Run(name, func(b *testing.B) {
			h := newHasher(b, account.DefaultParams, slots)
			phc, _ := h.Hash("Tq7#mwp2-zz")
			runtime.GC()
			var peak uint64
			for b.Loop() {
				stop := make(chan struct{})
				var mon sync.WaitGroup
				mon.Go(func() {
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
						select {
						case <-stop:
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				})
				var wg sync.WaitGroup
				for range 100 {
					wg.Go(func() {
						if ok, _ := h.Verify("Tq7#mwp2-zz", phc); !ok {
							b.Error("verify failed")
						}
					})
				}
				wg.Wait()
				close(stop)
				mon.Wait()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(h.Concurrency()), "slots")
		})
	}
}

package web_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/examples/portal/web"
)

// fakeClock is an injected clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 9, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// roundTrip runs one request through a session store: it loads the session named "s" from the
// cookie (if any), lets fn change it, and returns the response's cookie (nil when none was set).
func roundTrip(t *testing.T, st *web.SessionStore, cookie *http.Cookie, fn func(w http.ResponseWriter, r *http.Request, values map[any]any, isNew bool) error) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	sess, err := st.Get(r, "s")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if err := fn(w, r, sess.Values, sess.IsNew); err != nil {
		t.Fatal(err)
	}
	if sess.Values["save"] == "yes" || sess.IsNew {
		delete(sess.Values, "save")
		if err := st.Save(r, w, sess); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "s" {
			return c
		}
	}
	return nil
}

func TestSessionCookieHoldsOnlyARandomIDAndValuesStayServerSide(t *testing.T) {
	repo := web.NewMemorySessions()
	clock := newClock()
	st := web.NewSessionStore(repo, clock.Now, true)
	c := roundTrip(t, st, nil, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, _ bool) error {
		v["account"] = "42"
		return nil
	})
	if c == nil {
		t.Fatal("no cookie set")
	}
	if len(c.Value) != 43 {
		t.Errorf("cookie value has %d characters, want 43 (256 random bits, base64url)", len(c.Value))
	}
	if c.Value == "42" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie = %+v, want an opaque HttpOnly Secure SameSite=Lax cookie on /", c)
	}
	if repo.Len() != 1 {
		t.Fatalf("repo holds %d sessions, want 1", repo.Len())
	}
	var got any
	roundTrip(t, st, c, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, isNew bool) error {
		if isNew {
			t.Error("session not found again")
		}
		got = v["account"]
		return nil
	})
	if got != "42" {
		t.Errorf("account = %v, want 42", got)
	}
}

func TestSessionExpiry(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // clock moves before each touching request
		last  time.Duration   // clock move before the final request
		alive bool
	}{
		{"used within the idle limit stays", nil, 29 * time.Minute, true},
		{"idle for more than 30 minutes ends", nil, 31 * time.Minute, false},
		{"kept busy it lives for 11h50m", repeat(20*time.Minute, 35), 10 * time.Minute, true},
		{"kept busy it still ends after 12 hours", repeat(20*time.Minute, 36), 10 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := web.NewMemorySessions()
			clock := newClock()
			st := web.NewSessionStore(repo, clock.Now, false)
			c := roundTrip(t, st, nil, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, _ bool) error {
				v["account"] = "7"
				return nil
			})
			for _, d := range tt.steps {
				clock.Advance(d)
				roundTrip(t, st, c, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, isNew bool) error {
					v["save"] = "yes" // a request refreshes the idle clock
					return nil
				})
			}
			clock.Advance(tt.last)
			var alive bool
			roundTrip(t, st, c, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, isNew bool) error {
				alive = !isNew && v["account"] == "7"
				return nil
			})
			if alive != tt.alive {
				t.Errorf("alive = %v, want %v", alive, tt.alive)
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestSessionRotateAndDestroy(t *testing.T) {
	repo := web.NewMemorySessions()
	clock := newClock()
	st := web.NewSessionStore(repo, clock.Now, false)
	old := roundTrip(t, st, nil, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, _ bool) error {
		v["cart"] = "x"
		return nil
	})
	var rotated *http.Cookie
	rotated = roundTrip(t, st, old, func(w http.ResponseWriter, r *http.Request, v map[any]any, _ bool) error {
		sess, _ := st.Get(r, "s")
		return st.Rotate(r, w, sess)
	})
	if rotated == nil || rotated.Value == old.Value {
		t.Fatalf("rotation did not issue a new id")
	}
	roundTrip(t, st, old, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, isNew bool) error {
		if !isNew {
			t.Error("the pre-rotation id still opens the session")
		}
		return nil
	})
	roundTrip(t, st, rotated, func(_ http.ResponseWriter, _ *http.Request, v map[any]any, isNew bool) error {
		if isNew || v["cart"] != "x" {
			t.Error("the rotated id lost the session values")
		}
		return nil
	})
	before := repo.Len()
	expired := roundTrip(t, st, rotated, func(w http.ResponseWriter, r *http.Request, _ map[any]any, _ bool) error {
		sess, _ := st.Get(r, "s")
		return st.Destroy(r, w, sess)
	})
	if expired == nil || expired.MaxAge >= 0 {
		t.Errorf("destroy did not expire the cookie: %+v", expired)
	}
	if repo.Len() != before-1 {
		t.Errorf("destroy left the server-side record (%d → %d)", before, repo.Len())
	}
}

func TestSessionIgnoresForgedCookies(t *testing.T) {
	repo := web.NewMemorySessions()
	st := web.NewSessionStore(repo, newClock().Now, false)
	for _, v := range []string{"", "42", "../../etc/passwd", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%%%%"} {
		roundTrip(t, st, &http.Cookie{Name: "s", Value: v}, func(_ http.ResponseWriter, _ *http.Request, _ map[any]any, isNew bool) error {
			if !isNew {
				t.Errorf("cookie %q opened a session", v)
			}
			return nil
		})
	}
}

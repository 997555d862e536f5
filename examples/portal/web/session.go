package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/sessions"
)

// Session limits: a session ends after IdleTimeout without a request and in any case
// AbsoluteTimeout after it was created (login).
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery bounds how often a request refreshes the idle clock in the database.
	touchEvery = time.Minute
)

// ErrSessionNotFound is returned by a SessionRepo for an unknown or deleted session key.
var ErrSessionNotFound = errors.New("web: session not found")

// SessionRecord is one server-side session (会话) as a SessionRepo keeps it. Key is the SHA-256
// of the cookie's random id (hex), so a leaked table cannot be replayed as cookies.
type SessionRecord struct {
	Key        string
	Values     map[string]string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionRepo keeps server-side sessions. The store's session table implements it; MemorySessions
// is the in-memory version for tests.
type SessionRepo interface {
	// LoadSession returns the session with key, or ErrSessionNotFound.
	LoadSession(ctx context.Context, key string) (SessionRecord, error)
	// SaveSession inserts or replaces the session with rec.Key.
	SaveSession(ctx context.Context, rec SessionRecord) error
	// DeleteSession removes the session; deleting an unknown key is not an error.
	DeleteSession(ctx context.Context, key string) error
}

// MemorySessions is an in-memory SessionRepo (tests, and a portal run without a session table).
type MemorySessions struct {
	mu sync.Mutex
	m  map[string]SessionRecord
}

// NewMemorySessions returns an empty MemorySessions.
func NewMemorySessions() *MemorySessions {
	return &MemorySessions{m: map[string]SessionRecord{}}
}

// LoadSession implements SessionRepo.
func (m *MemorySessions) LoadSession(_ context.Context, key string) (SessionRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec, ok := m.m[key]
	if !ok {
		return SessionRecord{}, ErrSessionNotFound
	}
	rec.Values = maps.Clone(rec.Values)
	return rec, nil
}

// SaveSession implements SessionRepo.
func (m *MemorySessions) SaveSession(_ context.Context, rec SessionRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec.Values = maps.Clone(rec.Values)
	m.m[rec.Key] = rec
	return nil
}

// DeleteSession implements SessionRepo.
func (m *MemorySessions) DeleteSession(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// Len returns the number of stored sessions.
func (m *MemorySessions) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// SessionStore is a gorilla/sessions Store whose cookie holds only a 256-bit random id; every
// value lives server-side in a SessionRepo. Session values must be strings (keys and values).
// Expiry is enforced on the server: idle and absolute limits, measured with Now.
type SessionStore struct {
	Repo     SessionRepo
	Now      func() time.Time
	Idle     time.Duration
	Absolute time.Duration
	// Options are the cookie options (Path, Secure, HttpOnly, SameSite).
	Options sessions.Options
}

// NewSessionStore returns a SessionStore with the portal's limits; secure selects Secure cookies.
func NewSessionStore(repo SessionRepo, now func() time.Time, secure bool) *SessionStore {
	return &SessionStore{
		Repo:     repo,
		Now:      now,
		Idle:     IdleTimeout,
		Absolute: AbsoluteTimeout,
		Options: sessions.Options{
			Path:     "/",
			HttpOnly: true,
			Secure:   secure,
			SameSite: http.SameSiteLaxMode,
		},
	}
}

// meta keys kept in Session.Values (as time.Time) and stripped before saving.
type metaKey int

const (
	metaCreated metaKey = iota
	metaLastSeen
)

// Get returns the request's cached session (via the gorilla registry).
func (st *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session named by the request's cookie, or returns a fresh one when there is no
// cookie, the id is unknown, or the session has expired (an expired one is deleted).
func (st *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	s := sessions.NewSession(st, name)
	opts := st.Options
	s.Options = &opts
	s.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || !validID(c.Value) {
		return s, nil
	}
	key := sessionKey(c.Value)
	rec, err := st.Repo.LoadSession(r.Context(), key)
	if errors.Is(err, ErrSessionNotFound) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("load session: %w", err)
	}
	now := st.Now()
	if now.Sub(rec.LastSeenAt) > st.Idle || now.Sub(rec.CreatedAt) > st.Absolute {
		if err := st.Repo.DeleteSession(r.Context(), key); err != nil {
			return s, fmt.Errorf("delete expired session: %w", err)
		}
		return s, nil
	}
	s.ID = c.Value
	s.IsNew = false
	for k, v := range rec.Values {
		s.Values[k] = v
	}
	s.Values[metaCreated] = rec.CreatedAt
	s.Values[metaLastSeen] = rec.LastSeenAt
	return s, nil
}

// Save writes the session server-side and sets its cookie. MaxAge < 0 destroys it: the record is
// deleted and the cookie expired. A session with an empty ID gets a new random id (rotation).
func (st *SessionStore) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	ctx := r.Context()
	if s.Options != nil && s.Options.MaxAge < 0 {
		if s.ID != "" {
			if err := st.Repo.DeleteSession(ctx, sessionKey(s.ID)); err != nil {
				return fmt.Errorf("delete session: %w", err)
			}
		}
		s.ID = ""
		http.SetCookie(w, sessions.NewCookie(s.Name(), "", s.Options))
		return nil
	}
	now := st.Now()
	created, _ := s.Values[metaCreated].(time.Time)
	if s.ID == "" {
		id, err := newSessionID()
		if err != nil {
			return err
		}
		s.ID = id
		created = now
	}
	rec := SessionRecord{Key: sessionKey(s.ID), Values: map[string]string{}, CreatedAt: created, LastSeenAt: now}
	for k, v := range s.Values {
		ks, ok := k.(string)
		if !ok {
			continue // meta keys
		}
		vs, ok := v.(string)
		if !ok {
			return fmt.Errorf("session value %q is %T, want string", ks, v)
		}
		rec.Values[ks] = vs
	}
	if err := st.Repo.SaveSession(ctx, rec); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	s.Values[metaCreated] = created
	s.Values[metaLastSeen] = now
	opts := st.Options
	if s.Options != nil {
		opts = *s.Options
	}
	opts.MaxAge = 0 // a browser-session cookie; the server decides expiry
	http.SetCookie(w, sessions.NewCookie(s.Name(), s.ID, &opts))
	return nil
}

// Rotate gives the session a new id and deletes the old record, keeping the values; call it at
// login and at a password change so an id seen before cannot be used afterwards.
func (st *SessionStore) Rotate(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	if s.ID != "" {
		if err := st.Repo.DeleteSession(r.Context(), sessionKey(s.ID)); err != nil {
			return fmt.Errorf("delete old session: %w", err)
		}
	}
	s.ID = ""
	delete(s.Values, metaCreated)
	return st.Save(r, w, s)
}

// Destroy deletes the session server-side and expires its cookie.
func (st *SessionStore) Destroy(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	opts := st.Options
	if s.Options != nil {
		opts = *s.Options
	}
	opts.MaxAge = -1
	s.Options = &opts
	for k := range s.Values {
		delete(s.Values, k)
	}
	return st.Save(r, w, s)
}

// needsTouch reports whether the idle clock of a loaded session should be refreshed now.
func (st *SessionStore) needsTouch(s *sessions.Session) bool {
	last, ok := s.Values[metaLastSeen].(time.Time)
	return !s.IsNew && (!ok || st.Now().Sub(last) >= touchEvery)
}

func newSessionID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// validID accepts only ids this store could have made (43 base64url characters).
func validID(id string) bool {
	if len(id) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Package registrationtest provides an in-memory registration.Store for tests and examples.
package registrationtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

// Memory is an in-memory registration.Store. The zero value is ready to use; it is safe for
// concurrent use. It keeps deep copies, so callers' changes reach it only through Save.
type Memory struct {
	mu           sync.Mutex
	apps         map[string]*registration.Application // by number
	seq          map[string]int64
	qualified    map[string]time.Time // by certificate number
	restrictions map[string][]registration.Restriction
	// Err, when set, is returned by every method (to test store failures).
	Err error
}

var _ registration.Store = (*Memory)(nil)

func (m *Memory) init() {
	if m.apps == nil {
		m.apps = map[string]*registration.Application{}
		m.seq = map[string]int64{}
		m.qualified = map[string]time.Time{}
		m.restrictions = map[string][]registration.Restriction{}
	}
}

func clone(a *registration.Application) *registration.Application {
	c := *a
	c.Messages = slices.Clone(a.Messages)
	c.Events = slices.Clone(a.Events)
	return &c
}

// SetQualified records that cert was concluded 注册合格 at t (imported history).
func (m *Memory) SetQualified(cert certificate.Number, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	m.qualified[cert.String()] = t
}

// AddRestriction records a 限制库 entry against a document.
func (m *Memory) AddRestriction(docType account.DocType, docNumber string, r registration.Restriction) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	k := fmt.Sprint(docType, "/", docNumber)
	m.restrictions[k] = append(m.restrictions[k], r)
}

// Application returns a copy of the stored application, or registration.ErrNotFound.
func (m *Memory) Application(_ context.Context, number string) (*registration.Application, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return nil, m.Err
	}
	a, ok := m.apps[number]
	if !ok {
		return nil, registration.ErrNotFound
	}
	return clone(a), nil
}

// Len returns the number of stored applications.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.apps)
}

// NextSequence implements registration.Sequence.
func (m *Memory) NextSequence(_ context.Context, year int, province string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return 0, m.Err
	}
	k := fmt.Sprint(year, "/", province)
	m.seq[k]++
	return m.seq[k], nil
}

// ActiveApplication implements registration.Store.
func (m *Memory) ActiveApplication(_ context.Context, accountID string, cert certificate.Number) (*registration.Application, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return nil, m.Err
	}
	if a := m.active(accountID, cert); a != nil {
		return clone(a), nil
	}
	return nil, registration.ErrNotFound
}

func (m *Memory) active(accountID string, cert certificate.Number) *registration.Application {
	for _, a := range m.apps {
		if a.AccountID == accountID && a.Certificate == cert && a.Status.Active() {
			return a
		}
	}
	return nil
}

// LastQualified implements registration.Store: the later of the imported history and the last
// 注册合格 event of a stored application.
func (m *Memory) LastQualified(_ context.Context, cert certificate.Number) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return time.Time{}, m.Err
	}
	last := m.qualified[cert.String()]
	for _, a := range m.apps {
		if a.Certificate != cert {
			continue
		}
		for _, e := range a.Events {
			if e.To == registration.StatusQualified && e.At.After(last) {
				last = e.At
			}
		}
	}
	return last, nil
}

// Restrictions implements registration.Store.
func (m *Memory) Restrictions(_ context.Context, docType account.DocType, docNumber string) ([]registration.Restriction, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return nil, m.Err
	}
	return slices.Clone(m.restrictions[fmt.Sprint(docType, "/", docNumber)]), nil
}

// CreateApplication implements registration.Store.
func (m *Memory) CreateApplication(_ context.Context, a *registration.Application) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return m.Err
	}
	if _, dup := m.apps[a.Number]; dup {
		return registration.ErrDuplicate
	}
	if a.Status.Active() && m.active(a.AccountID, a.Certificate) != nil {
		return registration.ErrActiveApplication
	}
	a.Version = 1
	m.apps[a.Number] = clone(a)
	return nil
}

// SaveApplication implements registration.Store.
func (m *Memory) SaveApplication(_ context.Context, a *registration.Application) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if m.Err != nil {
		return m.Err
	}
	old, ok := m.apps[a.Number]
	if !ok {
		return registration.ErrNotFound
	}
	if old.Version != a.Version {
		return registration.ErrConflict
	}
	if a.Status.Active() && !old.Status.Active() {
		if other := m.active(a.AccountID, a.Certificate); other != nil && other.Number != a.Number {
			return registration.ErrActiveApplication
		}
	}
	a.Version++
	m.apps[a.Number] = clone(a)
	return nil
}

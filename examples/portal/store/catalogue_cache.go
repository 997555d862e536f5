package store

import (
	"sync"
	"time"

	"github.com/tqreg/tqreg/registration"
)

// catalogueTTL bounds how long a loaded catalogue is reused. Every wizard post and window
// query consults the catalogue (five queries); within one process a write through this Store
// drops the cached copy at once, and another process's write (or one still uncommitted in a
// transaction) shows within catalogueTTL.
const catalogueTTL = time.Second

// catalogueCache holds the last catalogue loaded outside a transaction. It is shared by a
// Store and its transaction-bound copies. The TTL uses the real monotonic clock, not the
// injected one: it is a cache, not a rule.
type catalogueCache struct {
	mu  sync.Mutex
	cat *registration.Catalogue
	at  time.Time
	gen uint64 // bumped by every invalidation, so a load that raced a write is not kept
	// wrote is when a write through this process last invalidated the cache (monotonic).
	wrote time.Time
}

// get returns a private copy of the cached catalogue and the current generation.
func (c *catalogueCache) get() (*registration.Catalogue, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cat != nil && time.Since(c.at) < catalogueTTL {
		return cloneCatalogue(c.cat), c.gen
	}
	return nil, c.gen
}

// put keeps cat unless the catalogue was invalidated after generation gen was read.
func (c *catalogueCache) put(cat *registration.Catalogue, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.cat, c.at = cloneCatalogue(cat), time.Now()
	}
}

func (c *catalogueCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cat = nil
	c.gen++
	c.wrote = time.Now()
}

// writtenWithin reports whether this process wrote the catalogue within d.
func (c *catalogueCache) writtenWithin(d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.wrote.IsZero() && time.Since(c.wrote) < d
}

// cloneCatalogue copies the catalogue's lists so a caller may append to or edit the entries of
// its copy without touching the cache (the entries' own slices are shared and never edited).
func cloneCatalogue(c *registration.Catalogue) *registration.Catalogue {
	return &registration.Catalogue{
		Provinces:   append([]registration.Province(nil), c.Provinces...),
		Cities:      append([]registration.City(nil), c.Cities...),
		Authorities: append([]registration.Authority(nil), c.Authorities...),
		Points:      append([]registration.ConfirmationPoint(nil), c.Points...),
		Windows:     append([]registration.Window(nil), c.Windows...),
	}
}

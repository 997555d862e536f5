package web

import (
	"slices"
	"sync"

	"github.com/tqreg/tqreg/photo"
)

// maxPhotoReports bounds the report cache; when it is full it starts afresh.
const maxPhotoReports = 4096

// photoReports remembers the photo check (照片检查) of stored photos. The wizard re-validates
// every earlier step on each post, and the photo step needs the report: without the cache each
// post reads the photo and decodes it again. A photo key is the SHA-256 of the stored bytes,
// so a report never goes stale; entries are per account, so a cached report is only ever given
// to the account whose ownership check loaded it.
type photoReports struct {
	mu sync.Mutex
	m  map[photoReportKey]photo.Report
}

type photoReportKey struct {
	account int64
	key     string
}

// get returns the report for (account, key), calling load only when none is cached; a failed
// load (not found, not owned) is not remembered.
func (c *photoReports) get(account int64, key string, load func() (photo.Report, bool)) (photo.Report, bool) {
	k := photoReportKey{account, key}
	c.mu.Lock()
	r, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		r.Problems = slices.Clone(r.Problems)
		return r, true
	}
	r, ok = load()
	if !ok {
		return r, false
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxPhotoReports {
		c.m = make(map[photoReportKey]photo.Report)
	}
	c.m[k] = r
	c.mu.Unlock()
	r.Problems = slices.Clone(r.Problems)
	return r, true
}

package registration

import (
	"slices"
	"time"

	"github.com/tqreg/tqreg/certificate"
)

// Province is a province-level division (省) of the window query, by its two-digit GB/T 2260 code.
type Province struct {
	Code string // e.g. "44"
	Name string // e.g. "广东省"
}

// City is a prefecture-level division (市) of the window query.
type City struct {
	Code     string // six-digit GB/T 2260 code, e.g. "440100"
	Name     string // e.g. "广州市"
	Province string // the Province code
}

// Authority is a 注册机构 (registration authority): it runs windows and may register the listed
// qualification kinds for teachers of the listed stages.
type Authority struct {
	ID       string
	Name     string
	Province string // Province code
	City     string // City code
	Stages   []Stage
	Kinds    []certificate.Kind
}

// Registers reports whether the authority may register a certificate of kind k held by a teacher
// currently teaching at stage s.
func (a Authority) Registers(k certificate.Kind, s Stage) bool {
	return slices.Contains(a.Kinds, k) && slices.Contains(a.Stages, s)
}

// Scope is the machine-checkable part of a 确认范围: each non-empty list restricts, an empty list
// admits everything.
type Scope struct {
	Stages   []Stage
	Kinds    []certificate.Kind
	Subjects []string // 任教学科 codes or labels, compared exactly
	// Districts are GB/T 2260 codes of where the teaching school is (任教学校所在地); a code
	// ending in zeros covers its subdivisions ("440100" covers "440106").
	Districts []string
}

// Situation is what a confirmation point's scope is checked against (the applicant's 情况): the
// certificate kind, current stage, subject and school district.
type Situation struct {
	Kind     certificate.Kind
	Stage    Stage
	Subject  string
	District string
}

// Fits reports whether s falls inside the scope.
func (sc Scope) Fits(s Situation) bool {
	if len(sc.Stages) > 0 && !slices.Contains(sc.Stages, s.Stage) {
		return false
	}
	if len(sc.Kinds) > 0 && !slices.Contains(sc.Kinds, s.Kind) {
		return false
	}
	if len(sc.Subjects) > 0 && !slices.Contains(sc.Subjects, s.Subject) {
		return false
	}
	if len(sc.Districts) > 0 && !slices.ContainsFunc(sc.Districts, func(d string) bool { return districtCovers(d, s.District) }) {
		return false
	}
	return true
}

// districtCovers reports whether region code d covers code x: equal, or d's trailing "00" pairs
// are wildcards ("440000" covers every code starting "44").
func districtCovers(d, x string) bool {
	if len(d) != 6 || len(x) != 6 {
		return d == x && d != ""
	}
	p := d
	for len(p) > 2 && p[len(p)-2:] == "00" {
		p = p[:len(p)-2]
	}
	return x[:len(p)] == p
}

// ConfirmationPoint is a 确认点: where applicants bring their materials for on-site confirmation.
type ConfirmationPoint struct {
	ID          string
	AuthorityID string
	Name        string
	// ScopeText is the 确认范围 as shown to people, e.g. "天河区公办中小学教师".
	ScopeText string
	// Scope is the machine-checkable part of it.
	Scope   Scope
	Notes   string // 备注 / 注意事项 shown with the point
	Address string
}

// Catalogue is what the window query searches: the divisions, authorities, confirmation points
// and windows. It is a plain value; the portal loads it from the store.
type Catalogue struct {
	Provinces   []Province
	Cities      []City
	Authorities []Authority
	Points      []ConfirmationPoint
	Windows     []Window
}

// Query narrows a catalogue search; an empty field matches everything.
type Query struct {
	Province    string
	City        string
	Stage       Stage
	AuthorityID string
}

// Result is one authority found by Search, with its windows for the stage asked (all stages when
// none was asked) and its confirmation points (only those whose scope admits the stage asked).
type Result struct {
	Authority Authority
	Windows   []Window
	Points    []ConfirmationPoint
}

// ErrNoPlan says that no window was found: 该地的注册机构暂未开始业务安排或不参与定期注册工作.
var ErrNoPlan = &Error{Code: "no_plan", Message: "未查询到网报时间：该地的定期注册机构暂未开始业务安排或不参与定期注册工作，请联系定期注册机构咨询详细情况"}

// Search lists the authorities matching q, in catalogue order, each with its windows and points.
// Authorities that have no window for the query are left out. When nothing is found it returns
// ErrNoPlan.
func (c *Catalogue) Search(q Query) ([]Result, error) {
	var out []Result
	for _, a := range c.Authorities {
		if (q.Province != "" && a.Province != q.Province) || (q.City != "" && a.City != q.City) ||
			(q.AuthorityID != "" && a.ID != q.AuthorityID) || (q.Stage != 0 && !slices.Contains(a.Stages, q.Stage)) {
			continue
		}
		out = append(out, Result{Authority: a})
	}
	if len(out) == 0 {
		return nil, ErrNoPlan
	}
	// One pass over windows and one over points, whatever the number of authorities found.
	find := func(id string) *Result {
		for i := range out {
			if out[i].Authority.ID == id {
				return &out[i]
			}
		}
		return nil
	}
	last := &out[0]
	at := func(id string) *Result {
		if last.Authority.ID != id {
			if r := find(id); r != nil {
				last = r
			} else {
				return nil
			}
		}
		return last
	}
	for _, w := range c.Windows {
		if q.Stage != 0 && w.Stage != q.Stage {
			continue
		}
		if (q.Province != "" && w.Province != q.Province) || (q.City != "" && w.City != q.City) {
			continue // Validate guarantees a window's place is its authority's
		}
		if r := at(w.AuthorityID); r != nil {
			r.Windows = append(r.Windows, w)
		}
	}
	for _, p := range c.Points {
		if q.Stage != 0 && len(p.Scope.Stages) > 0 && !slices.Contains(p.Scope.Stages, q.Stage) {
			continue
		}
		if r := at(p.AuthorityID); r != nil {
			r.Points = append(r.Points, p)
		}
	}
	kept := out[:0]
	for _, r := range out {
		if len(r.Windows) > 0 {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return nil, ErrNoPlan
	}
	return kept, nil
}

// ProvinceList returns the provinces, in catalogue order (the first cascading select).
func (c *Catalogue) ProvinceList() []Province { return slices.Clone(c.Provinces) }

// CitiesOf returns the cities of a province, in catalogue order.
func (c *Catalogue) CitiesOf(province string) []City {
	var out []City
	for _, ci := range c.Cities {
		if ci.Province == province {
			out = append(out, ci)
		}
	}
	return out
}

// StagesOf returns the stages some authority of the city serves, in stored-code order.
func (c *Catalogue) StagesOf(province, city string) []Stage {
	var out []Stage
	for _, s := range Stages {
		for _, a := range c.Authorities {
			if a.Province == province && a.City == city && slices.Contains(a.Stages, s) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// AuthoritiesOf returns the authorities of the city serving the stage (any stage when 0).
func (c *Catalogue) AuthoritiesOf(province, city string, stage Stage) []Authority {
	var out []Authority
	for _, a := range c.Authorities {
		if a.Province == province && a.City == city && (stage == 0 || slices.Contains(a.Stages, stage)) {
			out = append(out, a)
		}
	}
	return out
}

// AuthoritiesFor returns the authorities of the city that may register kind k for stage s (step 3
// of the wizard: 有相关定期注册权限的注册机构).
func (c *Catalogue) AuthoritiesFor(province, city string, k certificate.Kind, s Stage) []Authority {
	var out []Authority
	for _, a := range c.Authorities {
		if a.Province == province && a.City == city && a.Registers(k, s) {
			out = append(out, a)
		}
	}
	return out
}

// PointsOf returns the confirmation points of an authority whose scope admits sub.
func (c *Catalogue) PointsOf(authorityID string, sub Situation) []ConfirmationPoint {
	var out []ConfirmationPoint
	for _, p := range c.Points {
		if p.AuthorityID == authorityID && p.Scope.Fits(sub) {
			out = append(out, p)
		}
	}
	return out
}

// Authority returns the authority with the id.
func (c *Catalogue) Authority(id string) (Authority, bool) {
	i := slices.IndexFunc(c.Authorities, func(a Authority) bool { return a.ID == id })
	if i < 0 || id == "" {
		return Authority{}, false
	}
	return c.Authorities[i], true
}

// Point returns the confirmation point with the id.
func (c *Catalogue) Point(id string) (ConfirmationPoint, bool) {
	i := slices.IndexFunc(c.Points, func(p ConfirmationPoint) bool { return p.ID == id })
	if i < 0 || id == "" {
		return ConfirmationPoint{}, false
	}
	return c.Points[i], true
}

// Window returns the window with the id.
func (c *Catalogue) Window(id string) (Window, bool) {
	i := slices.IndexFunc(c.Windows, func(w Window) bool { return w.ID == id })
	if i < 0 || id == "" {
		return Window{}, false
	}
	return c.Windows[i], true
}

// WindowFor returns the window of the authority for the stage that is open at now; when none is
// open, the error of the nearest one (ErrNotOpenYet or ErrClosed with its dates), or ErrNoPlan.
func (c *Catalogue) WindowFor(authorityID string, s Stage, now time.Time) (Window, error) {
	var firstErr error
	for _, w := range c.Windows {
		if w.AuthorityID != authorityID || w.Stage != s {
			continue
		}
		err := w.Check(now)
		if err == nil {
			return w, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = ErrNoPlan
	}
	return Window{}, firstErr
}

// ErrInvalidCatalogue is matched (errors.Is) by every problem Catalogue.Validate finds in a
// 网报目录 (catalogue of provinces, cities, authorities, points and windows).
var ErrInvalidCatalogue = &Error{Code: "invalid_catalogue", Message: "网报目录数据有误"}

// Validate checks the catalogue's references: unique ids, every city in a known province, every
// authority in a known city, every point and window of a known authority, windows that close after
// they open and whose stage the authority serves. It returns the first problem (for seed data and
// the administrator's pages; not for applicants). The error matches ErrInvalidCatalogue and its
// zh-CN message names the offending entry.
func (c *Catalogue) Validate() error {
	prov := map[string]bool{}
	for _, p := range c.Provinces {
		prov[p.Code] = true
	}
	city := map[string]bool{}
	for _, ci := range c.Cities {
		if !prov[ci.Province] {
			return ErrInvalidCatalogue.withf("城市 %s 所属省份 %q 不存在", ci.Name, ci.Province)
		}
		city[ci.Province+"/"+ci.Code] = true
	}
	auth := map[string]Authority{}
	for _, a := range c.Authorities {
		if _, dup := auth[a.ID]; dup || a.ID == "" {
			return ErrInvalidCatalogue.withf("注册机构编号 %q 为空或重复", a.ID)
		}
		if !city[a.Province+"/"+a.City] {
			return ErrInvalidCatalogue.withf("注册机构 %s 所在地 %s/%s 不存在", a.Name, a.Province, a.City)
		}
		auth[a.ID] = a
	}
	pts := map[string]bool{}
	for _, p := range c.Points {
		if pts[p.ID] || p.ID == "" {
			return ErrInvalidCatalogue.withf("确认点编号 %q 为空或重复", p.ID)
		}
		pts[p.ID] = true
		if _, ok := auth[p.AuthorityID]; !ok {
			return ErrInvalidCatalogue.withf("确认点 %s 所属注册机构 %q 不存在", p.Name, p.AuthorityID)
		}
	}
	wins := map[string]bool{}
	for _, w := range c.Windows {
		if wins[w.ID] || w.ID == "" {
			return ErrInvalidCatalogue.withf("网报时间编号 %q 为空或重复", w.ID)
		}
		wins[w.ID] = true
		a, ok := auth[w.AuthorityID]
		switch {
		case !ok:
			return ErrInvalidCatalogue.withf("网报时间 %s 所属注册机构 %q 不存在", w.ID, w.AuthorityID)
		case !w.Closes.After(w.Opens):
			return ErrInvalidCatalogue.withf("网报时间 %s 的结束时间不晚于开始时间", w.ID)
		case !slices.Contains(a.Stages, w.Stage):
			return ErrInvalidCatalogue.withf("网报时间 %s 的学段 %s 不在注册机构 %s 的范围内", w.ID, w.Stage, a.Name)
		case w.Province != a.Province || w.City != a.City:
			return ErrInvalidCatalogue.withf("网报时间 %s 的所在地与注册机构 %s 不一致", w.ID, a.Name)
		}
	}
	return nil
}

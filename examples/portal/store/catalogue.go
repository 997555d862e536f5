package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

type provinceRow struct {
	bun.BaseModel `bun:"table:provinces"`

	Code string `bun:"code,pk"`
	Name string `bun:"name,notnull"`
}

type cityRow struct {
	bun.BaseModel `bun:"table:cities"`

	Code         string `bun:"code,pk"`
	ProvinceCode string `bun:"province_code,notnull"`
	Name         string `bun:"name,notnull"`
}

type authorityRow struct {
	bun.BaseModel `bun:"table:authorities"`

	ID           int64  `bun:"id,pk,autoincrement"`
	Name         string `bun:"name,notnull"`
	ProvinceCode string `bun:"province_code,notnull"`
	CityCode     string `bun:"city_code,notnull"`
	Stages       string `bun:"stages,notnull"`
	Kinds        string `bun:"kinds,notnull"`
	Address      string `bun:"address,notnull"`
	Phone        string `bun:"phone,notnull"`
}

type pointRow struct {
	bun.BaseModel `bun:"table:confirmation_points"`

	ID          int64  `bun:"id,pk,autoincrement"`
	AuthorityID int64  `bun:"authority_id,notnull"`
	Name        string `bun:"name,notnull"`
	ScopeText   string `bun:"scope_text,notnull"`
	Scope       string `bun:"scope,notnull"`
	Notes       string `bun:"notes,notnull"`
	Address     string `bun:"address,notnull"`
	Active      bool   `bun:"active,notnull"`
}

type windowRow struct {
	bun.BaseModel `bun:"table:windows"`

	ID          int64     `bun:"id,pk,autoincrement"`
	AuthorityID int64     `bun:"authority_id,notnull"`
	Stage       int16     `bun:"stage,notnull"`
	OpensAt     time.Time `bun:"opens_at,notnull"`
	ClosesAt    time.Time `bun:"closes_at,notnull"`
}

// scopeJSON is how a registration.Scope is kept in confirmation_points.scope.
type scopeJSON struct {
	Stages    []registration.Stage `json:"stages,omitempty"`
	Kinds     []certificate.Kind   `json:"kinds,omitempty"`
	Subjects  []string             `json:"subjects,omitempty"`
	Districts []string             `json:"districts,omitempty"`
}

func id64(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

func idString(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func joinInts[T ~int](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(int(x))
	}
	return strings.Join(parts, ",")
}

func splitInts[T ~int](s string) []T {
	if s == "" {
		return nil
	}
	var out []T
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			out = append(out, T(n))
		}
	}
	return out
}

func toAuthorityRow(a registration.Authority) authorityRow {
	id, _ := id64(a.ID)
	return authorityRow{ID: id, Name: a.Name, ProvinceCode: a.Province, CityCode: a.City,
		Stages: joinInts(a.Stages), Kinds: joinInts(a.Kinds)}
}

func (r authorityRow) domain() registration.Authority {
	return registration.Authority{ID: idString(r.ID), Name: r.Name, Province: r.ProvinceCode, City: r.CityCode,
		Stages: splitInts[registration.Stage](r.Stages), Kinds: splitInts[certificate.Kind](r.Kinds)}
}

func toPointRow(p registration.ConfirmationPoint) (pointRow, error) {
	id, _ := id64(p.ID)
	aid, _ := id64(p.AuthorityID)
	sc, err := json.Marshal(scopeJSON(p.Scope))
	if err != nil {
		return pointRow{}, err
	}
	return pointRow{ID: id, AuthorityID: aid, Name: p.Name, ScopeText: p.ScopeText, Scope: string(sc),
		Notes: p.Notes, Address: p.Address, Active: true}, nil
}

func (r pointRow) domain() (registration.ConfirmationPoint, error) {
	var sc scopeJSON
	if err := json.Unmarshal([]byte(r.Scope), &sc); err != nil {
		return registration.ConfirmationPoint{}, err
	}
	return registration.ConfirmationPoint{ID: idString(r.ID), AuthorityID: idString(r.AuthorityID), Name: r.Name,
		ScopeText: r.ScopeText, Scope: registration.Scope(sc), Notes: r.Notes, Address: r.Address}, nil
}

// Catalogue loads what the window query searches (网报时间查询): every province, city,
// authority, active confirmation point and window, in insertion order. The portal may cache
// it and reload after an administrator's change. Outside a transaction the Store itself
// reuses a loaded catalogue for up to catalogueTTL; its own catalogue writes drop it at once.
// With a read replica it is loaded from the replica, except for replicaGrace after this
// process's own catalogue write (see replica.go).
func (s *Store) Catalogue(ctx context.Context) (*registration.Catalogue, error) {
	if s.inTx {
		return s.loadCatalogue(ctx) // a transaction sees its own writes
	}
	c, gen := s.catalogue.get()
	if c != nil {
		return c, nil
	}
	c, err := s.loadCatalogue(ctx)
	if err == nil {
		s.catalogue.put(c, gen)
	}
	return c, err
}

// loadCatalogue reads the catalogue from the database.
func (s *Store) loadCatalogue(ctx context.Context) (*registration.Catalogue, error) {
	var (
		provs  []provinceRow
		cities []cityRow
		auths  []authorityRow
		points []pointRow
		wins   []windowRow
	)
	c := &registration.Catalogue{}
	read := func(ctx context.Context, db bun.IDB) error {
		return s.snapshot(ctx, db, func(ctx context.Context, db bun.IDB) error {
			var (
				p  []provinceRow
				ci []cityRow
				a  []authorityRow
				pt []pointRow
				w  []windowRow
			)
			if err := db.NewSelect().Model(&p).Order("code").Scan(ctx); err != nil {
				return err
			}
			if err := db.NewSelect().Model(&ci).Order("code").Scan(ctx); err != nil {
				return err
			}
			if err := db.NewSelect().Model(&a).Order("id").Scan(ctx); err != nil {
				return err
			}
			if err := db.NewSelect().Model(&pt).Where("active").Order("id").Scan(ctx); err != nil {
				return err
			}
			if err := db.NewSelect().Model(&w).Order("id").Scan(ctx); err != nil {
				return err
			}
			provs, cities, auths, points, wins = p, ci, a, pt, w
			return nil
		})
	}
	var err error
	if s.catalogue.writtenWithin(replicaGrace) {
		err = read(ctx, s.idb) // this process just changed it: the replica may not have it yet
	} else {
		err = s.lagTolerant(ctx, "catalogue", read)
	}
	if err != nil {
		return nil, s.wrap("catalogue", err)
	}
	for _, p := range provs {
		c.Provinces = append(c.Provinces, registration.Province{Code: p.Code, Name: p.Name})
	}
	for _, ci := range cities {
		c.Cities = append(c.Cities, registration.City{Code: ci.Code, Name: ci.Name, Province: ci.ProvinceCode})
	}
	byID := map[int64]authorityRow{}
	for _, a := range auths {
		byID[a.ID] = a
		c.Authorities = append(c.Authorities, a.domain())
	}
	for _, p := range points {
		d, err := p.domain()
		if err != nil {
			return nil, s.wrap("catalogue", err)
		}
		c.Points = append(c.Points, d)
	}
	for _, w := range wins {
		a := byID[w.AuthorityID]
		c.Windows = append(c.Windows, registration.Window{ID: idString(w.ID), AuthorityID: idString(w.AuthorityID),
			Province: a.ProvinceCode, City: a.CityCode, Stage: registration.Stage(w.Stage),
			Opens: w.OpensAt.UTC(), Closes: w.ClosesAt.UTC()})
	}
	return c, nil
}

// AddProvince stores a province (省) by its two-digit code; ErrDuplicate when it exists.
func (s *Store) AddProvince(ctx context.Context, p registration.Province) error {
	defer s.catalogue.invalidate()
	_, err := s.idb.NewInsert().Model(&provinceRow{Code: p.Code, Name: p.Name}).Exec(ctx)
	return s.wrap("add province", err)
}

// AddCity stores a city (市) by its six-digit code; ErrDuplicate when it exists.
func (s *Store) AddCity(ctx context.Context, c registration.City) error {
	defer s.catalogue.invalidate()
	_, err := s.idb.NewInsert().Model(&cityRow{Code: c.Code, ProvinceCode: c.Province, Name: c.Name}).Exec(ctx)
	return s.wrap("add city", err)
}

// SaveAuthority inserts a registration authority (注册机构) when a.ID is empty and returns it
// with its new ID, or updates the one with a.ID (ErrNotFound when there is none).
func (s *Store) SaveAuthority(ctx context.Context, a registration.Authority) (registration.Authority, error) {
	defer s.catalogue.invalidate()
	row := toAuthorityRow(a)
	if a.ID == "" {
		if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return registration.Authority{}, s.wrap("add authority", err)
		}
		return row.domain(), nil
	}
	if row.ID == 0 {
		return registration.Authority{}, newError(ErrNotFound, "save authority")
	}
	res, err := s.idb.NewUpdate().Model(&row).
		Column("name", "province_code", "city_code", "stages", "kinds").WherePK().Exec(ctx)
	if err := affectedOne(res, err); err != nil {
		return registration.Authority{}, s.wrap("save authority", err)
	}
	return row.domain(), nil
}

// SaveConfirmationPoint inserts a confirmation point (确认点) when p.ID is empty and returns it
// with its new ID, or updates the one with p.ID (ErrNotFound when there is none).
func (s *Store) SaveConfirmationPoint(ctx context.Context, p registration.ConfirmationPoint) (registration.ConfirmationPoint, error) {
	defer s.catalogue.invalidate()
	row, err := toPointRow(p)
	if err != nil {
		return registration.ConfirmationPoint{}, s.wrap("save confirmation point", err)
	}
	if p.ID == "" {
		if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return registration.ConfirmationPoint{}, s.wrap("add confirmation point", err)
		}
	} else {
		if row.ID == 0 {
			return registration.ConfirmationPoint{}, newError(ErrNotFound, "save confirmation point")
		}
		res, err := s.idb.NewUpdate().Model(&row).
			Column("authority_id", "name", "scope_text", "scope", "notes", "address").WherePK().Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return registration.ConfirmationPoint{}, s.wrap("save confirmation point", err)
		}
	}
	d, err := row.domain()
	return d, s.wrap("save confirmation point", err)
}

// SaveWindow inserts a window (网报时间) when w.ID is empty and returns it with its new ID,
// or updates the one with w.ID (ErrNotFound when there is none). w.Province and w.City are
// taken from the authority.
func (s *Store) SaveWindow(ctx context.Context, w registration.Window) (registration.Window, error) {
	defer s.catalogue.invalidate()
	id, _ := id64(w.ID)
	aid, _ := id64(w.AuthorityID)
	row := windowRow{ID: id, AuthorityID: aid, Stage: int16(w.Stage), OpensAt: ts(w.Opens), ClosesAt: ts(w.Closes)}
	if w.ID == "" {
		if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return registration.Window{}, s.wrap("add window", err)
		}
	} else {
		if id == 0 {
			return registration.Window{}, newError(ErrNotFound, "save window")
		}
		res, err := s.idb.NewUpdate().Model(&row).Column("authority_id", "stage", "opens_at", "closes_at").WherePK().Exec(ctx)
		if err := affectedOne(res, err); err != nil {
			return registration.Window{}, s.wrap("save window", err)
		}
	}
	var a authorityRow
	if err := s.idb.NewSelect().Model(&a).Where("id = ?", aid).Scan(ctx); err != nil {
		return registration.Window{}, s.wrap("save window", err)
	}
	w.ID, w.Province, w.City = idString(row.ID), a.ProvinceCode, a.CityCode
	w.Opens, w.Closes = row.OpensAt, row.ClosesAt
	return w, nil
}

// CloseWindow ends the window early (提前结束) at at: its Closes becomes at when that is
// earlier and after Opens. ErrNotFound when there is no such window.
func (s *Store) CloseWindow(ctx context.Context, id string, at time.Time) error {
	defer s.catalogue.invalidate()
	n, ok := id64(id)
	if !ok {
		return newError(ErrNotFound, "close window")
	}
	var row windowRow
	if err := s.idb.NewSelect().Model(&row).Where("id = ?", n).Scan(ctx); err != nil {
		return s.wrap("close window", err)
	}
	at = ts(at)
	if !at.Before(row.ClosesAt) {
		return nil
	}
	if !at.After(row.OpensAt) {
		at = row.OpensAt.Add(time.Microsecond)
	}
	_, err := s.idb.NewUpdate().Model((*windowRow)(nil)).Set("closes_at = ?", at).Where("id = ?", n).Exec(ctx)
	return s.wrap("close window", err)
}

// DeactivateConfirmationPoint hides a point from the catalogue (its applications stay).
func (s *Store) DeactivateConfirmationPoint(ctx context.Context, id string) error {
	defer s.catalogue.invalidate()
	n, ok := id64(id)
	if !ok {
		return newError(ErrNotFound, "deactivate confirmation point")
	}
	res, err := s.idb.NewUpdate().Model((*pointRow)(nil)).Set("active = FALSE").Where("id = ?", n).Exec(ctx)
	return s.wrap("deactivate confirmation point", affectedOne(res, err))
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/registration"
)

// SyntheticOptions sizes GenerateSynthetic.
type SyntheticOptions struct {
	// Certificates is the number of national certificate records, one holder each (e.g.
	// 1 000 000).
	Certificates int
	// Applications is the number of applications (e.g. 100 000), by the holders of the first
	// certificates, each with its own account and submission event; at most Certificates.
	Applications int
	// Year is the registration year of the applications (their numbers); 0: 2026.
	Year int
	// BatchSize is the rows per statement on SQLite and per COPY on Postgres (≤ 0: 5000).
	BatchSize int
}

// ErrNoCatalogue: the synthetic applications need confirmation points; seed first.
var ErrNoCatalogue = errors.New("目录为空:请先载入演示数据(SeedDemo)再生成测试数据")

// synthetic name parts (common surnames and given-name characters).
var (
	synthSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
	synthGiven    = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰文辉鹏宇晨欣怡")
	synthRegions  = []string{"440106", "450103", "110108", "510104", "320102", "330106", "420106", "430104", "610113", "370102"}
)

// SyntheticHolder returns the document number (a valid resident ID) and name of the holder
// of synthetic certificate i, so that benchmarks can look up rows that exist.
func SyntheticHolder(i int) (docNumber, name string) {
	region := synthRegions[i%len(synthRegions)]
	rest := i / len(synthRegions)
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rest%14000)
	seq := rest / 14000 % 1000
	doc := residentID(region, birth.Format("20060102"), fmt.Sprintf("%03d", seq))
	name = string(synthSurnames[i%len(synthSurnames)]) + string(synthGiven[(i/7)%len(synthGiven)]) +
		string(synthGiven[(i/131)%len(synthGiven)])
	return doc, name
}

// SyntheticCertificateNumber returns the number of synthetic certificate i (17 digits,
// unique for every i below 999 000 000).
func SyntheticCertificateNumber(i int) string {
	region := synthRegions[i%len(synthRegions)]
	year := 2008 + i%18
	kind := 1 + i%6
	return fmt.Sprintf("%04d%s%03d%d%d%06d", year, region[:2], i/1_000_000+1, kind, (i/3)%2+1, i%1_000_000)
}

// GenerateSynthetic adds large synthetic data for benchmarks: opt.Certificates certificate
// records and opt.Applications applications with their accounts and events, spread over the
// catalogue's confirmation points (seed the catalogue first). Postgres loads with COPY,
// SQLite with multi-row INSERTs in batches. Run it on an otherwise empty database: it uses
// the synthetic numbers and documents, which collide with an earlier run's.
func (s *Store) GenerateSynthetic(ctx context.Context, opt SyntheticOptions, now time.Time) error {
	if opt.Applications > opt.Certificates {
		opt.Applications = opt.Certificates
	}
	if opt.Year == 0 {
		opt.Year = 2026
	}
	batch := opt.BatchSize
	if batch <= 0 {
		batch = 5000
	}
	now = ts(now)
	type place struct {
		Point     int64  `bun:"point"`
		Authority int64  `bun:"authority"`
		Province  string `bun:"province"`
	}
	var places []place
	err := s.idb.NewSelect().TableExpr("confirmation_points AS p").
		ColumnExpr("p.id AS point, p.authority_id AS authority, a.province_code AS province").
		Join("JOIN authorities AS a ON a.id = p.authority_id").Where("p.active").Order("p.id").
		Scan(ctx, &places)
	if err != nil {
		return s.wrap("generate synthetic data", err)
	}
	if len(places) == 0 && opt.Applications > 0 {
		return ErrNoCatalogue
	}
	certCols := []string{"number", "holder_doc_type", "holder_doc_number", "holder_name", "kind", "subject", "authority",
		"issued_on", "first_registered", "manual"}
	err = s.load(ctx, "certificates", certCols, opt.Certificates, batch, func(i int) []any {
		doc, name := SyntheticHolder(i)
		num := SyntheticCertificateNumber(i)
		issued := time.Date(2008+i%18, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		return []any{num, int16(account.DocResidentID), doc, name, int16(num[9] - '0'), "语文", "教育局", issued, i%3 == 0, false}
	})
	if err != nil || opt.Applications == 0 {
		return s.wrap("generate certificates", err)
	}

	photo := []byte("synthetic photo: the content does not matter to the benchmarks")
	key := PhotoKey(photo)
	if _, err := s.idb.NewInsert().Model(&photoRow{Key: key, Data: photo, CreatedAt: now}).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
		return s.wrap("generate applications", err)
	}
	var baseAccount, baseApp int64
	if err := s.idb.NewRaw("SELECT COALESCE(MAX(id), 0) FROM accounts").Scan(ctx, &baseAccount); err != nil {
		return s.wrap("generate applications", err)
	}
	if err := s.idb.NewRaw("SELECT COALESCE(MAX(id), 0) FROM applications").Scan(ctx, &baseApp); err != nil {
		return s.wrap("generate applications", err)
	}
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c3ludGhldGljc2FsdA$c3ludGhldGljIGhhc2ggbm90IGEgcGFzc3dvcmQ"
	accCols := []string{"id", "doc_type", "doc_number", "name", "phone", "email", "registered_at", "wechat_linked",
		"real_name_verified", "password_hash", "password_changed_at", "version"}
	err = s.load(ctx, "accounts", accCols, opt.Applications, batch, func(i int) []any {
		doc, name := SyntheticHolder(i)
		return []any{baseAccount + int64(i) + 1, int16(account.DocResidentID), doc, name,
			fmt.Sprintf("139%08d", i), "", now, false, true, hash, now, int64(1)}
	})
	if err != nil {
		return s.wrap("generate accounts", err)
	}
	statuses := []registration.Status{1, 1, 1, 1, 1, 1, 2, 2, 3, 4}
	seqBy := map[string]int64{}
	numbers := make([]string, opt.Applications)
	for i := range numbers {
		p := places[i%len(places)]
		seqBy[p.Province]++
		numbers[i] = fmt.Sprintf("%04d%s%08d", opt.Year, p.Province, seqBy[p.Province])
	}
	appCols := []string{"id", "number", "account_id", "certificate_number", "kind", "stage", "subject", "info",
		"photo_key", "authority_id", "point_id", "status", "version", "submitted_at", "updated_at"}
	err = s.load(ctx, "applications", appCols, opt.Applications, batch, func(i int) []any {
		p := places[i%len(places)]
		num := SyntheticCertificateNumber(i)
		at := now.Add(-time.Duration(i) * time.Second)
		return []any{baseApp + int64(i) + 1, numbers[i], baseAccount + int64(i) + 1, num, int16(num[9] - '0'),
			int16(1 + i%5), "01", "{}", key, p.Authority, p.Point, int16(statuses[i%len(statuses)]), int64(1), at, at}
	})
	if err != nil {
		return s.wrap("generate applications", err)
	}
	evCols := []string{"application_id", "seq", "actor", "actor_name", "from_status", "to_status", "at", "note"}
	err = s.load(ctx, "application_events", evCols, opt.Applications, batch, func(i int) []any {
		return []any{baseApp + int64(i) + 1, 0, int16(registration.ActorApplicant), "", int16(0),
			int16(registration.StatusPending), now.Add(-time.Duration(i) * time.Second), "网上报名"}
	})
	if err != nil {
		return s.wrap("generate events", err)
	}
	// Identity columns and number sequences continue after the generated rows.
	for prov, n := range seqBy {
		if err := s.advanceSequence(ctx, opt.Year, prov, n); err != nil {
			return s.wrap("generate applications", err)
		}
	}
	if s.backend == Postgres {
		for _, t := range []string{"accounts", "applications"} {
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)
			if _, err := s.idb.ExecContext(ctx, q); err != nil {
				return s.wrap("generate applications", err)
			}
		}
		err := s.runTx(ctx, func(ctx context.Context, db bun.IDB) error {
			if _, err := db.ExecContext(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
				return err
			}
			_, err := db.ExecContext(ctx, "ANALYZE certificates, accounts, applications, application_events")
			return err
		})
		if err != nil {
			return s.wrap("generate applications", err)
		}
	}
	return nil
}

// advanceSequence makes NextSequence(year, province) continue after n.
func (s *Store) advanceSequence(ctx context.Context, year int, province string, n int64) error {
	if s.backend == SQLite {
		_, err := s.idb.NewRaw(`INSERT INTO application_sequences (year, province, last) VALUES (?, ?, ?)
			ON CONFLICT (year, province) DO UPDATE SET last = MAX(application_sequences.last, EXCLUDED.last)`,
			year, province, n).Exec(ctx)
		return err
	}
	name := fmt.Sprintf("application_seq_%04d_%s", year, province)
	if err := s.ensureSequence(ctx, name); err != nil {
		return err
	}
	s.seqs.Store(name, true)
	_, err := s.idb.NewRaw("SELECT setval(?, GREATEST(?, (SELECT last_value FROM ?)))", name, n, bun.Ident(name)).Exec(ctx)
	return err
}

// load inserts n rows made by row into table: COPY on Postgres, multi-row INSERTs on
// SQLite, batch rows at a time, each batch in its own transaction.
func (s *Store) load(ctx context.Context, table string, cols []string, n, batch int, row func(i int) []any) error {
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		var err error
		if s.backend == Postgres {
			err = s.copyBatch(ctx, table, cols, start, end, row)
		} else {
			err = s.insertBatch(ctx, table, cols, start, end, row)
		}
		if err != nil {
			return fmt.Errorf("%s rows %d–%d: %w", table, start, end, err)
		}
	}
	return nil
}

func (s *Store) copyBatch(ctx context.Context, table string, cols []string, start, end int, row func(int) []any) error {
	conn, err := s.db.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		// Bulk loads may take longer than the per-statement limit meant for requests.
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(end-start, func(i int) ([]any, error) {
			return row(start + i), nil
		}))
		if err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

func (s *Store) insertBatch(ctx context.Context, table string, cols []string, start, end int, row func(int) []any) error {
	const perStatement = 500
	return s.runTx(ctx, func(ctx context.Context, db bun.IDB) error {
		for from := start; from < end; from += perStatement {
			to := min(from+perStatement, end)
			var b strings.Builder
			b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
			ph := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
			args := make([]any, 0, (to-from)*len(cols))
			for i := from; i < to; i++ {
				if i > from {
					b.WriteString(", ")
				}
				b.WriteString(ph)
				args = append(args, row(i)...)
			}
			if _, err := db.NewRaw(b.String(), args...).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

var _ registration.Store = (*Store)(nil)

type applicationRow struct {
	bun.BaseModel `bun:"table:applications"`

	ID                int64     `bun:"id,pk,autoincrement"`
	Number            string    `bun:"number,notnull"`
	AccountID         int64     `bun:"account_id,notnull"`
	CertificateNumber string    `bun:"certificate_number,notnull"`
	Kind              int16     `bun:"kind,notnull"`
	Stage             int16     `bun:"stage,notnull"`
	Subject           string    `bun:"subject,notnull"`
	Info              string    `bun:"info,notnull"`
	ManualCertificate string    `bun:"manual_certificate,nullzero"`
	PhotoKey          string    `bun:"photo_key,nullzero"`
	WindowID          int64     `bun:"window_id,nullzero"`
	AuthorityID       int64     `bun:"authority_id,notnull"`
	PointID           int64     `bun:"point_id,notnull"`
	Status            int16     `bun:"status,notnull"`
	Version           int64     `bun:"version,notnull"`
	SubmittedAt       time.Time `bun:"submitted_at,notnull"`
	PhotoChangedAt    time.Time `bun:"photo_changed_at,nullzero"`
	UpdatedAt         time.Time `bun:"updated_at,notnull"`
}

type eventRow struct {
	bun.BaseModel `bun:"table:application_events"`

	ApplicationID int64     `bun:"application_id,pk"`
	Seq           int       `bun:"seq,pk"`
	Actor         int16     `bun:"actor,notnull"`
	ActorName     string    `bun:"actor_name,notnull"`
	FromStatus    int16     `bun:"from_status,notnull"`
	ToStatus      int16     `bun:"to_status,notnull"`
	At            time.Time `bun:"at,notnull"`
	Note          string    `bun:"note,notnull"`
}

type messageRow struct {
	bun.BaseModel `bun:"table:application_messages"`

	ApplicationID int64     `bun:"application_id,pk"`
	Seq           int       `bun:"seq,pk"`
	Sender        int16     `bun:"sender,notnull"`
	At            time.Time `bun:"at,notnull"`
	Body          string    `bun:"body,notnull"`
	Read          bool      `bun:"read,notnull"`
}

// toApplicationRow converts a; it fails on IDs that are not the store's.
func toApplicationRow(a *registration.Application) (applicationRow, error) {
	acc, ok1 := id64(a.AccountID)
	auth, ok2 := id64(a.AuthorityID)
	point, ok3 := id64(a.ConfirmationPointID)
	win, _ := id64(a.WindowID)
	if !ok1 || !ok2 || !ok3 {
		return applicationRow{}, errors.New("application refers to an account, authority or point id the store did not issue")
	}
	info, err := json.Marshal(a.Info)
	if err != nil {
		return applicationRow{}, err
	}
	var manual []byte
	if a.ManualCertificate != nil {
		if manual, err = json.Marshal(a.ManualCertificate); err != nil {
			return applicationRow{}, err
		}
	}
	return applicationRow{Number: a.Number, AccountID: acc, CertificateNumber: a.Certificate.String(),
		Kind: int16(a.Kind), Stage: int16(a.Stage), Subject: a.Subject, Info: string(info),
		ManualCertificate: string(manual), PhotoKey: a.Photo, WindowID: win, AuthorityID: auth, PointID: point,
		Status: int16(a.Status), Version: a.Version, SubmittedAt: ts(a.SubmittedAt),
		PhotoChangedAt: ts(a.PhotoChangedAt)}, nil
}

func (r applicationRow) domain(events []eventRow, msgs []messageRow) (*registration.Application, error) {
	n, err := certificate.ParseNumberAt(r.CertificateNumber, farFuture)
	if err != nil {
		return nil, err
	}
	a := &registration.Application{Number: r.Number, AccountID: idString(r.AccountID), Certificate: n,
		Kind: certificate.Kind(r.Kind), Stage: registration.Stage(r.Stage), Subject: r.Subject,
		Photo: r.PhotoKey, WindowID: idString(r.WindowID), AuthorityID: idString(r.AuthorityID),
		ConfirmationPointID: idString(r.PointID), Status: registration.Status(r.Status), Version: r.Version,
		SubmittedAt: r.SubmittedAt.UTC(), PhotoChangedAt: utcOrZero(r.PhotoChangedAt)}
	if err := json.Unmarshal([]byte(r.Info), &a.Info); err != nil {
		return nil, err
	}
	if r.ManualCertificate != "" {
		var c certificate.Certificate
		if err := json.Unmarshal([]byte(r.ManualCertificate), &c); err != nil {
			return nil, err
		}
		a.ManualCertificate = &c
	}
	for _, e := range events {
		a.Events = append(a.Events, registration.Event{Actor: registration.Actor(e.Actor),
			From: registration.Status(e.FromStatus), To: registration.Status(e.ToStatus), At: e.At.UTC(), Note: e.Note})
	}
	for _, m := range msgs {
		a.Messages = append(a.Messages, registration.Message{From: registration.Actor(m.Sender), At: m.At.UTC(),
			Text: m.Body, Read: m.Read})
	}
	return a, nil
}

// savepoint runs fn in a transaction of its own, or in a savepoint of the current one, so
// an expected failure (a unique violation) leaves the caller's transaction usable.
func (s *Store) savepoint(ctx context.Context, fn func(ctx context.Context, db bun.IDB) error) error {
	if tx, ok := s.idb.(bun.Tx); ok {
		return tx.RunInTx(ctx, nil, func(ctx context.Context, sp bun.Tx) error { return fn(ctx, sp) })
	}
	return s.runTx(ctx, fn)
}

// isActiveConflict tells whether a unique violation came from applications_one_active.
func isActiveConflict(err error) bool {
	var se *Error
	if !errors.As(err, &se) || se.kind != ErrDuplicate {
		return false
	}
	c := se.constraint
	return strings.Contains(c, "one_active") || strings.Contains(c, "applications.account_id")
}

// CreateApplication inserts a new application (报名) with its events and messages, and the
// hand-added certificate when there is one, atomically, and sets a.Version to 1.
// registration.ErrActiveApplication when the account already has an active application for
// the certificate (a partial unique index decides, so of concurrent submissions exactly one
// wins); ErrDuplicate (also registration.ErrDuplicate) when the number exists. Inside a
// caller's transaction it runs in a savepoint, so the caller's transaction stays usable after
// a refusal. Implements registration.Store; registration.Submit numbers and creates through it.
//
// On Postgres, outside a caller's transaction, an application without messages or a hand-added
// certificate (a wizard submission that chose a certificate from the records) is written by one
// statement (createApplicationPG:
// application and events, atomic by itself, prepared once per connection): one round trip
// instead of four (BEGIN, two INSERTs, COMMIT). A submission with a hand-added certificate
// takes the savepoint path.
func (s *Store) CreateApplication(ctx context.Context, a *registration.Application) error {
	row, err := toApplicationRow(a)
	if err != nil {
		return s.wrap("create application", err)
	}
	row.Version = 1
	row.UpdatedAt = ts(a.SubmittedAt)
	if s.backend == Postgres && !s.inTx && len(a.Messages) == 0 && a.ManualCertificate == nil {
		err = s.createApplicationPG(ctx, row, a.Events)
	} else {
		err = s.savepoint(ctx, func(ctx context.Context, db bun.IDB) error {
			if _, err := db.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
				return err
			}
			if err := insertEvents(ctx, db, row.ID, 0, a.Events, ""); err != nil {
				return err
			}
			if err := insertMessages(ctx, db, row.ID, 0, a.Messages); err != nil {
				return err
			}
			if c := a.ManualCertificate; c != nil {
				mr := toCertificateRow(*c, row.AccountID)
				mr.Manual = true
				if _, err := db.NewInsert().Model(&mr).On("CONFLICT (number) DO NOTHING").Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		err = s.wrap("create application", err)
		if isActiveConflict(err) {
			return registration.ErrActiveApplication
		}
		return err
	}
	a.Version = 1
	return nil
}

// The one-statement writes of a new application on Postgres (CreateApplication,
// CreateNumbered): the application, then its events from parallel arrays, numbered from 0.
const (
	insertApplicationPG = `INSERT INTO applications (number, account_id, certificate_number, kind, stage, subject, info,
		photo_key, window_id, authority_id, point_id, status, version, submitted_at, photo_changed_at, updated_at)`
	applicationValuesPG = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?` // after the number
	insertEventsPG      = `INSERT INTO application_events (application_id, seq, actor, actor_name, from_status, to_status, at, note)
		SELECT a.id, e.seq - 1, e.actor, '', e.from_status, e.to_status, e.at, e.note
		FROM a, unnest(?::smallint[], ?::smallint[], ?::smallint[], ?::timestamptz[], ?::text[])
			WITH ORDINALITY AS e(actor, from_status, to_status, at, note, seq)`
)

var (
	// createApplicationPGQuery writes an application with its number given.
	createApplicationPGQuery = newPreparedQuery(`WITH a AS (` + insertApplicationPG + `
		VALUES (?, ` + applicationValuesPG + `) RETURNING id) ` + insertEventsPG)
	// createNumberedPGQuery draws the number from the (year, province) sequence in the same
	// statement: the prefix (year and province) followed by the 8-digit sequence number, or
	// NULL (refused by NOT NULL) once the sequence passes registration.MaxSequence.
	createNumberedPGQuery = newPreparedQuery(`WITH n AS (SELECT nextval(?::regclass) AS v),
		a AS (` + insertApplicationPG + `
			SELECT CASE WHEN n.v <= ? THEN ? || lpad(n.v::text, 8, '0') END, ` + applicationValuesPG + ` FROM n
			RETURNING id, number),
		e AS (` + insertEventsPG + `)
		SELECT number FROM a`)
)

// applicationArgsPG are the values of applicationValuesPG and insertEventsPG.
func applicationArgsPG(row applicationRow, events []registration.Event) []any {
	nullable := func(v any, null bool) any {
		if null {
			return nil
		}
		return v
	}
	actors := make([]int16, len(events))
	froms := make([]int16, len(events))
	tos := make([]int16, len(events))
	ats := make([]time.Time, len(events))
	notes := make([]string, len(events))
	for i, e := range events {
		actors[i], froms[i], tos[i], ats[i], notes[i] = int16(e.Actor), int16(e.From), int16(e.To), ts(e.At), e.Note
	}
	return []any{row.AccountID, row.CertificateNumber, row.Kind, row.Stage, row.Subject, row.Info,
		nullable(row.PhotoKey, row.PhotoKey == ""), nullable(row.WindowID, row.WindowID == 0),
		row.AuthorityID, row.PointID, row.Status, row.SubmittedAt,
		nullable(row.PhotoChangedAt, row.PhotoChangedAt.IsZero()), row.UpdatedAt,
		actors, froms, tos, ats, notes}
}

// createApplicationPG is CreateApplication's one-statement path on Postgres.
func (s *Store) createApplicationPG(ctx context.Context, row applicationRow, events []registration.Event) error {
	_, err := s.execPrepared(ctx, createApplicationPGQuery, append([]any{row.Number}, applicationArgsPG(row, events)...)...)
	return err
}

// CreateNumbered sets a.Number to the next application number of the year of a.SubmittedAt
// (China Standard Time) and province — the number registration.SequenceNumbers over this
// store would issue — and creates a as CreateApplication does, with its errors. On Postgres,
// outside a caller's transaction and for an application without messages or a hand-added
// certificate (a wizard submission that chose a certificate from the records), the number is
// drawn inside the inserting statement: one round trip for the whole submission. Otherwise (a
// submission with a hand-added certificate among them) it is NextSequence, then
// CreateApplication's savepoint path. Implements registration.NumberingStore (registration.Submit uses it).
func (s *Store) CreateNumbered(ctx context.Context, a *registration.Application, province string) error {
	if s.backend != Postgres || s.inTx || len(a.Messages) != 0 || a.ManualCertificate != nil {
		n, err := registration.SequenceNumbers{Seq: s}.NewNumber(ctx, a.SubmittedAt, province)
		if err != nil {
			return err
		}
		a.Number = n
		return s.CreateApplication(ctx, a)
	}
	year := a.SubmittedAt.In(registration.CST).Year()
	seq, err := s.sequence(ctx, year, province)
	if err != nil {
		return err
	}
	a.Number = ""
	row, err := toApplicationRow(a)
	if err != nil {
		return s.wrap("create application", err)
	}
	row.Version = 1
	row.UpdatedAt = ts(a.SubmittedAt)
	args := append([]any{seq, int64(registration.MaxSequence), fmt.Sprintf("%04d%s", year, province)}, applicationArgsPG(row, a.Events)...)
	var numbers []string
	if err := s.prepared(ctx, createNumberedPGQuery, &numbers, args...); err != nil {
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) {
			switch {
			case pgErr.Code == "42P01":
				// The sequence is gone: dropped under us, since sequence() ensured it (a concurrent
				// creation is settled there). Check again next time, but do not retry now: a
				// recreated sequence starts at 1 again, and the operator should see this failure.
				s.seqs.Delete(seq)
			case pgErr.Code == "23502" && pgErr.ColumnName == "number":
				return registration.ErrSequenceExhausted
			}
		}
		err = s.wrap("create application", err)
		if isActiveConflict(err) {
			return registration.ErrActiveApplication
		}
		return err
	}
	if len(numbers) == 0 {
		return newError(ErrInternal, "create application") // nothing was inserted
	}
	// The statement has committed: the application exists, so this is a success whatever the
	// number looks like. A number that is not this year's and province's is logged (without
	// the number or anything personal) for the operator.
	a.Number, a.Version = numbers[0], 1
	if n, err := registration.ParseApplicationNumber(a.Number); err != nil || n.Year != year || n.Province != province {
		s.log.Error("create application: the drawn number is not the expected year's and province's; the application was created",
			"year", year, "province", province, "number_length", len(a.Number))
	}
	return nil
}

var _ registration.NumberingStore = (*Store)(nil)

func insertEvents(ctx context.Context, db bun.IDB, appID int64, from int, events []registration.Event, actorName string) error {
	if from >= len(events) {
		return nil
	}
	rows := make([]eventRow, 0, len(events)-from)
	for i := from; i < len(events); i++ {
		e := events[i]
		rows = append(rows, eventRow{ApplicationID: appID, Seq: i, Actor: int16(e.Actor), ActorName: actorName,
			FromStatus: int16(e.From), ToStatus: int16(e.To), At: ts(e.At), Note: e.Note})
	}
	_, err := db.NewInsert().Model(&rows).Exec(ctx)
	return err
}

func insertMessages(ctx context.Context, db bun.IDB, appID int64, from int, msgs []registration.Message) error {
	if from >= len(msgs) {
		return nil
	}
	rows := make([]messageRow, 0, len(msgs)-from)
	for i := from; i < len(msgs); i++ {
		m := msgs[i]
		rows = append(rows, messageRow{ApplicationID: appID, Seq: i, Sender: int16(m.From), At: ts(m.At), Body: m.Text, Read: m.Read})
	}
	_, err := db.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// SaveApplication writes a back if the stored version still equals a.Version (optimistic
// locking), then increments both: the status and every editable field, the events beyond
// those stored, new messages and read marks. ErrConflict (also registration.ErrConflict)
// when someone saved first, nothing written; ErrNotFound when there is no application with
// a.Number; registration.ErrActiveApplication when a reactivated application would be a
// second active one. Implements registration.Store.
func (s *Store) SaveApplication(ctx context.Context, a *registration.Application) error {
	return s.SaveApplicationAs(ctx, a, "")
}

// SaveApplicationAs is SaveApplication recording actorName (e.g. the staff username) on the
// new events, for the audit trail (ApplicationHistory).
func (s *Store) SaveApplicationAs(ctx context.Context, a *registration.Application, actorName string) error {
	row, err := toApplicationRow(a)
	if err != nil {
		return s.wrap("save application", err)
	}
	var conflict bool
	err = s.savepoint(ctx, func(ctx context.Context, db bun.IDB) error {
		var id int64
		err := db.NewUpdate().Model(&row).
			Column("subject", "stage", "kind", "info", "manual_certificate", "photo_key", "window_id",
				"authority_id", "point_id", "status", "photo_changed_at").
			Set("updated_at = ?", ts(s.now())).
			Set("version = version + 1").
			Where("number = ?", a.Number).Where("version = ?", a.Version).
			Returning("id").Scan(ctx, &id)
		if errors.Is(err, sql.ErrNoRows) {
			exists, err := db.NewSelect().Model((*applicationRow)(nil)).Where("number = ?", a.Number).Exists(ctx)
			if err != nil {
				return err
			}
			if !exists {
				return sql.ErrNoRows
			}
			conflict = true
			return errConflictSentinel
		}
		if err != nil {
			return err
		}
		// The row is locked now: counting what is stored is safe.
		nEvents, err := db.NewSelect().Model((*eventRow)(nil)).Where("application_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if err := insertEvents(ctx, db, id, int(nEvents), a.Events, actorName); err != nil {
			return err
		}
		var stored []messageRow
		if err := db.NewSelect().Model(&stored).Where("application_id = ?", id).Order("seq").Scan(ctx); err != nil {
			return err
		}
		for i, m := range stored {
			if i < len(a.Messages) && a.Messages[i].Read != m.Read {
				if _, err := db.NewUpdate().Model((*messageRow)(nil)).Set("read = ?", a.Messages[i].Read).
					Where("application_id = ?", id).Where("seq = ?", m.Seq).Exec(ctx); err != nil {
					return err
				}
			}
		}
		return insertMessages(ctx, db, id, len(stored), a.Messages)
	})
	if conflict {
		return newError(ErrConflict, "save application")
	}
	if err != nil {
		err = s.wrap("save application", err)
		if isActiveConflict(err) {
			return registration.ErrActiveApplication
		}
		return err
	}
	a.Version++
	return nil
}

var errConflictSentinel = errors.New("version changed")

// Application returns the application with the number, with its events and messages, or
// ErrNotFound.
func (s *Store) Application(ctx context.Context, number string) (*registration.Application, error) {
	apps, err := s.loadApplications(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("number = ?", number)
	})
	if err != nil {
		return nil, s.wrap("application", err)
	}
	if len(apps) == 0 {
		return nil, newError(ErrNotFound, "application")
	}
	return apps[0], nil
}

// ApplicationsOf returns the account's applications (查询报名信息), newest first, with their
// events and messages.
func (s *Store) ApplicationsOf(ctx context.Context, accountID string) ([]*registration.Application, error) {
	id, ok := id64(accountID)
	if !ok {
		return nil, nil
	}
	apps, err := s.loadApplications(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("account_id = ?", id).Order("submitted_at DESC", "id DESC")
	})
	return apps, s.wrap("applications of account", err)
}

// ActiveApplication returns the account's active (网报待确认 or 已确认) application for the
// certificate, or ErrNotFound. Implements registration.Store.
func (s *Store) ActiveApplication(ctx context.Context, accountID string, cert certificate.Number) (*registration.Application, error) {
	id, ok := id64(accountID)
	if !ok {
		return nil, newError(ErrNotFound, "active application")
	}
	var rows []applicationRow
	if err := s.prepared(ctx, activeApplicationQuery, &rows, id, cert.String()); err != nil {
		return nil, s.wrap("active application", err)
	}
	apps, err := s.attach(ctx, rows)
	if err != nil {
		return nil, s.wrap("active application", err)
	}
	if len(apps) == 0 {
		return nil, newError(ErrNotFound, "active application")
	}
	return apps[0], nil
}

// activeApplicationQuery runs at every submission (eligibility): prepared (see prepared). The
// status codes 1 and 2 are registration.StatusPending and StatusConfirmed, as in the partial
// unique index applications_one_active.
var activeApplicationQuery = newPreparedQuery(`SELECT id, number, account_id, certificate_number, kind, stage, subject,
	info, manual_certificate, photo_key, window_id, authority_id, point_id, status, version, submitted_at,
	photo_changed_at, updated_at
	FROM applications WHERE account_id = ? AND certificate_number = ? AND status IN (1, 2)`)

// loadApplications selects application rows with where and attaches their events and
// messages (three queries).
func (s *Store) loadApplications(ctx context.Context, where func(*bun.SelectQuery) *bun.SelectQuery) ([]*registration.Application, error) {
	var rows []applicationRow
	if err := where(s.idb.NewSelect().Model(&rows)).Scan(ctx); err != nil {
		return nil, err
	}
	return s.attach(ctx, rows)
}

func (s *Store) attach(ctx context.Context, rows []applicationRow) ([]*registration.Application, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var events []eventRow
	if err := s.idb.NewSelect().Model(&events).Where("application_id IN (?)", bun.In(ids)).Order("application_id", "seq").Scan(ctx); err != nil {
		return nil, err
	}
	var msgs []messageRow
	if err := s.idb.NewSelect().Model(&msgs).Where("application_id IN (?)", bun.In(ids)).Order("application_id", "seq").Scan(ctx); err != nil {
		return nil, err
	}
	evBy := map[int64][]eventRow{}
	for _, e := range events {
		evBy[e.ApplicationID] = append(evBy[e.ApplicationID], e)
	}
	msBy := map[int64][]messageRow{}
	for _, m := range msgs {
		msBy[m.ApplicationID] = append(msBy[m.ApplicationID], m)
	}
	out := make([]*registration.Application, 0, len(rows))
	for _, r := range rows {
		a, err := r.domain(evBy[r.ID], msBy[r.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// AuditEvent is one entry of an application's history (审核记录): the domain event and the
// name of who did it (a staff username; empty for the applicant).
type AuditEvent struct {
	registration.Event
	ActorName string
}

// ApplicationHistory returns the application's events with who made them, oldest first;
// ErrNotFound when there is no such application.
func (s *Store) ApplicationHistory(ctx context.Context, number string) ([]AuditEvent, error) {
	var id int64
	if err := s.idb.NewSelect().Model((*applicationRow)(nil)).Column("id").Where("number = ?", number).Scan(ctx, &id); err != nil {
		return nil, s.wrap("application history", err)
	}
	var rows []eventRow
	if err := s.idb.NewSelect().Model(&rows).Where("application_id = ?", id).Order("seq").Scan(ctx); err != nil {
		return nil, s.wrap("application history", err)
	}
	out := make([]AuditEvent, len(rows))
	for i, e := range rows {
		out[i] = AuditEvent{Event: registration.Event{Actor: registration.Actor(e.Actor), From: registration.Status(e.FromStatus),
			To: registration.Status(e.ToStatus), At: e.At.UTC(), Note: e.Note}, ActorName: e.ActorName}
	}
	return out, nil
}

// QueueQuery selects applications for the reviewer console (审核队列).
type QueueQuery struct {
	PointID     string                // only this confirmation point's ("" any)
	AuthorityID string                // only this authority's ("" any)
	Statuses    []registration.Status // only these statuses (none: all)
	// Search matches an application number, a document number (exactly) or a name
	// (exactly); "" matches all.
	Search string
	Limit  int // ≤ 0: 100
	Offset int
}

// QueueItem is an application with its applicant's identity, for queues and exports.
type QueueItem struct {
	Application *registration.Application
	Name        string
	DocType     account.DocType
	DocNumber   string
}

type queueRow struct {
	applicationRow `bun:",extend"`

	HolderName string `bun:"holder_name"`
	HolderType int16  `bun:"holder_type"`
	HolderDoc  string `bun:"holder_doc"`
}

// Queue returns the applications q selects, oldest submission first, with the applicants'
// names and documents. Staff code always sets PointID or AuthorityID to their own.
func (s *Store) Queue(ctx context.Context, q QueueQuery) ([]QueueItem, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	var rows []queueRow
	sel := s.idb.NewSelect().Model(&rows).
		ColumnExpr("application_row.*").
		ColumnExpr("acc.name AS holder_name, acc.doc_type AS holder_type, acc.doc_number AS holder_doc").
		Join("JOIN accounts AS acc ON acc.id = application_row.account_id")
	if q.PointID != "" {
		id, ok := id64(q.PointID)
		if !ok {
			return nil, nil
		}
		sel = sel.Where("application_row.point_id = ?", id)
	}
	if q.AuthorityID != "" {
		id, ok := id64(q.AuthorityID)
		if !ok {
			return nil, nil
		}
		sel = sel.Where("application_row.authority_id = ?", id)
	}
	if len(q.Statuses) > 0 {
		st := make([]int16, len(q.Statuses))
		for i, x := range q.Statuses {
			st[i] = int16(x)
		}
		sel = sel.Where("application_row.status IN (?)", bun.In(st))
	}
	if q.Search != "" {
		sel = sel.WhereGroup(" AND ", func(w *bun.SelectQuery) *bun.SelectQuery {
			return w.Where("application_row.number = ?", q.Search).
				WhereOr("acc.doc_number = ?", strings.ToUpper(q.Search)).
				WhereOr("acc.name = ?", q.Search)
		})
	}
	err := sel.Order("application_row.submitted_at", "application_row.id").Limit(int64(limit)).Offset(int64(q.Offset)).Scan(ctx)
	if err != nil {
		return nil, s.wrap("queue", err)
	}
	plain := make([]applicationRow, len(rows))
	for i, r := range rows {
		plain[i] = r.applicationRow
	}
	apps, err := s.attach(ctx, plain)
	if err != nil {
		return nil, s.wrap("queue", err)
	}
	out := make([]QueueItem, len(rows))
	for i, r := range rows {
		out[i] = QueueItem{Application: apps[i], Name: r.HolderName, DocType: account.DocType(r.HolderType), DocNumber: r.HolderDoc}
	}
	return out, nil
}

// ---- application numbers ----

// NextSequence returns the next sequence number of application numbers for (year,
// province), starting at 1, never the same twice. Postgres: a database sequence per year
// and province (no row lock, so concurrent submissions do not queue on it; numbers of
// rolled-back submissions are skipped); SQLite: a counter row in the caller's transaction.
// Implements registration.Sequence.
func (s *Store) NextSequence(ctx context.Context, year int, province string) (int64, error) {
	if s.backend == SQLite {
		if !validSequence(year, province) {
			return 0, newError(ErrInternal, "next sequence")
		}
		var n int64
		err := s.idb.NewRaw(`INSERT INTO application_sequences (year, province, last) VALUES (?, ?, 1)
			ON CONFLICT (year, province) DO UPDATE SET last = application_sequences.last + 1 RETURNING last`,
			year, province).Scan(ctx, &n)
		return n, s.wrap("next sequence", err)
	}
	name, err := s.sequence(ctx, year, province)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.prepared(ctx, nextvalQuery, &n, name)
	if err != nil {
		s.seqs.Delete(name) // e.g. created in a transaction that rolled back
	}
	return n, s.wrap("next sequence", err)
}

// validSequence checks a (year, province) of application numbers: it names a sequence.
func validSequence(year int, province string) bool {
	return year >= 2000 && year <= 9999 && len(province) == 2 && province[0] >= '0' && province[0] <= '9' &&
		province[1] >= '0' && province[1] <= '9'
}

// sequence returns the name of the Postgres sequence of (year, province), created when this
// process has not seen it yet.
func (s *Store) sequence(ctx context.Context, year int, province string) (string, error) {
	if !validSequence(year, province) {
		return "", newError(ErrInternal, "next sequence")
	}
	name := fmt.Sprintf("application_seq_%04d_%s", year, province)
	if _, ok := s.seqs.Load(name); !ok {
		if err := s.ensureSequence(ctx, name); err != nil {
			return "", s.wrap("next sequence", err)
		}
		s.seqs.Store(name, true)
	}
	return name, nil
}

// nextvalQuery draws from a sequence named by the parameter (Postgres only), prepared: it
// runs at every submission.
var nextvalQuery = newPreparedQuery("SELECT nextval(?::regclass)")

// ensureSequence creates the sequence unless it exists. It runs on the store's separate
// one-connection DDL pool, outside any transaction: a sequence created inside a submission
// that then rolls back would vanish under other submissions, and a second connection from
// the main pool could wait forever while every pooled connection waits for it.
func (s *Store) ensureSequence(ctx context.Context, name string) error {
	var exists bool
	if err := s.ddl.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err := s.ddl.ExecContext(ctx, "CREATE SEQUENCE IF NOT EXISTS "+name+" START 1")
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return nil // created concurrently by another process
	}
	return err
}

// ---- imported history, restrictions, cycle records ----

// LastQualified returns when the certificate was last concluded 注册合格: the later of the
// imported history and this system's events; the zero time when never. Implements
// registration.Store.
func (s *Store) LastQualified(ctx context.Context, cert certificate.Number) (time.Time, error) {
	var ats []time.Time
	n := cert.String()
	if err := s.prepared(ctx, lastQualifiedQuery, &ats, n, n, int16(registration.StatusQualified)); err != nil {
		return time.Time{}, s.wrap("last qualified", err)
	}
	var last time.Time
	for _, at := range ats {
		if at.After(last) {
			last = at.UTC()
		}
	}
	return last, nil
}

// lastQualifiedQuery gives the imported 注册合格 and this system's latest, at most one row each
// (one round trip at every submission; prepared, see prepared).
var lastQualifiedQuery = newPreparedQuery(`SELECT qualified_at FROM qualified_history WHERE certificate_number = ?
	UNION ALL
	SELECT at FROM (SELECT e.at FROM application_events AS e JOIN applications AS a ON a.id = e.application_id
		WHERE a.certificate_number = ? AND e.to_status = ? ORDER BY e.at DESC LIMIT 1) AS latest`)

// ImportQualified records that the certificate was concluded 注册合格 at at outside this
// system (history import); a later call replaces an earlier one.
func (s *Store) ImportQualified(ctx context.Context, cert certificate.Number, at time.Time) error {
	_, err := s.idb.NewRaw(`INSERT INTO qualified_history (certificate_number, qualified_at) VALUES (?, ?)
		ON CONFLICT (certificate_number) DO UPDATE SET qualified_at = EXCLUDED.qualified_at`, cert.String(), ts(at)).Exec(ctx)
	return s.wrap("import qualified", err)
}

// RestrictionEntry is a 限制库 entry as the administrator manages it.
type RestrictionEntry struct {
	ID        int64
	DocType   account.DocType
	DocNumber string
	registration.Restriction
	// LiftedAt is when the entry was lifted (解除限制), zero while it stands; LiftedBy is the staff
	// member who lifted it and LiftNote the reason (see LiftRestriction).
	LiftedAt time.Time
	LiftedBy int64
	LiftNote string
	// CreatedBy is the staff member who added the entry (0 when unknown: added before authors
	// were kept, or by a program).
	CreatedBy int64
}

type restrictionRow struct {
	bun.BaseModel `bun:"table:restrictions"`

	ID        int64     `bun:"id,pk,autoincrement"`
	DocType   int16     `bun:"doc_type,notnull"`
	DocNumber string    `bun:"doc_number,notnull"`
	Kind      int16     `bun:"kind,notnull"`
	Since     time.Time `bun:"since,notnull"`
	Note      string    `bun:"note,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	LiftedAt  time.Time `bun:"lifted_at,nullzero"`
	LiftedBy  int64     `bun:"lifted_by,nullzero"`
	LiftNote  string    `bun:"lift_note,notnull"`
	CreatedBy int64     `bun:"created_by,nullzero"`
}

func (r restrictionRow) entry() RestrictionEntry {
	e := RestrictionEntry{ID: r.ID, DocType: account.DocType(r.DocType), DocNumber: r.DocNumber,
		Restriction: registration.Restriction{Kind: registration.RestrictionKind(r.Kind), Since: r.Since.UTC(), Note: r.Note},
		LiftedBy:    r.LiftedBy, LiftNote: r.LiftNote, CreatedBy: r.CreatedBy}
	if !r.LiftedAt.IsZero() {
		e.LiftedAt = r.LiftedAt.UTC()
	}
	return e
}

// AddRestriction stores a 限制库 entry and returns it with its ID.
func (s *Store) AddRestriction(ctx context.Context, e RestrictionEntry) (RestrictionEntry, error) {
	row := restrictionRow{DocType: int16(e.DocType), DocNumber: e.DocNumber, Kind: int16(e.Kind), Since: ts(e.Since),
		Note: e.Note, CreatedAt: ts(s.now()), CreatedBy: e.CreatedBy}
	if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return RestrictionEntry{}, s.wrap("add restriction", err)
	}
	return row.entry(), nil
}

// Restrictions returns the entries against the document, oldest first: expired ones too, lifted
// ones (LiftRestriction) not. Implements registration.Store.
func (s *Store) Restrictions(ctx context.Context, docType account.DocType, docNumber string) ([]registration.Restriction, error) {
	var rows []restrictionRow
	if err := s.prepared(ctx, restrictionsQuery, &rows, docNumber, int16(docType)); err != nil {
		return nil, s.wrap("restrictions", err)
	}
	out := make([]registration.Restriction, len(rows))
	for i, r := range rows {
		out[i] = r.entry().Restriction
	}
	return out, nil
}

// restrictionsQuery runs at every submission (eligibility): prepared (see prepared).
var restrictionsQuery = newPreparedQuery(`SELECT id, doc_type, doc_number, kind, since, note, created_at
	FROM restrictions WHERE doc_number = ? AND doc_type = ? AND lifted_at IS NULL ORDER BY since, id`)

// ListRestrictions returns up to limit entries (≤ 0: 200), lifted ones included, newest first.
func (s *Store) ListRestrictions(ctx context.Context, limit int) ([]RestrictionEntry, error) {
	if limit <= 0 {
		limit = 200
	}
	var rows []restrictionRow
	if err := s.idb.NewSelect().Model(&rows).Order("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, s.wrap("list restrictions", err)
	}
	out := make([]RestrictionEntry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}

// DeleteRestriction removes an entry; ErrNotFound when there is none.
func (s *Store) DeleteRestriction(ctx context.Context, id int64) error {
	res, err := s.idb.NewDelete().Model((*restrictionRow)(nil)).Where("id = ?", id).Exec(ctx)
	return s.wrap("delete restriction", affectedOne(res, err))
}

type cycleRow struct {
	bun.BaseModel `bun:"table:cycle_records"`

	CertificateNumber    string    `bun:"certificate_number,pk"`
	TrainingHours        int       `bun:"training_hours,notnull"`
	Appraisals           string    `bun:"appraisals,notnull"`
	SeriousMisconduct    bool      `bun:"serious_misconduct,notnull"`
	QualificationLost    bool      `bun:"qualification_lost,notnull"`
	AbsentBeyondSemester bool      `bun:"absent_beyond_semester,notnull"`
	Unfit                bool      `bun:"unfit,notnull"`
	UpdatedAt            time.Time `bun:"updated_at,notnull"`
	UpdatedBy            string    `bun:"updated_by,notnull"`
}

// SaveCycleRecord stores the registration-cycle record (注册周期记录: training hours,
// appraisals, flags) of the certificate, replacing the earlier one; by names who entered it.
func (s *Store) SaveCycleRecord(ctx context.Context, cert certificate.Number, r registration.CycleRecord, at time.Time, by string) error {
	row := cycleRow{CertificateNumber: cert.String(), TrainingHours: r.TrainingHours, Appraisals: joinInts(r.Appraisals),
		SeriousMisconduct: r.SeriousMisconduct, QualificationLost: r.QualificationLost,
		AbsentBeyondSemester: r.AbsentBeyondSemester, Unfit: r.Unfit, UpdatedAt: ts(at), UpdatedBy: by}
	_, err := s.idb.NewInsert().Model(&row).On("CONFLICT (certificate_number) DO UPDATE").
		Set("training_hours = EXCLUDED.training_hours").Set("appraisals = EXCLUDED.appraisals").
		Set("serious_misconduct = EXCLUDED.serious_misconduct").Set("qualification_lost = EXCLUDED.qualification_lost").
		Set("absent_beyond_semester = EXCLUDED.absent_beyond_semester").Set("unfit = EXCLUDED.unfit").
		Set("updated_at = EXCLUDED.updated_at").Set("updated_by = EXCLUDED.updated_by").Exec(ctx)
	return s.wrap("save cycle record", err)
}

// CycleRecord returns the certificate's cycle record, or ErrNotFound.
func (s *Store) CycleRecord(ctx context.Context, cert certificate.Number) (registration.CycleRecord, error) {
	var row cycleRow
	if err := s.idb.NewSelect().Model(&row).Where("certificate_number = ?", cert.String()).Scan(ctx); err != nil {
		return registration.CycleRecord{}, s.wrap("cycle record", err)
	}
	return registration.CycleRecord{TrainingHours: row.TrainingHours, Appraisals: splitInts[registration.Appraisal](row.Appraisals),
		SeriousMisconduct: row.SeriousMisconduct, QualificationLost: row.QualificationLost,
		AbsentBeyondSemester: row.AbsentBeyondSemester, Unfit: row.Unfit}, nil
}

// ---- wizard drafts (报名草稿) ----

type draftRow struct {
	bun.BaseModel `bun:"table:drafts"`

	AccountID int64     `bun:"account_id,pk"`
	State     string    `bun:"state,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// SaveDraft keeps the account's serialised wizard (one per account), replacing the earlier.
func (s *Store) SaveDraft(ctx context.Context, accountID int64, state string, at time.Time) error {
	_, err := s.execPrepared(ctx, saveDraftQuery, accountID, state, ts(at))
	return s.wrap("save draft", err)
}

// saveDraftQuery and draftQuery run at every wizard post: prepared (see prepared), the
// serialised wizard sent as a parameter instead of a literal in the statement's text.
var (
	saveDraftQuery = newPreparedQuery(`INSERT INTO drafts (account_id, state, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`)
	draftQuery = newPreparedQuery(`SELECT account_id, state, updated_at FROM drafts WHERE account_id = ?`)
)

// Draft returns the account's saved wizard and when it was saved, or ErrNotFound.
func (s *Store) Draft(ctx context.Context, accountID int64) (string, time.Time, error) {
	var rows []draftRow
	if err := s.prepared(ctx, draftQuery, &rows, accountID); err != nil {
		return "", time.Time{}, s.wrap("draft", err)
	}
	if len(rows) == 0 {
		return "", time.Time{}, newError(ErrNotFound, "draft")
	}
	return rows[0].State, rows[0].UpdatedAt.UTC(), nil
}

// DeleteDraft deletes the account's saved wizard; none is not an error.
func (s *Store) DeleteDraft(ctx context.Context, accountID int64) error {
	_, err := s.idb.NewDelete().Model((*draftRow)(nil)).Where("account_id = ?", accountID).Exec(ctx)
	return s.wrap("delete draft", err)
}

package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/registration"
)

// The error kinds every Store method returns (match with errors.Is). Their messages are
// zh-CN and safe to show; the underlying database error stays reachable for logs through
// (*Error).Cause and errors.As, never through Error().
var (
	// ErrNotFound: the record (记录) does not exist, or one it refers to does not (a
	// foreign key).
	ErrNotFound = errors.New("记录不存在")
	// ErrConflict: someone changed the record first (optimistic lock lost, 并发修改冲突).
	ErrConflict = errors.New("记录已被他人修改,请刷新后重试")
	// ErrDuplicate: a unique rule refused the write (重复记录).
	ErrDuplicate = errors.New("记录已存在,不能重复提交")
	// ErrUnavailable: the database could not be reached or timed out (数据库暂不可用).
	ErrUnavailable = errors.New("系统繁忙,请稍后再试")
	// ErrInternal: anything else (系统内部错误); the cause is logged, never shown.
	ErrInternal = errors.New("系统内部错误,请稍后再试")
)

// Error is a store failure: a kind (one of the Err* values), the operation, and the
// database's own error kept for logs. Error() returns only the kind's zh-CN message.
type Error struct {
	kind       error
	also       []error // domain sentinels this error also matches (account.ErrNotFound, …)
	op         string
	constraint string
	cause      error
}

// Error returns the zh-CN message of the kind; it never includes SQL or data.
func (e *Error) Error() string { return e.kind.Error() }

// Is reports whether target is the error's kind, or the same kind as declared by a domain
// package: a not-found error also matches account.ErrNotFound and registration.ErrNotFound,
// a conflict registration.ErrConflict, a duplicate registration.ErrDuplicate.
func (e *Error) Is(target error) bool {
	if target == e.kind {
		return true
	}
	for _, a := range e.also {
		if target == a {
			return true
		}
	}
	return false
}

// Unwrap returns the kind and the cause, so errors.Is works for both (for example
// context.DeadlineExceeded).
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// Op names the store operation that failed (for logs).
func (e *Error) Op() string { return e.op }

// Cause returns the database error behind e (for logs; may be nil).
func (e *Error) Cause() error { return e.cause }

// Constraint names the violated constraint or index, when the database said which.
func (e *Error) Constraint() string { return e.constraint }

// LogString describes e for a log line: operation, kind, constraint and cause. Database
// error texts name tables, columns and constraints, never row values.
func (e *Error) LogString() string {
	var b strings.Builder
	b.WriteString("store ")
	b.WriteString(e.op)
	if e.constraint != "" {
		b.WriteString(" [" + e.constraint + "]")
	}
	if e.cause != nil {
		b.WriteString(": ")
		b.WriteString(e.cause.Error())
	}
	return b.String()
}

// wrap maps a database error to an *Error; nil stays nil and an *Error is kept as is.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	e := classify(op, err)
	if e.kind == ErrInternal || e.kind == ErrUnavailable {
		if s != nil && s.log != nil {
			s.log.Error("store failure", "op", op, "kind", kindName(e.kind), "cause", err.Error())
		}
	}
	return e
}

func kindName(k error) string {
	switch k {
	case ErrNotFound:
		return "not_found"
	case ErrConflict:
		return "conflict"
	case ErrDuplicate:
		return "duplicate"
	case ErrUnavailable:
		return "unavailable"
	}
	return "internal"
}

func classify(op string, err error) *Error {
	e := &Error{kind: ErrInternal, op: op, cause: err}
	var pgErr *pgconn.PgError
	var liteErr *sqlite.Error
	var netErr net.Error
	switch {
	case errors.Is(err, sql.ErrNoRows):
		e.kind = ErrNotFound
	case errors.As(err, &pgErr):
		e.constraint = pgErr.ConstraintName
		switch pgErr.Code {
		case "23505": // unique_violation
			e.kind = ErrDuplicate
		case "23503": // foreign_key_violation: what the row refers to does not exist
			e.kind = ErrNotFound
		case "40001", "40P01": // serialization_failure, deadlock_detected
			e.kind = ErrConflict
		case "57014", "57P01", "57P02", "57P03", "53300", "08000", "08003", "08006": // canceled, shutdown, too many connections, connection
			e.kind = ErrUnavailable
		}
	case errors.As(err, &liteErr):
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			e.kind = ErrDuplicate
			e.constraint = sqliteConstraint(liteErr.Error())
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			e.kind = ErrNotFound
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_BUSY_TIMEOUT:
			e.kind = ErrUnavailable
		}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, sql.ErrConnDone), errors.Is(err, sql.ErrTxDone), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.As(err, &netErr), isClosedDB(err), pgconn.Timeout(err), isConnectError(err):
		e.kind = ErrUnavailable
	}
	e.also = domainAliases[e.kind]
	return e
}

// domainAliases are the domain packages' names for the store's error kinds.
var domainAliases = map[error][]error{
	ErrNotFound:  {account.ErrNotFound, registration.ErrNotFound},
	ErrConflict:  {registration.ErrConflict},
	ErrDuplicate: {registration.ErrDuplicate},
}

// newError builds an *Error of kind for op without a database cause.
func newError(kind error, op string) *Error {
	return &Error{kind: kind, op: op, also: domainAliases[kind]}
}

// sqliteConstraint extracts "table.col, table.col" from SQLite's UNIQUE message.
func sqliteConstraint(msg string) string {
	const marker = "constraint failed: "
	if i := strings.LastIndex(msg, marker); i >= 0 {
		rest := msg[i+len(marker):]
		if j := strings.Index(rest, " ("); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return ""
}

func isClosedDB(err error) bool {
	return strings.Contains(err.Error(), "sql: database is closed")
}

func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// errNoRows is what a single-row write that matched nothing reports (mapped to ErrNotFound).
var errNoRows = sql.ErrNoRows

package registry

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"time"

	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
)

// querier is what both *store.DB and *store.Tx offer with '?' placeholders,
// so reads run inside a write's transaction or outside alike.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// noLimit stands for "all rows": both databases accept a large LIMIT, while
// SQLite cannot take OFFSET without a LIMIT.
const noLimit = 1<<31 - 1

// conds collects the AND-ed conditions of a WHERE clause with their args.
type conds struct {
	parts []string
	args  []any
}

func (c *conds) add(cond string, args ...any) {
	c.parts = append(c.parts, cond)
	c.args = append(c.args, args...)
}

func (c *conds) where() string {
	if len(c.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.parts, " AND ")
}

// common adds the conditions every registry list shares: archived records
// hidden unless asked for, and q matched against the name.
func (c *conds) common(alias string, lp httpx.ListParams) {
	if !lp.IncludeArchived {
		c.add(alias + ".archived_at IS NULL")
	}
	if lp.Q != "" {
		c.add("LOWER("+alias+".name) LIKE LOWER(?) ESCAPE '\\'", "%"+likeEscape(lp.Q)+"%")
	}
}

// page answers the LIMIT/OFFSET tail and its args (a zero limit: all rows).
func page(lp httpx.ListParams) (string, []any) {
	limit := lp.Limit
	if limit <= 0 {
		limit = noLimit
	}
	return " LIMIT ? OFFSET ?", []any{limit, max(lp.Offset, 0)}
}

// likeEscape makes q match literally inside a LIKE pattern.
func likeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// columns answers "a.x, a.y, …".
func columns(alias string, names []string) string {
	return alias + "." + strings.Join(names, ", "+alias+".")
}

// insertSQL answers an INSERT of cols plus the created/updated stamps.
func insertSQL(table string, cols []string) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ", created_at, updated_at) VALUES (" +
		store.Placeholders(len(cols)+2) + ")"
}

// updateSQL answers an UPDATE of cols and the updated stamp by id.
func updateSQL(table string, cols []string) string {
	return "UPDATE " + table + " SET " + strings.Join(cols, " = ?, ") + " = ?, updated_at = ? WHERE id = ?"
}

// lifecycleCols are the Lifecycle columns in the order of targets.
var lifecycleCols = []string{"created_at", "updated_at", "archived_at", "archive_reason"}

func (l *Lifecycle) targets() []any {
	return []any{&l.CreatedAt, &l.UpdatedAt, &l.ArchivedAt, &l.ArchiveReason}
}

// utc normalises scanned times: answers are RFC 3339 in UTC.
func (l *Lifecycle) utc() {
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	if l.ArchivedAt != nil {
		t := l.ArchivedAt.UTC()
		l.ArchivedAt = &t
	}
}

// archiveRow archives one row; a row archived meanwhile is a 409.
func archiveRow(ctx context.Context, tx *store.Tx, table string, id int64, reason string, now time.Time) error {
	res, err := tx.Exec(ctx, "UPDATE "+table+" SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ? AND archived_at IS NULL",
		now, reason, now, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fail.Conflictf("archived", "the record was archived meanwhile")
	}
	return nil
}

// checkArchive refuses archiving an archived record (409) or without a
// reason (422), in that order of precedence.
func checkArchive(l Lifecycle, what, reason string) error {
	if l.ArchivedAt != nil {
		return fail.Conflictf("archived", "this %s was archived on %s", what, l.ArchivedAt.Format(time.RFC3339))
	}
	if strings.TrimSpace(reason) == "" {
		return fail.Invalidf("reason", "say why the %s is archived", what)
	}
	return nil
}

// checkLive refuses changing an archived record.
func checkLive(l Lifecycle, what string) error {
	if l.ArchivedAt != nil {
		return fail.Conflictf("archived", "this %s is archived and cannot change", what)
	}
	return nil
}

// nullText stores "" as NULL (for optional references such as an
// enterprise's division) and reads NULL as "".
type nullText string

func (t *nullText) Scan(v any) error {
	var s sql.NullString
	err := s.Scan(v)
	*t = nullText(s.String)
	return err
}

func (t nullText) Value() (driver.Value, error) {
	if t == "" {
		return nil, nil
	}
	return string(t), nil
}

// uniqueField turns a unique violation that slipped past the pre-check (a
// concurrent write) into the same 422 the pre-check gives.
func uniqueField(err error, field string) error {
	if store.IsUniqueViolation(err) {
		return fail.Invalidf(field, "is already registered")
	}
	return err
}

// Package events is the one append-only log of who did what to which record,
// when, from which state to which, and why. It is the audit log, the trail of
// every loop and the source for pushes to the region platform. Rows are only
// ever inserted.
package events

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"minesafe/internal/store"
)

// Event is one row of the log.
type Event struct {
	ID           int64           `json:"id"`
	At           time.Time       `json:"at"`
	ActorID      *int64          `json:"actor_id"`
	Actor        string          `json:"actor"`
	RecordType   string          `json:"record_type"`
	RecordID     int64           `json:"record_id"`
	Action       string          `json:"action"`
	FromState    string          `json:"from_state,omitempty"`
	ToState      string          `json:"to_state,omitempty"`
	Reason       string          `json:"reason,omitempty"`
	Detail       json.RawMessage `json:"detail,omitempty"`
	RegionCode   string          `json:"region_code,omitempty"`
	EnterpriseID *int64          `json:"enterprise_id,omitempty"`
	MineID       *int64          `json:"mine_id,omitempty"`
}

// Actor is who acts: a principal (user, token or the system).
type Actor interface {
	ActorID() *int64
	Name() string
}

// New starts an event by p on a record; fill the rest and Append it.
func New(p Actor, at time.Time, recordType string, recordID int64, action string) Event {
	return Event{At: at.UTC(), ActorID: p.ActorID(), Actor: p.Name(), RecordType: recordType, RecordID: recordID, Action: action}
}

// WithDetail sets the detail to v marshalled as JSON (what changed).
func (e Event) WithDetail(v any) Event {
	if v == nil {
		return e
	}
	b, err := json.Marshal(v)
	if err == nil {
		e.Detail = b
	}
	return e
}

// Append writes the event inside tx, so a record and its event commit together.
func Append(ctx context.Context, tx *store.Tx, e Event) (int64, error) {
	detail := ""
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	id, err := tx.Insert(ctx, `INSERT INTO events (at, actor_id, actor, record_type, record_id, action, from_state, to_state, reason, detail, region_code, enterprise_id, mine_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At.UTC(), e.ActorID, e.Actor, e.RecordType, e.RecordID, e.Action, e.FromState, e.ToState, e.Reason, detail, e.RegionCode, e.EnterpriseID, e.MineID)
	if err != nil {
		return 0, fmt.Errorf("append event: %w", err)
	}
	return id, nil
}

// Filter selects events; zero fields match everything.
type Filter struct {
	RecordType string
	RecordID   int64
	ActorID    int64
	Action     string
	From, To   time.Time
	Limit      int
	Offset     int
}

// List answers events matching f, newest first, and the total count.
func List(ctx context.Context, db *store.DB, f Filter) ([]Event, int, error) {
	var conds []string
	var args []any
	if f.RecordType != "" {
		conds = append(conds, "record_type = ?")
		args = append(args, f.RecordType)
	}
	if f.RecordID != 0 {
		conds = append(conds, "record_id = ?")
		args = append(args, f.RecordID)
	}
	if f.ActorID != 0 {
		conds = append(conds, "actor_id = ?")
		args = append(args, f.ActorID)
	}
	if f.Action != "" {
		conds = append(conds, "action = ?")
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		conds = append(conds, "at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds = append(conds, "at < ?")
		args = append(args, f.To.UTC())
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM events`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.Query(ctx, `SELECT id, at, actor_id, actor, record_type, record_id, action, from_state, to_state, reason, detail, region_code, enterprise_id, mine_id
		FROM events`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out, err := scan(rows)
	return out, total, err
}

// Trail answers every event of one record, oldest first.
func Trail(ctx context.Context, db *store.DB, recordType string, recordID int64) ([]Event, error) {
	rows, err := db.Query(ctx, `SELECT id, at, actor_id, actor, record_type, record_id, action, from_state, to_state, reason, detail, region_code, enterprise_id, mine_id
		FROM events WHERE record_type = ? AND record_id = ? ORDER BY id`, recordType, recordID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scan(rows)
}

func scan(rows *sql.Rows) ([]Event, error) {
	out := []Event{}
	for rows.Next() {
		var e Event
		var detail string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.RecordType, &e.RecordID, &e.Action, &e.FromState, &e.ToState, &e.Reason, &detail, &e.RegionCode, &e.EnterpriseID, &e.MineID); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		if detail != "" {
			e.Detail = json.RawMessage(detail)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Package ruleset keeps regulatory tables as versioned data: a kind (for
// example "tailings_grade") has numbered versions with a JSON body; the
// newest is in force, and every judgement records the version it used.
package ruleset

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"minesafe/internal/store"
)

// Set is one version of one kind of rule table.
type Set struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`
	Version   int             `json:"version"`
	Body      json.RawMessage `json:"body"`
	Note      string          `json:"note"`
	CreatedAt time.Time       `json:"created_at"`
	CreatedBy *int64          `json:"created_by"`
}

// ErrNone is answered when a kind has no version yet.
var ErrNone = errors.New("no rule set of that kind")

// Current answers the newest version of kind.
func Current(ctx context.Context, q store.Querier, db interface{ Q(string) string }, kind string) (Set, error) {
	var s Set
	var body string
	err := q.QueryRowContext(ctx, db.Q(`SELECT id, kind, version, body, note, created_at, created_by FROM rule_sets
		WHERE kind = ? ORDER BY version DESC LIMIT 1`), kind).Scan(&s.ID, &s.Kind, &s.Version, &body, &s.Note, &s.CreatedAt, &s.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNone
	}
	s.Body = json.RawMessage(body)
	s.CreatedAt = s.CreatedAt.UTC()
	return s, err
}

// Get answers one version of kind.
func Get(ctx context.Context, db *store.DB, kind string, version int) (Set, error) {
	var s Set
	var body string
	err := db.QueryRow(ctx, `SELECT id, kind, version, body, note, created_at, created_by FROM rule_sets
		WHERE kind = ? AND version = ?`, kind, version).Scan(&s.ID, &s.Kind, &s.Version, &body, &s.Note, &s.CreatedAt, &s.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNone
	}
	s.Body = json.RawMessage(body)
	s.CreatedAt = s.CreatedAt.UTC()
	return s, err
}

// History answers every version of kind, newest first.
func History(ctx context.Context, db *store.DB, kind string) ([]Set, error) {
	rows, err := db.Query(ctx, `SELECT id, kind, version, body, note, created_at, created_by FROM rule_sets
		WHERE kind = ? ORDER BY version DESC`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Set{}
	for rows.Next() {
		var s Set
		var body string
		if err := rows.Scan(&s.ID, &s.Kind, &s.Version, &body, &s.Note, &s.CreatedAt, &s.CreatedBy); err != nil {
			return nil, err
		}
		s.Body = json.RawMessage(body)
		s.CreatedAt = s.CreatedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// Add stores body as the next version of kind inside tx and answers it.
// Callers validate body and append the audit event in the same tx.
func Add(ctx context.Context, tx *store.Tx, kind string, body any, note string, by *int64, at time.Time) (Set, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return Set{}, fmt.Errorf("rule body: %w", err)
	}
	var next int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM rule_sets WHERE kind = ?`, kind).Scan(&next); err != nil {
		return Set{}, err
	}
	id, err := tx.Insert(ctx, `INSERT INTO rule_sets (kind, version, body, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		kind, next, string(b), note, at.UTC(), by)
	if err != nil {
		return Set{}, err
	}
	return Set{ID: id, Kind: kind, Version: next, Body: b, Note: note, CreatedAt: at.UTC(), CreatedBy: by}, nil
}

// Ensure stores body as version 1 of kind when the kind has no version yet
// (the documented defaults), and answers the current version.
func Ensure(ctx context.Context, db *store.DB, kind string, body any, note string, at time.Time) (Set, error) {
	var out Set
	err := db.InTx(ctx, func(tx *store.Tx) error {
		s, err := Current(ctx, tx, tx, kind)
		if err == nil {
			out = s
			return nil
		}
		if !errors.Is(err, ErrNone) {
			return err
		}
		out, err = Add(ctx, tx, kind, body, note, nil, at)
		return err
	})
	return out, err
}

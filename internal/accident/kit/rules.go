package kit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// Validator is a rule body that can check itself (422 naming fields).
type Validator interface{ Validate() error }

// Rule is one kind of versioned rule table: version 1 is Default (with
// DefaultNote saying where the values come from), admin and city users
// publish later versions, and judgements record the version they used.
type Rule[T Validator] struct {
	Kind        string
	Default     func() T
	DefaultNote string

	db    *store.DB
	clk   clock.Clock
	ready atomic.Bool
}

// NewRule answers the rule of kind over db.
func NewRule[T Validator](db *store.DB, clk clock.Clock, kind string, def func() T, note string) *Rule[T] {
	return &Rule[T]{Kind: kind, Default: def, DefaultNote: note, db: db, clk: clk}
}

// Ensure stores version 1 when the kind has none. It runs outside any
// write's transaction, because ruleset.Ensure opens its own, which SQLite
// would make wait on the outer one.
func (r *Rule[T]) Ensure(ctx context.Context) error {
	if r.ready.Load() {
		return nil
	}
	// A unique violation means another node stored version 1 meanwhile.
	_, err := ruleset.Ensure(ctx, r.db, r.Kind, r.Default(), r.DefaultNote, r.clk.Now())
	if err != nil && !store.IsUniqueViolation(err) {
		return err
	}
	r.ready.Store(true)
	return nil
}

// Current answers the version in force and its number, read with q (a
// transaction or the database); call Ensure first.
func (r *Rule[T]) Current(ctx context.Context, q store.Querier, db interface{ Q(string) string }) (T, int, error) {
	var body T
	set, err := ruleset.Current(ctx, q, db, r.Kind)
	if errors.Is(err, ruleset.ErrNone) {
		return r.Default(), 0, nil
	}
	if err != nil {
		return body, 0, err
	}
	if err := json.Unmarshal(set.Body, &body); err != nil {
		return body, 0, fmt.Errorf("%s v%d: %w", r.Kind, set.Version, err)
	}
	return body, set.Version, nil
}

// InForce ensures version 1 and answers the version in force.
func (r *Rule[T]) InForce(ctx context.Context) (T, int, error) {
	if err := r.Ensure(ctx); err != nil {
		var zero T
		return zero, 0, err
	}
	return r.Current(ctx, r.db, r.db)
}

// Versions is the rule in force and every version, newest first.
type Versions struct {
	Current ruleset.Set   `json:"current"`
	History []ruleset.Set `json:"history"`
}

// History answers the rule in force and its history; every signed-in
// caller may read it.
func (r *Rule[T]) History(ctx context.Context, p *auth.Principal) (Versions, error) {
	if p == nil {
		return Versions{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	if err := r.Ensure(ctx); err != nil {
		return Versions{}, err
	}
	h, err := ruleset.History(ctx, r.db, r.Kind)
	if err != nil {
		return Versions{}, err
	}
	return Versions{Current: h[0], History: h}, nil
}

// Publish stores body as the next version (admin and city users) with its
// audit event. Records judged before keep the version they were judged by.
func (r *Rule[T]) Publish(ctx context.Context, p *auth.Principal, body T, note string) (ruleset.Set, error) {
	if p == nil {
		return ruleset.Set{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return ruleset.Set{}, fail.Forbiddenf("only admin and city users may change the %s rule", r.Kind)
	}
	if err := body.Validate(); err != nil {
		return ruleset.Set{}, err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 2000 {
		return ruleset.Set{}, fail.Invalidf("note", "at most 2000 characters")
	}
	// Version 1 must be the documented defaults, so a first edit is version 2.
	if err := r.Ensure(ctx); err != nil {
		return ruleset.Set{}, err
	}
	var out ruleset.Set
	err := r.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if out, err = ruleset.Add(ctx, tx, r.Kind, body, note, p.ActorID(), r.clk.Now()); err != nil {
			return err
		}
		ev := events.New(p, r.clk.Now(), "rule_set", out.ID, "create").WithDetail(map[string]any{"kind": out.Kind, "version": out.Version, "body": body})
		ev.Reason = note
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	return out, err
}

// Routes registers GET (the rule and its history) and POST (a new version,
// body {"note": "...", "rule": {...}}) at path.
func (r *Rule[T]) Routes(router *httpx.Router, path string) {
	router.Handle("GET "+path, Get("", func(ctx context.Context, p *auth.Principal, _ int64) (any, error) {
		return r.History(ctx, p)
	}))
	router.Handle("POST "+path, func(w http.ResponseWriter, req *http.Request) {
		p := auth.FromContext(req.Context())
		if !p.Is(auth.RoleAdmin, auth.RoleCity) {
			httpx.Error(w, req, fail.Forbiddenf("only admin and city users may change the %s rule", r.Kind))
			return
		}
		var in struct {
			Note string `json:"note"`
			Rule *T     `json:"rule"`
		}
		if err := httpx.Decode(w, req, &in); err != nil {
			httpx.Error(w, req, err)
			return
		}
		if in.Rule == nil {
			httpx.Error(w, req, fail.Invalidf("rule", "required: the new version's body"))
			return
		}
		set, err := r.Publish(req.Context(), p, *in.Rule, in.Note)
		Answer(w, req, http.StatusCreated, set, err)
	})
}

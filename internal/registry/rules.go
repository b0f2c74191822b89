package registry

import (
	"context"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// TailingsRules is the grading rule in force and every version, newest first.
type TailingsRules struct {
	Current ruleset.Set   `json:"current"`
	History []ruleset.Set `json:"history"`
}

// TailingsRuleInput is a new version of the grading thresholds; Note says
// where the values come from.
type TailingsRuleInput struct {
	TailingsRule
	Note string `json:"note"`
}

// TailingsGradeRules answers the grading rule in force and its history;
// every authenticated caller may read it.
func (s *Service) TailingsGradeRules(ctx context.Context, p *auth.Principal) (TailingsRules, error) {
	if err := signedIn(p); err != nil {
		return TailingsRules{}, err
	}
	if err := s.ensureTailingsRule(ctx); err != nil {
		return TailingsRules{}, err
	}
	h, err := ruleset.History(ctx, s.db, TailingsGradeKind)
	if err != nil {
		return TailingsRules{}, err
	}
	return TailingsRules{Current: h[0], History: h}, nil
}

// AddTailingsGradeRule publishes a new version of the grading thresholds
// (admin and city users). It re-grades no pond: each pond takes the new
// version at its next update, and keeps recording the version it used.
func (s *Service) AddTailingsGradeRule(ctx context.Context, p *auth.Principal, in TailingsRuleInput) (ruleset.Set, error) {
	if err := signedIn(p); err != nil {
		return ruleset.Set{}, err
	}
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return ruleset.Set{}, fail.Forbiddenf("only admin and city users may change the grading rule")
	}
	f := fail.Fields{}
	if e, ok := fail.As(in.TailingsRule.Validate()); ok {
		f = e.Fields
	}
	in.Note = strings.TrimSpace(in.Note)
	maxLen(f, maxText, map[string]string{"note": in.Note})
	if err := f.Err(); err != nil {
		return ruleset.Set{}, err
	}
	// Version 1 must be the documented defaults, so a first edit is version 2.
	if err := s.ensureTailingsRule(ctx); err != nil {
		return ruleset.Set{}, err
	}
	var out ruleset.Set
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if out, err = ruleset.Add(ctx, tx, TailingsGradeKind, in.TailingsRule, in.Note, p.ActorID(), s.now()); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, p, "rule_set", out.ID, "create", place{},
			map[string]any{"kind": out.Kind, "version": out.Version, "body": in.TailingsRule}, in.Note)
	})
	return out, err
}

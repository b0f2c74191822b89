package hazard

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

func signedIn(p *auth.Principal) error {
	if p == nil {
		return fail.Unauthenticatedf("log in or send a bearer token")
	}
	return nil
}

// criteriaVersion reads a version of the catalogues (0: the one in force),
// a missing version being a 404.
func (s *Service) criteriaVersion(ctx context.Context, version int) (*Document, ruleset.Set, error) {
	d, set, err := s.document(ctx, version)
	if errors.Is(err, ruleset.ErrNone) {
		return nil, set, fail.NotFoundf("no version %d of the hazard criteria", version)
	}
	return d, set, err
}

// Criteria answers the catalogue of an industry, of version (0: the one
// in force). Every signed-in user may read it.
func (s *Service) Criteria(ctx context.Context, p *auth.Principal, industry string, version int) (Catalogue, error) {
	if err := signedIn(p); err != nil {
		return Catalogue{}, err
	}
	if !slices.Contains(Industries, industry) {
		return Catalogue{}, fail.Invalidf("industry", "must be one of %s", strings.Join(Industries, ", "))
	}
	d, set, err := s.criteriaVersion(ctx, version)
	if err != nil {
		return Catalogue{}, err
	}
	sources, cats := d.sectionOf(industry)
	return Catalogue{Version: set.Version, Industry: industry, Note: set.Note, CreatedAt: set.CreatedAt, Sources: sources,
		Legend: confidenceLegend, Categories: cats}, nil
}

// CriteriaVersion describes one version of the catalogues.
type CriteriaVersion struct {
	Version   int             `json:"version"`
	Note      string          `json:"note"`
	CreatedAt time.Time       `json:"created_at"`
	CreatedBy *int64          `json:"created_by"`
	Stats     json.RawMessage `json:"stats"`
}

func describe(set ruleset.Set, d *Document) CriteriaVersion {
	return CriteriaVersion{Version: set.Version, Note: set.Note, CreatedAt: set.CreatedAt, CreatedBy: set.CreatedBy, Stats: d.Stats}
}

// CriteriaVersions answers every version of the catalogues, newest first.
func (s *Service) CriteriaVersions(ctx context.Context, p *auth.Principal) ([]CriteriaVersion, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	if _, _, err := s.document(ctx, 0); err != nil { // version 1 in place
		return nil, err
	}
	h, err := ruleset.History(ctx, s.db, CriteriaKind)
	if err != nil {
		return nil, err
	}
	out := make([]CriteriaVersion, len(h))
	for i, set := range h {
		d, err := parseDocument(set.Body)
		if err != nil {
			return nil, err
		}
		out[i] = describe(set, d)
	}
	return out, nil
}

// CriteriaSource answers a version (0: in force) as stored, in the
// structure of hazard-criteria.json: what an admin edits to load the next.
func (s *Service) CriteriaSource(ctx context.Context, p *auth.Principal, version int) (json.RawMessage, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	_, set, err := s.criteriaVersion(ctx, version)
	return set.Body, err
}

// LoadCriteria puts a new version of the catalogues in force (admin). A
// section left out is carried over from the version in force. Hazards
// reported earlier keep citing the version they cited.
func (s *Service) LoadCriteria(ctx context.Context, p *auth.Principal, d Document) (CriteriaVersion, error) {
	if err := signedIn(p); err != nil {
		return CriteriaVersion{}, err
	}
	if !p.Is(auth.RoleAdmin) {
		return CriteriaVersion{}, fail.Forbiddenf("only an admin may load hazard criteria")
	}
	prev, _, err := s.document(ctx, 0)
	if err != nil {
		return CriteriaVersion{}, err
	}
	note := strings.TrimSpace(d.Note)
	if note == "" {
		return CriteriaVersion{}, fail.Invalidf("note", "say which texts this version holds (e.g. 应急管理部令第21号, in force 2026-07-01)")
	}
	d.Note = ""
	d.merge(prev)
	if err := d.validate(); err != nil {
		return CriteriaVersion{}, err
	}
	var set ruleset.Set
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if set, err = ruleset.Add(ctx, tx, CriteriaKind, d, note, p.ActorID(), s.now()); err != nil {
			return err
		}
		ev := events.New(p, s.now(), "rule_set", set.ID, "create").WithDetail(map[string]any{"kind": CriteriaKind, "version": set.Version, "stats": d.Stats})
		ev.Reason = note
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return CriteriaVersion{}, err
	}
	return describe(set, &d), nil
}

// RulesAnswer is the rules in force and every version.
type RulesAnswer struct {
	Version int           `json:"version"`
	Rules   Rules         `json:"rules"`
	History []ruleset.Set `json:"history"`
}

// Rules answers the risk bands and supervision settings in force.
func (s *Service) Rules(ctx context.Context, p *auth.Principal) (RulesAnswer, error) {
	if err := signedIn(p); err != nil {
		return RulesAnswer{}, err
	}
	r, v, err := s.rules(ctx)
	if err != nil {
		return RulesAnswer{}, err
	}
	h, err := ruleset.History(ctx, s.db, RulesKind)
	return RulesAnswer{Version: v, Rules: r, History: h}, err
}

// SetRules puts a new version of the rules in force (admin, city). Risks
// keep the version that graded them until they are next changed.
func (s *Service) SetRules(ctx context.Context, p *auth.Principal, r Rules, note string) (RulesAnswer, error) {
	if err := signedIn(p); err != nil {
		return RulesAnswer{}, err
	}
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return RulesAnswer{}, fail.Forbiddenf("only admin and city users may change the hazard rules")
	}
	f := fail.Fields{}
	if e, ok := fail.As(r.Validate()); ok {
		f = e.Fields
	}
	if note = strings.TrimSpace(note); note == "" {
		f.Add("note", "say where the values come from")
	}
	if err := f.Err(); err != nil {
		return RulesAnswer{}, err
	}
	if _, _, err := s.rules(ctx); err != nil { // version 1 stays the defaults
		return RulesAnswer{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		set, err := ruleset.Add(ctx, tx, RulesKind, r, note, p.ActorID(), s.now())
		if err != nil {
			return err
		}
		ev := events.New(p, s.now(), "rule_set", set.ID, "create").WithDetail(map[string]any{"kind": RulesKind, "version": set.Version, "body": r})
		ev.Reason = note
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return RulesAnswer{}, err
	}
	return s.Rules(ctx, p)
}

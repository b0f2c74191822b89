package alarm

import (
	"context"
	"encoding/json"
	"fmt"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/rules"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// RulesAnswer is the rule set in force with its version.
type RulesAnswer struct {
	Version int       `json:"version"`
	Note    string    `json:"note"`
	Rules   rules.Set `json:"rules"`
}

// Rules answers the warning rules in force (anyone signed in may read them).
func (s *Service) Rules(ctx context.Context) (RulesAnswer, error) {
	cur, err := ruleset.Current(ctx, s.db, s.db, rules.Kind)
	if err != nil {
		return RulesAnswer{}, err
	}
	var set rules.Set
	if err := json.Unmarshal(cur.Body, &set); err != nil {
		return RulesAnswer{}, err
	}
	return RulesAnswer{Version: cur.Version, Note: cur.Note, Rules: set}, nil
}

// SetRules stores a new version of the warning rules (city and admin) and
// puts it in force; alarms keep the version that judged them.
func (s *Service) SetRules(ctx context.Context, p *auth.Principal, set rules.Set, note string) (RulesAnswer, error) {
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return RulesAnswer{}, fail.Forbiddenf("only the city regulator or an admin edits the warning rules")
	}
	if err := set.Validate(); err != nil {
		return RulesAnswer{}, fail.Invalidf("rules", "%v", err)
	}
	if note == "" {
		return RulesAnswer{}, fail.Invalidf("note", "say what changed and why")
	}
	now := s.clk.Now()
	var v ruleset.Set
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if v, err = ruleset.Add(ctx, tx, rules.Kind, set, note, p.ActorID(), now); err != nil {
			return err
		}
		e := events.New(p, now, "rule_set", v.ID, "create").WithDetail(map[string]any{"kind": rules.Kind, "version": v.Version})
		e.Reason = note
		_, err = events.Append(ctx, tx, e)
		return err
	})
	if err != nil {
		return RulesAnswer{}, err
	}
	if err := s.do(ctx, func() { s.set, s.version = set, v.Version; s.engine.SetRules(set) }); err != nil {
		return RulesAnswer{}, err
	}
	return RulesAnswer{Version: v.Version, Note: note, Rules: set}, nil
}

// SettingIssue is a point whose own alarm or power-cut setting is looser
// than the regulation: a wrong setting is a major hazard (煤矿重大事故隐患判定标准
// 第七条, category 4). The stricter value is applied anyway.
type SettingIssue struct {
	MineID    int64    `json:"mine_id"`
	MineName  string   `json:"mine_name"`
	PointID   int64    `json:"point_id"`
	PointCode string   `json:"point_code"`
	Location  string   `json:"location"`
	Problems  []string `json:"problems"`
}

// SettingIssues answers the points in the caller's scope whose own settings
// are looser than the rules in force.
func (s *Service) SettingIssues(ctx context.Context, p *auth.Principal, mineID int64) ([]SettingIssue, error) {
	set, _, err := CurrentRules(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var mines []registry.Mine
	if mineID != 0 {
		m, err := s.reg.GetMine(ctx, p, mineID)
		if err != nil {
			return nil, err
		}
		mines = []registry.Mine{m}
	} else if mines, _, err = s.reg.ListMines(ctx, p, registry.MineFilter{}); err != nil {
		return nil, err
	}
	out := []SettingIssue{}
	for _, m := range mines {
		pts, err := s.tel.MinePoints(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		for _, pt := range pts {
			if probs := rules.Looser(set, pointMeta(m, pt, nil)); len(probs) > 0 {
				out = append(out, SettingIssue{MineID: m.ID, MineName: m.Name, PointID: pt.ID, PointCode: pt.Code, Location: pt.Location, Problems: probs})
			}
		}
	}
	return out, nil
}

// Levels answers, for the mines the caller may see, the highest active
// alarm level of each (mines without one are left out) and per division the
// count of mines at each level: what the map colours.
func (s *Service) Levels(ctx context.Context, p *auth.Principal) (map[string]string, map[string]map[string]int, error) {
	mines, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{})
	if err != nil {
		return nil, nil, err
	}
	byMine := map[string]string{}
	byDiv := map[string]map[string]int{}
	for _, m := range mines {
		l := s.MineLevel(m.ID)
		if l == "" {
			continue
		}
		byMine[fmt.Sprint(m.ID)] = l
		if byDiv[m.RegionCode] == nil {
			byDiv[m.RegionCode] = map[string]int{}
		}
		byDiv[m.RegionCode][l]++
	}
	return byMine, byDiv, nil
}

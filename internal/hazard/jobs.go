package hazard

import (
	"context"
	"fmt"
	"slices"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/store"
)

// DailyReport says what one run of the daily job did.
type DailyReport struct {
	Day        string  `json:"day"`
	Escalated  []int64 `json:"escalated"`
	Supervised []int64 `json:"supervised"`
}

// dailyCandidate is what the job needs of an unclosed hazard.
type dailyCandidate struct {
	id, mine, enterprise int64
	region, level, state string
	deadline, escalated  string
	escalatedAt          *time.Time
	supervised           bool
	reportedAt           time.Time
}

// RunDaily is the daily job at now: it escalates overdue hazards (to the
// county on the first day past the deadline; on to the city when still
// overdue Supervision.CityAfterDays later; major ones to the city at once)
// and puts major hazards under supervision (挂牌督办) when they are overdue
// or still unrectified Supervision.SuperviseOpenDays after being reported.
// Each change is an event by the system and a "hazard" push on the stream.
// It is idempotent: a second run on the same day changes nothing. The
// service's timer runs it once per day; tests call it with their clock.
func (s *Service) RunDaily(ctx context.Context, now time.Time) (DailyReport, error) {
	s.dailyMu.Lock()
	defer s.dailyMu.Unlock()
	today := clock.Today(now)
	rep := DailyReport{Day: today, Escalated: []int64{}, Supervised: []int64{}}
	rules, version, err := s.rules(ctx)
	if err != nil {
		return rep, err
	}
	sup := rules.Supervision
	rows, err := s.db.Query(ctx, `SELECT id, mine_id, enterprise_id, region_code, level, state, deadline, escalated_to, escalated_at, supervised, reported_at
		FROM hazards WHERE state <> ? ORDER BY id`, StateClosed)
	if err != nil {
		return rep, err
	}
	var todo []dailyCandidate
	for rows.Next() {
		var c dailyCandidate
		if err := rows.Scan(&c.id, &c.mine, &c.enterprise, &c.region, &c.level, &c.state, &c.deadline, &c.escalated, &c.escalatedAt, &c.supervised, &c.reportedAt); err != nil {
			rows.Close()
			return rep, err
		}
		todo = append(todo, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	for _, c := range todo {
		late, days := overdue(c.state, c.deadline, now)
		major := c.level == LevelMajor
		to, why := "", ""
		switch {
		case !late:
		case c.escalated == "" && major && sup.MajorOverdueToCity:
			to, why = "city", fmt.Sprintf("major hazard overdue by %d days (deadline %s): passed to the city regulator", days, c.deadline)
		case c.escalated == "":
			to, why = "county", fmt.Sprintf("overdue by %d days (deadline %s): passed to the county regulator", days, c.deadline)
		case c.escalated == "county" && c.escalatedAt != nil && daysBetween(clock.Today(*c.escalatedAt), today) >= sup.CityAfterDays:
			to, why = "city", fmt.Sprintf("still overdue %d days after the county was told (deadline %s): passed to the city regulator", sup.CityAfterDays, c.deadline)
		}
		supervise := ""
		open := slices.Contains(openStates, c.state) || c.state == StateRectified
		switch {
		case !major || c.supervised || !open:
		case late:
			supervise = fmt.Sprintf("major hazard overdue (deadline %s)", c.deadline)
		case daysBetween(clock.Today(c.reportedAt), today) >= sup.SuperviseOpenDays:
			supervise = fmt.Sprintf("major hazard still not rectified %d days after it was reported", sup.SuperviseOpenDays)
		}
		if to == "" && supervise == "" {
			continue
		}
		escalated, supervised, err := s.escalate(ctx, c, now, to, why, supervise, version)
		if err != nil {
			return rep, err
		}
		if escalated {
			rep.Escalated = append(rep.Escalated, c.id)
		}
		if supervised {
			rep.Supervised = append(rep.Supervised, c.id)
		}
	}
	return rep, nil
}

// escalate records one hazard's escalation and supervision in a
// transaction, each guarded so that a concurrent run cannot do it twice,
// then pushes what changed. It answers whether it escalated and whether
// it put the hazard under supervision.
func (s *Service) escalate(ctx context.Context, c dailyCandidate, now time.Time, to, why, supervise string, version int) (escalated, supervised bool, err error) {
	at := now.UTC().Truncate(time.Microsecond)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		escalated, supervised = false, false
		if to != "" {
			res, err := tx.Exec(ctx, `UPDATE hazards SET escalated_to = ?, escalated_at = ? WHERE id = ? AND escalated_to = ?`, to, at, c.id, c.escalated)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				ev := s.event(auth.System, at, c.id, "escalate", c.region, c.enterprise, c.mine).WithDetail(map[string]any{"to": to, "rules_version": version})
				ev.Reason = why
				if _, err := events.Append(ctx, tx, ev); err != nil {
					return err
				}
				escalated = true
			}
		}
		if supervise != "" {
			res, err := tx.Exec(ctx, `UPDATE hazards SET supervised = TRUE, supervised_at = ?, supervision_reason = ? WHERE id = ? AND supervised = FALSE`, at, supervise, c.id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				ev := s.event(auth.System, at, c.id, "supervise", c.region, c.enterprise, c.mine).WithDetail(map[string]any{"rules_version": version})
				ev.Reason = supervise
				if _, err := events.Append(ctx, tx, ev); err != nil {
					return err
				}
				supervised = true
			}
		}
		return nil
	})
	if err != nil || !escalated && !supervised {
		return escalated, supervised, err
	}
	h, err := s.Get(ctx, auth.System, c.id)
	if err != nil {
		return escalated, supervised, err
	}
	if escalated {
		s.opt.Publish("hazard", h.MineID, map[string]any{"event": "escalate", "hazard": h, "to": to})
	}
	if supervised {
		s.opt.Publish("hazard", h.MineID, map[string]any{"event": "supervise", "hazard": h})
	}
	return escalated, supervised, nil
}

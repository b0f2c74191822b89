package alarm

import (
	"context"
	"fmt"
	"time"

	"minesafe/internal/rules"
)

// RaiseExternal opens an alarm for a condition another capability judges
// (the electronic seals of enforcement: kind "seal"), through the same
// record-and-publish path as the rules engine's changes, so it joins the
// loop, the stream, webhooks and escalation like any other alarm. While the
// same condition (mine, point, kind, rule) is uncleared it answers that
// alarm's id instead of opening a second one.
func (s *Service) RaiseExternal(ctx context.Context, mineID, pointID int64, kind, rule, level, message string, at time.Time) (int64, error) {
	lvl, err := rules.ParseLevel(level)
	if err != nil || lvl == rules.None {
		return 0, fmt.Errorf("raise %s alarm: level %q: must be blue, yellow, orange or red", rule, level)
	}
	k := rules.Key{MineID: mineID, PointID: pointID, Kind: kind, Rule: rule}
	var id int64
	err = s.external(ctx, func() error {
		if id = s.active[k]; id != 0 {
			return nil
		}
		if !s.loaded[mineID] || (pointID != 0 && !s.engine.HasPoint(pointID)) {
			// record takes the mine's division and enterprise from s.mines,
			// and the engine must know the point to count its level.
			if err := s.loadMine(ctx, mineID); err != nil {
				return err
			}
		}
		s.apply(ctx, []rules.Change{{Key: k, Action: rules.Open, Level: lvl, At: at, Message: message}}, at)
		if id = s.active[k]; id == 0 {
			return fmt.Errorf("raise %s alarm at mine %d: not recorded (the log says why)", rule, mineID)
		}
		// The engine never judges this condition; it only needs to count it
		// in the mine's level, as it does for restored alarms after a restart.
		s.engine.Restore(k, lvl, 0)
		s.publishLevels()
		return nil
	})
	return id, err
}

// ClearExternal marks the uncleared alarm of an external condition cleared
// (the condition is over, so people may close it once verified) and answers
// its id, or 0 when none is uncleared.
func (s *Service) ClearExternal(ctx context.Context, mineID, pointID int64, kind, rule, message string, at time.Time) (int64, error) {
	k := rules.Key{MineID: mineID, PointID: pointID, Kind: kind, Rule: rule}
	var id int64
	err := s.external(ctx, func() error {
		if id = s.active[k]; id == 0 {
			return nil
		}
		s.apply(ctx, []rules.Change{{Key: k, Action: rules.Clear, At: at, Message: message}}, at)
		if s.active[k] != 0 {
			return fmt.Errorf("clear %s alarm %d: not recorded (the log says why)", rule, id)
		}
		// The engine has no way to forget a condition; at level none it no
		// longer counts in the mine's level.
		s.engine.Restore(k, rules.None, 0)
		s.publishLevels()
		return nil
	})
	return id, err
}

// external runs fn on the loop goroutine, which owns the open conditions.
// It gives up when the loop has stopped, so a caller draining the bus at
// shutdown never waits for a loop that is gone.
func (s *Service) external(ctx context.Context, fn func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.stopped:
			cancel()
		case <-ctx.Done():
		}
	}()
	var err error
	if derr := s.do(ctx, func() { err = fn() }); derr != nil {
		return derr
	}
	return err
}

package telemetry

import (
	"context"
	"sync"
)

// pointWatchers are told when a mine's points change, so consumers that
// keep per-point state (the rules engine) reload them.
type pointWatchers struct {
	mu  sync.Mutex
	fns []func(mineID int64)
}

// OnPointsChanged registers fn, called after any point of a mine is created,
// changed or archived.
func (s *Service) OnPointsChanged(fn func(mineID int64)) {
	s.watchers.mu.Lock()
	s.watchers.fns = append(s.watchers.fns, fn)
	s.watchers.mu.Unlock()
}

func (s *Service) pointsChanged(mineID int64) {
	s.points.drop(mineID)
	s.watchers.mu.Lock()
	fns := append([]func(int64){}, s.watchers.fns...)
	s.watchers.mu.Unlock()
	for _, fn := range fns {
		fn(mineID)
	}
}

// MinePoints answers a mine's active points, unscoped (for the platform's
// own consumers, never for a caller).
func (s *Service) MinePoints(ctx context.Context, mineID int64) ([]Point, error) {
	return s.selectPoints(ctx, "mine_id = ?", []any{mineID}, "ORDER BY id", false)
}

// PointMines answers the mine of each of the given points.
func (s *Service) PointMines(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT id, mine_id FROM points WHERE archived_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, mine int64
		if err := rows.Scan(&id, &mine); err != nil {
			return nil, err
		}
		out[id] = mine
	}
	return out, rows.Err()
}

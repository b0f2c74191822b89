package registry

import (
	"context"
	"database/sql"
	"errors"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
)

const regionSelect = `SELECT code, name, parent_code, level, seat_lon, seat_lat FROM regions`

// Regions answers the city and its divisions in their customary order. Every
// authenticated caller may read them.
func (s *Service) Regions(ctx context.Context, p *auth.Principal) ([]Region, error) {
	return s.selectRegions(ctx, p, ` ORDER BY sort, code`)
}

// Region answers one division by its code.
func (s *Service) Region(ctx context.Context, p *auth.Principal, code string) (Region, error) {
	rs, err := s.selectRegions(ctx, p, ` WHERE code = ?`, code)
	if err != nil {
		return Region{}, err
	}
	if len(rs) == 0 {
		return Region{}, fail.NotFoundf("no such region")
	}
	return rs[0], nil
}

func (s *Service) selectRegions(ctx context.Context, p *auth.Principal, tail string, args ...any) ([]Region, error) {
	if err := signedIn(p); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, regionSelect+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Region{}
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.Code, &r.Name, &r.ParentCode, &r.Level, &r.SeatLon, &r.SeatLat); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// checkRegion records in f whether code names a region (a county-level
// division when countyOnly) and answers whether it does.
func checkRegion(ctx context.Context, q querier, f fail.Fields, field, code string, countyOnly bool) (bool, error) {
	if code == "" {
		return false, nil
	}
	var level string
	err := q.QueryRow(ctx, `SELECT level FROM regions WHERE code = ?`, code).Scan(&level)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		f.Add(field, "no division %s", code)
		return false, nil
	case err != nil:
		return false, err
	case countyOnly && level != "county":
		f.Add(field, "%s is a %s: give a county-level division", code, level)
		return false, nil
	}
	return true, nil
}

// checkUnique records in f when another row of table holds value in col.
// Uniqueness is city-wide, so the message names no record the caller might
// not see.
func checkUnique(ctx context.Context, q querier, f fail.Fields, table, col, value string, selfID int64) error {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM "+table+" WHERE "+col+" = ? AND id <> ?", value, selfID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	f.Add(col, "%s is already registered", value)
	return nil
}

package accident

import (
	"context"
	"fmt"
	"strconv"

	"minesafe/internal/auth"
	"minesafe/internal/registry"
)

// Tally answers, for each year from fromYear to toYear (Asia/Shanghai) and
// each division, the figures of the accidents and the coal output in p's
// scope. Years and divisions without records are absent.
func (s *Service) Tally(ctx context.Context, p *auth.Principal, fromYear, toYear int) (map[int]map[string]*Figures, error) {
	out := map[int]map[string]*Figures{}
	at := func(y, region string) (*Figures, error) {
		yr, err := strconv.Atoi(y)
		if err != nil {
			return nil, fmt.Errorf("tally year %q: %w", y, err)
		}
		if out[yr] == nil {
			out[yr] = map[string]*Figures{}
		}
		if out[yr][region] == nil {
			out[yr][region] = &Figures{}
		}
		return out[yr][region], nil
	}
	scope, sargs := p.MineScope("region_code", "enterprise_id")
	// Days and months are stored as text counted in Asia/Shanghai, so the
	// year is their first four characters on both databases.
	rows, err := s.db.Query(ctx, `SELECT SUBSTR(occurred_on, 1, 4), region_code, grade, mine_kind, COUNT(*), COALESCE(SUM(deaths), 0)
		FROM accidents WHERE archived_at IS NULL AND occurred_on >= ? AND occurred_on <= ? AND `+scope+`
		GROUP BY SUBSTR(occurred_on, 1, 4), region_code, grade, mine_kind`,
		append([]any{fmt.Sprintf("%04d-01-01", fromYear), fmt.Sprintf("%04d-12-31", toYear)}, sargs...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var y, region, grade, kind string
		var n, deaths int
		if err := rows.Scan(&y, &region, &grade, &kind, &n, &deaths); err != nil {
			rows.Close()
			return nil, err
		}
		f, err := at(y, region)
		if err != nil {
			rows.Close()
			return nil, err
		}
		f.Accidents += n
		f.Deaths += deaths
		switch {
		case grade == GradeLarger:
			f.LargerAccidents += n
		case MajorOrWorse(grade):
			f.MajorOrWorseAccidents += n
		}
		if registry.IsCoal(kind) {
			f.CoalDeaths += deaths
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.Query(ctx, `SELECT SUBSTR(month, 1, 4), region_code, COALESCE(SUM(tonnes), 0)
		FROM production WHERE month >= ? AND month <= ? AND mine_kind IN (?, ?) AND `+scope+`
		GROUP BY SUBSTR(month, 1, 4), region_code`,
		append([]any{fmt.Sprintf("%04d-01", fromYear), fmt.Sprintf("%04d-12", toYear), registry.KindCoalUnderground, registry.KindCoalOpenpit}, sargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var y, region string
		var t float64
		if err := rows.Scan(&y, &region, &t); err != nil {
			return nil, err
		}
		f, err := at(y, region)
		if err != nil {
			return nil, err
		}
		f.CoalOutputTonnes += t
	}
	return out, rows.Err()
}

// RecordsIn tells whether the city holds any (unarchived) accident and any
// coal production record of year, whoever asks: it only decides whether
// that year's figures come from records or from entered data.
func (s *Service) RecordsIn(ctx context.Context, year int) (accidents, coalProduction bool, err error) {
	var a, c int
	if err = s.db.QueryRow(ctx, `SELECT COUNT(*) FROM accidents WHERE archived_at IS NULL AND occurred_on >= ? AND occurred_on <= ?`,
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)).Scan(&a); err != nil {
		return
	}
	err = s.db.QueryRow(ctx, `SELECT COUNT(*) FROM production WHERE month >= ? AND month <= ? AND mine_kind IN (?, ?)`,
		fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-12", year), registry.KindCoalUnderground, registry.KindCoalOpenpit).Scan(&c)
	return a > 0, c > 0, err
}

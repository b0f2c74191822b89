package telemetry

import (
	"context"
	"net/http"
	"sort"

	"minesafe/internal/auth"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
)

// CoverageRow counts, for a division or the city, the mines the plan wants
// networked (every coal mine, every underground metal/non-metal mine and
// every tailings pond of grade 三等 or above, unless closed or archived), how
// many are (they have at least one active monitoring point and have sent
// data) and how many are online now.
type CoverageRow struct {
	RegionCode       string  `json:"region_code"`
	RegionName       string  `json:"region_name"`
	Required         int     `json:"required"`
	RequiredCoal     int     `json:"required_coal"`
	RequiredMetal    int     `json:"required_metal_underground"`
	RequiredPonds    int     `json:"required_ponds"`
	Networked        int     `json:"networked"`
	Online           int     `json:"online"`
	NetworkedPercent float64 `json:"networked_percent"`
}

// Coverage is the answer of /monitoring/coverage.
type Coverage struct {
	City      CoverageRow   `json:"city"`
	Divisions []CoverageRow `json:"divisions"`
}

// requiredKind tells whether the plan requires a mine to be networked, and
// in which column it counts.
func requiredKind(m registry.Mine) string {
	if m.Status == "closed" {
		return ""
	}
	switch m.Kind {
	case registry.KindCoalUnderground, registry.KindCoalOpenpit:
		return "coal"
	case registry.KindMetalUnderground:
		return "metal"
	case registry.KindTailingsPond:
		if m.Tailings != nil && m.Tailings.Grade <= 3 && m.Tailings.State != "closed" && m.Tailings.State != "cancelled" {
			return "pond"
		}
	}
	return ""
}

// MonitoringCoverage counts coverage within the caller's scope.
func (s *Service) MonitoringCoverage(ctx context.Context, p *auth.Principal) (Coverage, error) {
	mines, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{})
	if err != nil {
		return Coverage{}, err
	}
	withPoints := map[int64]bool{}
	rows, err := s.db.Query(ctx, `SELECT DISTINCT mine_id FROM points WHERE archived_at IS NULL`)
	if err != nil {
		return Coverage{}, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return Coverage{}, err
		}
		withPoints[id] = true
	}
	rows.Close()
	byRegion := map[string]*CoverageRow{}
	cov := Coverage{City: CoverageRow{RegionCode: "150700", RegionName: "呼伦贝尔市"}}
	for _, m := range mines {
		row := byRegion[m.RegionCode]
		if row == nil {
			row = &CoverageRow{RegionCode: m.RegionCode, RegionName: m.RegionName}
			byRegion[m.RegionCode] = row
		}
		kind := requiredKind(m)
		if kind == "" {
			continue
		}
		st := s.live.Status(m.ID)
		for _, r := range []*CoverageRow{row, &cov.City} {
			r.Required++
			switch kind {
			case "coal":
				r.RequiredCoal++
			case "metal":
				r.RequiredMetal++
			case "pond":
				r.RequiredPonds++
			}
			if withPoints[m.ID] && st.LastSeen != nil {
				r.Networked++
			}
			if st.Online {
				r.Online++
			}
		}
	}
	for _, r := range byRegion {
		r.NetworkedPercent = percent(r.Networked, r.Required)
		cov.Divisions = append(cov.Divisions, *r)
	}
	cov.City.NetworkedPercent = percent(cov.City.Networked, cov.City.Required)
	sort.Slice(cov.Divisions, func(i, j int) bool { return cov.Divisions[i].RegionCode < cov.Divisions[j].RegionCode })
	if cov.Divisions == nil {
		cov.Divisions = []CoverageRow{}
	}
	return cov, nil
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)*1000/float64(of)+0.5)) / 10
}

func (s *Service) handleCoverage(w http.ResponseWriter, r *http.Request) {
	cov, err := s.MonitoringCoverage(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, cov)
}

package indicator

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"minesafe/internal/clock"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// counts are a figure's numerator and denominator per division (the city's
// code holds what belongs to the city as a whole).
type counts map[string][2]int

func (c counts) add(region string, hit bool) {
	v := c[region]
	v[1]++
	if hit {
		v[0]++
	}
	c[region] = v
}

// over sums the counts of area a.
func (c counts) over(a area) (num, den int) {
	for region, v := range c {
		if a.has(region) || a.Whole && region == a.Code || a.Enterprise && len(a.Divisions) > 1 {
			num, den = num+v[0], den+v[1]
		}
	}
	return num, den
}

// fiveHeads are the 五职矿长 roles of the registry's people on duty.
var fiveHeads = []string{"mine_manager", "chief_engineer", "safety_deputy", "production_deputy", "electromechanical_deputy"}

// KeyFiveHeads counts coal mines with all five heads on duty.
const KeyFiveHeads = "five_heads_complete"

// InsuranceRow is a mine and its safety liability insurance on a day.
type InsuranceRow struct {
	MineID          int64  `json:"mine_id"`
	MineCode        string `json:"mine_code"`
	MineName        string `json:"mine_name"`
	MineKind        string `json:"mine_kind"`
	MineStatus      string `json:"mine_status"`
	RegionCode      string `json:"region_code"`
	RegionName      string `json:"region_name"`
	InsuranceExpiry string `json:"insurance_expiry"`
	Covered         bool   `json:"covered"`
}

// insurance answers the non-closed mines of ms with their cover on day d
// (the registry's insurance_expiry not before d).
func insurance(ms []registry.Mine, d string) []InsuranceRow {
	out := []InsuranceRow{}
	for _, m := range ms {
		if m.Status == "closed" {
			continue
		}
		out = append(out, InsuranceRow{MineID: m.ID, MineCode: m.Code, MineName: m.Name, MineKind: m.Kind, MineStatus: m.Status,
			RegionCode: m.RegionCode, RegionName: m.RegionName, InsuranceExpiry: m.InsuranceExpiry, Covered: m.InsuranceExpiry != "" && m.InsuranceExpiry >= d})
	}
	return out
}

// InsuranceRows answers the insurance drill-down of region_code today.
func (s *Service) InsuranceRows(ctx context.Context, p *auth.Principal, regionCode string, covered *bool) ([]InsuranceRow, error) {
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return nil, err
	}
	ms, err := s.minesIn(ctx, p, a)
	if err != nil {
		return nil, err
	}
	out := []InsuranceRow{}
	for _, r := range insurance(ms, s.today()) {
		if covered == nil || *covered == r.Covered {
			out = append(out, r)
		}
	}
	return out, nil
}

// CertificateRow is a person on duty and their certificate on a day.
type CertificateRow struct {
	MineID            int64  `json:"mine_id"`
	MineName          string `json:"mine_name"`
	RegionCode        string `json:"region_code"`
	RegionName        string `json:"region_name"`
	PersonID          int64  `json:"person_id"`
	Role              string `json:"role"`
	Name              string `json:"name"`
	CertificateNo     string `json:"certificate_no"`
	CertificateExpiry string `json:"certificate_expiry"`
	Valid             bool   `json:"valid"`
}

// certificates answers the people on duty at the non-closed mines of ms
// with the validity of their certificates on day d, and for each coal mine
// whether all five heads are on duty.
func (s *Service) certificates(ctx context.Context, p *auth.Principal, ms []registry.Mine, d string) ([]CertificateRow, counts, error) {
	out := []CertificateRow{}
	heads := counts{}
	for _, m := range ms {
		if m.Status == "closed" {
			continue
		}
		people, _, err := s.reg.ListPeople(ctx, p, m.ID, httpx.ListParams{})
		if err != nil {
			return nil, nil, err
		}
		roles := map[string]bool{}
		for _, x := range people {
			roles[x.Role] = true
			out = append(out, CertificateRow{MineID: m.ID, MineName: m.Name, RegionCode: m.RegionCode, RegionName: m.RegionName, PersonID: x.ID,
				Role: x.Role, Name: x.Name, CertificateNo: x.CertificateNo, CertificateExpiry: x.CertificateExpiry,
				Valid: x.CertificateNo != "" && x.CertificateExpiry != "" && x.CertificateExpiry >= d})
		}
		if registry.IsCoal(m.Kind) {
			all := true
			for _, r := range fiveHeads {
				all = all && roles[r]
			}
			heads.add(m.RegionCode, all)
		}
	}
	return out, heads, nil
}

// CertificateRows answers the certificates drill-down of region_code today.
func (s *Service) CertificateRows(ctx context.Context, p *auth.Principal, regionCode string, valid *bool) ([]CertificateRow, error) {
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return nil, err
	}
	ms, err := s.minesIn(ctx, p, a)
	if err != nil {
		return nil, err
	}
	rows, _, err := s.certificates(ctx, p, ms, s.today())
	if err != nil {
		return nil, err
	}
	out := []CertificateRow{}
	for _, r := range rows {
		if valid == nil || *valid == r.Valid {
			out = append(out, r)
		}
	}
	return out, nil
}

// stateKeys are the figures that exist only as current state.
var stateKeys = []string{KeyInsurance, KeyCertificates, KeyMonitoring, KeyFiveHeads}

// liveState counts the state figures now (insurance and certificates
// judged on day d) for the mines of the whole city in p's scope.
func (s *Service) liveState(ctx context.Context, p *auth.Principal, d string) (map[string]counts, string, error) {
	out := map[string]counts{KeyInsurance: {}, KeyCertificates: {}, KeyMonitoring: {}}
	ms, _, err := s.reg.ListMines(ctx, p, registry.MineFilter{})
	if err != nil {
		return nil, "", err
	}
	for _, r := range insurance(ms, d) {
		out[KeyInsurance].add(r.RegionCode, r.Covered)
	}
	certs, heads, err := s.certificates(ctx, p, ms, d)
	if err != nil {
		return nil, "", err
	}
	for _, r := range certs {
		out[KeyCertificates].add(r.RegionCode, r.Valid)
	}
	out[KeyFiveHeads] = heads
	note := ""
	if s.opt.Monitoring == nil {
		note = "monitoring coverage is not wired (no telemetry source)"
		delete(out, KeyMonitoring)
	} else {
		cov, err := s.opt.Monitoring.MonitoringCoverage(ctx, p)
		if err != nil {
			return nil, "", err
		}
		for _, row := range cov.Divisions {
			out[KeyMonitoring][row.RegionCode] = [2]int{row.Networked, row.Required}
		}
	}
	return out, note, nil
}

// stateFor answers the state figures of year for p and notes by key:
// live while the year runs (and always for an enterprise, whose mines no
// division snapshot separates), else the snapshot frozen at the year's
// turn, else the current state with a note saying so.
func (s *Service) stateFor(ctx context.Context, p *auth.Principal, year int) (map[string]counts, string, map[string]string, error) {
	d, partial := kit.AsOf(s.clk, year)
	notes := map[string]string{}
	if !partial && !p.Is(auth.RoleEnterprise) {
		snap, taken, err := s.snapshot(ctx, year)
		if err != nil {
			return nil, "", nil, err
		}
		if snap != nil {
			for _, k := range stateKeys {
				notes[k] = fmt.Sprintf("state frozen at %s", taken.In(clock.Shanghai).Format("2006-01-02 15:04"))
			}
			return snap, "snapshot", notes, nil
		}
		live, monitoring, err := s.liveState(ctx, p, d)
		for _, k := range stateKeys {
			notes[k] = fmt.Sprintf("no snapshot of %d: judged on %s from the current registry", year, d)
		}
		notes[KeyMonitoring] = joinNotes(fmt.Sprintf("no snapshot of %d: coverage as now", year), monitoring)
		return live, "current", notes, err
	}
	live, monitoring, err := s.liveState(ctx, p, d)
	notes[KeyMonitoring] = monitoring
	return live, "live", notes, err
}

// snapshot answers the frozen state figures of year by key and division.
func (s *Service) snapshot(ctx context.Context, year int) (map[string]counts, time.Time, error) {
	rows, err := s.db.Query(ctx, `SELECT region_code, body, taken_at FROM indicator_snapshots WHERE year = ?`, year)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer rows.Close()
	var out map[string]counts
	var taken time.Time
	for rows.Next() {
		var region, body string
		if err := rows.Scan(&region, &body, &taken); err != nil {
			return nil, taken, err
		}
		var figs map[string][2]int
		if err := json.Unmarshal([]byte(body), &figs); err != nil {
			return nil, taken, err
		}
		if out == nil {
			out = map[string]counts{}
		}
		for k, v := range figs {
			if out[k] == nil {
				out[k] = counts{}
			}
			out[k][region] = v
		}
	}
	return out, taken.UTC(), rows.Err()
}

// SnapshotDue freezes the previous year's state figures (insurance and
// certificates judged on its last day, monitoring as now) when they were
// not frozen yet. Start runs it, then every CheckEvery.
func (s *Service) SnapshotDue(ctx context.Context) error {
	return s.Snapshot(ctx, kit.ThisYear(s.clk)-1)
}

// Snapshot freezes year's state figures per division unless they are
// frozen already.
func (s *Service) Snapshot(ctx context.Context, year int) error {
	snap, _, err := s.snapshot(ctx, year)
	if err != nil || snap != nil {
		return err
	}
	live, _, err := s.liveState(ctx, auth.System, kit.YearEnd(year))
	if err != nil {
		return err
	}
	_, divs, err := s.regions(ctx)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		for _, d := range divs {
			body := map[string][2]int{}
			for k, c := range live {
				body[k] = c[d.Code]
			}
			b, _ := json.Marshal(body)
			// A concurrent node may have frozen the year meanwhile: keep its.
			if _, err := tx.Exec(ctx, `INSERT INTO indicator_snapshots (year, region_code, body, taken_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (year, region_code) DO NOTHING`, year, d.Code, string(b), now); err != nil {
				return err
			}
		}
		return s.event(ctx, tx, auth.System, "indicator_snapshot", int64(year), "create", "", nil, live, "state figures frozen at the year's turn")
	})
}

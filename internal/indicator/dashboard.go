package indicator

import (
	"context"
	"fmt"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
)

// Figure is one of the plan's other targets for a year and an area: a
// share in per cent (Numerator of Denominator) against a floor due by
// TargetYear. Met compares the value with the target; Due tells whether
// the target's year has come. Source says where a state figure comes from
// (live, snapshot, current); Extra holds related counts.
type Figure struct {
	Key         string         `json:"key"`
	Name        string         `json:"name"`
	Unit        string         `json:"unit"`
	Value       *float64       `json:"value"`
	Numerator   int            `json:"numerator"`
	Denominator int            `json:"denominator"`
	Target      *float64       `json:"target"`
	TargetYear  int            `json:"target_year"`
	Comparison  string         `json:"comparison"`
	Due         bool           `json:"due"`
	Met         *bool          `json:"met"`
	Source      string         `json:"source"`
	Note        string         `json:"note,omitempty"`
	Trend       []Point        `json:"trend"`
	Drill       string         `json:"drill"`
	PlanRef     string         `json:"plan_ref"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// Dashboard bundles every figure of the plan for a year and an area: 专栏1
// with base, target and trend, the other targets, each task's completion,
// and each division's values.
type Dashboard struct {
	Year        int                 `json:"year"`
	RegionCode  string              `json:"region_code"`
	RegionName  string              `json:"region_name"`
	AsOf        string              `json:"as_of"`
	PartialYear bool                `json:"partial_year"`
	Indicators  Set                 `json:"indicators"`
	Figures     []Figure            `json:"figures"`
	Tasks       []Task              `json:"tasks"`
	Divisions   []DashboardDivision `json:"divisions"`
}

// DashboardDivision is one division's values of the other targets.
type DashboardDivision struct {
	RegionCode string              `json:"region_code"`
	RegionName string              `json:"region_name"`
	Figures    map[string]*float64 `json:"figures"`
}

// figureKeys are the other targets, in the dashboard's order.
var figureKeys = []string{KeyProfessional, KeyCoalGrade1, KeyCoalGrade2Plus, KeyNoncoalGraded, KeyLargeNoncoal,
	KeyInsurance, KeyMonitoring, KeyCertificates, KeyLedgerCompletion}

// yearCounts are the other targets' counts of one year by key and
// division, with where the state figures come from.
type yearCounts struct {
	counts map[string]counts
	source string
	notes  map[string]string
}

// countYear counts the other targets of year in p's scope (as of the
// year's last day, or today while it runs). State figures of a past year
// come only from its snapshot unless live is set.
func (s *Service) countYear(ctx context.Context, p *auth.Principal, a area, b *book, year int, live bool) (yearCounts, error) {
	d, partial := kit.AsOf(s.clk, year)
	y := yearCounts{counts: map[string]counts{}}
	var err error
	if y.counts[KeyProfessional], err = s.professionals(ctx, p, d); err != nil {
		return y, err
	}
	std, err := s.stdShares(ctx, p, a, d)
	if err != nil {
		return y, err
	}
	for k, c := range std {
		y.counts[k] = c
	}
	var state map[string]counts
	switch {
	case live || partial:
		state, y.source, y.notes, err = s.stateFor(ctx, p, year)
	case p.Is(auth.RoleEnterprise):
		// Snapshots are per division: they say nothing of one enterprise.
		y.source = "none"
	default:
		state, _, err = s.snapshot(ctx, year)
		y.source = "snapshot"
		if state == nil {
			y.source = "none"
		}
	}
	if err != nil {
		return y, err
	}
	for k, c := range state {
		y.counts[k] = c
	}
	ledger := counts{}
	for _, it := range s.visibleItems(p, b, false) {
		if it.Period > year {
			continue
		}
		ledger.add(it.RegionCode, it.completedBy(d))
	}
	y.counts[KeyLedgerCompletion] = ledger
	return y, nil
}

// figureMetaOther names the other targets' units and drill-downs.
var figureMetaOther = map[string]struct{ path, query string }{
	KeyProfessional:     {"/api/v1/supervision-staff", "as_of=%s"},
	KeyCoalGrade1:       {"/api/v1/standardisation", "as_of=%s&class=coal&status=producing"},
	KeyCoalGrade2Plus:   {"/api/v1/standardisation", "as_of=%s&class=coal&status=producing"},
	KeyNoncoalGraded:    {"/api/v1/standardisation", "as_of=%s&class=noncoal&status=producing"},
	KeyLargeNoncoal:     {"/api/v1/standardisation", "as_of=%s&class=noncoal&status=producing"},
	KeyInsurance:        {"/api/v1/indicators/insurance", ""},
	KeyMonitoring:       {"/api/v1/monitoring/coverage", ""},
	KeyCertificates:     {"/api/v1/indicators/certificates", ""},
	KeyLedgerCompletion: {"/api/v1/ledger/items", ""},
}

// figure makes one figure of area a from its counts.
func figure(key string, t Targets, a area, year int, asOf string, c counts) Figure {
	x := Figure{Key: key, Unit: "%", Comparison: ">=", Trend: []Point{}}
	if target, ok := t.Target(key); ok {
		v := target.Value
		x.Name, x.Target, x.TargetYear, x.PlanRef = target.Name, &v, target.DueYear, target.PlanRef
		x.Due = year >= target.DueYear
	}
	x.Numerator, x.Denominator = c.over(a)
	if x.Denominator > 0 {
		v := float64(x.Numerator) * 100 / float64(x.Denominator)
		x.Value = &v
		if x.Target != nil {
			met := v >= *x.Target
			x.Met = &met
		}
	} else {
		x.Note = "nothing to count"
	}
	m := figureMetaOther[key]
	q := m.query
	if q != "" {
		q = fmt.Sprintf(q, asOf)
	}
	x.Drill = a.drill(m.path, q)
	return x
}

// Dashboard answers every figure of the plan for year over region_code.
func (s *Service) Dashboard(ctx context.Context, p *auth.Principal, year int, regionCode string) (Dashboard, error) {
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return Dashboard{}, err
	}
	t, version, err := s.targets.InForce(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	set, err := s.indicators(ctx, p, a, t, version, year, true)
	if err != nil {
		return Dashboard{}, err
	}
	b, err := s.loadBook(ctx, false)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Year: year, RegionCode: a.Code, RegionName: a.Name, AsOf: set.AsOf, PartialYear: set.PartialYear, Indicators: set,
		Divisions: []DashboardDivision{}}
	cur, err := s.countYear(ctx, p, a, b, year, true)
	if err != nil {
		return d, err
	}
	for _, key := range figureKeys {
		f := figure(key, t, a, year, set.AsOf, cur.counts[key])
		if _, state := map[string]bool{KeyInsurance: true, KeyCertificates: true, KeyMonitoring: true}[key]; state {
			f.Source = cur.source
			f.Note = joinNotes(f.Note, cur.notes[key])
		} else {
			f.Source = "records"
		}
		d.Figures = append(d.Figures, f)
	}
	heads := cur.counts[KeyFiveHeads]
	n, of := heads.over(a)
	d.Figures[indexOf(KeyCertificates)].Extra = map[string]any{"coal_mines_with_five_heads": n, "coal_mines": of}
	due, overdue := 0, 0
	for _, it := range s.visibleItems(p, b, false) {
		if it.Due && (a.has(it.RegionCode) || a.Whole && it.RegionCode == a.Code || a.Enterprise) {
			due++
			if it.Overdue {
				overdue++
			}
		}
	}
	d.Figures[indexOf(KeyLedgerCompletion)].Extra = map[string]any{"items_due": due, "items_overdue": overdue}
	for y := min(t.BaseYear, year); y <= year; y++ {
		yc := cur
		if y != year {
			if yc, err = s.countYear(ctx, p, a, b, y, false); err != nil {
				return d, err
			}
		}
		for i := range d.Figures {
			f := figure(d.Figures[i].Key, t, a, y, set.AsOf, yc.counts[d.Figures[i].Key])
			d.Figures[i].Trend = append(d.Figures[i].Trend, Point{Year: y, Value: f.Value, Partial: y == year && set.PartialYear})
		}
	}
	items := s.visibleItems(p, b, false)
	d.Tasks = make([]Task, len(b.tasks))
	for i := range b.tasks {
		d.Tasks[i] = b.tasks[i]
		summarise(&d.Tasks[i], items, a, b, false)
	}
	if len(a.Divisions) > 1 {
		for _, div := range a.Divisions {
			da := area{Code: div.Code, Name: div.Name, Divisions: a.Divisions[:0:0]}
			da.Divisions = append(da.Divisions, div)
			dd := DashboardDivision{RegionCode: div.Code, RegionName: div.Name, Figures: map[string]*float64{}}
			for _, key := range figureKeys {
				dd.Figures[key] = figure(key, t, da, year, set.AsOf, cur.counts[key]).Value
			}
			d.Divisions = append(d.Divisions, dd)
		}
	}
	return d, nil
}

func indexOf(key string) int {
	for i, k := range figureKeys {
		if k == key {
			return i
		}
	}
	return -1
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

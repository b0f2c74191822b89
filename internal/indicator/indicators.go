package indicator

import (
	"context"
	"fmt"
	"strings"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
)

// Point is one year of a trend; Partial marks the running year.
type Point struct {
	Year    int      `json:"year"`
	Value   *float64 `json:"value"`
	Partial bool     `json:"partial,omitempty"`
}

// Indicator is one of 专栏1's figures for a year and an area, against the
// base year and the target year. TargetForYear is the target pro rata for
// the year (a linear path from the base to the target); OnTrack compares a
// complete year's value with it. A value that cannot be computed (a rate
// with zero output) and a change against a base of 0 or none are null, and
// Note says why.
type Indicator struct {
	Key             string   `json:"key"`
	Name            string   `json:"name"`
	Unit            string   `json:"unit"`
	Value           *float64 `json:"value"`
	Base2025        *float64 `json:"base_2025"`
	Target2030      *float64 `json:"target_2030"`
	ChangeVsBasePct *float64 `json:"change_vs_base_pct"`
	TargetChangePct *float64 `json:"target_change_pct"`
	TargetForYear   *float64 `json:"target_for_year"`
	OnTrack         *bool    `json:"on_track"`
	BaseSource      string   `json:"base_source"`
	Note            string   `json:"note,omitempty"`
	Trend           []Point  `json:"trend,omitempty"`
	Drill           string   `json:"drill"`
	PlanRef         string   `json:"plan_ref,omitempty"`
}

// Set is 专栏1 for a year and an area, with each division's when the area
// has several. BaseYear and TargetYear name what base_2025 and target_2030
// hold (the plan's 2025 and 2030).
type Set struct {
	Year                  int        `json:"year"`
	RegionCode            string     `json:"region_code"`
	RegionName            string     `json:"region_name"`
	AsOf                  string     `json:"as_of"`
	PartialYear           bool       `json:"partial_year"`
	BaseYear              int        `json:"base_year"`
	TargetYear            int        `json:"target_year"`
	TargetsVersion        int        `json:"targets_version"`
	Accidents             Indicator  `json:"accidents"`
	Deaths                Indicator  `json:"deaths"`
	LargerAccidents       Indicator  `json:"larger_accidents"`
	MajorOrWorseAccidents Indicator  `json:"major_or_worse_accidents"`
	CoalDeaths            Indicator  `json:"coal_deaths"`
	CoalOutputTonnes      Indicator  `json:"coal_output_tonnes"`
	MillionTonDeathRate   Indicator  `json:"million_ton_death_rate"`
	Divisions             []Division `json:"divisions"`
	Plan                  string     `json:"plan"`
	Sources               []string   `json:"sources"`
}

// Division is one division's indicators (without trends).
type Division struct {
	RegionCode            string    `json:"region_code"`
	RegionName            string    `json:"region_name"`
	Accidents             Indicator `json:"accidents"`
	Deaths                Indicator `json:"deaths"`
	LargerAccidents       Indicator `json:"larger_accidents"`
	MajorOrWorseAccidents Indicator `json:"major_or_worse_accidents"`
	CoalDeaths            Indicator `json:"coal_deaths"`
	CoalOutputTonnes      Indicator `json:"coal_output_tonnes"`
	MillionTonDeathRate   Indicator `json:"million_ton_death_rate"`
}

// Indicators lists the set's indicators in 专栏1's order.
func (s *Set) Indicators() []*Indicator {
	return []*Indicator{&s.Accidents, &s.Deaths, &s.LargerAccidents, &s.MajorOrWorseAccidents, &s.CoalDeaths, &s.CoalOutputTonnes, &s.MillionTonDeathRate}
}

// Indicators lists a division's indicators in 专栏1's order.
func (d *Division) Indicators() []*Indicator {
	return []*Indicator{&d.Accidents, &d.Deaths, &d.LargerAccidents, &d.MajorOrWorseAccidents, &d.CoalDeaths, &d.CoalOutputTonnes, &d.MillionTonDeathRate}
}

// figureMeta names each figure, its unit and its drill-down.
var figureMeta = map[string]struct{ name, unit, path, query string }{
	KeyAccidents:    {"矿山生产安全事故起数", "起", "/api/v1/accidents", ""},
	KeyDeaths:       {"矿山生产安全事故死亡人数", "人", "/api/v1/accidents", "fatal=true"},
	KeyLarger:       {"矿山较大生产安全事故起数", "起", "/api/v1/accidents", "grade=larger"},
	KeyMajorOrWorse: {"矿山重特大事故起数", "起", "/api/v1/accidents", "grade=major,especially_major"},
	KeyCoalDeaths:   {"煤矿事故死亡人数", "人", "/api/v1/accidents", "coal=true&fatal=true"},
	KeyCoalOutput:   {"原煤产量", "吨", "/api/v1/production", "coal=true"},
	KeyRate:         {"煤矿百万吨死亡率", "人/百万吨", "/api/v1/accidents", "coal=true&fatal=true"},
}

// Indicators answers 专栏1 for year (Asia/Shanghai) over region_code (see
// area), with the trend from the base year.
func (s *Service) Indicators(ctx context.Context, p *auth.Principal, year int, regionCode string) (Set, error) {
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return Set{}, err
	}
	t, version, err := s.targets.InForce(ctx)
	if err != nil {
		return Set{}, err
	}
	return s.indicators(ctx, p, a, t, version, year, true)
}

// indicators computes the set; withDivisions adds each division's.
func (s *Service) indicators(ctx context.Context, p *auth.Principal, a area, t Targets, version, year int, withDivisions bool) (Set, error) {
	from := min(year, t.BaseYear)
	tally, err := s.acc.Tally(ctx, p, from, max(year, t.BaseYear))
	if err != nil {
		return Set{}, err
	}
	asOf, partial := kit.AsOf(s.clk, year)
	set := Set{Year: year, RegionCode: a.Code, RegionName: a.Name, AsOf: asOf, PartialYear: partial, BaseYear: t.BaseYear,
		TargetYear: t.TargetYear, TargetsVersion: version, Plan: t.Plan, Divisions: []Division{},
		Sources: []string{"accidents: /api/v1/accidents (graded by 条例493号 第三条)", "coal output: /api/v1/production (coal_underground, coal_openpit)"}}
	base, err := s.baseline(ctx, a, t, tally[t.BaseYear])
	if err != nil {
		return Set{}, err
	}
	values := func(y int) map[string]*float64 {
		if y == t.BaseYear {
			return base.values
		}
		f := sumFigures(a, tally[y])
		out := map[string]*float64{}
		for _, k := range append(countKeys[:len(countKeys):len(countKeys)], KeyCoalOutput) {
			v := figureValue(f, k)
			out[k] = &v
		}
		return out
	}
	cur := values(year)
	trend := map[string][]Point{}
	for y := from; y <= year; y++ {
		vals := values(y)
		for _, k := range append(countKeys[:len(countKeys):len(countKeys)], KeyCoalOutput, KeyRate) {
			v := vals[k]
			if k == KeyRate {
				v, _ = rate(vals[KeyCoalDeaths], vals[KeyCoalOutput])
			}
			trend[k] = append(trend[k], Point{Year: y, Value: v, Partial: y == year && partial})
		}
	}
	ind := buildIndicators(a, t, year, partial, cur, base)
	for i, x := range set.Indicators() {
		*x = ind[i]
		x.Trend = trend[x.Key]
	}
	if withDivisions && len(a.Divisions) > 1 {
		for _, d := range a.Divisions {
			da := area{Code: d.Code, Name: d.Name, Divisions: a.Divisions[:0:0]}
			da.Divisions = append(da.Divisions, d)
			db, err := s.baseline(ctx, da, t, tally[t.BaseYear])
			if err != nil {
				return Set{}, err
			}
			dv := db.values
			if year != t.BaseYear {
				f := sumFigures(da, tally[year])
				dv = map[string]*float64{}
				for _, k := range append(countKeys[:len(countKeys):len(countKeys)], KeyCoalOutput) {
					v := figureValue(f, k)
					dv[k] = &v
				}
			}
			div := Division{RegionCode: d.Code, RegionName: d.Name}
			for i, x := range div.Indicators() {
				*x = buildIndicators(da, t, year, partial, dv, db)[i]
			}
			set.Divisions = append(set.Divisions, div)
		}
	}
	return set, nil
}

// buildIndicators makes the seven indicators of 专栏1 from a year's values
// and the baseline.
func buildIndicators(a area, t Targets, year int, partial bool, cur map[string]*float64, base baseline) []Indicator {
	keys := []string{KeyAccidents, KeyDeaths, KeyLarger, KeyMajorOrWorse, KeyCoalDeaths, KeyCoalOutput, KeyRate}
	out := make([]Indicator, len(keys))
	for i, k := range keys {
		m := figureMeta[k]
		q := fmt.Sprintf("year=%d", year)
		if m.query != "" {
			q += "&" + m.query
		}
		x := Indicator{Key: k, Name: m.name, Unit: m.unit, BaseSource: base.sources[k], Drill: a.drill(m.path, q)}
		var notes []string
		if n := base.notes[k]; n != "" {
			notes = append(notes, "base: "+n)
		}
		x.Value, x.Base2025 = cur[k], base.values[k]
		if k == KeyRate {
			var why string
			x.Value, why = rate(cur[KeyCoalDeaths], cur[KeyCoalOutput])
			if why != "" {
				notes = append(notes, fmt.Sprintf("%d: %s", year, why))
			}
			x.Base2025, why = rate(base.values[KeyCoalDeaths], base.values[KeyCoalOutput])
			if why != "" {
				notes = append(notes, fmt.Sprintf("base %d: %s", t.BaseYear, why))
			}
			x.BaseSource = combineSources(base.sources[KeyCoalDeaths], base.sources[KeyCoalOutput])
		}
		if target, ok := t.Target(k); ok {
			x.PlanRef = target.PlanRef
			x.Name = target.Name
			x.Target2030, x.TargetForYear, x.TargetChangePct = targetValues(target, t, x.Base2025, year)
		}
		switch {
		case x.Value == nil:
		case x.Base2025 == nil:
			notes = append(notes, "no change against the base: the base is unknown")
		case *x.Base2025 == 0:
			notes = append(notes, "no percentage change against a base of 0")
		default:
			c := (*x.Value - *x.Base2025) * 100 / *x.Base2025
			x.ChangeVsBasePct = &c
		}
		if !partial && x.Value != nil && x.TargetForYear != nil && year > t.BaseYear {
			ok := *x.Value <= *x.TargetForYear
			x.OnTrack = &ok
		}
		if partial {
			notes = append(notes, fmt.Sprintf("%d is not over: the value is the year to date", year))
		}
		x.Note = strings.Join(notes, "; ")
		out[i] = x
	}
	return out
}

// rate answers the million-ton death rate: coal deaths per million tonnes
// of coal, or nil with the reason.
func rate(deaths, tonnes *float64) (*float64, string) {
	switch {
	case deaths == nil || tonnes == nil:
		return nil, "coal deaths or coal output unknown: no rate"
	case *tonnes <= 0:
		return nil, "coal output is 0: the rate is undefined"
	}
	r := *deaths / (*tonnes / 1e6)
	return &r, ""
}

func combineSources(a, b string) string {
	if a == b {
		return a
	}
	if a == SourceNone || b == SourceNone {
		return SourceNone
	}
	return a + "+" + b
}

// targetValues answers the target year's value, the value pro rata for
// year and the targeted change in per cent. A reduction is a straight line
// from the base (base year) to the target (target year), so the mid-term
// year owes 3/5 of it.
func targetValues(target Target, t Targets, base *float64, year int) (final, forYear, changePct *float64) {
	switch target.Kind {
	case Contain:
		v := target.Value
		return &v, &v, nil
	case ReducePct:
		c := -target.Value
		if base == nil {
			return nil, nil, &c
		}
		f := *base * (100 - target.Value) / 100
		share := float64(year-t.BaseYear) / float64(target.DueYear-t.BaseYear)
		share = min(max(share, 0), 1)
		y := *base * (100 - target.Value*share) / 100
		return &f, &y, &c
	}
	return nil, nil, nil
}

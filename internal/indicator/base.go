package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// countKeys are the figures counted from accident records; with the coal
// output they are what a base year is entered as.
var countKeys = []string{KeyAccidents, KeyDeaths, KeyLarger, KeyMajorOrWorse, KeyCoalDeaths}

// BaseInput is a base year's figures for a division or the whole city, as
// entered where the base year has no records. A missing figure is not
// entered (null).
type BaseInput struct {
	RegionCode            string   `json:"region_code"`
	Accidents             *int     `json:"accidents"`
	Deaths                *int     `json:"deaths"`
	LargerAccidents       *int     `json:"larger_accidents"`
	MajorOrWorseAccidents *int     `json:"major_or_worse_accidents"`
	CoalDeaths            *int     `json:"coal_deaths"`
	CoalOutputTonnes      *float64 `json:"coal_output_tonnes"`
	Note                  string   `json:"note"`
}

// Base is an entered base row.
type Base struct {
	BaseInput
	Year       int       `json:"year"`
	RegionName string    `json:"region_name"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// BaseAnswer is the entered base data and whether the base year's records
// take precedence over it.
type BaseAnswer struct {
	Year    int    `json:"year"`
	Items   []Base `json:"items"`
	Records struct {
		Accidents      bool `json:"accidents"`
		CoalProduction bool `json:"coal_production"`
	} `json:"records"`
	Note string `json:"note"`
}

func (b *BaseInput) value(key string) *float64 {
	i := map[string]*int{KeyAccidents: b.Accidents, KeyDeaths: b.Deaths, KeyLarger: b.LargerAccidents,
		KeyMajorOrWorse: b.MajorOrWorseAccidents, KeyCoalDeaths: b.CoalDeaths}
	if key == KeyCoalOutput {
		return b.CoalOutputTonnes
	}
	if v := i[key]; v != nil {
		f := float64(*v)
		return &f
	}
	return nil
}

const baseCols = `region_code, year, accidents, deaths, larger_accidents, major_or_worse_accidents, coal_deaths, coal_output_tonnes, note, updated_at`

// enteredBase answers the entered rows of year by division code.
func (s *Service) enteredBase(ctx context.Context, year int) (map[string]Base, error) {
	rows, err := s.db.Query(ctx, `SELECT `+baseCols+` FROM indicator_base WHERE year = ?`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Base{}
	for rows.Next() {
		var b Base
		if err := rows.Scan(&b.RegionCode, &b.Year, &b.Accidents, &b.Deaths, &b.LargerAccidents, &b.MajorOrWorseAccidents,
			&b.CoalDeaths, &b.CoalOutputTonnes, &b.Note, &b.UpdatedAt); err != nil {
			return nil, err
		}
		b.UpdatedAt = b.UpdatedAt.UTC()
		out[b.RegionCode] = b
	}
	return out, rows.Err()
}

// BaseData answers the entered base data of the regions p sees.
func (s *Service) BaseData(ctx context.Context, p *auth.Principal) (BaseAnswer, error) {
	if err := signedIn(p); err != nil {
		return BaseAnswer{}, err
	}
	t, _, err := s.targets.InForce(ctx)
	if err != nil {
		return BaseAnswer{}, err
	}
	ans := BaseAnswer{Year: t.BaseYear, Items: []Base{}}
	if ans.Records.Accidents, ans.Records.CoalProduction, err = s.acc.RecordsIn(ctx, t.BaseYear); err != nil {
		return ans, err
	}
	ans.Note = fmt.Sprintf("%d figures come from the %d records where any exist in the city (accidents, coal production), else from this entered data", t.BaseYear, t.BaseYear)
	rows, err := s.enteredBase(ctx, t.BaseYear)
	if err != nil {
		return ans, err
	}
	city, divs, err := s.regions(ctx)
	if err != nil {
		return ans, err
	}
	for _, r := range append(divs[:len(divs):len(divs)], city) {
		b, ok := rows[r.Code]
		if ok && (p.AllRegions() || !p.Is(auth.RoleEnterprise) && r.Code != city.Code && p.SeesRegion(r.Code)) {
			b.RegionName = r.Name
			ans.Items = append(ans.Items, b)
		}
	}
	return ans, nil
}

// SetBase enters (replaces) the base year's figures of a division or of the
// whole city (admin and city users).
func (s *Service) SetBase(ctx context.Context, p *auth.Principal, in BaseInput) (Base, error) {
	if err := signedIn(p); err != nil {
		return Base{}, err
	}
	if err := cityEditors(p, "base figures"); err != nil {
		return Base{}, err
	}
	t, _, err := s.targets.InForce(ctx)
	if err != nil {
		return Base{}, err
	}
	city, divs, err := s.regions(ctx)
	if err != nil {
		return Base{}, err
	}
	f := fail.Fields{}
	in.RegionCode, in.Note = strings.TrimSpace(in.RegionCode), strings.TrimSpace(in.Note)
	name := ""
	for _, r := range append(divs, city) {
		if r.Code == in.RegionCode {
			name = r.Name
		}
	}
	if name == "" {
		f.Add("region_code", "must be the city's code or one of its divisions")
	}
	for key, v := range map[string]*int{KeyAccidents: in.Accidents, KeyDeaths: in.Deaths, KeyLarger: in.LargerAccidents,
		KeyMajorOrWorse: in.MajorOrWorseAccidents, KeyCoalDeaths: in.CoalDeaths} {
		if v != nil && *v < 0 {
			f.Add(key, "must be 0 or more")
		}
	}
	if v := in.CoalOutputTonnes; v != nil && (math.IsNaN(*v) || *v < 0) {
		f.Add(KeyCoalOutput, "must be 0 or more tonnes")
	}
	if in.LargerAccidents != nil && in.MajorOrWorseAccidents != nil && in.Accidents != nil && *in.LargerAccidents+*in.MajorOrWorseAccidents > *in.Accidents {
		f.Add(KeyAccidents, "must count the 较大 and 重特大 accidents too")
	}
	if in.CoalDeaths != nil && in.Deaths != nil && *in.CoalDeaths > *in.Deaths {
		f.Add(KeyCoalDeaths, "must not exceed deaths")
	}
	if err := f.Err(); err != nil {
		return Base{}, err
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var prev Base
		err := tx.QueryRow(ctx, `SELECT `+baseCols+` FROM indicator_base WHERE region_code = ? AND year = ?`, in.RegionCode, t.BaseYear).Scan(
			&prev.RegionCode, &prev.Year, &prev.Accidents, &prev.Deaths, &prev.LargerAccidents, &prev.MajorOrWorseAccidents,
			&prev.CoalDeaths, &prev.CoalOutputTonnes, &prev.Note, &prev.UpdatedAt)
		action := "update"
		if errors.Is(err, sql.ErrNoRows) {
			action = "create"
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO indicator_base (`+baseCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (region_code, year) DO UPDATE SET accidents = excluded.accidents, deaths = excluded.deaths,
			larger_accidents = excluded.larger_accidents, major_or_worse_accidents = excluded.major_or_worse_accidents,
			coal_deaths = excluded.coal_deaths, coal_output_tonnes = excluded.coal_output_tonnes, note = excluded.note, updated_at = excluded.updated_at`,
			in.RegionCode, t.BaseYear, in.Accidents, in.Deaths, in.LargerAccidents, in.MajorOrWorseAccidents, in.CoalDeaths, in.CoalOutputTonnes, in.Note, now)
		if err != nil {
			return err
		}
		detail := map[string]any{"year": t.BaseYear, "figures": in}
		if action == "update" {
			detail["previous"] = prev.BaseInput
		}
		id, _ := strconv.ParseInt(in.RegionCode, 10, 64)
		return s.event(ctx, tx, p, "indicator_base", id, action, in.RegionCode, nil, detail, in.Note)
	})
	return Base{BaseInput: in, Year: t.BaseYear, RegionName: name, UpdatedAt: now}, err
}

// baseline is a base year's figures for an area: each value (nil when
// unknown) with where it comes from.
type baseline struct {
	values  map[string]*float64
	sources map[string]string
	notes   map[string]string
}

// Where a base figure comes from.
const (
	SourceRecords = "records"
	SourceEntered = "entered"
	SourceNone    = "none"
)

// baseline resolves the base year's figures of area a: from the base
// year's records when the city holds any (accident records for the counts,
// coal production for the output), else from entered data — the whole
// city's row when a covers the city and it was entered, otherwise the sum
// of its divisions' rows.
func (s *Service) baseline(ctx context.Context, a area, t Targets, byRegion map[string]*accident.Figures) (baseline, error) {
	b := baseline{values: map[string]*float64{}, sources: map[string]string{}, notes: map[string]string{}}
	accRecords, prodRecords, err := s.acc.RecordsIn(ctx, t.BaseYear)
	if err != nil {
		return b, err
	}
	entered, err := s.enteredBase(ctx, t.BaseYear)
	if err != nil {
		return b, err
	}
	recorded := sumFigures(a, byRegion)
	for _, key := range append(countKeys[:len(countKeys):len(countKeys)], KeyCoalOutput) {
		fromRecords := accRecords
		if key == KeyCoalOutput {
			fromRecords = prodRecords
		}
		if fromRecords {
			v := figureValue(recorded, key)
			b.values[key], b.sources[key] = &v, SourceRecords
			continue
		}
		if a.Enterprise {
			b.sources[key] = SourceNone
			b.notes[key] = fmt.Sprintf("no %d records: entered base data is per division, not per enterprise", t.BaseYear)
			continue
		}
		if row, ok := entered[a.Code]; a.Whole && ok && row.value(key) != nil {
			b.values[key], b.sources[key] = row.value(key), SourceEntered
			continue
		}
		var sum float64
		n := 0
		for _, d := range a.Divisions {
			if row, ok := entered[d.Code]; ok && row.value(key) != nil {
				sum += *row.value(key)
				n++
			}
		}
		switch {
		case n == 0:
			b.sources[key] = SourceNone
			b.notes[key] = fmt.Sprintf("no %d base: no %d records and none entered (PUT /api/v1/indicators/base)", t.BaseYear, t.BaseYear)
		default:
			b.values[key], b.sources[key] = &sum, SourceEntered
			if n < len(a.Divisions) {
				b.notes[key] = fmt.Sprintf("entered for %d of %d divisions", n, len(a.Divisions))
			}
		}
	}
	return b, nil
}

// sumFigures adds up the figures of a's divisions (an enterprise's tally
// is scoped already, so every division counts).
func sumFigures(a area, byRegion map[string]*accident.Figures) accident.Figures {
	var sum accident.Figures
	for code, f := range byRegion {
		if a.Enterprise && len(a.Divisions) > 1 || a.has(code) {
			sum.Add(*f)
		}
	}
	return sum
}

// figureValue answers one figure by key.
func figureValue(f accident.Figures, key string) float64 {
	switch key {
	case KeyAccidents:
		return float64(f.Accidents)
	case KeyDeaths:
		return float64(f.Deaths)
	case KeyLarger:
		return float64(f.LargerAccidents)
	case KeyMajorOrWorse:
		return float64(f.MajorOrWorseAccidents)
	case KeyCoalDeaths:
		return float64(f.CoalDeaths)
	case KeyCoalOutput:
		return f.CoalOutputTonnes
	}
	return 0
}

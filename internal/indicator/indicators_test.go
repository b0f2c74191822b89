package indicator_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/indicator"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

// The acceptance contract of GET /api/v1/indicators: 专栏1's figures with
// their base, target and change; years counted in Asia/Shanghai; a rate
// with zero output null with the reason.
func TestIndicatorsContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		// No 2025 records: the base is entered, for the whole city.
		base := map[string]any{"region_code": "150700", "accidents": 10, "deaths": 20, "larger_accidents": 2,
			"major_or_worse_accidents": 0, "coal_deaths": 10, "coal_output_tonnes": 50e6, "note": "2025年统计直报"}
		w.county.Status("PUT", "/api/v1/indicators/base", base, http.StatusForbidden)
		w.city.Status("PUT", "/api/v1/indicators/base", base, http.StatusOK)
		w.city.Status("PUT", "/api/v1/indicators/base", map[string]any{"region_code": "150799", "deaths": -1}, http.StatusUnprocessableEntity)

		w.accident(t, w.coalA.ID, "2026-02-01T10:00:00+08:00", 3, 0)   // 较大, coal
		w.accident(t, w.coalB.ID, "2026-03-01T10:00:00+08:00", 1, 0)   // 一般, coal
		w.accident(t, w.metalA.ID, "2026-04-01T10:00:00+08:00", 0, 10) // 较大 by injuries
		// 2027-01-01 00:30 in Asia/Shanghai, entered once it has happened.
		now := w.env.Clock.Now()
		w.travel(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC))
		w.accident(t, w.coalB.ID, "2026-12-31T16:30:00Z", 1, 0)
		w.travel(now)
		w.production(t, w.coalA.ID, "2026-01", 1e6)
		w.production(t, w.coalB.ID, "2026-02", 1e6)
		w.production(t, w.metalA.ID, "2026-02", 5e5) // not coal

		var set indicator.Set
		w.city.JSON("GET", "/api/v1/indicators?year=2026", nil, http.StatusOK, &set)
		if set.RegionCode != "150700" || !set.PartialYear || set.AsOf != "2026-06-01" || set.BaseYear != 2025 || set.TargetYear != 2030 {
			t.Errorf("set %+v", set)
		}
		check := func(name string, x indicator.Indicator, value, base float64, target *float64, change float64) {
			t.Helper()
			if !near(x.Value, value) || !near(x.Base2025, base) || x.BaseSource != "entered" {
				t.Errorf("%s: value %v base %v (%s)", name, ptrText(x.Value), ptrText(x.Base2025), x.BaseSource)
			}
			if (target == nil) != (x.Target2030 == nil) || target != nil && !near(x.Target2030, *target) {
				t.Errorf("%s: target %v, want %v", name, ptrText(x.Target2030), ptrText(target))
			}
			if !near(x.ChangeVsBasePct, change) {
				t.Errorf("%s: change %v, want %v", name, ptrText(x.ChangeVsBasePct), change)
			}
		}
		check("accidents", set.Accidents, 3, 10, f64(9.4), -70)
		check("deaths", set.Deaths, 4, 20, f64(18.8), -80)
		check("larger", set.LargerAccidents, 2, 2, f64(1.88), 0)
		check("coal deaths", set.CoalDeaths, 4, 10, nil, -60)
		check("coal output", set.CoalOutputTonnes, 2e6, 50e6, nil, -96)
		check("rate", set.MillionTonDeathRate, 2, 0.2, f64(0.19), 900)
		if m := set.MajorOrWorseAccidents; !near(m.Value, 0) || !near(m.Target2030, 0) || m.ChangeVsBasePct != nil || !strings.Contains(m.Note, "base of 0") {
			t.Errorf("重特大 %+v", m)
		}
		if set.Accidents.OnTrack != nil || !strings.Contains(set.Accidents.Note, "year to date") {
			t.Errorf("a running year is not judged: %+v", set.Accidents)
		}
		if set.Accidents.Drill != "/api/v1/accidents?year=2026&region_code=150700" || set.CoalOutputTonnes.Drill != "/api/v1/production?year=2026&coal=true&region_code=150700" {
			t.Errorf("drills %q %q", set.Accidents.Drill, set.CoalOutputTonnes.Drill)
		}
		if len(set.Accidents.Trend) != 2 || set.Accidents.Trend[0].Year != 2025 || !near(set.Accidents.Trend[0].Value, 10) || !set.Accidents.Trend[1].Partial {
			t.Errorf("trend %+v", set.Accidents.Trend)
		}
		if len(set.Divisions) != 14 {
			t.Errorf("%d divisions", len(set.Divisions))
		}
		var chen indicator.Division
		for _, d := range set.Divisions {
			if d.RegionCode == "150725" {
				chen = d
			}
		}
		// A division has no entered base: no change, and the note says why.
		if !near(chen.Accidents.Value, 2) || chen.Accidents.Base2025 != nil || chen.Accidents.ChangeVsBasePct != nil || !strings.Contains(chen.Accidents.Note, "no 2025 base") {
			t.Errorf("陈巴尔虎旗 %+v", chen.Accidents)
		}

		// Years are Asia/Shanghai's; a year without coal output has no rate.
		var y27 indicator.Set
		w.city.JSON("GET", "/api/v1/indicators?year=2027&region_code=150724", nil, http.StatusOK, &y27)
		if !near(y27.Accidents.Value, 1) || !near(y27.CoalDeaths.Value, 1) {
			t.Errorf("2027 鄂温克旗: %v accidents", ptrText(y27.Accidents.Value))
		}
		if y27.MillionTonDeathRate.Value != nil || !strings.Contains(y27.MillionTonDeathRate.Note, "coal output is 0") {
			t.Errorf("rate with zero output: %+v", y27.MillionTonDeathRate)
		}

		// Scope: a county sees its division; another division reads as missing.
		var own indicator.Set
		w.county.JSON("GET", "/api/v1/indicators?year=2026", nil, http.StatusOK, &own)
		if own.RegionCode != "150725" || !near(own.Accidents.Value, 2) || len(own.Divisions) != 0 {
			t.Errorf("county's own: %s %v", own.RegionCode, ptrText(own.Accidents.Value))
		}
		w.county.Status("GET", "/api/v1/indicators?year=2026&region_code=150724", nil, http.StatusNotFound)
		w.county.Status("GET", "/api/v1/indicators?year=2026&region_code=150700", nil, http.StatusNotFound)
		w.county.Status("GET", "/api/v1/indicators?year=1999", nil, http.StatusUnprocessableEntity)
		var ent indicator.Set
		w.entUser.JSON("GET", "/api/v1/indicators?year=2026", nil, http.StatusOK, &ent)
		if !near(ent.Accidents.Value, 1) || ent.Accidents.BaseSource != "none" {
			t.Errorf("enterprise: %v %s", ptrText(ent.Accidents.Value), ent.Accidents.BaseSource)
		}

		// A complete year is judged against its pro-rata target.
		w.travel(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
		var done indicator.Set
		w.city.JSON("GET", "/api/v1/indicators?year=2026", nil, http.StatusOK, &done)
		if done.PartialYear || done.Accidents.OnTrack == nil || !*done.Accidents.OnTrack || !near(done.Accidents.TargetForYear, 9.88) {
			t.Errorf("2026 judged: %+v", done.Accidents)
		}
		if done.LargerAccidents.OnTrack == nil || *done.LargerAccidents.OnTrack {
			t.Errorf("较大 2 against 1.976 must lag: %+v", done.LargerAccidents)
		}

		// Once the base year holds records, they are the base.
		w.accident(t, w.coalB.ID, "2025-06-01T10:00:00+08:00", 10, 0)
		w.city.JSON("GET", "/api/v1/indicators?year=2026", nil, http.StatusOK, &done)
		if m := done.MajorOrWorseAccidents; !near(m.Base2025, 1) || m.BaseSource != "records" || !near(done.Accidents.Base2025, 1) {
			t.Errorf("base from records: %+v", m)
		}
		if done.CoalOutputTonnes.BaseSource != "entered" || !near(done.MillionTonDeathRate.Base2025, 10/50.0) {
			t.Errorf("output base stays entered: %s %v", done.CoalOutputTonnes.BaseSource, ptrText(done.MillionTonDeathRate.Base2025))
		}

		// The table as a workbook.
		book := w.city.Status("GET", "/api/v1/indicators?year=2026&format=xlsx", nil, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		if len(rows) != 1+7*15 || !strings.Contains(rows[1][1], "事故起数") {
			t.Errorf("workbook: %d rows, %q", len(rows), rows[1])
		}
		var bd indicator.BaseAnswer
		w.county.JSON("GET", "/api/v1/indicators/base", nil, http.StatusOK, &bd)
		if len(bd.Items) != 0 || !bd.Records.Accidents || bd.Records.CoalProduction {
			t.Errorf("county's base view %+v", bd)
		}
	})
}

func ptrText(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

package hazard_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"minesafe/internal/app/apptest"
	"minesafe/internal/hazard"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestRiskRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		path := fmt.Sprintf("/api/v1/mines/%d/risks", w.coal.ID)
		risk := func(kv ...any) map[string]any {
			m := map[string]any{"place": "11201 综采工作面", "hazard_type": "gas", "description": "上隅角瓦斯积聚", "method": "ls", "l": 4, "s": 5,
				"measures": "上隅角抽采，设置甲烷传感器", "control_level": "mine", "responsible": "矿长 张某", "review_date": w.day(90)}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		var red hazard.Risk
		w.mineA.JSON("POST", path, risk(), http.StatusCreated, &red)
		if red.Score != 20 || red.Level != "red" || red.RulesVersion != 1 || len(red.Warnings) != 0 {
			t.Fatalf("red risk %+v", red)
		}
		// The level follows the scores; a given level must match, with the reason.
		_, fields := apptest.ErrorOf(w.mineA.Status("POST", path, risk("level", "orange"), http.StatusUnprocessableEntity))
		if !strings.Contains(fields["level"], "the scores give red") || !strings.Contains(fields["level"], "red ≥ 20") {
			t.Fatalf("level mismatch: %v", fields)
		}
		var lec hazard.Risk
		w.mineA.JSON("POST", path, risk("method", "lec", "l", 3, "s", nil, "e", 6, "c", 7, "level", "yellow", "control_level", "post", "hazard_type", "roof"),
			http.StatusCreated, &lec)
		if lec.Score != 126 || lec.Level != "yellow" || lec.S != nil || *lec.E != 6 || len(lec.Warnings) != 1 {
			t.Fatalf("LEC risk %+v", lec)
		}
		_, fields = apptest.ErrorOf(w.mineA.Status("POST", path, risk("method", "lec", "e", 5, "c", 7), http.StatusUnprocessableEntity))
		if fields["s"] == "" || fields["e"] == "" || fields["l"] == "" || fields["c"] != "" {
			t.Fatalf("LEC fields %v", fields)
		}
		_, fields = apptest.ErrorOf(w.mineA.Status("POST", path, risk("control_level", "boss", "place", "", "review_date", "tomorrow"), http.StatusUnprocessableEntity))
		if fields["control_level"] == "" || fields["place"] == "" || fields["review_date"] == "" {
			t.Fatalf("fields %v", fields)
		}
		// Regulators read, the mine writes; other mines read as missing.
		w.county.Status("POST", path, risk(), http.StatusForbidden)
		w.mineB.Status("POST", path, risk(), http.StatusNotFound)
		w.mineB.Status("GET", fmt.Sprintf("/api/v1/risks/%d", red.ID), nil, http.StatusNotFound)
		w.county2.Status("GET", path, nil, http.StatusNotFound)
		var b hazard.Risk
		w.mineB.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/risks", w.coalB.ID), risk("method", "ls", "l", 1, "s", 2, "hazard_type", "slope", "control_level", "post"),
			http.StatusCreated, &b)
		if b.Level != "blue" {
			t.Fatalf("blue risk %+v", b)
		}

		// Changing a factor re-grades; changing the method needs its factors.
		var up hazard.Risk
		w.mineA.JSON("PATCH", fmt.Sprintf("/api/v1/risks/%d", red.ID), map[string]any{"s": 3}, http.StatusOK, &up)
		if up.Score != 12 || up.Level != "orange" {
			t.Fatalf("patched %+v", up)
		}
		_, fields = apptest.ErrorOf(w.mineA.Status("PATCH", fmt.Sprintf("/api/v1/risks/%d", red.ID), map[string]any{"method": "lec"}, http.StatusUnprocessableEntity))
		if fields["e"] == "" || fields["c"] == "" || fields["l"] == "" {
			t.Fatalf("method change fields %v", fields)
		}
		w.county.Status("PATCH", fmt.Sprintf("/api/v1/risks/%d", red.ID), map[string]any{"s": 5}, http.StatusForbidden)

		// The four-colour picture.
		var pic hazard.Picture
		w.city.JSON("GET", "/api/v1/risks/picture", nil, http.StatusOK, &pic)
		if pic.Counts["orange"] != 1 || pic.Counts["yellow"] != 1 || pic.Counts["blue"] != 1 || len(pic.Mines) != 3 || len(pic.Divisions) != 2 {
			t.Fatalf("city picture %+v", pic)
		}
		for _, m := range pic.Mines {
			want := map[int64]string{w.coal.ID: "orange", w.metal.ID: "", w.coalB.ID: "blue"}[m.MineID]
			if m.Level != want {
				t.Errorf("mine %s level %q, want %q", m.Name, m.Level, want)
			}
		}
		for _, d := range pic.Divisions {
			if d.RegionCode == "150725" && (d.Level != "orange" || d.Mines["orange"] != 1 || d.Mines["none"] != 1 || d.Name != "陈巴尔虎旗") {
				t.Errorf("division %+v", d)
			}
		}
		w.county.JSON("GET", "/api/v1/risks/picture", nil, http.StatusOK, &pic)
		if len(pic.Mines) != 2 || pic.Counts["blue"] != 0 {
			t.Fatalf("county picture %+v", pic)
		}
		w.city.JSON("GET", "/api/v1/risks/picture?region_code=150724", nil, http.StatusOK, &pic)
		if len(pic.Mines) != 1 || pic.Counts["blue"] != 1 {
			t.Fatalf("one division %+v", pic)
		}

		// Archive: with a reason, once; then it is off the picture and the list.
		w.mineA.Status("POST", fmt.Sprintf("/api/v1/risks/%d/archive", lec.ID), map[string]any{"reason": " "}, http.StatusUnprocessableEntity)
		w.mineA.Status("POST", fmt.Sprintf("/api/v1/risks/%d/archive", lec.ID), map[string]any{"reason": "工作面回采结束"}, http.StatusOK)
		w.mineA.Status("POST", fmt.Sprintf("/api/v1/risks/%d/archive", lec.ID), map[string]any{"reason": "again"}, http.StatusConflict)
		w.mineA.Status("PATCH", fmt.Sprintf("/api/v1/risks/%d", lec.ID), map[string]any{"s": 1}, http.StatusConflict)
		var list struct {
			Items []hazard.Risk
			Total int
		}
		w.county.JSON("GET", path, nil, http.StatusOK, &list)
		if list.Total != 1 {
			t.Fatalf("active risks %d", list.Total)
		}
		w.county.JSON("GET", path+"?include_archived=true&sort=-score", nil, http.StatusOK, &list)
		if list.Total != 2 || list.Items[0].ID != lec.ID {
			t.Fatalf("with archived %+v", list.Items)
		}
		w.city.JSON("GET", "/api/v1/risks?level=blue", nil, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].ID != b.ID {
			t.Fatalf("blue list %+v", list)
		}
		w.city.Status("GET", "/api/v1/risks?level=purple", nil, http.StatusUnprocessableEntity)
		rows := sheetRows(t, w.city.Status("GET", "/api/v1/risks.xlsx", nil, http.StatusOK))
		if len(rows) != 3 {
			t.Fatalf("export rows %d", len(rows))
		}

		// New bands from the city: risks keep their version until changed.
		var rules hazard.RulesAnswer
		w.county.JSON("GET", "/api/v1/rules/hazards", nil, http.StatusOK, &rules)
		next := rules.Rules
		next.Risk.LS.Orange = 10
		w.county.Status("POST", "/api/v1/rules/hazards", map[string]any{"note": "n", "rules": next}, http.StatusForbidden)
		w.city.Status("POST", "/api/v1/rules/hazards", map[string]any{"rules": next}, http.StatusUnprocessableEntity)
		w.city.JSON("POST", "/api/v1/rules/hazards", map[string]any{"note": "市局 2026 细则", "rules": next}, http.StatusCreated, &rules)
		if rules.Version != 2 || len(rules.History) != 2 {
			t.Fatalf("rules %+v", rules)
		}
		var kept, regraded hazard.Risk
		w.mineB.JSON("GET", fmt.Sprintf("/api/v1/risks/%d", b.ID), nil, http.StatusOK, &kept)
		w.mineB.JSON("PATCH", fmt.Sprintf("/api/v1/risks/%d", b.ID), map[string]any{"l": 5}, http.StatusOK, &regraded)
		if kept.RulesVersion != 1 || regraded.RulesVersion != 2 || regraded.Level != "orange" {
			t.Fatalf("kept v%d, regraded v%d %s", kept.RulesVersion, regraded.RulesVersion, regraded.Level)
		}
	})
}

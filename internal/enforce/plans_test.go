package enforce_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"minesafe/internal/enforce"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestPlansAndDraws(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		pit := w.env.Mine(w.entA, "", "甲露天矿", "150725", registry.KindCoalOpenpit)
		pond := w.env.Mine(w.entA, "", "甲尾矿库", "150725", registry.KindTailingsPond)
		plan := enforce.PlanInput{RegionCode: "150725", Year: 2026, Name: "陈巴尔虎旗2026年度监督检查计划"}
		w.insp.Status("POST", "/api/v1/inspection-plans", plan, http.StatusForbidden)
		w.entUserA.Status("GET", "/api/v1/inspection-plans", nil, http.StatusForbidden)
		w.county2.Status("POST", "/api/v1/inspection-plans", plan, http.StatusForbidden)
		if f := fields(w.county.Status("POST", "/api/v1/inspection-plans", enforce.PlanInput{RegionCode: "150725", Year: 1999}, http.StatusUnprocessableEntity)); f["year"] == "" || f["name"] == "" {
			t.Fatalf("bad plan %v", f)
		}
		bad := plan
		bad.Items = []enforce.PlanItemInput{{MineID: w.mineB.ID}, {MineID: pit.ID, RiskClass: "extreme"}}
		if f := fields(w.county.Status("POST", "/api/v1/inspection-plans", bad, http.StatusUnprocessableEntity)); f["items[0].mine_id"] == "" || f["items[1].risk_class"] == "" {
			t.Fatalf("bad items %v", f)
		}
		var pl enforce.Plan
		w.county.JSON("POST", "/api/v1/inspection-plans", plan, http.StatusCreated, &pl)
		classes := map[int64]enforce.PlanItem{}
		for _, it := range pl.Items {
			classes[it.MineID] = it
		}
		if len(pl.Items) != 3 || classes[w.mineA.ID].RiskClass != "high" || classes[w.mineA.ID].PerYear != 6 ||
			classes[pit.ID].RiskClass != "medium" || classes[pit.ID].PerYear != 4 || classes[pond.ID].RiskSource == "given" {
			t.Fatalf("plan items %+v", pl.Items)
		}
		given := plan
		given.Items = []enforce.PlanItemInput{{MineID: w.mineA.ID, RiskClass: "major"}}
		var pl2 enforce.Plan
		w.county.JSON("POST", "/api/v1/inspection-plans", given, http.StatusCreated, &pl2)
		if pl2.Items[0].RiskClass != "major" || pl2.Items[0].RiskSource != "given" || pl2.Items[0].PerYear != 12 {
			t.Fatalf("given class %+v", pl2.Items)
		}
		w.county2.Status("GET", fmt.Sprintf("/api/v1/inspection-plans/%d", pl.ID), nil, http.StatusNotFound)
		var list struct{ Total int }
		w.observer.JSON("GET", "/api/v1/inspection-plans?year=2026", nil, http.StatusOK, &list)
		if list.Total != 2 {
			t.Fatalf("plans %d", list.Total)
		}

		// The random draw, and anyone drawing again.
		draw := fmt.Sprintf("/api/v1/inspection-plans/%d/draw", pl.ID)
		w.insp.Status("POST", draw, map[string]any{"count": 1}, http.StatusForbidden)
		for _, n := range []int{0, 4} {
			if f := fields(w.county.Status("POST", draw, map[string]any{"count": n}, http.StatusUnprocessableEntity)); f["count"] == "" {
				t.Fatalf("count %d: %v", n, f)
			}
		}
		pool := []enforce.Inspector{{Name: "王明", CertificateNo: "15070001"}, {Name: "李强", CertificateNo: "15070002"}, {Name: "赵亮", CertificateNo: "15070003"}}
		var d enforce.Draw
		w.county.JSON("POST", draw, map[string]any{"count": 2, "seed": "20260601-第一批", "inspectors": pool}, http.StatusCreated, &d)
		if len(d.Selected) != 2 || len(d.Selected[0].Inspectors) != 2 || d.Algorithm != enforce.DrawAlgorithm || len(d.Candidates) != 3 ||
			d.CandidateHash != enforce.CandidateHash(d.Candidates) {
			t.Fatalf("draw %+v", d)
		}
		want, _ := json.Marshal(enforce.DrawMines("20260601-第一批", d.Candidates, 2, pool, 2))
		got, _ := json.Marshal(d.Selected)
		if string(want) != string(got) {
			t.Fatalf("the draw is not the algorithm's: %s vs %s", got, want)
		}
		var again enforce.Draw
		w.city.JSON("POST", draw, map[string]any{"count": 1}, http.StatusCreated, &again)
		if len(again.Seed) != 32 {
			t.Fatalf("generated seed %q", again.Seed)
		}
		var check enforce.DrawCheck
		w.observer.JSON("GET", fmt.Sprintf("/api/v1/inspection-plans/%d/draws/%d/verify", pl.ID, d.ID), nil, http.StatusOK, &check)
		if !check.OK || !check.CandidatesUnchanged || check.RecomputedHash != d.CandidateHash {
			t.Fatalf("verify %+v", check)
		}
		w.county.Status("GET", fmt.Sprintf("/api/v1/inspection-plans/%d/draws/%d/verify", pl2.ID, d.ID), nil, http.StatusNotFound)

		// An inspection in the plan counts toward its mine's frequency.
		in := enforce.InspectionInput{MineID: w.mineA.ID, Date: today, Inspectors: twoInspectors, Checklist: w.checklist(t, w.mineA.Kind), PlanID: &pl.ID}
		var insp enforce.Inspection
		w.insp.JSON("POST", "/api/v1/inspections", in, http.StatusCreated, &insp)
		w.insp.Status("POST", fmt.Sprintf("/api/v1/inspections/%d/submit", insp.ID), nil, http.StatusOK)
		in.MineID = w.mineB.ID
		w.admin.Status("POST", "/api/v1/inspections", in, http.StatusUnprocessableEntity) // mine B is not in the plan
		w.county.JSON("GET", fmt.Sprintf("/api/v1/inspection-plans/%d", pl.ID), nil, http.StatusOK, &pl)
		for _, it := range pl.Items {
			if done := map[bool]int{true: 1, false: 0}[it.MineID == w.mineA.ID]; it.Done != done {
				t.Fatalf("done %+v", it)
			}
		}
		if len(pl.Draws) != 2 {
			t.Fatalf("draws %d", len(pl.Draws))
		}
	})
}

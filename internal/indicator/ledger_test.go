package indicator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/indicator"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

type taskList struct {
	Items []indicator.Task
	Total int
}

func (w *world) task(t *testing.T, c interface {
	JSON(string, string, any, int, any)
}, code string) indicator.Task {
	t.Helper()
	var l taskList
	c.JSON("GET", "/api/v1/ledger/tasks", nil, http.StatusOK, &l)
	for _, x := range l.Items {
		if x.Code == code {
			var full indicator.Task
			c.JSON("GET", fmt.Sprintf("/api/v1/ledger/tasks/%d", x.ID), nil, http.StatusOK, &full)
			return full
		}
	}
	t.Fatalf("no task %s", code)
	return indicator.Task{}
}

func itemOf(t *testing.T, ml indicator.MineLedger, code string) indicator.Item {
	t.Helper()
	for _, it := range ml.Items {
		if it.TaskCode == code {
			return it
		}
	}
	t.Fatalf("mine %s owes no %s: %+v", ml.MineName, code, ml.Items)
	return indicator.Item{}
}

func TestLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		var l taskList
		w.observer.JSON("GET", "/api/v1/ledger/tasks", nil, http.StatusOK, &l)
		if l.Total != len(indicator.DefaultTasks()) {
			t.Fatalf("%d tasks seeded, want %d", l.Total, len(indicator.DefaultTasks()))
		}
		for _, x := range l.Items {
			if x.PlanText == "" || x.PlanRef == "" {
				t.Errorf("task %s without the plan's wording", x.Code)
			}
		}

		// The hoist task waits for the metal mine's hoist type.
		hoist := w.task(t, w.city, "hoist-single-rope-2026")
		if hoist.Summary.Items != 0 || hoist.Summary.Undetermined != 1 || hoist.Undetermined[0].MineID != w.metalA.ID {
			t.Errorf("hoist before facts: %+v %+v", hoist.Summary, hoist.Undetermined)
		}
		// Named mines: 宝日希勒 binds the slope task, the other coal mine does not.
		slope := w.task(t, w.city, "slope-displacement-2027")
		if slope.Summary.Items != 1 || slope.Items[0].MineID == nil || *slope.Items[0].MineID != w.openpit.ID {
			t.Errorf("slope task binds %+v", slope.Items)
		}

		// Plan facts: the mine's enterprise and regulators in scope keep them.
		facts := map[string]any{"hoist_type": "single_rope", "remote": true, "power_circuits": 1, "backup_power_hours": 2}
		path := fmt.Sprintf("/api/v1/mines/%d/plan-facts", w.metalA.ID)
		w.entUser.Status("PUT", fmt.Sprintf("/api/v1/mines/%d/plan-facts", w.coalB.ID), facts, http.StatusNotFound)
		w.observer.Status("PUT", path, facts, http.StatusForbidden)
		w.countB.Status("PUT", path, facts, http.StatusNotFound)
		w.admin.Status("PUT", path, map[string]any{"hoist_type": "rope", "power_circuits": -1}, http.StatusUnprocessableEntity)
		var pf indicator.PlanFacts
		w.entUser.JSON("PUT", path, facts, http.StatusOK, &pf)
		if pf.HoistType != "single_rope" || strings.Join(pf.Missing, ",") != "high_risk,size_class" {
			t.Errorf("facts %+v", pf)
		}
		w.entUser.Status("PUT", path, "{", http.StatusBadRequest)
		w.observer.Status("PUT", path, "{", http.StatusForbidden)
		w.county.JSON("GET", path, nil, http.StatusOK, &pf)
		if pf.PowerCircuits == nil || *pf.PowerCircuits != 1 {
			t.Errorf("read back %+v", pf)
		}

		// What the metal mine now owes, and by when.
		var ml indicator.MineLedger
		w.entUser.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/ledger", w.metalA.ID), nil, http.StatusOK, &ml)
		for _, code := range []string{"hoist-single-rope-2026", "support-assessment-2028", "goaf-classification-2029", "dual-circuit-power-2030",
			"backup-power-remote-2030", "hidden-factor-census", "insurance-2028"} {
			itemOf(t, ml, code)
		}
		if ml.Owed != len(ml.Items) || ml.NextDeadline != "2026-12-31" || ml.Overdue != 0 {
			t.Errorf("owed %d of %d, next %s", ml.Owed, len(ml.Items), ml.NextDeadline)
		}
		w.countB.Status("GET", fmt.Sprintf("/api/v1/mines/%d/ledger", w.metalA.ID), nil, http.StatusNotFound)

		// The loop: done with evidence by the enterprise, verified by a regulator.
		hoistItem := itemOf(t, ml, "hoist-single-rope-2026")
		if strings.Join(hoistItem.Actions, ",") != "done" {
			t.Errorf("enterprise actions %v", hoistItem.Actions)
		}
		step := func(c interface {
			Status(string, string, any, int) []byte
		}, id int64, action string, body any, want int) {
			t.Helper()
			c.Status("POST", fmt.Sprintf("/api/v1/ledger/items/%d/%s", id, action), body, want)
		}
		step(w.countB, hoistItem.ID, "done", map[string]string{"evidence": "x"}, http.StatusNotFound)
		step(w.entUser, hoistItem.ID, "done", map[string]string{}, http.StatusUnprocessableEntity)
		step(w.entUser, hoistItem.ID, "done", map[string]string{"evidence": "2026-09 改造为多绳摩擦式，验收报告 No.12"}, http.StatusOK)
		step(w.entUser, hoistItem.ID, "verify", nil, http.StatusForbidden)
		step(w.county, hoistItem.ID, "return", map[string]string{}, http.StatusUnprocessableEntity)
		step(w.county, hoistItem.ID, "verify", nil, http.StatusOK)
		step(w.county, hoistItem.ID, "return", map[string]string{"reason": "x"}, http.StatusConflict)
		supportItem := itemOf(t, ml, "support-assessment-2028")
		step(w.entUser, supportItem.ID, "done", map[string]string{"evidence": "评估报告"}, http.StatusOK)
		step(w.county, supportItem.ID, "return", map[string]string{"reason": "评估报告未盖章"}, http.StatusOK)
		var trail struct {
			Items []struct {
				Action  string
				ToState string `json:"to_state"`
			} `json:"items"`
		}
		w.county.JSON("GET", fmt.Sprintf("/api/v1/ledger/items/%d/trail", supportItem.ID), nil, http.StatusOK, &trail)
		if n := len(trail.Items); n != 3 || trail.Items[0].Action != "create" || trail.Items[2].ToState != "pending" {
			t.Errorf("trail %+v", trail.Items)
		}
		hoist = w.task(t, w.city, "hoist-single-rope-2026")
		if hoist.Summary.Items != 1 || hoist.Summary.Verified != 1 || !near(hoist.Summary.CompletionPct, 100) || len(hoist.Divisions) != 1 {
			t.Errorf("hoist after: %+v %+v", hoist.Summary, hoist.Divisions)
		}

		// Ownership, size and high-risk: OR-ed clauses over the SOE's mines.
		out := w.task(t, w.city, "outsourcing-soe-2027")
		if out.Summary.Items != 0 {
			t.Errorf("outsourcing binds before any mine is outsourced: %+v", out.Summary)
		}
		yes := true
		if _, err := w.env.App.Registry.UpdateMine(ctx, auth.System, w.coalA.ID, registry.MinePatch{Outsourced: &yes}); err != nil {
			t.Fatal(err)
		}
		out = w.task(t, w.city, "outsourcing-soe-2027")
		if out.Summary.Items != 0 || out.Summary.Undetermined != 1 {
			t.Errorf("outsourced SOE mine without size or risk: %+v", out.Summary)
		}
		w.county.Status("PUT", fmt.Sprintf("/api/v1/mines/%d/plan-facts", w.coalA.ID), map[string]any{"size_class": "medium", "high_risk": true}, http.StatusOK)
		out = w.task(t, w.city, "outsourcing-soe-2027")
		if out.Summary.Items != 1 || out.Summary.Undetermined != 0 {
			t.Errorf("high-risk SOE mine: %+v", out.Summary)
		}

		// Division and city tasks: the county sees its division's item only.
		equip := w.task(t, w.city, "enforcement-equipment-2027")
		if equip.Summary.Items != 14 || len(equip.Divisions) != 14 {
			t.Errorf("division task: %+v", equip.Summary)
		}
		equip = w.task(t, w.county, "enforcement-equipment-2027")
		if equip.Summary.Items != 1 || equip.Items[0].RegionCode != "150725" {
			t.Errorf("county's division task: %+v", equip.Summary)
		}
		var items struct{ Items []indicator.Item }
		cityTask := w.task(t, w.city, "one-map-platform-2028")
		w.county.JSON("GET", fmt.Sprintf("/api/v1/ledger/items?task_id=%d", cityTask.ID), nil, http.StatusOK, &items)
		if len(items.Items) != 0 {
			t.Errorf("county sees the city's item: %+v", items.Items)
		}
		step(w.county, cityTask.Items[0].ID, "done", map[string]string{"evidence": "x"}, http.StatusNotFound)
		step(w.city, cityTask.Items[0].ID, "done", map[string]string{"evidence": "平台上线"}, http.StatusOK)

		// Task definitions: admin and city; manual additions and exclusions.
		def := map[string]any{"code": "test-task", "title": "测试任务", "level": "mine", "deadline": "2026-12-31",
			"binding": map[string]any{"clauses": []map[string]any{{"kinds": []string{"coal_underground"}, "regions": []string{"150725"}}}, "include_mine_ids": []int64{w.coalB.ID}}}
		w.county.Status("POST", "/api/v1/ledger/tasks", def, http.StatusForbidden)
		w.city.Status("POST", "/api/v1/ledger/tasks", map[string]any{"code": "bad", "title": "x", "level": "mine", "deadline": "2026-13-01",
			"binding": map[string]any{"clauses": []map[string]any{{"kinds": []string{"gold"}}}}}, http.StatusUnprocessableEntity)
		var tk indicator.Task
		w.city.JSON("POST", "/api/v1/ledger/tasks", def, http.StatusCreated, &tk)
		if tk.Summary.Items != 2 {
			t.Errorf("new task binds %d", tk.Summary.Items)
		}
		w.city.Status("POST", "/api/v1/ledger/tasks", def, http.StatusUnprocessableEntity) // the code exists
		w.city.JSON("PATCH", fmt.Sprintf("/api/v1/ledger/tasks/%d", tk.ID), map[string]any{"binding": map[string]any{
			"clauses": []map[string]any{{"kinds": []string{"coal_underground"}, "regions": []string{"150725"}}}, "exclude_mine_ids": []int64{w.coalA.ID}}}, http.StatusOK, &tk)
		if tk.Summary.Items != 0 {
			t.Errorf("after exclusion: %+v", tk.Summary)
		}
		// A retired task's items leave the ledger; their loop is over.
		centre := w.task(t, w.city, "command-center-2027")
		archive := fmt.Sprintf("/api/v1/ledger/tasks/%d/archive", centre.ID)
		w.county.Status("POST", archive, map[string]string{"reason": "x"}, http.StatusForbidden)
		w.city.Status("POST", archive, map[string]string{}, http.StatusUnprocessableEntity)
		w.city.Status("POST", archive, map[string]string{"reason": "并入一张图平台建设"}, http.StatusOK)
		w.city.Status("POST", archive, map[string]string{"reason": "again"}, http.StatusConflict)
		step(w.city, centre.Items[0].ID, "done", map[string]string{"evidence": "x"}, http.StatusNotFound)
		w.city.Status("GET", fmt.Sprintf("/api/v1/ledger/items/%d/trail", centre.Items[0].ID), nil, http.StatusOK)

		// Overdue after the deadline; a regulator raises a hazard for it.
		w.travel(time.Date(2027, 1, 2, 2, 0, 0, 0, time.UTC))
		w.entUser.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/ledger", w.metalA.ID), nil, http.StatusOK, &ml)
		census := ml.Items[0]
		for _, it := range ml.Items {
			if it.TaskCode == "hidden-factor-census" && it.Period == 2026 {
				census = it
			}
		}
		if !census.Overdue || census.Deadline != "2026-12-31" || ml.Overdue != 1 {
			t.Errorf("census 2026: %+v (overdue %d)", census, ml.Overdue)
		}
		for _, it := range ml.Items {
			if it.TaskCode == "hidden-factor-census" && it.Period == 2027 && (it.Overdue || it.Deadline != "2027-12-31") {
				t.Errorf("census 2027 %+v", it)
			}
		}
		county := &auth.Principal{Username: "chenqi", Role: auth.RoleCounty, Regions: []string{"150725"}}
		if _, err := w.ind.RaiseHazard(ctx, &auth.Principal{Role: auth.RoleEnterprise, EnterpriseID: &w.priv.ID}, census.ID, indicator.RaiseInput{}); err == nil {
			t.Error("an enterprise raised a hazard")
		}
		dual := itemOf(t, ml, "dual-circuit-power-2030")
		if _, err := w.ind.RaiseHazard(ctx, county, dual.ID, indicator.RaiseInput{}); err == nil || !strings.Contains(err.Error(), "not overdue") {
			t.Errorf("raise for an item not overdue: %v", err)
		}
		it, err := w.ind.RaiseHazard(ctx, county, census.ID, indicator.RaiseInput{Note: "督促整改"})
		if err != nil {
			t.Fatal(err)
		}
		if it.HazardID == nil || *it.HazardID != 101 || len(w.raised) != 1 || !strings.HasPrefix(w.raised[0], fmt.Sprintf("%d|2027-02-01|规划任务逾期未完成", w.metalA.ID)) {
			t.Errorf("raised %v, item %+v", w.raised, it)
		}
		if _, err := w.ind.RaiseHazard(ctx, county, census.ID, indicator.RaiseInput{}); err == nil {
			t.Error("raised twice")
		}
		var overdue struct{ Items []indicator.Item }
		w.city.JSON("GET", "/api/v1/ledger/items?overdue=true&region_code=150725", nil, http.StatusOK, &overdue)
		if len(overdue.Items) == 0 {
			t.Error("no overdue items listed")
		}
		book := w.city.Status("GET", "/api/v1/ledger/items?format=xlsx", nil, http.StatusOK)
		if len(book) < 100 {
			t.Error("no workbook")
		}
	})
}

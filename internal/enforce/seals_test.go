package enforce_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/app/apptest"
	"minesafe/internal/enforce"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

// gateway is a mine's ingest door with its points.
type gateway struct {
	w    *world
	mine registry.Mine
	gw   *apptest.Client
}

func (w *world) gateway(t *testing.T, m registry.Mine, points ...telemetry.PointFields) *gateway {
	t.Helper()
	for _, p := range points {
		if p.PeriodS == 0 {
			p.PeriodS = 86400 // event-driven: no interruption alarms
		}
		w.admin.Status("POST", fmt.Sprintf("/api/v1/mines/%d/points", m.ID), p, http.StatusCreated)
	}
	var tok struct{ Token string }
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/ingest-tokens", m.ID), map[string]string{}, http.StatusCreated, &tok)
	return &gateway{w: w, mine: m, gw: w.env.WithToken(tok.Token)}
}

type reading struct {
	point string
	at    time.Time
	value float64
}

func (g *gateway) send(t *testing.T, rs ...reading) {
	t.Helper()
	var ss []map[string]any
	for _, r := range rs {
		ss = append(ss, map[string]any{"point": r.point, "time": r.at.Format(time.RFC3339), "value": r.value})
	}
	var ans telemetry.Result
	g.gw.JSON("POST", "/api/v1/ingest/samples", map[string]any{"mine": g.mine.Code, "samples": ss}, http.StatusOK, &ans)
	if ans.Accepted != len(rs) {
		t.Fatalf("accepted %d of %d: %+v", ans.Accepted, len(rs), ans.Rejected)
	}
}

func (w *world) sealAlarms(t *testing.T, mineID int64, rule string) []alarm.Alarm {
	t.Helper()
	var list struct{ Items []alarm.Alarm }
	w.admin.JSON("GET", fmt.Sprintf("/api/v1/alarms?kind=seal&mine_id=%d&sort=id", mineID), nil, http.StatusOK, &list)
	var out []alarm.Alarm
	for _, a := range list.Items {
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}

// waitAlarms waits until the mine has n seal alarms of rule, answering them.
func (w *world) waitAlarms(t *testing.T, mineID int64, rule string, n int) []alarm.Alarm {
	t.Helper()
	var got []alarm.Alarm
	waitFor(t, fmt.Sprintf("%d %s alarms", n, rule), func() bool {
		got = w.sealAlarms(t, mineID, rule)
		return len(got) == n
	})
	return got
}

// halt submits an inspection of m with a violation and halts the mine.
func (w *world) halt(t *testing.T, m registry.Mine) enforce.Decision {
	t.Helper()
	var insp enforce.Inspection
	w.insp.JSON("POST", "/api/v1/inspections", enforce.InspectionInput{MineID: m.ID, Date: today, Inspectors: twoInspectors,
		Checklist: w.checklist(t, m.Kind), Findings: []enforce.FindingInput{{Description: "超能力组织生产", ViolationType: "over_capacity"}}}, http.StatusCreated, &insp)
	w.insp.Status("POST", fmt.Sprintf("/api/v1/inspections/%d/submit", insp.ID), nil, http.StatusOK)
	return w.decide(t, w.county, insp.ID, enforce.DecisionInput{Kind: "halt"}, http.StatusCreated)
}

func TestSealWatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		m := w.env.Mine(w.entA, "", "甲二矿", "150725", registry.KindMetalUnderground)
		g := w.gateway(t, m,
			telemetry.PointFields{Code: "SEAL-01", SensorType: "seal_event", Location: "主斜井井口", OpenText: "人员通过"},
			telemetry.PointFields{Code: "SEAL-02", SensorType: "seal_event", Location: "副井口", OpenText: "车辆通过"},
			telemetry.PointFields{Code: "PWR-01", SensorType: "power", Location: "矿区总降压变电所", PeriodS: 60})
		clk := w.env.Clock
		// A producing mine's seal events are nobody's business.
		g.send(t, reading{"SEAL-01", clk.Now(), 1})
		halt := w.halt(t, m)

		clk.Advance(time.Minute)
		t1 := clk.Now()
		g.send(t, reading{"SEAL-01", t1, 1})
		a1 := w.waitAlarms(t, m.ID, enforce.SealRuleEvent, 1)[0]
		if a1.Level != "red" || a1.State != "open" || !a1.StartedAt.Equal(t1) || !strings.Contains(a1.Message, "主斜井井口") ||
			!strings.Contains(a1.Message, "人员通过") || !strings.Contains(a1.Message, "停产整顿") {
			t.Fatalf("seal alarm %+v", a1)
		}
		// The same seal again keeps its alarm; the other seal is a barrier:
		// batches are judged in order.
		clk.Advance(time.Minute)
		g.send(t, reading{"SEAL-01", clk.Now(), 1})
		g.send(t, reading{"SEAL-02", clk.Now(), 1})
		alarms := w.waitAlarms(t, m.ID, enforce.SealRuleEvent, 2)
		if alarms[0].ID != a1.ID || !strings.Contains(alarms[1].Message, "车辆通过") {
			t.Fatalf("alarms %+v", alarms)
		}
		last := clk.Now()
		w.svc.SealTick(ctx, last.Add(30*time.Minute))
		if got := w.sealAlarms(t, m.ID, enforce.SealRuleEvent); got[0].ClearedAt != nil || got[1].ClearedAt != nil {
			t.Fatal("cleared before the quiet hour")
		}
		w.svc.SealTick(ctx, last.Add(61*time.Minute))
		for _, a := range w.sealAlarms(t, m.ID, enforce.SealRuleEvent) {
			if a.ClearedAt == nil {
				t.Fatalf("not cleared after a quiet hour: %+v", a)
			}
		}
		// Checked on site through the alarm loop.
		path := func(step string) string { return fmt.Sprintf("/api/v1/alarms/%d/%s", a1.ID, step) }
		w.entUserA.Status("POST", path("acknowledge"), nil, http.StatusOK)
		w.entUserA.Status("POST", path("dispose"), map[string]string{"cause": "值班人员巡检通过封条", "measures": "登记巡检人员，封条复位"}, http.StatusOK)
		w.insp.Status("POST", path("verify"), nil, http.StatusOK)
		w.county.Status("POST", path("close"), nil, http.StatusOK)

		// Power above the declared baseline (100 kW, +20 %) for the hold time (10 min).
		w.entUserA.Status("PUT", fmt.Sprintf("/api/v1/mines/%d/power-baseline", m.ID), map[string]any{"kw": 100}, http.StatusForbidden)
		if f := fields(w.county.Status("PUT", fmt.Sprintf("/api/v1/mines/%d/power-baseline", m.ID), map[string]any{"kw": -1}, http.StatusUnprocessableEntity)); f["kw"] == "" {
			t.Fatalf("negative kW %v", f)
		}
		var b enforce.PowerBaseline
		w.county.JSON("PUT", fmt.Sprintf("/api/v1/mines/%d/power-baseline", m.ID), map[string]any{"kw": 100, "note": "通风机、排水泵"}, http.StatusOK, &b)
		if b.Source != "declared" || !b.Sealed || len(b.Points) != 1 || *b.Points[0].LimitKW != 120 {
			t.Fatalf("baseline %+v", b)
		}
		clk.Advance(time.Minute)
		t0 := clk.Now()
		g.send(t, reading{"PWR-01", t0.Add(-time.Minute), 118}, reading{"PWR-01", t0, 150})
		clk.Advance(6 * time.Minute)
		g.send(t, reading{"PWR-01", clk.Now(), 150})
		g.send(t, reading{"SEAL-02", clk.Now(), 1})
		w.waitAlarms(t, m.ID, enforce.SealRuleEvent, 3)
		if got := w.sealAlarms(t, m.ID, enforce.SealRulePower); len(got) != 0 {
			t.Fatalf("opened before the hold time (10 min): %+v", got)
		}
		clk.Advance(5 * time.Minute)
		g.send(t, reading{"PWR-01", clk.Now(), 160})
		pa := w.waitAlarms(t, m.ID, enforce.SealRulePower, 1)[0]
		if !pa.StartedAt.Equal(t0) || pa.Level != "red" || !strings.Contains(pa.Message, "160.0 kW") {
			t.Fatalf("power alarm %+v", pa)
		}
		clk.Advance(time.Minute)
		g.send(t, reading{"PWR-01", clk.Now(), 112}) // below the limit, above the clearing level
		g.send(t, reading{"PWR-01", clk.Now().Add(time.Second), 105})
		waitFor(t, "the power alarm cleared", func() bool { return w.sealAlarms(t, m.ID, enforce.SealRulePower)[0].ClearedAt != nil })

		// Lifted, the mine is no longer sealed: its open seal alarm clears on
		// its next reading and nothing new opens.
		w.step(t, w.county, halt.ID, "lift", map[string]string{"reason": "整顿合格"}, http.StatusOK)
		clk.Advance(time.Minute)
		g.send(t, reading{"PWR-01", clk.Now(), 500}, reading{"SEAL-01", clk.Now(), 1})
		waitFor(t, "seal alarms cleared", func() bool {
			for _, a := range w.sealAlarms(t, m.ID, enforce.SealRuleEvent) {
				if a.ClearedAt == nil {
					return false
				}
			}
			return true
		})
		if n := len(w.sealAlarms(t, m.ID, enforce.SealRulePower)); n != 1 {
			t.Fatalf("%d power alarms after lifting", n)
		}
	})
}

// Without a declared baseline, a sealed mine's power is compared with the
// median of its hourly means over the last 7 days.
func TestSealPowerMedian(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		m := w.env.Mine(w.entA, "", "甲三矿", "150725", registry.KindMetalOpenpit)
		closed := "closed"
		w.admin.Status("PATCH", fmt.Sprintf("/api/v1/mines/%d", m.ID), registry.MinePatch{Status: &closed}, http.StatusOK)
		g := w.gateway(t, m, telemetry.PointFields{Code: "PWR-01", SensorType: "power", Location: "总降", PeriodS: 3600},
			telemetry.PointFields{Code: "SEAL-01", SensorType: "seal_event", Location: "坑口"})
		clk := w.env.Clock
		var history []reading
		for h := 30; h >= 1; h-- {
			v := 50.0
			if h%3 == 0 {
				v = 40 // a third of the hours lower: the median stays 50
			}
			history = append(history, reading{"PWR-01", clk.Now().Add(-time.Duration(h) * time.Hour), v})
		}
		g.send(t, history...)
		g.send(t, reading{"PWR-01", clk.Now(), 80})
		clk.Advance(10 * time.Minute)
		g.send(t, reading{"PWR-01", clk.Now(), 80})
		a := w.waitAlarms(t, m.ID, enforce.SealRulePower, 1)[0]
		if !strings.Contains(a.Message, "基线 50.0 kW（median_7d）") || !strings.Contains(a.Message, "关闭") {
			t.Fatalf("alarm %+v", a)
		}
		var b enforce.PowerBaseline
		w.entUserA.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/power-baseline", m.ID), nil, http.StatusOK, &b)
		if b.Source != "median_7d" || b.KW != nil || *b.Points[0].BaselineKW != 50 || *b.Points[0].LimitKW != 60 {
			t.Fatalf("baseline %+v", b)
		}
		w.entUserB.Status("GET", fmt.Sprintf("/api/v1/mines/%d/power-baseline", m.ID), nil, http.StatusNotFound)
	})
}

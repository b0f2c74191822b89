package alarm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/registry"
	"minesafe/internal/rules"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

const codeA = "150725100001"

type world struct {
	env        *apptest.Env
	admin      *apptest.Client
	entA, entB registry.Enterprise
	mineA      registry.Mine
	ch4        telemetry.Point
	gw         *apptest.Client
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{env: env}
	w.entA = env.Enterprise("甲煤业", "150725", 1)
	w.entB = env.Enterprise("乙煤业", "150724", 2)
	w.mineA = env.Mine(w.entA, codeA, "甲一矿", "150725", registry.KindCoalUnderground)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), map[string]any{
		"code": codeA + "01MN000100000001", "location": "11201采煤工作面", "location_class": "coal_face"}, http.StatusCreated, &w.ch4)
	var tok struct{ Token string }
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/ingest-tokens", w.mineA.ID), map[string]string{}, http.StatusCreated, &tok)
	w.gw = env.WithToken(tok.Token)
	return w
}

// send posts methane readings at 10 s steps ending at the clock's now.
func (w *world) send(t *testing.T, vals ...float64) {
	t.Helper()
	now := w.env.Clock.Now()
	var ss []map[string]any
	for i, v := range vals {
		at := now.Add(time.Duration(i-len(vals)+1) * 10 * time.Second)
		ss = append(ss, map[string]any{"point": w.ch4.Code, "time": at.Format(time.RFC3339), "value": v})
	}
	var ans telemetry.Result
	w.gw.JSON("POST", "/api/v1/ingest/samples", map[string]any{"mine": codeA, "samples": ss}, http.StatusOK, &ans)
	if ans.Accepted != len(vals) {
		t.Fatalf("accepted %d of %d: %+v", ans.Accepted, len(vals), ans.Rejected)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *world) alarms(t *testing.T, c *apptest.Client, query string) []alarm.Alarm {
	t.Helper()
	var list struct {
		Items []alarm.Alarm
		Total int
	}
	c.JSON("GET", "/api/v1/alarms?"+query, nil, http.StatusOK, &list)
	return list.Items
}

func TestLoopEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		insp := w.env.As("insp", auth.RoleInspector, []string{"150725"}, nil)
		mine := w.env.As("mineA", auth.RoleEnterprise, nil, &w.entA.ID)
		other := w.env.As("mineB", auth.RoleEnterprise, nil, &w.entB.ID)

		w.send(t, 0.3, 1.2)
		var a alarm.Alarm
		waitFor(t, "an orange alarm", func() bool {
			l := w.alarms(t, county, fmt.Sprintf("mine_id=%d", w.mineA.ID))
			if len(l) == 1 {
				a = l[0]
			}
			return len(l) == 1
		})
		if a.Level != "orange" || a.CurrentLevel != "orange" || a.State != "open" || a.PointID == nil || *a.PointID != w.ch4.ID || *a.PeakValue != 1.2 {
			t.Fatalf("alarm %+v", a)
		}
		w.env.Clock.Advance(20 * time.Second)
		w.send(t, 1.7)
		waitFor(t, "red", func() bool {
			return len(w.alarms(t, county, "level=red")) == 1
		})
		w.env.Clock.Advance(20 * time.Second)
		w.send(t, 0.4)
		waitFor(t, "cleared", func() bool { return len(w.alarms(t, county, "cleared=true")) == 1 })
		got := w.alarms(t, county, "")[0]
		if got.Level != "red" || got.CurrentLevel != "red" || *got.PeakValue != 1.7 || got.ID != a.ID {
			t.Fatalf("after clearing %+v", got)
		}
		path := func(step string) string { return fmt.Sprintf("/api/v1/alarms/%d/%s", a.ID, step) }
		other.Status("GET", fmt.Sprintf("/api/v1/alarms/%d", a.ID), nil, http.StatusNotFound)
		other.Status("POST", path("acknowledge"), nil, http.StatusNotFound)
		county.Status("POST", path("acknowledge"), nil, http.StatusForbidden)
		mine.Status("POST", path("verify"), nil, http.StatusForbidden)
		insp.Status("POST", path("close"), nil, http.StatusForbidden)
		county.Status("POST", path("close"), nil, http.StatusConflict)
		mine.Status("POST", path("acknowledge"), nil, http.StatusOK)
		mine.Status("POST", path("acknowledge"), nil, http.StatusConflict)
		_, fields := apptest.ErrorOf(mine.Status("POST", path("dispose"), map[string]string{"cause": "回风隅角瓦斯积聚"}, http.StatusUnprocessableEntity))
		if fields["measures"] == "" {
			t.Fatalf("fields %v", fields)
		}
		mine.Status("POST", path("dispose"), map[string]string{"cause": "回风隅角瓦斯积聚", "measures": "加强通风, 撤出人员, 复查"}, http.StatusOK)
		insp.Status("POST", path("verify"), nil, http.StatusOK)
		county.Status("POST", path("return"), map[string]string{}, http.StatusUnprocessableEntity)
		county.Status("POST", path("return"), map[string]string{"reason": "措施不具体"}, http.StatusOK)
		mine.Status("POST", path("dispose"), map[string]string{"cause": "回风隅角瓦斯积聚", "measures": "调整风量 至 1200 m³/min"}, http.StatusOK)
		county.Status("POST", path("verify"), nil, http.StatusOK)
		var closed alarm.Alarm
		county.JSON("POST", path("close"), nil, http.StatusOK, &closed)
		if closed.State != "closed" || closed.ClosedBy != "cb" || closed.Measures == "" {
			t.Fatalf("closed %+v", closed)
		}
		var trail struct {
			Items []struct {
				Action, FromState, ToState, Actor string
			}
		}
		county.JSON("GET", fmt.Sprintf("/api/v1/alarms/%d/trail", a.ID), nil, http.StatusOK, &trail)
		var steps []string
		for _, e := range trail.Items {
			steps = append(steps, e.Action)
		}
		want := "open level clear acknowledge dispose verify return dispose verify close"
		if strings.Join(steps, " ") != want {
			t.Fatalf("trail %v, want %s", steps, want)
		}
	})
}

func TestStreamCarriesAlarms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		req, _ := http.NewRequest("GET", w.env.Server.URL+fmt.Sprintf("/api/v1/stream?mine_id=%d", w.mineA.ID), nil)
		resp, err := county.HTTP().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got := make(chan string, 10)
		go func() {
			buf := make([]byte, 1<<16)
			var acc string
			for {
				n, err := resp.Body.Read(buf)
				acc += string(buf[:n])
				for {
					i := strings.Index(acc, "\n\n")
					if i < 0 {
						break
					}
					got <- acc[:i]
					acc = acc[i+2:]
				}
				if err != nil {
					close(got)
					return
				}
			}
		}()
		w.send(t, 2.0)
		deadline := time.After(10 * time.Second)
		for {
			select {
			case ev, ok := <-got:
				if !ok {
					t.Fatal("stream ended")
				}
				if strings.Contains(ev, "event: alarm") {
					if !strings.Contains(ev, `"level":"red"`) || !strings.Contains(ev, `"event":"open"`) {
						t.Fatalf("alarm event %s", ev)
					}
					return
				}
			case <-deadline:
				t.Fatal("no alarm event on the stream")
			}
		}
	})
}

// Parallel publishers must never open two alarms for one condition.
func TestNoDuplicateAlarmsUnderParallelLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		base := w.env.Clock.Now().Add(-time.Hour)
		var wg sync.WaitGroup
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					at := base.Add(time.Duration(g*10+i) * time.Second)
					body := map[string]any{"mine": codeA, "samples": []map[string]any{{"point": w.ch4.Code, "time": at.Format(time.RFC3339), "value": 1.3}}}
					st, raw := w.gw.Do("POST", "/api/v1/ingest/samples", body)
					if st != 200 {
						t.Errorf("ingest %d %s", st, raw)
					}
				}
			}(g)
		}
		wg.Wait()
		if err := w.env.App.Alarms.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(w.alarms(t, w.admin, "")); n != 1 {
			t.Fatalf("%d alarms for one condition", n)
		}
	})
}

func TestEscalationWebhooksAndLateData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var mu sync.Mutex
		var bodies []string
		var sigOK bool
		fails := 1
		hook := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if fails > 0 {
				fails--
				rw.WriteHeader(503)
				return
			}
			bodies = append(bodies, r.Header.Get("X-Minesafe-Event")+" "+string(b))
			sigOK = r.Header.Get("X-Minesafe-Signature") == alarm.Sign("s3cret", b)
		}))
		defer hook.Close()
		w.admin.Status("POST", "/api/v1/webhooks", map[string]any{"name": "sms", "url": hook.URL, "secret": "s3cret", "audiences": []string{"mine", "county"}}, http.StatusCreated)
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		county.Status("POST", "/api/v1/webhooks", map[string]any{"name": "x", "url": hook.URL}, http.StatusForbidden)

		// Late data: an episode an hour ago that is already over pages nobody.
		past := w.env.Clock.Now().Add(-time.Hour)
		var ss []map[string]any
		for i, v := range []float64{0.3, 1.4, 1.2, 0.5} {
			ss = append(ss, map[string]any{"point": w.ch4.Code, "time": past.Add(time.Duration(i) * 10 * time.Second).Format(time.RFC3339), "value": v})
		}
		w.gw.Status("POST", "/api/v1/ingest/samples", map[string]any{"mine": codeA, "samples": ss}, http.StatusOK)
		waitFor(t, "the late alarm", func() bool { return len(w.alarms(t, county, "")) == 1 })
		late := w.alarms(t, county, "")[0]
		if !late.Late || late.ClearedAt == nil {
			t.Fatalf("late alarm %+v", late)
		}

		// A live red alarm escalates on the clock alone.
		w.send(t, 1.8)
		waitFor(t, "the red alarm", func() bool { return len(w.alarms(t, county, "cleared=false")) == 1 })
		red := w.alarms(t, county, "cleared=false")[0]
		ctx := context.Background()
		svc := w.env.App.Alarms
		tick := func(d time.Duration) alarm.Alarm {
			w.env.Clock.Advance(d)
			if err := svc.Tick(ctx, w.env.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			var a alarm.Alarm
			county.JSON("GET", fmt.Sprintf("/api/v1/alarms/%d", red.ID), nil, http.StatusOK, &a)
			return a
		}
		if a := tick(4 * time.Minute); a.EscalatedTo != "" {
			t.Fatalf("escalated after 4 min: %+v", a)
		}
		if a := tick(time.Minute + time.Second); a.EscalatedTo != "county" {
			t.Fatalf("not passed to the county after 5 min: %q", a.EscalatedTo)
		}
		if a := tick(10 * time.Minute); a.EscalatedTo != "city" {
			t.Fatalf("not passed to the city after 15 min: %q", a.EscalatedTo)
		}
		// The late alarm never escalated.
		var l alarm.Alarm
		county.JSON("GET", fmt.Sprintf("/api/v1/alarms/%d", late.ID), nil, http.StatusOK, &l)
		if l.EscalatedTo != "" {
			t.Fatalf("late alarm escalated: %+v", l)
		}
		// Deliveries: the first attempt failed (503) and is retried with back-off.
		for i := 0; i < 3; i++ {
			if _, err := svc.DeliverDue(ctx); err != nil {
				t.Fatal(err)
			}
			w.env.Clock.Advance(time.Minute)
		}
		mu.Lock()
		defer mu.Unlock()
		joined := strings.Join(bodies, "\n")
		if !sigOK || !strings.Contains(joined, "escalate ") || !strings.Contains(joined, "open ") {
			t.Fatalf("webhook bodies (sig %v):\n%s", sigOK, joined)
		}
		if strings.Contains(joined, fmt.Sprintf(`"id":%d,`, late.ID)) {
			t.Fatalf("the late alarm was pushed:\n%s", joined)
		}
		// Acknowledging stops the escalation and reminders.
		mine := w.env.As("mineA", auth.RoleEnterprise, nil, &w.entA.ID)
		mine.Status("POST", fmt.Sprintf("/api/v1/alarms/%d/acknowledge", red.ID), nil, http.StatusOK)
	})
}

func TestMaintenanceRulesAndSettingIssues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		mine := w.env.As("mineA", auth.RoleEnterprise, nil, &w.entA.ID)
		now := w.env.Clock.Now()
		mine.Status("POST", fmt.Sprintf("/api/v1/mines/%d/maintenance", w.mineA.ID), map[string]any{"from": now.Add(-time.Hour).Format(time.RFC3339), "to": now.Add(time.Hour).Format(time.RFC3339), "reason": "x"}, http.StatusUnprocessableEntity)
		mine.Status("POST", fmt.Sprintf("/api/v1/mines/%d/maintenance", w.mineA.ID), map[string]any{"points": []int64{w.ch4.ID}, "from": now.Format(time.RFC3339), "to": now.Add(time.Hour).Format(time.RFC3339), "reason": "标校"}, http.StatusCreated)
		w.env.Clock.Advance(time.Minute)
		w.send(t, 1.1)
		waitFor(t, "the planned alarm", func() bool { return len(w.alarms(t, w.admin, "planned=true")) == 1 })

		// Rules: read by all, changed by the city only, validated, versioned.
		var cur alarm.RulesAnswer
		mine.JSON("GET", "/api/v1/rules/warnings", nil, http.StatusOK, &cur)
		if cur.Version != 1 || len(cur.Rules.Thresholds) < 20 {
			t.Fatalf("rules v%d with %d thresholds", cur.Version, len(cur.Rules.Thresholds))
		}
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		county.Status("POST", "/api/v1/rules/warnings", map[string]any{"note": "x", "rules": cur.Rules}, http.StatusForbidden)
		bad := cur.Rules
		bad.ReminderMin = 0
		w.admin.Status("POST", "/api/v1/rules/warnings", map[string]any{"note": "x", "rules": bad}, http.StatusUnprocessableEntity)
		w.admin.Status("POST", "/api/v1/rules/warnings", map[string]any{"note": "tighter reminders", "rules": withReminder(cur.Rules, 3)}, http.StatusCreated)
		mine.JSON("GET", "/api/v1/rules/warnings", nil, http.StatusOK, &cur)
		if cur.Version != 2 || cur.Rules.ReminderMin != 3 {
			t.Fatalf("after edit v%d reminder %d", cur.Version, cur.Rules.ReminderMin)
		}

		// A point whose own setting is looser than the regulation is reported.
		var loose telemetry.Point
		w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), map[string]any{
			"code": codeA + "01MN000100000002", "location_class": "upper_corner", "alarm_high": 1.5, "cut_high": 2.0}, http.StatusCreated, &loose)
		var issues struct {
			Items []alarm.SettingIssue
		}
		mine.JSON("GET", "/api/v1/monitoring/setting-issues", nil, http.StatusOK, &issues)
		if len(issues.Items) != 1 || issues.Items[0].PointID != loose.ID || len(issues.Items[0].Problems) != 2 {
			t.Fatalf("issues %+v", issues)
		}
		// Statistics and the export.
		var st alarm.Stats
		w.admin.JSON("GET", "/api/v1/alarms/stats", nil, http.StatusOK, &st)
		if st.Total != 1 || st.Planned != 1 || st.ByLevel["orange"] != 1 {
			t.Fatalf("stats %+v", st)
		}
		st2, raw := w.admin.Do("GET", "/api/v1/alarms.xlsx", nil)
		if st2 != 200 || len(raw) < 1000 || string(raw[:2]) != "PK" {
			t.Fatalf("xlsx %d %d bytes", st2, len(raw))
		}
		w.admin.Status("GET", "/api/v1/alarms?level=purple", nil, http.StatusUnprocessableEntity)
		var lv struct {
			Mines map[string]string
		}
		w.admin.JSON("GET", "/api/v1/alarms/levels", nil, http.StatusOK, &lv)
		if lv.Mines[fmt.Sprint(w.mineA.ID)] != "orange" {
			t.Fatalf("levels %+v", lv)
		}
		_ = json.Marshal
	})
}

func withReminder(s rules.Set, m int) rules.Set { s.ReminderMin = m; return s }

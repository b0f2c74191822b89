package telemetry_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

// world is a city with two coal mines of two enterprises, a tailings pond
// and their users.
type world struct {
	env          *apptest.Env
	admin        *apptest.Client
	entA, entB   registry.Enterprise
	mineA, mineB registry.Mine
	pond         registry.Mine
}

const codeA = "150725100001"

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{env: env}
	w.entA = env.Enterprise("甲煤业", "150725", 1)
	w.entB = env.Enterprise("乙煤业", "150724", 2)
	w.mineA = env.Mine(w.entA, codeA, "甲一矿", "150725", registry.KindCoalUnderground)
	w.mineB = env.Mine(w.entB, "150724100001", "乙一矿", "150724", registry.KindCoalUnderground)
	w.pond = env.Mine(w.entB, "", "乙尾矿库", "150724", registry.KindTailingsPond)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	return w
}

func methaneCode(mine, orig string) string { return mine + "01MN0001" + orig }

func (w *world) point(t *testing.T, mine registry.Mine, body map[string]any) telemetry.Point {
	t.Helper()
	var p telemetry.Point
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/points", mine.ID), body, http.StatusCreated, &p)
	return p
}

func (w *world) token(t *testing.T, mine registry.Mine) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/ingest-tokens", mine.ID), map[string]string{"name": "gw"}, http.StatusCreated, &tok)
	return tok.Token
}

func TestPointsValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.point(t, w.mineA, map[string]any{"code": methaneCode(codeA, "00000012"), "location": "11201工作面上隅角", "location_class": "upper_corner"})
		if p.SensorType != "methane" || p.ValueType != "analog" || p.Unit == "" || p.PeriodS != 30 || p.RangeMax == nil {
			t.Fatalf("defaults not filled: %+v", p)
		}
		cases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"code": "150724" + "100001" + "01MN000100000012"}, "code"}, // another mine's prefix
			{map[string]any{"code": codeA + "01XX000100000001"}, "code"},               // neither MN nor KG
			{map[string]any{"code": codeA + "01MN9999" + "00000001"}, "code"},          // unknown sensor code
			{map[string]any{"code": methaneCode(codeA, "2"), "location_class": "moon"}, "location_class"},
			{map[string]any{"code": methaneCode(codeA, "3"), "range_min": 5, "range_max": 1}, "range_max"},
			{map[string]any{"code": methaneCode(codeA, "4"), "sensor_type": "co"}, "sensor_type"},
			{map[string]any{"code": methaneCode(codeA, "00000012")}, "code"}, // duplicate
		}
		for i, c := range cases {
			raw := w.admin.Status("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), c.body, http.StatusUnprocessableEntity)
			if _, fields := apptest.ErrorOf(raw); fields[c.field] == "" {
				t.Errorf("case %d: want field %s named, got %s", i, c.field, raw)
			}
		}
		// Free codes for other kinds; unknown sensor types refused.
		w.point(t, w.pond, map[string]any{"code": "JRX-01", "sensor_type": "phreatic_depth", "location_class": "dam_slope"})
		w.admin.Status("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.pond.ID), map[string]any{"code": "X 1", "sensor_type": "phreatic_depth"}, http.StatusUnprocessableEntity)
		w.admin.Status("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.pond.ID), map[string]any{"code": "X1", "sensor_type": "warp_field"}, http.StatusUnprocessableEntity)

		// Scope and roles: B's enterprise user cannot see A's points; an
		// observer may read but not write.
		entB := w.env.As("entb", auth.RoleEnterprise, nil, &w.entB.ID)
		entB.Status("GET", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), nil, http.StatusNotFound)
		entB.Status("POST", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), map[string]any{"code": methaneCode(codeA, "9")}, http.StatusNotFound)
		entB.Status("GET", fmt.Sprintf("/api/v1/points/%d", p.ID), nil, http.StatusNotFound)
		obs := w.env.As("obs", auth.RoleObserver, nil, nil)
		obs.Status("GET", fmt.Sprintf("/api/v1/points/%d", p.ID), nil, http.StatusOK)
		obs.Status("PATCH", fmt.Sprintf("/api/v1/points/%d", p.ID), map[string]any{"location": "x"}, http.StatusForbidden)

		// PATCH changes only what is given; archive needs a reason.
		var got telemetry.Point
		w.admin.JSON("PATCH", fmt.Sprintf("/api/v1/points/%d", p.ID), map[string]any{"alarm_high": 1.0, "cut_high": 1.5}, http.StatusOK, &got)
		if got.AlarmHigh == nil || *got.AlarmHigh != 1.0 || got.Location != p.Location {
			t.Fatalf("patched %+v", got)
		}
		w.admin.Status("POST", fmt.Sprintf("/api/v1/points/%d/archive", p.ID), map[string]any{}, http.StatusUnprocessableEntity)
		w.admin.Status("POST", fmt.Sprintf("/api/v1/points/%d/archive", p.ID), map[string]any{"reason": "sensor removed"}, http.StatusOK)
		w.admin.Status("POST", fmt.Sprintf("/api/v1/points/%d/archive", p.ID), map[string]any{"reason": "again"}, http.StatusConflict)
		var list struct{ Total int }
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/points", w.mineA.ID), nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("archived point listed: %d", list.Total)
		}
	})
}

func TestImportPointsCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		csv := "code,sensor_type,location,location_class,alarm_high\n" +
			methaneCode(codeA, "1") + ",methane,回风巷,face_return,1.0\n" +
			codeA + "01MN00040000002,co,回风巷,general,24\n"
		st, body := w.admin.Upload(fmt.Sprintf("/api/v1/mines/%d/points/import", w.mineA.ID), "points.csv", []byte(csv))
		if st != http.StatusOK || !strings.Contains(string(body), `"created":2`) {
			t.Fatalf("import %d %s", st, body)
		}
		bad := "code,sensor_type,wobble\n" + methaneCode(codeA, "5") + ",methane,x\n"
		st, body = w.admin.Upload(fmt.Sprintf("/api/v1/mines/%d/points/import", w.mineA.ID), "points.csv", []byte(bad))
		if st != http.StatusUnprocessableEntity || !strings.Contains(string(body), "rows[0].wobble") {
			t.Fatalf("bad import %d %s", st, body)
		}
		st, _ = w.admin.Upload(fmt.Sprintf("/api/v1/mines/%d/points/import", w.mineA.ID), "points.txt", []byte(csv))
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("txt import %d", st)
		}
	})
}

type ingestAnswer struct {
	Accepted int                   `json:"accepted"`
	Rejected []telemetry.Rejection `json:"rejected"`
}

func TestIngestHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ch4 := w.point(t, w.mineA, map[string]any{"code": methaneCode(codeA, "1"), "location_class": "coal_face", "range_min": 0, "range_max": 4})
		fan := w.point(t, w.mineA, map[string]any{"code": codeA + "01KG10100001"})
		tokA := w.token(t, w.mineA)
		tokB := w.token(t, w.mineB)
		now := w.env.Clock.Now()
		ts := func(d time.Duration) string { return now.Add(d).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339) }
		batch := map[string]any{"mine": codeA, "samples": []map[string]any{
			{"point": ch4.Code, "time": ts(-20 * time.Second), "value": 0.32},
			{"point": ch4.Code, "time": ts(-10 * time.Second), "value": 9.5}, // over range: kept, flagged
			{"point": "nope", "time": ts(0), "value": 1},
			{"point": ch4.Code, "time": ts(10 * time.Minute), "value": 0.3},
			{"point": ch4.Code, "time": ts(-5 * time.Second), "value": -0.1},
			{"point": fan.Code, "time": ts(0), "value": 2},
			{"point": fan.Code, "time": "yesterday", "value": 1},
			{"point": fan.Code, "time": ts(-1 * time.Second)},
			{"point": fan.Code, "time": ts(-2 * time.Second), "value": 1},
		}}
		gw := w.env.WithToken(tokA)
		var ans ingestAnswer
		gw.JSON("POST", "/api/v1/ingest/samples", batch, http.StatusOK, &ans)
		want := map[int]string{2: "unknown_point", 3: "future_time", 4: "impossible_value", 5: "impossible_value", 6: "malformed", 7: "malformed"}
		if ans.Accepted != 3 || len(ans.Rejected) != len(want) {
			t.Fatalf("answer %+v", ans)
		}
		for _, r := range ans.Rejected {
			if want[r.Index] != r.Code || r.Reason == "" {
				t.Errorf("rejection %+v, want %s", r, want[r.Index])
			}
		}
		// Over-range kept with status bit 8.
		var series struct {
			Items []struct {
				Value  float64 `json:"value"`
				Status int     `json:"status"`
			} `json:"items"`
		}
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/points/%d/series?from=%s&to=%s", ch4.ID, url.QueryEscape(ts(-time.Hour)), url.QueryEscape(ts(time.Minute))), nil, http.StatusOK, &series)
		if len(series.Items) != 2 || series.Items[1].Value != 9.5 || series.Items[1].Status&telemetry.StatusOverRange == 0 {
			t.Fatalf("series %+v", series)
		}
		// A resend is stored once and counts as accepted; a different value
		// is logged and the first stays.
		resend := map[string]any{"mine": codeA, "samples": []map[string]any{
			{"point": ch4.Code, "time": ts(-20 * time.Second), "value": 0.32},
			{"point": ch4.Code, "time": ts(-10 * time.Second), "value": 1.1},
		}}
		gw.JSON("POST", "/api/v1/ingest/samples", resend, http.StatusOK, &ans)
		if ans.Accepted != 2 || len(ans.Rejected) != 0 {
			t.Fatalf("resend %+v", ans)
		}
		n, _ := w.env.App.Telemetry.Samples().Count(context.Background())
		if n != 3 {
			t.Fatalf("stored %d samples, want 3", n)
		}
		var conflicts int
		db.QueryRow(context.Background(), `SELECT COUNT(*) FROM sample_conflicts`).Scan(&conflicts)
		if conflicts != 1 {
			t.Fatalf("conflicts logged %d", conflicts)
		}
		// The mine reads its rejected-sample log.
		entA := w.env.As("enta", auth.RoleEnterprise, nil, &w.entA.ID)
		var rej struct {
			Total int `json:"total"`
			Items []telemetry.RejectedSample
		}
		entA.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/rejected-samples", w.mineA.ID), nil, http.StatusOK, &rej)
		if rej.Total != 6 || rej.Items[0].Reason == "" {
			t.Fatalf("rejected log %+v", rej)
		}
		// Foreign and bad tokens; malformed bodies.
		w.env.WithToken(tokB).Status("POST", "/api/v1/ingest/samples", batch, http.StatusForbidden)
		w.env.WithToken("msi_nothing").Status("POST", "/api/v1/ingest/samples", batch, http.StatusUnauthorized)
		w.env.Anonymous().Status("POST", "/api/v1/ingest/samples", batch, http.StatusUnauthorized)
		gw.Status("POST", "/api/v1/ingest/samples", `{"mine":`, http.StatusBadRequest)
		gw.Status("POST", "/api/v1/ingest/samples", `{"samples":[]}`, http.StatusBadRequest)
		// A user token whose scope covers the mine may back-fill; an
		// observer's may not.
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		var ut struct{ Token string }
		me := w.env.App.Auth
		u, _ := me.UserByName(context.Background(), "cb")
		county.JSON("POST", fmt.Sprintf("/api/v1/users/%d/tokens", u.ID), map[string]string{}, http.StatusCreated, &ut)
		fill := map[string]any{"mine": codeA, "samples": []map[string]any{{"point": ch4.Code, "time": ts(-time.Hour), "value": 0.2}}}
		w.env.WithToken(ut.Token).JSON("POST", "/api/v1/ingest/samples", fill, http.StatusOK, &ans)
		if ans.Accepted != 1 {
			t.Fatalf("back-fill %+v", ans)
		}
		fill["mine"] = "150724100001"
		w.env.WithToken(ut.Token).Status("POST", "/api/v1/ingest/samples", fill, http.StatusForbidden)
		// Metrics count refusals per mine and reason.
		body := string(w.env.Anonymous().Status("GET", "/metrics", nil, http.StatusOK))
		if !strings.Contains(body, `minesafe_ingest_samples_rejected_total{mine="`+codeA+`",reason="impossible_value"} 2`) {
			t.Fatalf("metrics lack the rejected count:\n%s", grep(body, "rejected"))
		}
		// Revoked tokens stop at once.
		var toks struct{ Items []telemetry.IngestToken }
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/ingest-tokens", w.mineA.ID), nil, http.StatusOK, &toks)
		w.admin.Status("POST", fmt.Sprintf("/api/v1/ingest-tokens/%d/revoke", toks.Items[0].ID), nil, http.StatusNoContent)
		gw.Status("POST", "/api/v1/ingest/samples", resend, http.StatusUnauthorized)
	})
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestSeriesLiveCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ch4 := w.point(t, w.mineA, map[string]any{"code": methaneCode(codeA, "1")})
		w.point(t, w.mineA, map[string]any{"code": methaneCode(codeA, "2")})
		now := w.env.Clock.Now()
		var samples []map[string]any
		for i := 0; i < 360; i++ { // one hour at 10 s
			samples = append(samples, map[string]any{"point": ch4.Code, "time": now.Add(-time.Hour + time.Duration(i)*10*time.Second).Format(time.RFC3339), "value": float64(i%60) / 100})
		}
		var ans ingestAnswer
		w.env.WithToken(w.token(t, w.mineA)).JSON("POST", "/api/v1/ingest/samples", map[string]any{"mine": codeA, "samples": samples}, http.StatusOK, &ans)
		if ans.Accepted != 360 {
			t.Fatalf("accepted %d", ans.Accepted)
		}
		var b struct {
			Step  string `json:"step"`
			Items []telemetry.Bucket
		}
		from, to := now.Add(-time.Hour).Format(time.RFC3339), now.Format(time.RFC3339)
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/points/%d/series?from=%s&to=%s&step=10m", ch4.ID, from, to), nil, http.StatusOK, &b)
		if len(b.Items) != 6 || b.Items[0].Count != 60 || b.Items[0].Min != 0 || b.Items[0].Max != 0.59 {
			t.Fatalf("buckets %+v", b.Items)
		}
		w.admin.Status("GET", fmt.Sprintf("/api/v1/points/%d/series?step=0.1s", ch4.ID), nil, http.StatusUnprocessableEntity)
		w.admin.Status("GET", fmt.Sprintf("/api/v1/points/%d/series?from=nonsense", ch4.ID), nil, http.StatusUnprocessableEntity)

		var live telemetry.MineLiveAnswer
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/live", w.mineA.ID), nil, http.StatusOK, &live)
		if !live.Online || len(live.Points) != 2 || live.Points[0].Value == nil || live.Points[1].Value != nil || !live.Points[1].Stale {
			t.Fatalf("live %+v", live)
		}
		var cov telemetry.Coverage
		w.admin.JSON("GET", "/api/v1/monitoring/coverage", nil, http.StatusOK, &cov)
		// Required: two coal mines and the grade-3 pond; networked and online: mine A.
		if cov.City.Required != 3 || cov.City.RequiredPonds != 1 || cov.City.Networked != 1 || cov.City.Online != 1 || len(cov.Divisions) != 2 {
			t.Fatalf("coverage %+v", cov)
		}
		// Eleven minutes of silence make the mine offline.
		w.env.Clock.Advance(11 * time.Minute)
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/live", w.mineA.ID), nil, http.StatusOK, &live)
		if live.Online {
			t.Fatal("mine still online after 11 silent minutes")
		}
	})
}

// sse reads events from a stream response.
func sse(t *testing.T, resp *http.Response, n int, timeout time.Duration) []map[string]string {
	t.Helper()
	out := make(chan map[string]string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		ev := map[string]string{}
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				if ev["event"] != "" {
					out <- ev
				}
				ev = map[string]string{}
				continue
			}
			if k, v, ok := strings.Cut(line, ": "); ok {
				ev[k] = v
			}
		}
		close(out)
	}()
	var evs []map[string]string
	deadline := time.After(timeout)
	for len(evs) < n {
		select {
		case ev, ok := <-out:
			if !ok {
				return evs
			}
			evs = append(evs, ev)
		case <-deadline:
			t.Fatalf("got %d of %d events: %v", len(evs), n, evs)
		}
	}
	return evs
}

func TestStreamScopeAndResume(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ch4 := w.point(t, w.mineA, map[string]any{"code": methaneCode(codeA, "1")})
		chB := w.point(t, w.mineB, map[string]any{"code": methaneCode("150724100001", "1")})
		county := w.env.As("cb", auth.RoleCounty, []string{"150725"}, nil)
		// Following a mine outside the scope is refused.
		county.Status("GET", fmt.Sprintf("/api/v1/stream?mine_id=%d", w.mineB.ID), nil, http.StatusNotFound)

		req, _ := http.NewRequest("GET", w.env.Server.URL+"/api/v1/stream", nil)
		resp, err := county.HTTP().Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("stream %v %v", err, resp)
		}
		defer resp.Body.Close()
		now := w.env.Clock.Now()
		send := func(mine registry.Mine, code string, v float64, d time.Duration) {
			var ans ingestAnswer
			w.env.WithToken(w.token(t, mine)).JSON("POST", "/api/v1/ingest/samples", map[string]any{"mine": mine.Code, "samples": []map[string]any{
				{"point": code, "time": now.Add(d).Format(time.RFC3339), "value": v}}}, http.StatusOK, &ans)
		}
		send(w.mineB, chB.Code, 0.5, 0) // out of the county's scope: never seen
		send(w.mineA, ch4.Code, 0.7, 0)
		evs := sse(t, resp, 2, 5*time.Second)
		if evs[0]["event"] != "mine_status" || evs[1]["event"] != "sample" || !strings.Contains(evs[1]["data"], `"value":0.7`) {
			t.Fatalf("events %v", evs)
		}
		var data struct {
			MineID int64 `json:"mine_id"`
		}
		json.Unmarshal([]byte(evs[1]["data"]), &data)
		if data.MineID != w.mineA.ID {
			t.Fatalf("event of mine %d", data.MineID)
		}
		// Resume: events after Last-Event-ID are replayed.
		send(w.mineA, ch4.Code, 0.8, time.Second)
		w.env.App.Telemetry.Live().Flush()
		req, _ = http.NewRequest("GET", w.env.Server.URL+"/api/v1/stream", nil)
		req.Header.Set("Last-Event-ID", evs[1]["id"])
		resp2, err := county.HTTP().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp2.Body.Close()
		again := sse(t, resp2, 1, 5*time.Second)
		if again[0]["event"] != "sample" || !strings.Contains(again[0]["data"], `"value":0.8`) || again[0]["id"] <= evs[1]["id"] {
			t.Fatalf("replay %v", again)
		}
	})
}

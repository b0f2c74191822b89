package stdfile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mtt"
	"minesafe/internal/telemetry/stdfile"
)

const (
	codeA = "150703100001"
	codeB = "150724100001"
)

// The points and substations of mine A the files talk about.
var (
	p1 = codeA + "01MN000100000001" // methane, on station s1
	p2 = codeA + "01MN000100000002" // methane, on station s1
	p3 = codeA + "01MN000400000003" // CO, on station s1
	p6 = codeA + "01KG101000000006" // main fan, on station s2
	s1 = codeA + "01001"
	s2 = codeA + "01002"
)

// world is two coal mines of two enterprises, an admin, a gateway token
// of each mine and the file door served beside the app.
type world struct {
	t            *testing.T
	env          *apptest.Env
	door         *stdfile.Door
	admin        *apptest.Client
	entA, entB   registry.Enterprise
	mineA, mineB registry.Mine
	gwA, gwB     *apptest.Client
	// t0 is a file time five minutes before the app's clock.
	t0 time.Time
}

func newWorld(t *testing.T, db *store.DB) *world {
	env := apptest.New(t, db)
	w := &world{t: t, env: env, t0: env.Clock.Now().Add(-5 * time.Minute)}
	w.door = env.App.Files
	w.entA = env.Enterprise("甲煤业", "150703", 1)
	w.entB = env.Enterprise("乙煤业", "150724", 2)
	w.mineA = env.Mine(w.entA, codeA, "扎赉诺尔示范煤矿", "150703", registry.KindCoalUnderground)
	w.mineB = env.Mine(w.entB, codeB, "乙一矿", "150724", registry.KindCoalUnderground)
	w.admin = env.As("root", auth.RoleAdmin, nil, nil)
	w.gwA = env.WithToken(w.token(w.mineA))
	w.gwB = env.WithToken(w.token(w.mineB))
	return w
}

func (w *world) token(m registry.Mine) string {
	var tok struct {
		Token string `json:"token"`
	}
	w.admin.JSON("POST", fmt.Sprintf("/api/v1/mines/%d/ingest-tokens", m.ID), map[string]string{"name": "gw"}, http.StatusCreated, &tok)
	return tok.Token
}

func cst(t time.Time) string { return t.In(mtt.CST).Format("2006-01-02 15:04:05") }

// build encodes a file of mine A (or another mine) made at `at`, its
// records set by fill.
func (w *world) build(mine, typ string, at time.Time, fill func(f *mtt.File)) (string, []byte) {
	w.t.Helper()
	f := &mtt.File{Name: mtt.FileName{Mine: mine, Type: typ, Time: at}, Header: []string{mine, "扎赉诺尔示范煤矿", cst(at)}}
	fill(f)
	data, err := mtt.Encode(f)
	if err != nil {
		w.t.Fatal(err)
	}
	return f.Name.String(), data
}

// send uploads a file with c, requires the status and answers the result
// (for a 422, the result inside the refusal).
func (w *world) send(c *apptest.Client, name string, data []byte, want int) stdfile.FileResult {
	w.t.Helper()
	st, body := c.Upload("/api/v1/ingest/files", name, data)
	if st != want {
		w.t.Fatalf("upload %s: %d, want %d: %s", name, st, want, body)
	}
	var ans stdfile.RejectedAnswer
	out := any(&ans.Result)
	if st == http.StatusUnprocessableEntity {
		out = &ans
	}
	if err := json.Unmarshal(body, out); err != nil {
		w.t.Fatalf("upload %s: %v: %s", name, err, body)
	}
	return ans.Result
}

// list reads a list of mine A as the admin.
func list[T any](w *world, path string) ([]T, int) {
	w.t.Helper()
	var l struct {
		Items []T `json:"items"`
		Total int `json:"total"`
	}
	w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/%s", w.mineA.ID, path), nil, http.StatusOK, &l)
	return l.Items, l.Total
}

// count answers a number from the database.
func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.env.DB.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func fp(v float64) *float64 { return &v }

// httpxAll lists every point of a mine.
var httpxAll = httpx.ListParams{Limit: 1000, IncludeArchived: true}

// pointDefs are the CDDY records of the four points, p1's alarm at alarm.
func pointDefs(at time.Time, alarm float64) []mtt.PointDef {
	ch4 := func(code, loc string, alarm float64) mtt.PointDef {
		return mtt.PointDef{Point: code, System: "01", Station: s1, SensorType: "0001", ValueType: mtt.Analog, Unit: "%CH4",
			RangeHigh: fp(4), RangeLow: fp(0), AlarmHigh: fp(alarm), AlarmHighReset: fp(alarm), PowerCutHigh: fp(1.5), PowerRestoreHigh: fp(1),
			Location: loc, Relation: "D:" + codeA + "01KG100900000009", Time: at}
	}
	return []mtt.PointDef{
		ch4(p1, "11201综采工作面回风隅角", alarm),
		ch4(p2, "11201综采工作面回风巷距工作面10m", 1),
		{Point: p3, System: "01", Station: s1, SensorType: "0004", ValueType: mtt.Analog, Unit: "ppm", RangeHigh: fp(1000), RangeLow: fp(0),
			AlarmHigh: fp(24), AlarmHighReset: fp(24), Location: "11201回风巷", X: fp(4390512.331), Y: fp(39512344.812), Z: fp(-412.5), Time: at},
		{Point: p6, System: "01", Station: s2, SensorType: "1010", ValueType: mtt.Switch, OnText: "开", OffText: "停", Location: "主斜井风机房", Time: at},
	}
}

// definePoints sends the four points with a gateway token.
func (w *world) definePoints() {
	w.t.Helper()
	name, data := w.build(codeA, mtt.TypeCDDY, w.t0, func(f *mtt.File) { f.CDDY = pointDefs(w.t0, 1) })
	if res := w.send(w.gwA, name, data, http.StatusOK); res.Accepted != 4 || len(res.Rejected) != 0 {
		w.t.Fatalf("points: %+v", res)
	}
}

func sample(point string, v float64, status mtt.Status, at time.Time) mtt.Sample {
	return mtt.Sample{Point: point, SensorName: "传感器", Location: "井下", Value: v, Status: status, Time: at}
}

// appendRaw adds records as sent before the "||" of an encoded file, for
// records Encode would not write.
func appendRaw(data []byte, records ...string) []byte {
	body := bytes.TrimSuffix(bytes.TrimSpace(data), []byte("||"))
	return append(append(body, []byte(strings.Join(records, "\n")+"\n")...), "||\n"...)
}

func TestPointsFromCDDY(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		bad := []mtt.PointDef{
			// A sensor type the catalogue does not know (the parser
			// accepts any 4 digits).
			{Point: codeA + "01MN999900000098", System: "01", Station: s1, SensorType: "9999", ValueType: mtt.Analog, Unit: "x", Location: "某处", Time: w.t0},
			// A range upside down: refused by the network's validation.
			{Point: codeA + "01MN000100000099", System: "01", Station: s1, SensorType: "0001", ValueType: mtt.Analog, Unit: "%CH4",
				RangeHigh: fp(0), RangeLow: fp(4), Location: "某处", Time: w.t0},
		}
		name, data := w.build(codeA, mtt.TypeCDDY, w.t0, func(f *mtt.File) { f.CDDY = append(pointDefs(w.t0, 1), bad...) })
		data = appendRaw(data, codeA+"01MN000100000097;01;"+s1+";0001;MN~") // too few fields
		res := w.send(w.gwA, name, data, http.StatusOK)
		if res.Type != "CDDY" || res.Status != "done" || *res.Created != 4 || *res.Updated != 0 || res.Accepted != 4 || res.Records != 7 {
			t.Fatalf("first CDDY %+v", res)
		}
		want := map[int]string{5: "not in the catalogue", 6: "range_max", 7: "fields"}
		if len(res.Rejected) != 3 {
			t.Fatalf("rejected %+v", res.Rejected)
		}
		for _, r := range res.Rejected {
			if !strings.Contains(r.Reason, want[r.Index]) {
				t.Errorf("record %d: %+v, want a reason with %q", r.Index, r, want[r.Index])
			}
		}

		pts, _, _ := w.env.App.Telemetry.ListPoints(context.Background(), auth.System, w.mineA.ID, httpxAll, "")
		byCode := map[string]telemetry.Point{}
		for _, p := range pts {
			byCode[p.Code] = p
		}
		ch4, fan, co := byCode[p1], byCode[p6], byCode[p3]
		if ch4.SensorType != "methane" || ch4.ValueType != "analog" || ch4.StationCode != s1 || *ch4.AlarmHigh != 1 || *ch4.CutHigh != 1.5 ||
			*ch4.RestoreHigh != 1 || *ch4.RangeMax != 4 || ch4.Source != "file" || !strings.HasPrefix(ch4.Relation, "D:") {
			t.Fatalf("methane point %+v", ch4)
		}
		if fan.SensorType != "fan_state" || fan.ValueType != "switch" || fan.OpenText != "开" || fan.StopText != "停" || fan.StationCode != s2 {
			t.Fatalf("fan point %+v", fan)
		}
		if co.X == nil || *co.Z != -412.5 || co.Unit != "ppm" {
			t.Fatalf("co point %+v", co)
		}

		// The regulator classifies p1's place; a new definition changes the
		// thresholds the file carries and keeps the class.
		w.admin.Status("PATCH", fmt.Sprintf("/api/v1/points/%d", ch4.ID), map[string]any{"location_class": "upper_corner"}, http.StatusOK)
		later := w.t0.Add(time.Minute)
		name, data = w.build(codeA, mtt.TypeCDDY, later, func(f *mtt.File) {
			f.CDDY = append(pointDefs(later, 0.8), mtt.PointDef{Point: codeA + "01MN000200000004", System: "01", Station: s1, SensorType: "0002",
				ValueType: mtt.Analog, Unit: "m/s", RangeHigh: fp(15), RangeLow: fp(0), Location: "11201运输巷测风站", Time: later})
		})
		res = w.send(w.gwA, name, data, http.StatusOK)
		if *res.Created != 1 || *res.Updated != 4 || len(res.Rejected) != 0 {
			t.Fatalf("second CDDY %+v", res)
		}
		got, _, err := w.env.App.Telemetry.GetPoint(context.Background(), auth.System, ch4.ID)
		if err != nil || *got.AlarmHigh != 0.8 || got.LocationClass != "upper_corner" {
			t.Fatalf("updated point %+v %v", got, err)
		}
		files, total := list[stdfile.IngestFile](w, "ingest-files?type=CDDY")
		if total != 2 || files[0].Accepted != 5 || files[1].RejectedCount != 3 || files[0].UploadedBy != "ingest token 1 (gw)" || files[0].Source != "upload" {
			t.Fatalf("files %+v", files)
		}
	})
}

// TestSamplesFromCDSS covers good and bad records, the rejected-sample
// log, a duplicate, a GBK file and a truncated one.
func TestSamplesFromCDSS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.definePoints()
		at := w.t0.Add(30 * time.Second)
		name, data := w.build(codeA, mtt.TypeCDSS, at, func(f *mtt.File) {
			f.CDSS = []mtt.Sample{
				sample(p1, 0.32, 0, at),
				sample(p2, 1.05, mtt.StatusAlarm|mtt.StatusPowerCut, at),
				sample(p3, 12, 0, at),
				sample(p6, 1, 0, at),
				sample(codeA+"01MN000100000077", 0.2, 0, at),         // 5: no such point
				sample(p1, 0.3, 0, w.env.Clock.Now().Add(time.Hour)), // 6: in the future
				sample(p6, 2, 0, at),                                 // 7: a switch reads 0 or 1
			}
		})
		data = appendRaw(data, p1+";环境瓦斯;上隅角;abc;%CH4;0;"+cst(at)+"~") // 8: not a number
		res := w.send(w.gwA, name, data, http.StatusOK)
		want := map[int]string{5: "unknown_point", 6: "future_time", 7: "impossible_value", 8: "malformed"}
		if res.Status != "done" || res.Accepted != 4 || res.Records != 8 || len(res.Rejected) != 4 || res.Encoding != "utf-8" || res.Mine != codeA {
			t.Fatalf("CDSS %+v", res)
		}
		for _, r := range res.Rejected {
			if want[r.Index] != r.Code || r.Reason == "" || r.Record == "" {
				t.Errorf("rejection %+v, want %s", r, want[r.Index])
			}
		}
		n, _ := w.env.App.Telemetry.Samples().Count(context.Background())
		if n != 4 {
			t.Fatalf("stored %d samples", n)
		}
		live, err := w.env.App.Telemetry.MineLive(context.Background(), auth.System, w.mineA.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, lp := range live.Points {
			if lp.Code == p2 && (lp.Value == nil || *lp.Value != 1.05 || lp.Status != 3 || !lp.Time.Equal(at)) {
				t.Fatalf("live %+v", lp)
			}
		}
		rej, total := list[telemetry.RejectedSample](w, "rejected-samples")
		if total != 4 || !strings.Contains(rej[len(rej)-1].Reason+rej[0].Reason, "record 8") {
			t.Fatalf("rejected-sample log %d %+v", total, rej)
		}

		// The same bytes again change nothing and say so.
		evs := w.count(`SELECT COUNT(*) FROM events WHERE record_type <> 'alarm'`)
		again := w.send(w.gwA, name, data, http.StatusOK)
		if !again.Duplicate || again.ID != res.ID || again.Accepted != 4 || len(again.Rejected) != 4 {
			t.Fatalf("duplicate %+v", again)
		}
		if n2, _ := w.env.App.Telemetry.Samples().Count(context.Background()); n2 != n ||
			w.count(`SELECT COUNT(*) FROM rejected_samples`) != 4 || w.count(`SELECT COUNT(*) FROM ingest_files`) != 2 || w.count(`SELECT COUNT(*) FROM events WHERE record_type <> 'alarm'`) != evs {
			t.Fatal("a duplicate changed something")
		}

		// GBK, with CRLF, as older systems send.
		gbkAt := at.Add(30 * time.Second)
		name, data = w.build(codeA, mtt.TypeCDSS, gbkAt, func(f *mtt.File) {
			f.CDSS = []mtt.Sample{sample(p1, 0.35, 0, gbkAt), sample(p3, 13, 0, gbkAt)}
		})
		gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		if res := w.send(w.gwA, name, gbk, http.StatusOK); res.Encoding != "gbk" || res.Accepted != 2 || len(res.Rejected) != 0 {
			t.Fatalf("GBK %+v", res)
		}

		// A truncated file is rejected as a whole: nothing stored.
		truncAt := gbkAt.Add(30 * time.Second)
		name, data = w.build(codeA, mtt.TypeCDSS, truncAt, func(f *mtt.File) { f.CDSS = []mtt.Sample{sample(p1, 0.4, 0, truncAt)} })
		data = bytes.TrimSuffix(bytes.TrimSpace(data), []byte("||"))
		st, body := w.gwA.Upload("/api/v1/ingest/files", name, data)
		if code, fields := apptest.ErrorOf(body); st != http.StatusUnprocessableEntity || code != "file_rejected" || !strings.Contains(fields["file"], "truncated") {
			t.Fatalf("truncated: %d %s", st, body)
		}
		tr := w.send(w.gwA, name, data, http.StatusUnprocessableEntity)
		if !tr.Duplicate || tr.Status != "rejected" || !strings.Contains(tr.Reason, "||") {
			t.Fatalf("truncated resend %+v", tr)
		}
		if n3, _ := w.env.App.Telemetry.Samples().Count(context.Background()); n3 != 6 {
			t.Fatalf("stored %d samples, want 6", n3)
		}
		files, _ := list[stdfile.IngestFile](w, "ingest-files?status=rejected")
		if len(files) != 1 || files[0].Type != "CDSS" || !strings.Contains(files[0].Reason, "truncated") || files[0].Accepted != 0 {
			t.Fatalf("rejected files %+v", files)
		}
		var ev []events.Event
		if ev, _, err = events.List(context.Background(), db, events.Filter{RecordType: "ingest_file", Action: "reject"}); err != nil || len(ev) != 1 || ev[0].Reason == "" {
			t.Fatalf("reject event %+v %v", ev, err)
		}

		// Copies arriving together are processed once.
		raceAt := truncAt.Add(30 * time.Second)
		name, data = w.build(codeA, mtt.TypeCDSS, raceAt, func(f *mtt.File) { f.CDSS = []mtt.Sample{sample(codeA+"01MN000100000077", 0.2, 0, raceAt)} })
		results := make(chan stdfile.FileResult, 4)
		for range 4 {
			go func() {
				res, err := w.door.Process(context.Background(), telemetry.Sender{User: auth.System}, name, data, stdfile.SourceUpload)
				if err != nil {
					t.Error(err)
				}
				results <- res
			}()
		}
		firsts := 0
		for range 4 {
			if res := <-results; !res.Duplicate {
				firsts++
			}
		}
		if firsts != 1 || w.count(`SELECT COUNT(*) FROM rejected_samples`) != 5 {
			t.Fatalf("%d first answers, %d rejected samples", firsts, w.count(`SELECT COUNT(*) FROM rejected_samples`))
		}
	})
}

func TestReportedStatsAndAlarms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.definePoints()
		start, end := w.t0.Add(-5*time.Minute), w.t0
		name, data := w.build(codeA, mtt.TypeTJSJ, w.t0, func(f *mtt.File) {
			for _, code := range []string{p1, codeA + "01MN000100000077"} {
				f.TJSJ = append(f.TJSJ, mtt.Stat{Point: code, SensorName: "环境瓦斯", Location: "上隅角", Unit: "%CH4", Start: start, End: end,
					Max: 0.41, MaxTime: start.Add(time.Minute), Min: 0.3, MinTime: start.Add(2 * time.Minute), Avg: 0.34, Time: end})
			}
		})
		if res := w.send(w.gwA, name, data, http.StatusOK); res.Accepted != 2 {
			t.Fatalf("TJSJ %+v", res)
		}
		stats, total := list[stdfile.ReportedStat](w, "reported-stats")
		if total != 2 || stats[0].Point != p1 || stats[0].PointID == nil || stats[1].PointID != nil || stats[0].Avg != 0.34 ||
			!stats[0].Start.Equal(start) || !stats[0].MaxTime.Equal(start.Add(time.Minute)) {
			t.Fatalf("stats %+v", stats)
		}

		// An abnormality reported while it lasts, then with its end and
		// the measures taken: one row, updated.
		alarm := func(at time.Time, end *time.Time, measures string) mtt.Alarm {
			return mtt.Alarm{Point: p2, SensorName: "环境瓦斯", Location: "回风巷", Unit: "%CH4", Type: "001", Start: start, End: end,
				Max: fp(1.12), MaxTime: &start, Cause: "割煤期间瓦斯涌出增大", Measures: measures, EnteredBy: "张建国", Time: at}
		}
		ycbj := func(at time.Time, a ...mtt.Alarm) (string, []byte) {
			return w.build(codeA, mtt.TypeYCBJ, at, func(f *mtt.File) { f.YCBJ = a })
		}
		other := mtt.Alarm{Point: p3, Type: "004", Start: start, End: &end, Time: w.t0}
		name, data = ycbj(w.t0, alarm(w.t0, nil, ""), other)
		w.send(w.gwA, name, data, http.StatusOK)
		if _, n := list[stdfile.ReportedAlarm](w, "reported-alarms?ongoing=true"); n != 1 {
			t.Fatalf("%d ongoing", n)
		}
		ended := w.t0.Add(2 * time.Minute)
		name, data = ycbj(ended, alarm(ended, &ended, "停止割煤，加大供风量"))
		second := w.send(w.gwA, name, data, http.StatusOK)
		// A late copy of the first report does not reopen it.
		name, data = ycbj(w.t0.Add(time.Second), alarm(w.t0, nil, ""))
		w.send(w.gwA, name, data, http.StatusOK)
		alarms, total := list[stdfile.ReportedAlarm](w, "reported-alarms?point="+p2)
		if total != 1 {
			t.Fatalf("%d alarms of p2", total)
		}
		a := alarms[0]
		if a.Ongoing || a.End == nil || !a.End.Equal(ended) || a.Measures != "停止割煤，加大供风量" || a.FileID != second.ID || a.TypeName != "超限报警" ||
			a.PointID == nil || *a.Max != 1.12 || a.Cause == "" {
			t.Fatalf("alarm %+v", a)
		}
		if _, n := list[stdfile.ReportedAlarm](w, "reported-alarms"); n != 2 {
			t.Fatalf("%d alarms", n)
		}
	})
}

func TestStations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.definePoints()
		name, data := w.build(codeA, mtt.TypeFZDY, w.t0, func(f *mtt.File) {
			f.FZDY = []mtt.StationDef{{Station: s1, Location: "11201回风巷口分站", X: fp(4390498.12), Y: fp(39512310.45), Z: fp(-410.2)},
				{Station: s2, Location: "主斜井井口分站"}}
		})
		w.send(w.gwA, name, data, http.StatusOK)

		sub, _, _ := w.env.App.Telemetry.Hub().Subscribe(map[int64]bool{w.mineA.ID: true}, 0)
		defer w.env.App.Telemetry.Hub().Unsubscribe(sub)
		fzss := func(at time.Time, s2State int) {
			t.Helper()
			name, data := w.build(codeA, mtt.TypeFZSS, at, func(f *mtt.File) {
				f.FZSS = []mtt.StationState{{Station: s1, RunState: 0, PowerState: 2, Time: at}, {Station: s2, RunState: s2State, PowerState: 9, Time: at}}
			})
			w.send(w.gwA, name, data, http.StatusOK)
		}
		fzss(w.t0, 1)
		if !w.door.StationDown(w.mineA.ID, s2) || w.door.StationDown(w.mineA.ID, s1) || w.door.StationDown(w.mineB.ID, s2) {
			t.Fatal("StationDown does not say s2 (only) is down")
		}
		select {
		case ev := <-sub.C:
			if ev.Type != "station_status" || !strings.Contains(string(ev.Data), `"down":true`) {
				t.Fatalf("event %s %s", ev.Type, ev.Data)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no station_status event")
		}
		st, total := list[stdfile.Station](w, "stations?down=true")
		if total != 1 || st[0].Code != s2 || !st[0].Down || st[0].RunStateName != "通讯中断" || st[0].PowerStateName != "电源故障" ||
			st[0].Points != 1 || st[0].Location != "主斜井井口分站" {
			t.Fatalf("down stations %+v", st)
		}
		all, _ := list[stdfile.Station](w, "stations")
		if len(all) != 2 || all[0].Code != s1 || all[0].Down || *all[0].Z != -410.2 || all[0].Points != 3 || all[0].StateTime == nil {
			t.Fatalf("stations %+v", all)
		}

		// An older state does not override a newer one; a newer one does.
		fzss(w.t0.Add(-time.Minute), 0)
		if !w.door.StationDown(w.mineA.ID, s2) {
			t.Fatal("an older state brought s2 back")
		}
		fzss(w.t0.Add(time.Minute), 0)
		if w.door.StationDown(w.mineA.ID, s2) {
			t.Fatal("s2 still down")
		}
		trail, _, err := events.List(context.Background(), db, events.Filter{RecordType: "station"})
		if err != nil || len(trail) != 2 || trail[0].Action != "up" || trail[1].Action != "down" || trail[1].ToState != "down" {
			t.Fatalf("station events %+v %v", trail, err)
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		name, data := w.build(codeA, mtt.TypeFZDY, w.t0, func(f *mtt.File) { f.FZDY = []mtt.StationDef{{Station: s1, Location: "分站"}} })
		w.send(w.gwB, name, data, http.StatusForbidden) // B's token, A's file
		w.send(w.env.WithToken("msi_nothing"), name, data, http.StatusUnauthorized)
		w.send(w.env.Anonymous(), name, data, http.StatusUnauthorized)
		obs := w.env.As("obs", auth.RoleObserver, nil, nil)
		w.send(obs, name, data, http.StatusForbidden)
		entB := w.env.As("entb", auth.RoleEnterprise, nil, &w.entB.ID)
		w.send(entB, name, data, http.StatusForbidden)
		if w.count(`SELECT COUNT(*) FROM ingest_files`) != 0 {
			t.Fatal("a refused upload was recorded")
		}
		st, body := w.gwA.Upload("/api/v1/ingest/files", "readme.txt", data)
		if _, fields := apptest.ErrorOf(body); st != http.StatusUnprocessableEntity || fields["file"] == "" {
			t.Fatalf("bad name: %d %s", st, body)
		}
		w.gwA.Status("POST", "/api/v1/ingest/files", `{"file":"x"}`, http.StatusBadRequest)
		big := append(bytes.Repeat([]byte(" "), stdfile.MaxFileSize), data...)
		if st, body := w.gwA.Upload("/api/v1/ingest/files", name, big); st != http.StatusRequestEntityTooLarge {
			t.Fatalf("too large: %d %s", st, body)
		}
		// The mine's enterprise user may send; B's enterprise cannot read A's lists.
		entA := w.env.As("enta", auth.RoleEnterprise, nil, &w.entA.ID)
		if res := w.send(entA, name, data, http.StatusOK); res.Accepted != 1 {
			t.Fatalf("enterprise upload %+v", res)
		}
		for _, path := range []string{"ingest-files", "stations", "reported-stats", "reported-alarms"} {
			entB.Status("GET", fmt.Sprintf("/api/v1/mines/%d/%s", w.mineA.ID, path), nil, http.StatusNotFound)
			entA.Status("GET", fmt.Sprintf("/api/v1/mines/%d/%s", w.mineA.ID, path), nil, http.StatusOK)
		}
		w.admin.Status("GET", fmt.Sprintf("/api/v1/mines/%d/ingest-files?type=XXXX", w.mineA.ID), nil, http.StatusUnprocessableEntity)
		w.admin.Status("GET", fmt.Sprintf("/api/v1/mines/%d/stations?down=maybe", w.mineA.ID), nil, http.StatusUnprocessableEntity)
		if files, _ := list[stdfile.IngestFile](w, "ingest-files"); len(files) != 1 || files[0].UploadedBy != "enta" {
			t.Fatalf("files %+v", files)
		}
	})
}

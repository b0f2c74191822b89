package alarm_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"minesafe/internal/alarm"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry/mtt"
)

// The mine reports two abnormalities: one the platform saw too, one it did
// not; the platform saw one more that the mine did not report.
func TestDiscrepanciesWithMineReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.send(t, 1.3)
		w.env.Clock.Advance(time.Minute)
		w.send(t, 0.2)
		waitFor(t, "a cleared alarm", func() bool { return len(w.alarms(t, w.admin, "cleared=true")) == 1 })
		w.env.Clock.Advance(30 * time.Minute)
		w.send(t, 1.4)
		waitFor(t, "a second alarm", func() bool { return len(w.alarms(t, w.admin, "")) == 2 })
		first := w.alarms(t, w.admin, "cleared=true")[0]

		end := first.StartedAt.Add(time.Minute)
		v := 1.3
		other := first.StartedAt.Add(-3 * time.Hour)
		f := &mtt.File{Name: mtt.FileName{Mine: codeA, Type: mtt.TypeYCBJ, Time: w.env.Clock.Now().Truncate(time.Second)},
			Header: []string{codeA, "甲一矿", w.env.Clock.Now().In(mtt.CST).Format("2006-01-02 15:04:05")},
			YCBJ: []mtt.Alarm{
				{Point: w.ch4.Code, SensorName: "甲烷", Location: "11201采煤工作面", Unit: "%CH4", Type: "001", Start: first.StartedAt.Add(30 * time.Second),
					End: &end, Max: &v, MaxTime: &end, Cause: "放炮", Measures: "加强通风", Time: end},
				{Point: w.ch4.Code, SensorName: "甲烷", Location: "11201采煤工作面", Unit: "%CH4", Type: "001", Start: other, End: &end, Time: end},
			}}
		data, err := mtt.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		if st, body := w.gw.Upload("/api/v1/ingest/files", f.Name.String(), data); st != http.StatusOK {
			t.Fatalf("upload %d %s", st, body)
		}
		var ans struct {
			Items []alarm.Discrepancy
		}
		from := other.Add(-time.Hour).Format(time.RFC3339)
		w.admin.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/alarm-discrepancies?from=%s", w.mineA.ID, from), nil, http.StatusOK, &ans)
		sides := map[string]int{}
		for _, d := range ans.Items {
			sides[d.Side]++
		}
		if len(ans.Items) != 2 || sides["mine_only"] != 1 || sides["platform_only"] != 1 {
			t.Fatalf("discrepancies %+v", ans.Items)
		}
	})
}

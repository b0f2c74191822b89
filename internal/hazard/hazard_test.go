package hazard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/app/apptest"
	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/files"
	"minesafe/internal/hazard"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestCriteriaCatalogues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var coal hazard.Catalogue
		w.mineA.JSON("GET", "/api/v1/hazard-criteria?industry=coal", nil, http.StatusOK, &coal)
		if coal.Version != 1 || len(coal.Categories) != 15 || coal.Categories[0].Code != "C1" || len(coal.Categories[0].Items) != 6 ||
			coal.Categories[0].Items[0].Code != "C1.1" || coal.Categories[0].Items[0].Confidence == "" || coal.Legend["R"] == "" {
			t.Fatalf("coal catalogue v%d: %d categories, first %+v", coal.Version, len(coal.Categories), coal.Categories[0])
		}
		for ind, n := range map[string]int{"metal_underground": 32, "metal_openpit": 13, "tailings": 19} {
			var c hazard.Catalogue
			w.county.JSON("GET", "/api/v1/hazard-criteria?industry="+ind, nil, http.StatusOK, &c)
			if len(c.Categories) != n {
				t.Errorf("%s: %d categories, want %d", ind, len(c.Categories), n)
			}
		}
		w.county.Status("GET", "/api/v1/hazard-criteria?industry=gold", nil, http.StatusUnprocessableEntity)
		w.county.Status("GET", "/api/v1/hazard-criteria?industry=coal&version=9", nil, http.StatusNotFound)
		var all struct {
			Version    int
			Industries map[string]hazard.Catalogue
		}
		w.county.JSON("GET", "/api/v1/hazard-criteria", nil, http.StatusOK, &all)
		if all.Version != 1 || len(all.Industries) != 4 {
			t.Fatalf("all catalogues %d %d", all.Version, len(all.Industries))
		}

		// A major hazard cites version 1.
		h1 := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "major", "source": "self_inspection", "description": "主通风机备用风机不能正常运转",
			"criterion_code": "C5.2", "deadline": w.day(10)}, http.StatusCreated)
		if h1.CriterionVersion == nil || *h1.CriterionVersion != 1 || !strings.Contains(h1.CriterionText, "通风系统") {
			t.Fatalf("cited %+v", h1)
		}

		// The 2026 coal revision arrives: coal only, the 88号 sections carry over.
		var src hazard.Document
		w.admin.JSON("GET", "/api/v1/hazard-criteria/source", nil, http.StatusOK, &src)
		next := map[string]any{"note": "应急管理部令第21号 (test text)", "coal": src.Coal}
		src.Coal[4].Cases[1] = "修订后的情形"
		w.city.Status("POST", "/api/v1/hazard-criteria", next, http.StatusForbidden)
		w.admin.Status("POST", "/api/v1/hazard-criteria", map[string]any{"coal": src.Coal}, http.StatusUnprocessableEntity) // no note
		bad := append([]hazard.CoalCategory(nil), src.Coal...)
		bad[0].CaseConfidence = []string{"V"}
		_, fields := apptest.ErrorOf(w.admin.Status("POST", "/api/v1/hazard-criteria", map[string]any{"note": "x", "coal": bad}, http.StatusUnprocessableEntity))
		if fields["coal[0].case_confidence"] == "" {
			t.Fatalf("bad document fields %v", fields)
		}
		var v2 hazard.CriteriaVersion
		w.admin.JSON("POST", "/api/v1/hazard-criteria", next, http.StatusCreated, &v2)
		if v2.Version != 2 {
			t.Fatalf("new version %+v", v2)
		}
		var c2, c1 hazard.Catalogue
		w.mineA.JSON("GET", "/api/v1/hazard-criteria?industry=coal", nil, http.StatusOK, &c2)
		w.mineA.JSON("GET", "/api/v1/hazard-criteria?industry=coal&version=1", nil, http.StatusOK, &c1)
		if c2.Version != 2 || c2.Categories[4].Items[1].Text != "修订后的情形" || c1.Categories[4].Items[1].Text == "修订后的情形" {
			t.Fatalf("versions: v2 %q, v1 %q", c2.Categories[4].Items[1].Text, c1.Categories[4].Items[1].Text)
		}
		var tail hazard.Catalogue
		w.mineA.JSON("GET", "/api/v1/hazard-criteria?industry=tailings", nil, http.StatusOK, &tail)
		if tail.Version != 2 || len(tail.Categories) != 19 {
			t.Fatalf("tailings carried over: v%d %d", tail.Version, len(tail.Categories))
		}
		var versions struct{ Items []hazard.CriteriaVersion }
		w.county.JSON("GET", "/api/v1/hazard-criteria/versions", nil, http.StatusOK, &versions)
		if len(versions.Items) != 2 || versions.Items[0].Version != 2 {
			t.Fatalf("versions %+v", versions.Items)
		}

		// The old hazard keeps version 1; a new one cites version 2.
		var again hazard.Hazard
		w.mineA.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", h1.ID), nil, http.StatusOK, &again)
		h2 := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "major", "source": "self_inspection", "description": "d",
			"criterion_code": "C5.2", "deadline": w.day(10)}, http.StatusCreated)
		if *again.CriterionVersion != 1 || *h2.CriterionVersion != 2 || !strings.Contains(h2.CriterionText, "修订后的情形") {
			t.Fatalf("kept %v, new %v %q", *again.CriterionVersion, *h2.CriterionVersion, h2.CriterionText)
		}
	})
}

func TestReportRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		base := func(kv ...any) map[string]any {
			m := map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "皮带机护栏缺失", "deadline": w.day(3)}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		w.report(w.mineA, base(), http.StatusCreated)
		// Who reports what.
		w.report(w.mineA, base("source", "inspection"), http.StatusForbidden)
		w.report(w.county, base(), http.StatusForbidden)
		w.report(w.county, base("source", "inspection"), http.StatusCreated)
		w.report(w.insp, base("source", "report"), http.StatusCreated)
		w.report(w.mineA, base("source", "third_party"), http.StatusCreated)
		w.report(w.observer, base("source", "inspection"), http.StatusForbidden)
		// Scope first: another enterprise's mine and another county's read as missing.
		w.report(w.mineB, base(), http.StatusNotFound)
		w.report(w.county2, base("source", "inspection"), http.StatusNotFound)
		// Fields.
		for _, tc := range []struct {
			in    map[string]any
			field string
		}{
			{base("deadline", w.day(-1)), "deadline"},
			{base("deadline", "2026-13-01"), "deadline"},
			{base("level", "major"), "criterion_code"},
			{base("level", "major", "criterion_code", "MU3"), "criterion_code"},
			{base("level", "major", "criterion_code", "C5"), "criterion_code"},
			{base("criterion_code", "C5.1"), "criterion_code"},
			{base("description", " "), "description"},
			{base("hazard_type", "ghosts"), "hazard_type"},
			{base("alarm_id", 1), "alarm_id"},
			{base("source", "monitoring"), "alarm_id"},
		} {
			_, fields := apptest.ErrorOf(w.mineA.Status("POST", "/api/v1/hazards", tc.in, http.StatusUnprocessableEntity))
			if fields[tc.field] == "" {
				t.Errorf("%v: fields %v, want %s", tc.in, fields, tc.field)
			}
		}
		// The metal mine cites the underground section; the code is kept.
		h := w.report(w.insp, base("mine_id", w.metal.ID, "source", "inspection", "level", "major", "criterion_code", "MU1.5"), http.StatusCreated)
		if h.CriterionCode != "MU1.5" || h.CriterionConfidence == "" || h.State != "reported" || h.Overdue {
			t.Fatalf("metal hazard %+v", h)
		}

		// From an alarm: the mine and the description come from it; one hazard per alarm.
		var alarmID int64
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			var err error
			alarmID, err = tx.Insert(context.Background(), `INSERT INTO alarms (mine_id, kind, rule, level, current_level, rule_version, started_at, opened_at, message, region_code, enterprise_id)
				VALUES (?, 'threshold', 'methane.coal_face', 'red', 'red', 1, ?, ?, 'CH4 1.6%', ?, ?)`, w.coal.ID, w.env.Clock.Now(), w.env.Clock.Now(), w.coal.RegionCode, w.entA.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		mon := map[string]any{"level": "general", "source": "monitoring", "alarm_id": alarmID, "deadline": w.day(1)}
		w.report(w.mineB, mon, http.StatusNotFound)
		mh := w.report(w.mineA, mon, http.StatusCreated)
		if mh.MineID != w.coal.ID || mh.AlarmID == nil || *mh.AlarmID != alarmID || !strings.Contains(mh.Description, "CH4 1.6%") {
			t.Fatalf("from alarm %+v", mh)
		}
		if code, _ := apptest.ErrorOf(w.county.Status("POST", "/api/v1/hazards", mon, http.StatusConflict)); code != "duplicate" {
			t.Fatalf("second hazard of an alarm: %s", code)
		}
		mon["mine_id"] = w.metal.ID
		w.report(w.county, mon, http.StatusUnprocessableEntity)
		// The service method others call.
		h2, err := w.svc.CreateFromAlarm(context.Background(), auth.System, alarmID, hazard.HazardInput{Level: "general", Deadline: w.day(1)})
		if err == nil || h2.ID != 0 {
			t.Fatalf("CreateFromAlarm twice: %v", err)
		}

		// Lists: scope and filters.
		var list struct {
			Items []hazard.Hazard
			Total int
		}
		w.mineB.JSON("GET", "/api/v1/hazards", nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("enterprise B sees %d hazards", list.Total)
		}
		w.county2.JSON("GET", "/api/v1/hazards", nil, http.StatusOK, &list)
		if list.Total != 0 {
			t.Fatalf("county 150724 sees %d hazards", list.Total)
		}
		w.city.JSON("GET", "/api/v1/hazards?source=inspection&level=major", nil, http.StatusOK, &list)
		if list.Total != 1 || list.Items[0].ID != h.ID {
			t.Fatalf("filtered %+v", list)
		}
		w.city.JSON("GET", "/api/v1/hazards?q=护栏&state=reported,planned&sort=-deadline&limit=2", nil, http.StatusOK, &list)
		if list.Total != 5 || len(list.Items) != 2 {
			t.Fatalf("q: total %d, page %d", list.Total, len(list.Items))
		}
		_, fields := apptest.ErrorOf(w.city.Status("GET", "/api/v1/hazards?state=open&overdue=maybe&sort=size", nil, http.StatusUnprocessableEntity))
		if fields["state"] == "" || fields["overdue"] == "" || fields["sort"] == "" {
			t.Fatalf("list fields %v", fields)
		}
		raw := w.city.Status("GET", "/api/v1/hazards.xlsx?level=major", nil, http.StatusOK)
		if rows := sheetRows(t, raw); len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "MU1.5") {
			t.Fatalf("export %v", rows)
		}
	})
}

func sheetRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func upload(t *testing.T, c *apptest.Client, name string, data []byte, want int) files.File {
	t.Helper()
	st, raw := c.Upload("/api/v1/files", name, data)
	if st != want {
		t.Fatalf("upload %s: %d %s", name, st, raw)
	}
	var f files.File
	_ = json.Unmarshal(raw, &f)
	return f
}

func TestMajorHazardLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		h := w.report(w.insp, map[string]any{"mine_id": w.coal.ID, "level": "major", "source": "inspection", "description": "采区回风巷风量不足",
			"place": "1201 回风巷", "hazard_type": "ventilation", "criterion_code": "C5.1", "deadline": w.day(20)}, http.StatusCreated)
		if strings.Join(h.Actions, ",") != "" {
			t.Fatalf("inspector's actions on a reported hazard: %v", h.Actions)
		}
		var seen hazard.Hazard
		w.mineA.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", h.ID), nil, http.StatusOK, &seen)
		if strings.Join(seen.Actions, ",") != "plan" {
			t.Fatalf("mine's actions %v", seen.Actions)
		}
		w.mineB.Status("GET", fmt.Sprintf("/api/v1/hazards/%d", h.ID), nil, http.StatusNotFound)
		w.county2.Status("GET", fmt.Sprintf("/api/v1/hazards/%d", h.ID), nil, http.StatusNotFound)

		// Illegal steps: wrong state 409, wrong role 403, outside scope 404.
		if _, code := step(t, w.mineA, h.ID, "start", nil, http.StatusConflict); code != "wrong_state" {
			t.Fatalf("start from reported: %s", code)
		}
		step(t, w.county, h.ID, "plan", map[string]any{"measures": "x"}, http.StatusForbidden)
		step(t, w.mineB, h.ID, "plan", map[string]any{"measures": "x"}, http.StatusNotFound)
		step(t, w.observer, h.ID, "plan", map[string]any{"measures": "x"}, http.StatusForbidden)
		// A major plan needs the five fixes; it may not push the deadline back.
		_, raw := w.mineA.Do("POST", fmt.Sprintf("/api/v1/hazards/%d/plan", h.ID), map[string]any{"measures": "增设局部通风机"})
		if _, fields := apptest.ErrorOf(raw); fields["responsibility"] == "" || fields["funds_yuan"] == "" || fields["deadline"] == "" || fields["contingency"] == "" {
			t.Fatalf("five fixes: %s", raw)
		}
		plan := map[string]any{"responsibility": "通风副总 王某", "measures": "增设局部通风机，调整风门", "funds_yuan": 120000, "deadline": w.day(30),
			"contingency": "风量不足时停止作业撤出人员"}
		step(t, w.mineA, h.ID, "plan", plan, http.StatusUnprocessableEntity)
		plan["deadline"] = w.day(15)
		p, _ := step(t, w.mineA, h.ID, "plan", plan, http.StatusOK)
		if p.State != "planned" || p.Deadline != w.day(15) || p.FundsYuan == nil || *p.FundsYuan != 120000 || p.PlannedBy != "mineA" {
			t.Fatalf("planned %+v", p)
		}
		step(t, w.mineA, h.ID, "start", nil, http.StatusOK)
		step(t, w.mineA, h.ID, "rectified", map[string]any{}, http.StatusUnprocessableEntity)

		// Evidence with photos: uploaded first, attached by the step.
		photo := upload(t, w.mineA, "风机.png", pngBytes(), http.StatusCreated)
		if photo.ContentType != "image/png" || photo.ID == 0 {
			t.Fatalf("photo %+v", photo)
		}
		w.county.Status("GET", fmt.Sprintf("/api/v1/files/%d", photo.ID), nil, http.StatusNotFound) // not attached yet: uploader only
		w.mineA.Status("GET", fmt.Sprintf("/api/v1/files/%d", photo.ID), nil, http.StatusOK)
		upload(t, w.mineA, "notes.txt", []byte("plain text is not evidence"), http.StatusUnprocessableEntity)
		other := upload(t, w.mineB, "b.png", pngBytes(), http.StatusCreated)
		step(t, w.mineA, h.ID, "rectified", map[string]any{"evidence": "已安装", "attachment_ids": []int64{other.ID}}, http.StatusUnprocessableEntity)
		r, _ := step(t, w.mineA, h.ID, "rectified", map[string]any{"evidence": "已安装局部通风机，风量 620 m³/min", "attachment_ids": []int64{photo.ID}}, http.StatusOK)
		if r.State != "rectified" || len(r.Attachments) != 1 || r.Attachments[0].ID != photo.ID {
			t.Fatalf("rectified %+v", r)
		}
		body := w.county.Status("GET", fmt.Sprintf("/api/v1/files/%d", photo.ID), nil, http.StatusOK)
		if !bytes.Equal(body, pngBytes()) {
			t.Fatal("photo content differs")
		}
		w.mineB.Status("GET", fmt.Sprintf("/api/v1/files/%d", photo.ID), nil, http.StatusNotFound)
		w.county2.Status("GET", fmt.Sprintf("/api/v1/files/%d", photo.ID), nil, http.StatusNotFound)
		// Attached once only.
		w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "d", "deadline": w.day(2),
			"attachment_ids": []int64{photo.ID}}, http.StatusUnprocessableEntity)

		// Only a regulator verifies and closes a major hazard.
		_, raw = w.mineA.Do("POST", fmt.Sprintf("/api/v1/hazards/%d/verify", h.ID), nil)
		if !strings.Contains(string(raw), "major hazard") {
			t.Fatalf("mine verifying: %s", raw)
		}
		step(t, w.mineA, h.ID, "verify", nil, http.StatusForbidden)
		step(t, w.county2, h.ID, "verify", nil, http.StatusNotFound)
		step(t, w.insp, h.ID, "return", map[string]any{}, http.StatusUnprocessableEntity)
		ret, _ := step(t, w.insp, h.ID, "return", map[string]any{"reason": "风量仍不足"}, http.StatusOK)
		if ret.State != "rectifying" || ret.ReturnReason != "风量仍不足" || ret.ReturnCount != 1 {
			t.Fatalf("returned %+v", ret)
		}
		step(t, w.mineA, h.ID, "rectified", map[string]any{"evidence": "更换大功率风机"}, http.StatusOK)
		step(t, w.insp, h.ID, "verify", map[string]any{"note": "现场复核合格"}, http.StatusOK)
		step(t, w.insp, h.ID, "close", nil, http.StatusForbidden)
		step(t, w.mineA, h.ID, "close", nil, http.StatusForbidden)
		c, _ := step(t, w.county, h.ID, "close", nil, http.StatusOK)
		if c.State != "closed" || c.ClosedBy != "cb" || c.ClosedAt == nil || len(c.Actions) != 0 {
			t.Fatalf("closed %+v", c)
		}
		step(t, w.county, h.ID, "close", nil, http.StatusConflict)

		// The trail: every step, who, when, from and to.
		var trail struct {
			Items []events.Event
			Total int
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d/trail", h.ID), nil, http.StatusOK, &trail)
		var got []string
		for _, e := range trail.Items {
			got = append(got, e.Action+":"+e.FromState+">"+e.ToState+"@"+e.Actor)
			if e.At.IsZero() {
				t.Fatal("an event without time")
			}
		}
		want := "report:>reported@insp plan:reported>planned@mineA start:planned>rectifying@mineA rectified:rectifying>rectified@mineA " +
			"return:rectified>rectifying@insp rectified:rectifying>rectified@mineA verify:rectified>verified@insp close:verified>closed@cb"
		if strings.Join(got, " ") != want {
			t.Fatalf("trail\n got %s\nwant %s", strings.Join(got, " "), want)
		}
		w.mineB.Status("GET", fmt.Sprintf("/api/v1/hazards/%d/trail", h.ID), nil, http.StatusNotFound)
	})
}

func TestGeneralHazardSelfCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		h := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "消防器材过期",
			"deadline": w.day(5)}, http.StatusCreated)
		step(t, w.mineA, h.ID, "plan", map[string]any{}, http.StatusUnprocessableEntity) // measures
		p, _ := step(t, w.mineA, h.ID, "plan", map[string]any{"measures": "更换灭火器"}, http.StatusOK)
		if p.Deadline != w.day(5) {
			t.Fatalf("deadline kept: %s", p.Deadline)
		}
		step(t, w.mineA, h.ID, "start", nil, http.StatusOK)
		step(t, w.mineA, h.ID, "rectified", map[string]any{"evidence": "已更换"}, http.StatusOK)
		step(t, w.mineA, h.ID, "return", map[string]any{"reason": "数量不够"}, http.StatusOK)
		step(t, w.mineA, h.ID, "rectified", map[string]any{"evidence": "已补齐"}, http.StatusOK)
		v, _ := step(t, w.mineA, h.ID, "verify", nil, http.StatusOK)
		if strings.Join(v.Actions, ",") != "return,close" {
			t.Fatalf("mine's actions on its verified general hazard: %v", v.Actions)
		}
		step(t, w.mineB, h.ID, "close", nil, http.StatusNotFound)
		c, _ := step(t, w.mineA, h.ID, "close", nil, http.StatusOK)
		if c.State != "closed" || c.VerifiedBy != "mineA" {
			t.Fatalf("closed %+v", c)
		}
		// Regulators may check a general hazard too.
		g := w.report(w.county, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "inspection", "description": "d", "deadline": w.day(5)}, http.StatusCreated)
		step(t, w.mineA, g.ID, "plan", map[string]any{"measures": "m"}, http.StatusOK)
		step(t, w.mineA, g.ID, "start", nil, http.StatusOK)
		step(t, w.mineA, g.ID, "rectified", map[string]any{"evidence": "e"}, http.StatusOK)
		step(t, w.insp, g.ID, "verify", nil, http.StatusOK)
		step(t, w.city, g.ID, "close", nil, http.StatusOK)
	})
}

func TestOverdueEscalationAndSupervision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		sub, _, _ := w.env.App.Telemetry.Hub().Subscribe(map[int64]bool{w.coal.ID: true}, 0)
		defer w.env.App.Telemetry.Hub().Unsubscribe(sub)

		gen := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "巷道积水",
			"deadline": w.day(2)}, http.StatusCreated)
		maj := w.report(w.county, map[string]any{"mine_id": w.coal.ID, "level": "major", "source": "inspection", "description": "探放水未执行",
			"criterion_code": "C6.1", "deadline": w.day(40)}, http.StatusCreated)
		done := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "d",
			"deadline": w.day(2)}, http.StatusCreated)
		step(t, w.mineA, done.ID, "plan", map[string]any{"measures": "m"}, http.StatusOK)
		step(t, w.mineA, done.ID, "start", nil, http.StatusOK)
		step(t, w.mineA, done.ID, "rectified", map[string]any{"evidence": "e"}, http.StatusOK)

		rep, err := w.svc.RunDaily(ctx, w.env.Clock.Now())
		if err != nil || len(rep.Escalated)+len(rep.Supervised) != 0 {
			t.Fatalf("nothing is due yet: %+v %v", rep, err)
		}
		// The deadline day (today + 2) ends at 24:00 Shanghai: still on time
		// one second before, overdue at midnight.
		deadlineEnd, _ := time.ParseInLocation(time.DateOnly, w.day(3), time.FixedZone("CST", 8*3600))
		w.env.Clock.Set(deadlineEnd.Add(-time.Second))
		var g hazard.Hazard
		w.county.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", gen.ID), nil, http.StatusOK, &g)
		if g.Overdue {
			t.Fatal("overdue before the deadline day ended")
		}
		w.env.Clock.Set(deadlineEnd)
		w.county.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", gen.ID), nil, http.StatusOK, &g)
		if !g.Overdue || g.OverdueDays != 1 {
			t.Fatalf("at midnight: overdue %v days %d", g.Overdue, g.OverdueDays)
		}
		var list struct{ Total int }
		w.county.JSON("GET", "/api/v1/hazards?overdue=true", nil, http.StatusOK, &list)
		if list.Total != 1 {
			t.Fatalf("overdue list %d", list.Total)
		}
		rep, err = w.svc.RunDaily(ctx, w.env.Clock.Now())
		if err != nil || len(rep.Escalated) != 1 || rep.Escalated[0] != gen.ID || len(rep.Supervised) != 0 {
			t.Fatalf("first overdue day: %+v %v", rep, err)
		}
		w.county.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", gen.ID), nil, http.StatusOK, &g)
		if g.EscalatedTo != "county" || g.EscalatedAt == nil {
			t.Fatalf("escalated %+v", g)
		}
		if rep, _ = w.svc.RunDaily(ctx, w.env.Clock.Now()); len(rep.Escalated) != 0 {
			t.Fatalf("a second run escalated again: %+v", rep)
		}
		pushed := false
		for len(sub.C) > 0 {
			ev := <-sub.C
			pushed = pushed || ev.Type == "hazard" && strings.Contains(string(ev.Data), `"event":"escalate"`)
		}
		if !pushed {
			t.Fatal("no escalate event on the stream")
		}
		// Still overdue 7 days later: the city.
		w.env.Clock.Advance(6 * 24 * time.Hour)
		if rep, _ = w.svc.RunDaily(ctx, w.env.Clock.Now()); len(rep.Escalated) != 0 {
			t.Fatalf("city after 6 days: %+v", rep)
		}
		w.env.Clock.Advance(24 * time.Hour)
		if rep, _ = w.svc.RunDaily(ctx, w.env.Clock.Now()); len(rep.Escalated) != 1 {
			t.Fatalf("city after 7 days: %+v", rep)
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", gen.ID), nil, http.StatusOK, &g)
		if g.EscalatedTo != "city" {
			t.Fatalf("escalated to %q", g.EscalatedTo)
		}
		// The major hazard, open 30 days (deadline not yet passed), is supervised.
		w.env.Clock.Set(maj.ReportedAt.Add(30 * 24 * time.Hour))
		rep, _ = w.svc.RunDaily(ctx, w.env.Clock.Now())
		if len(rep.Supervised) != 1 || rep.Supervised[0] != maj.ID {
			t.Fatalf("supervision: %+v", rep)
		}
		var m hazard.Hazard
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", maj.ID), nil, http.StatusOK, &m)
		if !m.Supervised || m.SupervisedAt == nil || m.SupervisionReason == "" || m.Overdue {
			t.Fatalf("supervised %+v", m)
		}
		// Overdue, a major hazard goes straight to the city.
		w.env.Clock.Set(maj.ReportedAt.Add(45 * 24 * time.Hour))
		if rep, _ = w.svc.RunDaily(ctx, w.env.Clock.Now()); len(rep.Escalated) != 1 || rep.Escalated[0] != maj.ID {
			t.Fatalf("major overdue: %+v", rep)
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", maj.ID), nil, http.StatusOK, &m)
		if m.EscalatedTo != "city" {
			t.Fatalf("major escalated to %q", m.EscalatedTo)
		}
		var trail struct{ Items []events.Event }
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d/trail", maj.ID), nil, http.StatusOK, &trail)
		if n := len(trail.Items); n != 3 || trail.Items[1].Action != "supervise" || trail.Items[2].Action != "escalate" || trail.Items[2].Actor != "system" {
			t.Fatalf("trail %+v", trail.Items)
		}
		// The rectified one is neither overdue nor escalated.
		var d hazard.Hazard
		w.city.JSON("GET", fmt.Sprintf("/api/v1/hazards/%d", done.ID), nil, http.StatusOK, &d)
		if d.Overdue || d.EscalatedTo != "" {
			t.Fatalf("rectified hazard %+v", d)
		}
		// The public list of supervised major hazards.
		rows := sheetRows(t, w.city.Status("GET", "/api/v1/hazards/supervised.xlsx", nil, http.StatusOK))
		if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "C6.1") {
			t.Fatalf("public list %v", rows)
		}
		if rows := sheetRows(t, w.county2.Status("GET", "/api/v1/hazards/supervised.xlsx", nil, http.StatusOK)); len(rows) != 1 {
			t.Fatalf("another county's public list %v", rows)
		}
		w.city.JSON("GET", "/api/v1/hazards?supervised=true&escalated_to=city", nil, http.StatusOK, &list)
		if list.Total != 1 {
			t.Fatalf("supervised & city: %d", list.Total)
		}
	})
}

func TestOpenBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		start := w.day(0)
		a := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "a", "deadline": w.day(1)}, http.StatusCreated)
		b := w.report(w.mineA, map[string]any{"mine_id": w.coal.ID, "level": "general", "source": "self_inspection", "description": "b", "deadline": w.day(9)}, http.StatusCreated)
		step(t, w.mineA, b.ID, "plan", map[string]any{"measures": "m"}, http.StatusOK)
		step(t, w.mineA, b.ID, "start", nil, http.StatusOK)
		w.env.Clock.Advance(3 * 24 * time.Hour)
		step(t, w.mineA, b.ID, "rectified", map[string]any{"evidence": "e"}, http.StatusOK)
		step(t, w.mineA, b.ID, "verify", nil, http.StatusOK)
		step(t, w.mineA, b.ID, "close", nil, http.StatusOK)
		accident := w.day(-1) // between the reports and the close
		var open struct {
			Items []hazard.OpenHazard
			Total int
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=%s", w.coal.ID, accident), nil, http.StatusOK, &open)
		if open.Total != 2 || open.Items[0].ID != a.ID || open.Items[0].StateThen != "reported" || !open.Items[0].OverdueThen ||
			open.Items[1].StateThen != "rectifying" || open.Items[1].OverdueThen || open.Items[1].State != "closed" {
			t.Fatalf("open before %s: %+v", accident, open.Items)
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=%s", w.coal.ID, start), nil, http.StatusOK, &open)
		if open.Total != 0 {
			t.Fatalf("before the first report: %d", open.Total)
		}
		w.city.JSON("GET", fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=%s", w.coal.ID, w.day(1)), nil, http.StatusOK, &open)
		if open.Total != 1 || open.Items[0].ID != a.ID {
			t.Fatalf("after the close: %+v", open.Items)
		}
		w.mineB.Status("GET", fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=%s", w.coal.ID, start), nil, http.StatusNotFound)
		w.city.Status("GET", fmt.Sprintf("/api/v1/mines/%d/hazards-open-before?date=soon", w.coal.ID), nil, http.StatusUnprocessableEntity)
	})
}

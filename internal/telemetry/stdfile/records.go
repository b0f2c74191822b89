package stdfile

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/catalog"
	"minesafe/internal/telemetry/mtt"
)

// apply does what a parsed file of each type means, filling res.
func (d *Door) apply(ctx context.Context, up uploader, m registry.Mine, f *mtt.File, res *FileResult) (stage, error) {
	switch f.Type {
	case mtt.TypeCDDY:
		return stage{}, d.definePoints(ctx, up.p, m, f, res)
	case mtt.TypeCDSS:
		return d.ingestSamples(ctx, m, f, res)
	case mtt.TypeTJSJ:
		return d.reportedStats(ctx, m, f, res)
	case mtt.TypeYCBJ:
		return d.reportedAlarms(ctx, m, f, res)
	case mtt.TypeFZDY:
		return d.defineStations(m, f, res), nil
	case mtt.TypeFZSS:
		return d.stationStates(up, m, f, res), nil
	}
	return stage{}, fmt.Errorf("stdfile: no handling for type %s", f.Type)
}

// recordIndexes answers the record number of each of the n records the
// parser kept: it numbers every non-blank record and drops the bad ones
// (listed in f.Errors), so the kept ones fill the gaps in order.
func recordIndexes(f *mtt.File, n int) []int {
	bad := make(map[int]bool, len(f.Errors))
	for _, e := range f.Errors {
		bad[e.Index] = true
	}
	out := make([]int, 0, n)
	for i := 1; len(out) < n; i++ {
		if !bad[i] {
			out = append(out, i)
		}
	}
	return out
}

// minePoints answers a mine's points by code, archived ones included (a
// file may still name them).
func (d *Door) minePoints(ctx context.Context, mineID int64) (map[string]telemetry.Point, error) {
	out := map[string]telemetry.Point{}
	lp := httpx.ListParams{Limit: 1000, IncludeArchived: true}
	for {
		pts, total, err := d.svc.ListPoints(ctx, auth.System, mineID, lp, "")
		if err != nil {
			return nil, err
		}
		for _, p := range pts {
			out[p.Code] = p
		}
		lp.Offset += len(pts)
		if len(pts) == 0 || lp.Offset >= total {
			return out, nil
		}
	}
}

// pointID answers the id of a point code, nil when the mine has no such point.
func pointID(pts map[string]telemetry.Point, code string) *int64 {
	if p, ok := pts[code]; ok {
		id := p.ID
		return &id
	}
	return nil
}

// definePoints upserts the CDDY points. The network validates all rows
// before it writes any, naming the bad ones; those are refused here and
// the rest written, so one bad definition does not hold up the others.
func (d *Door) definePoints(ctx context.Context, p *auth.Principal, m registry.Mine, f *mtt.File, res *FileResult) error {
	existing, err := d.minePoints(ctx, m.ID)
	if err != nil {
		return err
	}
	idx := recordIndexes(f, len(f.CDDY))
	var rows []telemetry.PointFields
	var at []int // the record index of each row
	for i, def := range f.CDDY {
		pf, err := pointFields(def)
		if err != nil {
			res.refuse(idx[i], def.Point, CodeInvalid, err.Error())
			continue
		}
		// The file does not carry these: keep what was set here (the
		// location class chooses the regulation's thresholds).
		if cur, ok := existing[def.Point]; ok {
			pf.LocationClass, pf.PeriodS = cur.LocationClass, cur.PeriodS
		}
		rows = append(rows, pf)
		at = append(at, idx[i])
	}
	created, updated := 0, 0
	for len(rows) > 0 {
		created, updated, err = d.svc.UpsertPoints(ctx, p, m.ID, rows, telemetry.SourceFile)
		if err == nil {
			break
		}
		bad := badRows(err, len(rows))
		if bad == nil {
			return err
		}
		keepRows, keepAt := rows[:0], at[:0]
		for i := range rows {
			if reason, ok := bad[i]; ok {
				res.refuse(at[i], rows[i].Code, CodeInvalid, reason)
				continue
			}
			keepRows, keepAt = append(keepRows, rows[i]), append(keepAt, at[i])
		}
		rows, at = keepRows, keepAt
	}
	res.Accepted = created + updated
	res.Created, res.Updated = &created, &updated
	return nil
}

// badRows reads the rows[i] fields of UpsertPoints' refusal, or nil when
// err is something else.
func badRows(err error, n int) map[int]string {
	e, ok := fail.As(err)
	if !ok || e.Kind != fail.Invalid || len(e.Fields) == 0 {
		return nil
	}
	out := map[int]string{}
	for k, v := range e.Fields {
		s, ok := strings.CutPrefix(k, "rows[")
		if !ok {
			return nil
		}
		i, err := strconv.Atoi(strings.TrimSuffix(s, "]"))
		if err != nil || i < 0 || i >= n {
			return nil
		}
		// The row's own refusal reads "some fields are invalid (field: why)".
		if inner, ok := strings.CutPrefix(v, "some fields are invalid ("); ok {
			v = strings.TrimSuffix(inner, ")")
		}
		out[i] = v
	}
	return out
}

// pointFields maps a CDDY record onto a point definition.
func pointFields(def mtt.PointDef) (telemetry.PointFields, error) {
	st, ok := catalog.BySensorCode(def.SensorType)
	if !ok {
		return telemetry.PointFields{}, fmt.Errorf("sensor type code %s is not in the catalogue (GET /api/v1/catalog/sensors)", def.SensorType)
	}
	vt := telemetry.ValueAnalog
	if def.ValueType == mtt.Switch {
		vt = telemetry.ValueSwitch
	}
	return telemetry.PointFields{
		Code: def.Point, SensorType: st.Key, ValueType: vt, Unit: def.Unit,
		RangeMin: def.RangeLow, RangeMax: def.RangeHigh, StationCode: def.Station, Location: def.Location,
		AlarmHigh: def.AlarmHigh, ResetHigh: def.AlarmHighReset, AlarmLow: def.AlarmLow, ResetLow: def.AlarmLowReset,
		CutHigh: def.PowerCutHigh, RestoreHigh: def.PowerRestoreHigh, CutLow: def.PowerCutLow, RestoreLow: def.PowerRestoreLow,
		OpenText: def.OnText, StopText: def.OffText, X: def.X, Y: def.Y, Z: def.Z, Relation: def.Relation,
	}, nil
}

// ingestSamples sends the CDSS records through the network's ingest path
// (validated, stored durably, published) and maps its refusals back to
// record numbers. Records the parser refused never reach ingest; they are
// written to the same rejected-sample log with the file's row.
func (d *Door) ingestSamples(ctx context.Context, m registry.Mine, f *mtt.File, res *FileResult) (stage, error) {
	if len(f.CDSS) > 0 {
		idx := recordIndexes(f, len(f.CDSS))
		b := telemetry.Batch{Mine: m.Code, Samples: make([]telemetry.BatchSample, len(f.CDSS))}
		for i, s := range f.CDSS {
			v := s.Value
			b.Samples[i] = telemetry.BatchSample{Point: s.Point, Time: s.Time.UTC().Format(time.RFC3339Nano), Value: &v, Status: int(s.Status)}
		}
		r, err := d.svc.Ingest(ctx, m.ID, b, telemetry.SourceFile)
		if err != nil {
			return stage{}, err
		}
		res.Accepted = r.Accepted
		for _, rj := range r.Rejected {
			res.refuse(idx[rj.Index], rj.Point, rj.Code, rj.Reason)
		}
	}
	if len(f.Errors) == 0 {
		return stage{}, nil
	}
	return stage{write: func(ctx context.Context, tx *store.Tx, fileID int64) error {
		for _, e := range f.Errors {
			fields := strings.Split(e.Raw, ";")
			sampleTime := ""
			if len(fields) >= 7 {
				sampleTime = strings.TrimSpace(fields[6])
			}
			if _, err := tx.Exec(ctx, `INSERT INTO rejected_samples (mine_id, at, source, point, sample_time, value, reason_code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				m.ID, res.ReceivedAt, telemetry.SourceFile, cut(strings.TrimSpace(fields[0]), 200), cut(sampleTime, 64), nil, CodeMalformed,
				fmt.Sprintf("file %s record %d: %s", res.File, e.Index, e.Reason)); err != nil {
				return err
			}
		}
		return nil
	}}, nil
}

// cut shortens s to at most n bytes on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// asReported keeps n records as the mine reported them, put writing the
// i-th with the file's id and the mine's points (to link a known point).
func (d *Door) asReported(ctx context.Context, m registry.Mine, n int, res *FileResult,
	put func(ctx context.Context, tx *store.Tx, fileID int64, i int, pts map[string]telemetry.Point) error) (stage, error) {
	pts, err := d.minePoints(ctx, m.ID)
	if err != nil {
		return stage{}, err
	}
	res.Accepted = n
	return stage{write: func(ctx context.Context, tx *store.Tx, fileID int64) error {
		for i := 0; i < n; i++ {
			if err := put(ctx, tx, fileID, i, pts); err != nil {
				return err
			}
		}
		return nil
	}}, nil
}

// reportedStats keeps TJSJ records as reported. A later report of the same
// point and period replaces an earlier one rather than counting twice.
func (d *Door) reportedStats(ctx context.Context, m registry.Mine, f *mtt.File, res *FileResult) (stage, error) {
	return d.asReported(ctx, m, len(f.TJSJ), res, func(ctx context.Context, tx *store.Tx, fileID int64, i int, pts map[string]telemetry.Point) error {
		s := f.TJSJ[i]
		_, err := tx.Exec(ctx, `INSERT INTO mine_stats (mine_id, file_id, point_code, point_id, sensor_name, location, unit, period_start, period_end,
			max_value, max_at, min_value, min_at, avg_value, data_time, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (mine_id, point_code, period_start, period_end) DO UPDATE SET file_id = excluded.file_id, point_id = excluded.point_id,
			sensor_name = excluded.sensor_name, location = excluded.location, unit = excluded.unit, max_value = excluded.max_value,
			max_at = excluded.max_at, min_value = excluded.min_value, min_at = excluded.min_at, avg_value = excluded.avg_value,
			data_time = excluded.data_time, received_at = excluded.received_at
			WHERE mine_stats.data_time <= excluded.data_time`,
			m.ID, fileID, s.Point, pointID(pts, s.Point), s.SensorName, s.Location, s.Unit, s.Start, s.End,
			s.Max, s.MaxTime, s.Min, s.MinTime, s.Avg, s.Time, res.ReceivedAt)
		return err
	})
}

// reportedAlarms keeps YCBJ records as reported: one row per point,
// abnormal type and start, which a later report of the same abnormality
// (its end, the measures taken) updates. A report older than the stored
// one (by data time) does not undo it.
func (d *Door) reportedAlarms(ctx context.Context, m registry.Mine, f *mtt.File, res *FileResult) (stage, error) {
	return d.asReported(ctx, m, len(f.YCBJ), res, func(ctx context.Context, tx *store.Tx, fileID int64, i int, pts map[string]telemetry.Point) error {
		a := f.YCBJ[i]
		_, err := tx.Exec(ctx, `INSERT INTO mine_reported_alarms (mine_id, file_id, point_code, point_id, sensor_name, location, unit, abnormal_type,
			start_at, end_at, max_value, max_at, min_value, min_at, avg_value, cause, measures, entered_at, entered_by, data_time, received_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (mine_id, point_code, abnormal_type, start_at) DO UPDATE SET file_id = excluded.file_id, point_id = excluded.point_id,
			sensor_name = excluded.sensor_name, location = excluded.location, unit = excluded.unit, end_at = excluded.end_at,
			max_value = excluded.max_value, max_at = excluded.max_at, min_value = excluded.min_value, min_at = excluded.min_at,
			avg_value = excluded.avg_value, cause = excluded.cause, measures = excluded.measures, entered_at = excluded.entered_at,
			entered_by = excluded.entered_by, data_time = excluded.data_time, updated_at = excluded.updated_at
			WHERE mine_reported_alarms.data_time <= excluded.data_time`,
			m.ID, fileID, a.Point, pointID(pts, a.Point), a.SensorName, a.Location, a.Unit, a.Type,
			a.Start, a.End, a.Max, a.MaxTime, a.Min, a.MinTime, a.Avg, a.Cause, a.Measures, a.EnteredAt, a.EnteredBy, a.Time,
			res.ReceivedAt, res.ReceivedAt)
		return err
	})
}

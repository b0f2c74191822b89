package telemetry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry/catalog"
	"minesafe/internal/telemetry/mtt"
)

// Value types of a point.
const (
	ValueAnalog = "analog"
	ValueSwitch = "switch"
)

// PointFields are what a point's input and answer share. Thresholds are the
// point's own settings (from its CDDY definition); the warnings issue applies
// the stricter of these and the regulation's.
type PointFields struct {
	Code          string   `json:"code"`
	SensorType    string   `json:"sensor_type"`
	ValueType     string   `json:"value_type"`
	Unit          string   `json:"unit"`
	RangeMin      *float64 `json:"range_min"`
	RangeMax      *float64 `json:"range_max"`
	PeriodS       int      `json:"period_s"`
	Location      string   `json:"location"`
	LocationClass string   `json:"location_class"`
	StationCode   string   `json:"station_code"`
	AlarmHigh     *float64 `json:"alarm_high"`
	ResetHigh     *float64 `json:"reset_high"`
	AlarmLow      *float64 `json:"alarm_low"`
	ResetLow      *float64 `json:"reset_low"`
	CutHigh       *float64 `json:"cut_high"`
	RestoreHigh   *float64 `json:"restore_high"`
	CutLow        *float64 `json:"cut_low"`
	RestoreLow    *float64 `json:"restore_low"`
	OpenText      string   `json:"open_text"`
	StopText      string   `json:"stop_text"`
	X             *float64 `json:"x"`
	Y             *float64 `json:"y"`
	Z             *float64 `json:"z"`
	Relation      string   `json:"relation"`
}

// Point is a monitoring point (测点) of a mine.
type Point struct {
	ID     int64 `json:"id"`
	MineID int64 `json:"mine_id"`
	PointFields
	Source        string     `json:"source"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ArchivedAt    *time.Time `json:"archived_at"`
	ArchiveReason string     `json:"archive_reason"`
}

func (p *Point) outOfRange(v float64) bool {
	return (p.RangeMax != nil && v > *p.RangeMax) || (p.RangeMin != nil && v < *p.RangeMin)
}

// pointSet is a mine's points by code, cached for the ingest path.
type pointSet struct {
	mineID   int64
	mineCode string
	byCode   map[string]*Point
}

type pointCache struct {
	mu sync.Mutex
	m  map[int64]*pointSet
}

func (c *pointCache) drop(mineID int64) {
	c.mu.Lock()
	delete(c.m, mineID)
	c.mu.Unlock()
}

func (s *Service) pointSet(ctx context.Context, mineID int64) (*pointSet, error) {
	s.points.mu.Lock()
	ps := s.points.m[mineID]
	s.points.mu.Unlock()
	if ps != nil {
		return ps, nil
	}
	m, err := s.reg.GetMine(ctx, auth.System, mineID)
	if err != nil {
		return nil, err
	}
	pts, err := s.selectPoints(ctx, "mine_id = ?", []any{mineID}, "ORDER BY id", true)
	if err != nil {
		return nil, err
	}
	ps = &pointSet{mineID: mineID, mineCode: m.Code, byCode: make(map[string]*Point, len(pts))}
	for i := range pts {
		ps.byCode[pts[i].Code] = &pts[i]
	}
	s.points.mu.Lock()
	s.points.m[mineID] = ps
	s.points.mu.Unlock()
	return ps, nil
}

const pointCols = `id, mine_id, code, sensor_type, value_type, unit, range_min, range_max, period_s, location, location_class, station_code,
	alarm_high, reset_high, alarm_low, reset_low, cut_high, restore_high, cut_low, restore_low, open_text, stop_text, x, y, z, relation,
	source, created_at, updated_at, archived_at, archive_reason`

func scanPoint(row interface{ Scan(...any) error }) (Point, error) {
	var p Point
	f := &p.PointFields
	err := row.Scan(&p.ID, &p.MineID, &f.Code, &f.SensorType, &f.ValueType, &f.Unit, &f.RangeMin, &f.RangeMax, &f.PeriodS, &f.Location, &f.LocationClass, &f.StationCode,
		&f.AlarmHigh, &f.ResetHigh, &f.AlarmLow, &f.ResetLow, &f.CutHigh, &f.RestoreHigh, &f.CutLow, &f.RestoreLow, &f.OpenText, &f.StopText, &f.X, &f.Y, &f.Z, &f.Relation,
		&p.Source, &p.CreatedAt, &p.UpdatedAt, &p.ArchivedAt, &p.ArchiveReason)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

func (s *Service) selectPoints(ctx context.Context, where string, args []any, tail string, withArchived bool) ([]Point, error) {
	if !withArchived {
		where += " AND archived_at IS NULL"
	}
	rows, err := s.db.Query(ctx, `SELECT `+pointCols+` FROM points WHERE `+where+` `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Point{}
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// mayEditPoints: admins, city, county in scope, and the mine's enterprise.
func mayEditPoints(p *auth.Principal) error {
	if !p.Is(auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleEnterprise) {
		return fail.Forbiddenf("role %s may not change monitoring points", p.Role)
	}
	return nil
}

var freeCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

// normalise fills defaults from the catalogue and checks every field,
// naming each bad one.
func normalisePoint(m registry.Mine, in *PointFields) error {
	f := fail.Fields{}
	in.Code = strings.TrimSpace(in.Code)
	if registry.IsCoal(m.Kind) && safetySystemSensor(in.SensorType) {
		pc, err := mtt.ParsePointCode(m.Code, in.Code)
		if err != nil {
			f.Add("code", "%v (coal point codes follow MT/T 1201: mine code + system 2 + MN/KG + sensor type 4 + original code)", err)
		} else {
			vt := ValueAnalog
			if pc.ValueType == "KG" {
				vt = ValueSwitch
			}
			if in.ValueType == "" {
				in.ValueType = vt
			} else if in.ValueType != vt {
				f.Add("value_type", "the code says %s (%s)", vt, pc.ValueType)
			}
			key, ok := sensorByCode(pc.SensorType)
			switch {
			case !ok:
				f.Add("code", "sensor type code %s is not in the catalogue", pc.SensorType)
			case in.SensorType == "":
				in.SensorType = key
			case in.SensorType != key && !sensorCompatible(in.SensorType, key):
				f.Add("sensor_type", "the code's sensor type %s is %s, not %s", pc.SensorType, key, in.SensorType)
			}
		}
	} else if !freeCodeRE.MatchString(in.Code) {
		f.Add("code", "1–64 letters, digits, '_', '.' or '-'")
	}
	sensor, ok := sensorInfo(in.SensorType)
	if !ok {
		f.Add("sensor_type", "unknown sensor type %q: see GET /api/v1/catalog/sensors", in.SensorType)
	} else {
		if in.ValueType == "" {
			in.ValueType = sensor.valueType
		}
		if in.Unit == "" {
			in.Unit = sensor.unit
		}
		if in.RangeMin == nil && in.RangeMax == nil && sensor.rangeMax != nil {
			in.RangeMin, in.RangeMax = sensor.rangeMin, sensor.rangeMax
		}
	}
	if in.ValueType != ValueAnalog && in.ValueType != ValueSwitch {
		f.Add("value_type", "must be analog or switch")
	}
	if in.LocationClass == "" {
		in.LocationClass = "general"
	}
	if !locationKnown(in.LocationClass) {
		f.Add("location_class", "unknown location class %q: see GET /api/v1/catalog/locations", in.LocationClass)
	}
	if in.PeriodS == 0 {
		in.PeriodS = 30
	}
	if in.PeriodS < 1 || in.PeriodS > 86400 {
		f.Add("period_s", "must be from 1 to 86400 seconds")
	}
	for name, v := range map[string]*float64{"range_min": in.RangeMin, "range_max": in.RangeMax, "alarm_high": in.AlarmHigh, "reset_high": in.ResetHigh,
		"alarm_low": in.AlarmLow, "reset_low": in.ResetLow, "cut_high": in.CutHigh, "restore_high": in.RestoreHigh, "cut_low": in.CutLow, "restore_low": in.RestoreLow} {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			f.Add(name, "must be a finite number")
		}
	}
	if in.RangeMin != nil && in.RangeMax != nil && !(*in.RangeMin < *in.RangeMax) {
		f.Add("range_max", "must be above range_min")
	}
	return f.Err()
}

// CreatePoint adds a monitoring point to a mine.
func (s *Service) CreatePoint(ctx context.Context, p *auth.Principal, mineID int64, in PointFields, source string) (Point, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return Point{}, err
	}
	if err := mayEditPoints(p); err != nil {
		return Point{}, err
	}
	if err := normalisePoint(m, &in); err != nil {
		return Point{}, err
	}
	var id int64
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		id, err = insertPoint(ctx, tx, mineID, in, source, now)
		if store.IsUniqueViolation(err) {
			return fail.Invalidf("code", "mine %s already has a point %q", m.Code, in.Code)
		}
		if err != nil {
			return err
		}
		ev := events.New(p, now, "point", id, "create").WithDetail(in)
		ev.MineID, ev.RegionCode, ev.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Point{}, err
	}
	s.pointsChanged(mineID)
	return s.getPoint(ctx, id)
}

func insertPoint(ctx context.Context, tx *store.Tx, mineID int64, in PointFields, source string, now time.Time) (int64, error) {
	return tx.Insert(ctx, `INSERT INTO points (mine_id, code, sensor_type, value_type, unit, range_min, range_max, period_s, location, location_class, station_code,
		alarm_high, reset_high, alarm_low, reset_low, cut_high, restore_high, cut_low, restore_low, open_text, stop_text, x, y, z, relation, source, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mineID, in.Code, in.SensorType, in.ValueType, in.Unit, in.RangeMin, in.RangeMax, in.PeriodS, in.Location, in.LocationClass, in.StationCode,
		in.AlarmHigh, in.ResetHigh, in.AlarmLow, in.ResetLow, in.CutHigh, in.RestoreHigh, in.CutLow, in.RestoreLow, in.OpenText, in.StopText, in.X, in.Y, in.Z, in.Relation,
		source, now, now)
}

func updatePoint(ctx context.Context, tx *store.Tx, id int64, in PointFields, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE points SET code = ?, sensor_type = ?, value_type = ?, unit = ?, range_min = ?, range_max = ?, period_s = ?, location = ?,
		location_class = ?, station_code = ?, alarm_high = ?, reset_high = ?, alarm_low = ?, reset_low = ?, cut_high = ?, restore_high = ?, cut_low = ?,
		restore_low = ?, open_text = ?, stop_text = ?, x = ?, y = ?, z = ?, relation = ?, updated_at = ? WHERE id = ?`,
		in.Code, in.SensorType, in.ValueType, in.Unit, in.RangeMin, in.RangeMax, in.PeriodS, in.Location, in.LocationClass, in.StationCode,
		in.AlarmHigh, in.ResetHigh, in.AlarmLow, in.ResetLow, in.CutHigh, in.RestoreHigh, in.CutLow, in.RestoreLow, in.OpenText, in.StopText, in.X, in.Y, in.Z, in.Relation, now, id)
	return err
}

func (s *Service) getPoint(ctx context.Context, id int64) (Point, error) {
	p, err := scanPoint(s.db.QueryRow(ctx, `SELECT `+pointCols+` FROM points WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fail.NotFoundf("no such point")
	}
	return p, err
}

// GetPoint answers a point of a mine the caller may see.
func (s *Service) GetPoint(ctx context.Context, p *auth.Principal, id int64) (Point, registry.Mine, error) {
	pt, err := s.getPoint(ctx, id)
	if err != nil {
		return pt, registry.Mine{}, err
	}
	m, err := s.reg.GetMine(ctx, p, pt.MineID)
	if fail.Is(err, fail.NotFound) {
		return Point{}, m, fail.NotFoundf("no such point")
	}
	return pt, m, err
}

// ListPoints answers a mine's points.
func (s *Service) ListPoints(ctx context.Context, p *auth.Principal, mineID int64, lp httpx.ListParams, sensorType string) ([]Point, int, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return nil, 0, err
	}
	where, args := "mine_id = ?", []any{mineID}
	if !lp.IncludeArchived {
		where += " AND archived_at IS NULL"
	}
	if sensorType != "" {
		where += " AND sensor_type = ?"
		args = append(args, sensorType)
	}
	if lp.Q != "" {
		where += " AND (LOWER(code) LIKE ? OR LOWER(location) LIKE ?)"
		q := "%" + strings.ToLower(lp.Q) + "%"
		args = append(args, q, q)
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM points WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := lp.OrderBy(map[string]string{"id": "id", "code": "code", "sensor_type": "sensor_type", "location": "location"}, "id")
	pts, err := s.selectPoints(ctx, where, append(args, lp.Limit, lp.Offset), order+" LIMIT ? OFFSET ?", true)
	return pts, total, err
}

// PointPatch changes the fields given (nil = unchanged).
type PointPatch struct {
	Code          *string             `json:"code"`
	SensorType    *string             `json:"sensor_type"`
	ValueType     *string             `json:"value_type"`
	Unit          *string             `json:"unit"`
	RangeMin      registry.PatchFloat `json:"range_min"`
	RangeMax      registry.PatchFloat `json:"range_max"`
	PeriodS       *int                `json:"period_s"`
	Location      *string             `json:"location"`
	LocationClass *string             `json:"location_class"`
	StationCode   *string             `json:"station_code"`
	AlarmHigh     registry.PatchFloat `json:"alarm_high"`
	ResetHigh     registry.PatchFloat `json:"reset_high"`
	AlarmLow      registry.PatchFloat `json:"alarm_low"`
	ResetLow      registry.PatchFloat `json:"reset_low"`
	CutHigh       registry.PatchFloat `json:"cut_high"`
	RestoreHigh   registry.PatchFloat `json:"restore_high"`
	CutLow        registry.PatchFloat `json:"cut_low"`
	RestoreLow    registry.PatchFloat `json:"restore_low"`
	OpenText      *string             `json:"open_text"`
	StopText      *string             `json:"stop_text"`
}

func (pt PointPatch) apply(f *PointFields) map[string]any {
	ch := map[string]any{}
	str := func(name string, dst *string, v *string) {
		if v != nil {
			*dst = *v
			ch[name] = *v
		}
	}
	num := func(name string, dst **float64, v registry.PatchFloat) {
		if v.Set {
			*dst = v.Value
			ch[name] = v.Value
		}
	}
	str("code", &f.Code, pt.Code)
	str("sensor_type", &f.SensorType, pt.SensorType)
	str("value_type", &f.ValueType, pt.ValueType)
	str("unit", &f.Unit, pt.Unit)
	str("location", &f.Location, pt.Location)
	str("location_class", &f.LocationClass, pt.LocationClass)
	str("station_code", &f.StationCode, pt.StationCode)
	str("open_text", &f.OpenText, pt.OpenText)
	str("stop_text", &f.StopText, pt.StopText)
	num("range_min", &f.RangeMin, pt.RangeMin)
	num("range_max", &f.RangeMax, pt.RangeMax)
	num("alarm_high", &f.AlarmHigh, pt.AlarmHigh)
	num("reset_high", &f.ResetHigh, pt.ResetHigh)
	num("alarm_low", &f.AlarmLow, pt.AlarmLow)
	num("reset_low", &f.ResetLow, pt.ResetLow)
	num("cut_high", &f.CutHigh, pt.CutHigh)
	num("restore_high", &f.RestoreHigh, pt.RestoreHigh)
	num("cut_low", &f.CutLow, pt.CutLow)
	num("restore_low", &f.RestoreLow, pt.RestoreLow)
	if pt.PeriodS != nil {
		f.PeriodS = *pt.PeriodS
		ch["period_s"] = *pt.PeriodS
	}
	return ch
}

// UpdatePoint changes the fields given.
func (s *Service) UpdatePoint(ctx context.Context, p *auth.Principal, id int64, patch PointPatch) (Point, error) {
	cur, m, err := s.GetPoint(ctx, p, id)
	if err != nil {
		return Point{}, err
	}
	if err := mayEditPoints(p); err != nil {
		return Point{}, err
	}
	if cur.ArchivedAt != nil {
		return Point{}, fail.Conflictf("archived", "point %s is archived", cur.Code)
	}
	f := cur.PointFields
	changed := patch.apply(&f)
	if err := normalisePoint(m, &f); err != nil {
		return Point{}, err
	}
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		err := updatePoint(ctx, tx, id, f, now)
		if store.IsUniqueViolation(err) {
			return fail.Invalidf("code", "mine %s already has a point %q", m.Code, f.Code)
		}
		if err != nil {
			return err
		}
		ev := events.New(p, now, "point", id, "update").WithDetail(changed)
		ev.MineID, ev.RegionCode, ev.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Point{}, err
	}
	s.pointsChanged(m.ID)
	return s.getPoint(ctx, id)
}

// ArchivePoint retires a point; its samples stay.
func (s *Service) ArchivePoint(ctx context.Context, p *auth.Principal, id int64, reason string) (Point, error) {
	cur, m, err := s.GetPoint(ctx, p, id)
	if err != nil {
		return Point{}, err
	}
	if err := mayEditPoints(p); err != nil {
		return Point{}, err
	}
	if strings.TrimSpace(reason) == "" {
		return Point{}, fail.Invalidf("reason", "required")
	}
	if cur.ArchivedAt != nil {
		return Point{}, fail.Conflictf("archived", "point %s is already archived", cur.Code)
	}
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE points SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, now, reason, now, id); err != nil {
			return err
		}
		ev := events.New(p, now, "point", id, "archive")
		ev.Reason, ev.MineID, ev.RegionCode, ev.EnterpriseID = reason, &m.ID, m.RegionCode, &m.EnterpriseID
		_, err := events.Append(ctx, tx, ev)
		return err
	})
	if err != nil {
		return Point{}, err
	}
	s.pointsChanged(m.ID)
	return s.getPoint(ctx, id)
}

// UpsertPoints defines points from a CDDY file or an import: a code the mine
// has is updated, a new code created. Every row is validated before any is
// written; the answer names the bad rows.
func (s *Service) UpsertPoints(ctx context.Context, p *auth.Principal, mineID int64, rows []PointFields, source string) (created, updated int, err error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return 0, 0, err
	}
	if err := mayEditPoints(p); err != nil {
		return 0, 0, err
	}
	bad := fail.Fields{}
	for i := range rows {
		if err := normalisePoint(m, &rows[i]); err != nil {
			bad.Add(fmt.Sprintf("rows[%d]", i), "%v", err)
		}
	}
	if err := bad.Err(); err != nil {
		return 0, 0, err
	}
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, in := range rows {
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM points WHERE mine_id = ? AND code = ?`, mineID, in.Code).Scan(&id)
			action := "update"
			switch {
			case errors.Is(err, sql.ErrNoRows):
				action = "create"
				if id, err = insertPoint(ctx, tx, mineID, in, source, now); err != nil {
					return err
				}
				created++
			case err != nil:
				return err
			default:
				if err := updatePoint(ctx, tx, id, in, now); err != nil {
					return err
				}
				updated++
			}
			ev := events.New(p, now, "point", id, action).WithDetail(map[string]any{"source": source, "code": in.Code})
			ev.MineID, ev.RegionCode, ev.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
			if _, err := events.Append(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	s.pointsChanged(mineID)
	return created, updated, nil
}

// safetySystemSensor tells whether a point belongs to the coal-mine safety
// monitoring system, whose codes follow MT/T 1201: an unnamed sensor (the
// code names it) or one with an MT/T type code. Slope, rain and power
// meters at coal mines keep the free codes of their own systems.
func safetySystemSensor(key string) bool {
	if key == "" {
		return true
	}
	st, ok := catalog.Sensor(key)
	return !ok || st.MTTCode != ""
}

// Package alarm records graded warnings and carries them through the closed
// loop (研判—预警推送—响应处置—闭环反馈): it feeds committed samples to the rules
// engine on one goroutine, turns the engine's changes into alarms, pushes
// them (stream, webhooks), escalates unacknowledged ones on a timer without
// waiting for new data, and lets the mine acknowledge and dispose and the
// regulator verify and close, each step an event.
package alarm

import (
	"database/sql"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/flow"
)

// Alarm is one alarm: a condition of a point, an item or facility of a
// tailings pond, or a whole mine, from when it entered a level until people
// close it. Level is the highest level reached, CurrentLevel the level now
// (kept at the last level once cleared).
type Alarm struct {
	ID             int64      `json:"id"`
	MineID         int64      `json:"mine_id"`
	MineName       string     `json:"mine_name"`
	PointID        *int64     `json:"point_id"`
	PointCode      string     `json:"point_code,omitempty"`
	SensorType     string     `json:"sensor_type,omitempty"`
	Kind           string     `json:"kind"`
	Rule           string     `json:"rule"`
	Item           string     `json:"item,omitempty"`
	Level          string     `json:"level"`
	CurrentLevel   string     `json:"current_level"`
	State          string     `json:"state"`
	Planned        bool       `json:"planned"`
	Late           bool       `json:"late"`
	Message        string     `json:"message"`
	RuleVersion    int        `json:"rule_version"`
	StartedAt      time.Time  `json:"started_at"`
	OpenedAt       time.Time  `json:"opened_at"`
	PeakValue      *float64   `json:"peak_value"`
	PeakAt         *time.Time `json:"peak_at"`
	LastValue      *float64   `json:"last_value"`
	ClearedAt      *time.Time `json:"cleared_at"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	AcknowledgedBy string     `json:"acknowledged_by"`
	DisposedAt     *time.Time `json:"disposed_at"`
	DisposedBy     string     `json:"disposed_by"`
	Cause          string     `json:"cause"`
	Measures       string     `json:"measures"`
	VerifiedAt     *time.Time `json:"verified_at"`
	VerifiedBy     string     `json:"verified_by"`
	ClosedAt       *time.Time `json:"closed_at"`
	ClosedBy       string     `json:"closed_by"`
	ReturnReason   string     `json:"return_reason"`
	EscalatedTo    string     `json:"escalated_to"`
	EscalatedAt    *time.Time `json:"escalated_at"`
	RegionCode     string     `json:"region_code"`
	EnterpriseID   int64      `json:"enterprise_id"`
	Actions        []string   `json:"actions"`
}

const alarmCols = `a.id, a.mine_id, m.name, a.point_id, COALESCE(p.code, ''), COALESCE(p.sensor_type, ''), a.kind, a.rule, a.item, a.level, a.current_level,
	a.state, a.planned, a.late, a.message, a.rule_version, a.started_at, a.opened_at, a.peak_value, a.peak_at, a.last_value, a.cleared_at,
	a.acknowledged_at, a.acknowledged_by, a.disposed_at, a.disposed_by, a.cause, a.measures, a.verified_at, a.verified_by, a.closed_at, a.closed_by,
	a.return_reason, a.escalated_to, a.escalated_at, a.region_code, a.enterprise_id`

const alarmFrom = ` FROM alarms a JOIN mines m ON m.id = a.mine_id LEFT JOIN points p ON p.id = a.point_id`

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func scanAlarm(row interface{ Scan(...any) error }) (Alarm, error) {
	var a Alarm
	err := row.Scan(&a.ID, &a.MineID, &a.MineName, &a.PointID, &a.PointCode, &a.SensorType, &a.Kind, &a.Rule, &a.Item, &a.Level, &a.CurrentLevel,
		&a.State, &a.Planned, &a.Late, &a.Message, &a.RuleVersion, &a.StartedAt, &a.OpenedAt, &a.PeakValue, &a.PeakAt, &a.LastValue, &a.ClearedAt,
		&a.AcknowledgedAt, &a.AcknowledgedBy, &a.DisposedAt, &a.DisposedBy, &a.Cause, &a.Measures, &a.VerifiedAt, &a.VerifiedBy, &a.ClosedAt, &a.ClosedBy,
		&a.ReturnReason, &a.EscalatedTo, &a.EscalatedAt, &a.RegionCode, &a.EnterpriseID)
	if err != nil {
		return a, err
	}
	a.StartedAt, a.OpenedAt = a.StartedAt.UTC(), a.OpenedAt.UTC()
	for _, p := range []**time.Time{&a.PeakAt, &a.ClearedAt, &a.AcknowledgedAt, &a.DisposedAt, &a.VerifiedAt, &a.ClosedAt, &a.EscalatedAt} {
		*p = utcp(*p)
	}
	return a, nil
}

func scanAlarms(rows *sql.Rows) ([]Alarm, error) {
	defer rows.Close()
	out := []Alarm{}
	for rows.Next() {
		a, err := scanAlarm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// States of the loop.
const (
	StateOpen         = "open"
	StateAcknowledged = "acknowledged"
	StateDisposed     = "disposed"
	StateVerified     = "verified"
	StateClosed       = "closed"
)

// Loop is the alarm loop: the mine acknowledges and disposes (cause and
// measures, the YCBJ fields 异常原因/处理措施), a regulator in scope verifies,
// the county or city closes; return sends a disposed or verified alarm back.
var Loop = flow.Machine{RecordType: "alarm", Transitions: []flow.Transition{
	{From: []string{StateOpen}, Action: "acknowledge", To: StateAcknowledged, Roles: []string{auth.RoleEnterprise, auth.RoleAdmin}},
	{From: []string{StateAcknowledged}, Action: "dispose", To: StateDisposed, Roles: []string{auth.RoleEnterprise, auth.RoleAdmin}},
	{From: []string{StateDisposed}, Action: "verify", To: StateVerified, Roles: []string{auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin}},
	{From: []string{StateVerified}, Action: "close", To: StateClosed, Roles: []string{auth.RoleCounty, auth.RoleCity, auth.RoleAdmin}},
	{From: []string{StateDisposed, StateVerified}, Action: "return", To: StateAcknowledged, Roles: []string{auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin}},
}}

// Package catalog is the sensor catalogue and the location classes of
// minesafe: what each kind of monitoring point measures (unit, range,
// precision, noise, reporting period, MT/T 1201 type code) and, for each
// class of installation place, the default limits the regulations give
// (the methane table of 煤矿安全规程 第四百九十八条, the permitted wind speeds
// of 第一百三十六条, air-quality and temperature limits, slope and tailings
// reference values).
//
// Everything here is a shipped default, not law: each limit carries the
// confidence mark of the domain notes, regulations.md (V read in the
// source, C corroborated, M believed but unconfirmed, U unknown) and the
// rules engine is expected to copy these values into a versioned rule set
// that a regulator can edit. Ranges, precision, noise and periods are
// engineering defaults for simulation and data-quality checks.
//
// docs/catalog.md is generated from these tables (go test -update in this
// package rewrites it; a test fails when it is stale).
package catalog

import "slices"

// Signal tells an analogue value from a two-state switch.
type Signal string

// Signals. They correspond to MT/T 1201 MN and KG.
const (
	Analog Signal = "analog"
	Switch Signal = "switch"
)

// Mine kinds, the same strings as internal/registry uses (repeated here so
// that the catalogue depends on nothing).
const (
	CoalUnderground  = "coal_underground"
	CoalOpenpit      = "coal_openpit"
	MetalUnderground = "metal_underground"
	MetalOpenpit     = "metal_openpit"
	TailingsPond     = "tailings_pond"
)

// Confidence marks, as in regulations.md.
const (
	Read         = "V" // read in the cited source
	Corroborated = "C" // several public sources agree, primary text not read
	Believed     = "M" // believed true, not confirmed: show as a default
	Unknown      = "U" // not known
)

// SensorType is one kind of monitoring point.
type SensorType struct {
	Key    string `json:"key"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// Unit of the value; empty for switches, as MT/T 1201 sends KG points.
	Unit   string `json:"unit"`
	Signal Signal `json:"signal"`
	// Min and Max are the typical measuring range (switches: 0 and 1), for
	// over-range checks and simulation.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Precision is the number of decimals the value is shown and simulated with.
	Precision int `json:"precision"`
	// Noise is the typical standard deviation of a healthy sensor, in Unit.
	// A series that stays far flatter than this for long is suspect (stuck
	// or fabricated). 0 means a constant value is normal (switches, rain
	// gauges, event counters) and flat-line checks do not apply.
	Noise float64 `json:"noise"`
	// PeriodSeconds is the default reporting period: 30 s for the safety
	// monitoring system (the national upload cycle), longer for geotechnical
	// instruments, 0 for event-driven sensors.
	PeriodSeconds int `json:"period_seconds"`
	// MTTCode is the MT/T 1201 传感器类型编码 (附录 B.2) where known.
	MTTCode string `json:"mtt_code,omitempty"`
	// MineKinds are the mine kinds that install this sensor.
	MineKinds []string `json:"mine_kinds"`
	// States names the values 0 and 1 of a switch, in Chinese.
	States []string `json:"states,omitempty"`
	// Axes lists the axes of a displacement sensor: each axis is its own
	// monitoring point.
	Axes []string `json:"axes,omitempty"`
	// DerivedFrom names the sensor whose axis points this one is computed
	// from (it is never sent by a device).
	DerivedFrom string `json:"derived_from,omitempty"`
	// RuleHint says briefly which rules apply, for the rule editor and the UI.
	RuleHint string `json:"rule_hint"`
}

// Location families.
const (
	FamilyMethane  = "methane"  // a row of the methane sensor table
	FamilyAirway   = "airway"   // a roadway class of the wind-speed table
	FamilyGeneral  = "general"  // other underground and surface places
	FamilyTailings = "tailings" // parts of a tailings pond
	FamilyOpenPit  = "open_pit" // open-pit slopes and dumps
)

// Location is a class of installation place. A point has one location class
// that decides its default limits.
type Location struct {
	Key    string `json:"key"`
	Family string `json:"family"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// Sensors are the sensor keys usually installed at this class of place.
	Sensors []string `json:"sensors"`
	// Methane is the methane-table row, for the methane family.
	Methane *MethaneRule `json:"methane,omitempty"`
	// Wind is the permitted air velocity, for the airway family.
	Wind *WindRange `json:"wind,omitempty"`
	// Limits are other default limits at this place.
	Limits []Limit `json:"limits,omitempty"`
	// Note says where limits come from when the catalogue has none.
	Note string `json:"note,omitempty"`
}

// MethaneSetting is one alarm / power-cut / reset setting of a methane
// sensor, in %CH4. Alarm and power-cut trigger at or above their value
// (≥); power is restored below Reset (<). A nil value is "—" in the table.
type MethaneSetting struct {
	Alarm    float64  `json:"alarm"`
	PowerCut *float64 `json:"power_cut,omitempty"`
	Reset    *float64 `json:"reset,omitempty"`
	// PowerCutScope is 断电范围 as the table words it: all
	// non-intrinsically-safe electrical equipment in the place named, or the
	// supply named (采煤机电源, 架空线电源).
	PowerCutScope string `json:"power_cut_scope"`
}

// MethaneRule is one row of the methane sensor table (煤矿安全规程
// 第四百九十八条, AQ 1029).
type MethaneRule struct {
	Location string `json:"location"` // the location class key
	NameZH   string `json:"name_zh"`
	// Code is the sensor position label (T0…T8) where the table gives one.
	Code string `json:"code,omitempty"`
	MethaneSetting
	// Extra holds further settings at the same place (a second, higher
	// stage that also cuts the local fan).
	Extra      []MethaneSetting `json:"extra,omitempty"`
	Confidence string           `json:"confidence"`
	Source     string           `json:"source"`
	Note       string           `json:"note,omitempty"`
}

// WindRange is the permitted air velocity of a roadway class, m/s. A nil
// bound is not regulated.
type WindRange struct {
	Min        *float64 `json:"min,omitempty"`
	Max        *float64 `json:"max,omitempty"`
	Confidence string   `json:"confidence"`
	Source     string   `json:"source"`
}

// Measures a Limit can apply to.
const (
	MeasureValue       = "value"         // the reading itself
	MeasureRatePerDay  = "rate_per_day"  // change of the reading per day
	MeasureRatePerHour = "rate_per_hour" // change of the reading per hour
)

// Limit is a default limit at a location: it is breached when the measure
// of the sensor's reading compares to Value by Op (">=", ">", "<=", "<").
type Limit struct {
	Sensor     string  `json:"sensor"`
	Measure    string  `json:"measure"`
	Op         string  `json:"op"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Action     string  `json:"action"` // what the rule asks for, in English
	Confidence string  `json:"confidence"`
	Source     string  `json:"source"`
}

// Breached tells whether v breaches the limit.
func (l Limit) Breached(v float64) bool {
	switch l.Op {
	case ">=":
		return v >= l.Value
	case ">":
		return v > l.Value
	case "<=":
		return v <= l.Value
	case "<":
		return v < l.Value
	}
	return false
}

// Sensor answers the sensor type of key.
func Sensor(key string) (SensorType, bool) {
	for _, s := range sensors {
		if s.Key == key {
			return s.clone(), true
		}
	}
	return SensorType{}, false
}

// Sensors answers every sensor type, in catalogue order (by mine kind and
// system). The result is a copy.
func Sensors() []SensorType {
	out := make([]SensorType, len(sensors))
	for i, s := range sensors {
		out[i] = s.clone()
	}
	return out
}

// BySensorCode answers the sensor type of an MT/T 1201 4-digit sensor-type
// code such as "0001".
func BySensorCode(code string) (SensorType, bool) {
	if code == "" {
		return SensorType{}, false
	}
	for _, s := range sensors {
		if s.MTTCode == code {
			return s.clone(), true
		}
	}
	return SensorType{}, false
}

// LocationClass answers the location class of key.
func LocationClass(key string) (Location, bool) {
	for _, l := range locations {
		if l.Key == key {
			return l.clone(), true
		}
	}
	return Location{}, false
}

// Locations answers every location class, in catalogue order (methane
// table, airways, general, tailings, open pit). The result is a copy.
func Locations() []Location {
	out := make([]Location, len(locations))
	for i, l := range locations {
		out[i] = l.clone()
	}
	return out
}

// MethaneRow answers the methane-table row of a location class.
func MethaneRow(key string) (MethaneRule, bool) {
	l, ok := LocationClass(key)
	if !ok || l.Methane == nil {
		return MethaneRule{}, false
	}
	return *l.Methane, true
}

// clone copies s deeply, so that callers cannot change the tables.
func (s SensorType) clone() SensorType {
	s.MineKinds = slices.Clone(s.MineKinds)
	s.States = slices.Clone(s.States)
	s.Axes = slices.Clone(s.Axes)
	return s
}

func (l Location) clone() Location {
	l.Sensors = slices.Clone(l.Sensors)
	l.Limits = slices.Clone(l.Limits)
	if l.Methane != nil {
		m := *l.Methane
		m.MethaneSetting = m.MethaneSetting.clone()
		m.Extra = slices.Clone(m.Extra)
		for i := range m.Extra {
			m.Extra[i] = m.Extra[i].clone()
		}
		l.Methane = &m
	}
	if l.Wind != nil {
		w := *l.Wind
		w.Min, w.Max = clonef(w.Min), clonef(w.Max)
		l.Wind = &w
	}
	return l
}

func (m MethaneSetting) clone() MethaneSetting {
	m.PowerCut, m.Reset = clonef(m.PowerCut), clonef(m.Reset)
	return m
}

func clonef(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// f makes a *float64 for the table literals.
func f(v float64) *float64 { return &v }

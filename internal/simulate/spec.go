// Package simulate is the demo's field: deterministic monitoring-point plans
// for the mines of the demo data set and a signal model that makes those
// points report realistic values (methane following the three shifts, CO,
// oxygen, air velocity, slope creep, phreatic lines, rain), with a scripted
// hour of episodes the platform must notice: methane excursions to the alarm
// and the power-cut values, a looser-than-regulation own setting, an
// over-range reading, a CO excursion, a sensor that goes flat, a mine that
// goes offline, a storm that raises a tailings pond's phreatic line and an
// accelerating slope. docs/simulator.md describes it for people.
//
// Everything is a pure function of (seed, start time, sample time): the
// same seed and start give the same series whether it is published live,
// replayed for a benchmark or checked by a test. The runners (Run, RunMQTT)
// only pace it with a clock and hand the batches to a sink or a broker.
package simulate

import (
	"minesafe/internal/registry"
)

// MineSpec is what the simulator needs of a mine to plan its points.
type MineSpec struct {
	Code     string // the registry code; coal codes are also the national monitoring codes
	Kind     string // registry kind: coal_underground, coal_openpit, metal_underground, metal_openpit, tailings_pond
	Status   string // registry status: producing, constructing, suspended, halted, closed
	GasClass string // coal mines: low, high or outburst
	// Pond is the design of a tailings pond (nil for other kinds).
	Pond *PondDesign
}

// PondDesign holds the design values a pond's points are set against, in
// m; zero when the design gives none (dry stacking has no beach or
// freeboard).
type PondDesign struct {
	Wet               bool
	MinPhreaticDepthM float64
	MinFreeboardM     float64
	MinDryBeachM      float64
}

// Region answers the division code of a mine: the first six characters of
// its code, as the registry generates them.
func (m MineSpec) Region() string {
	if len(m.Code) < 6 {
		return ""
	}
	return m.Code[:6]
}

// SpecOf answers the spec of a registered mine.
func SpecOf(m registry.Mine) MineSpec {
	s := MineSpec{Code: m.Code, Kind: m.Kind, Status: m.Status, GasClass: m.GasClass}
	if t := m.Tailings; t != nil {
		s.Pond = &PondDesign{Wet: t.Wet, MinPhreaticDepthM: deref(t.DesignPhreaticDepthM),
			MinFreeboardM: deref(t.DesignFreeboardM), MinDryBeachM: deref(t.DesignMinDryBeachM)}
	}
	return s
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

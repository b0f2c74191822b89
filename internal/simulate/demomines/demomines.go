// Package demomines gives the simulator the mines of the demo data set
// without a database, so that `minesafe simulate` (a separate process) and
// the server that loaded the demo agree on every mine and point. It is a
// package of its own because package demo may import simulate (to define
// the demo's points) and simulate must then not import demo.
package demomines

import (
	"minesafe/internal/demo"
	"minesafe/internal/registry"
	"minesafe/internal/simulate"
)

// Specs answers the simulator's spec of every mine of the set, in the
// set's order: simulate.SpecOf of the registry record demo.Load makes of
// each (a test checks they agree).
func Specs(set demo.Set) []simulate.MineSpec {
	out := make([]simulate.MineSpec, len(set.Mines))
	for i, m := range set.Mines {
		r := registry.Mine{MineFields: registry.MineFields{Code: m.Code, Kind: m.Kind, Status: m.Status, GasClass: m.GasClass}}
		if t := m.Tailings; t != nil {
			r.Tailings = &registry.Tailings{Wet: t.Wet, TailingsFields: registry.TailingsFields{
				DesignPhreaticDepthM: t.DesignPhreaticDepthM, DesignFreeboardM: t.DesignFreeboardM, DesignMinDryBeachM: t.DesignMinDryBeachM}}
		}
		out[i] = simulate.SpecOf(r)
	}
	return out
}

package indicator

import (
	"testing"

	"minesafe/internal/registry"
)

// The binding rule without a store: clauses OR-ed, hand-picked mines in,
// excluded mines out, and no clause meaning every mine only when nobody
// was picked by hand.
func TestBindingBinds(t *testing.T) {
	coal := mineFacts{m: registry.Mine{ID: 1, MineFields: registry.MineFields{Kind: "coal_underground", Status: "producing", RegionCode: "150725"}}}
	metal := mineFacts{m: registry.Mine{ID: 2, MineFields: registry.MineFields{Kind: "metal_underground", Status: "producing", RegionCode: "150782"}}}
	other := mineFacts{m: registry.Mine{ID: 3, MineFields: registry.MineFields{Kind: "coal_openpit", Status: "producing", RegionCode: "150782"}}}
	coalClause := Clause{Kinds: []string{"coal_underground"}}
	for _, tc := range []struct {
		name string
		b    Binding
		want map[int64]bool
	}{
		{"no clause binds every mine", Binding{}, map[int64]bool{1: true, 2: true, 3: true}},
		{"no clause, one mine by hand: only that one", Binding{IncludeMineIDs: []int64{2}}, map[int64]bool{1: false, 2: true, 3: false}},
		{"no clause, one excluded: every other mine", Binding{ExcludeMineIDs: []int64{3}}, map[int64]bool{1: true, 2: true, 3: false}},
		{"a clause plus a mine by hand", Binding{Clauses: []Clause{coalClause}, IncludeMineIDs: []int64{2}}, map[int64]bool{1: true, 2: true, 3: false}},
		{"exclusion wins over inclusion", Binding{Clauses: []Clause{coalClause}, IncludeMineIDs: []int64{2}, ExcludeMineIDs: []int64{1, 2}}, map[int64]bool{1: false, 2: false, 3: false}},
	} {
		for _, x := range []mineFacts{coal, metal, other} {
			if got, _ := tc.b.binds(x); got != tc.want[x.m.ID] {
				t.Errorf("%s: mine %d bound = %v, want %v", tc.name, x.m.ID, got, tc.want[x.m.ID])
			}
		}
	}
}

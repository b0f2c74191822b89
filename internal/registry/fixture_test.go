package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// Principals under test. The county and the inspector hold 陈巴尔虎旗.
var (
	admin     = &auth.Principal{UserID: 1, Username: "admin", Role: auth.RoleAdmin}
	city      = &auth.Principal{UserID: 2, Username: "city", Role: auth.RoleCity, Regions: []string{"150700"}}
	county    = &auth.Principal{UserID: 3, Username: "chenqi", Role: auth.RoleCounty, Regions: []string{"150725"}}
	inspector = &auth.Principal{UserID: 4, Username: "insp", Role: auth.RoleInspector, Regions: []string{"150725"}}
	rescue    = &auth.Principal{UserID: 5, Username: "rescue", Role: auth.RoleRescue}
	observer  = &auth.Principal{UserID: 6, Username: "obs", Role: auth.RoleObserver}
)

const (
	chenBarag = "150725" // 陈巴尔虎旗
	ewenki    = "150724" // 鄂温克族自治旗
)

type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	clk *clock.Fake
	svc *registry.Service
	n   int
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	clk := clock.NewFake(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	return &fixture{t: t, ctx: context.Background(), db: db, clk: clk, svc: registry.NewService(db, clk)}
}

// uscc answers a valid, fresh USCC.
func (f *fixture) uscc() string {
	f.n++
	first := fmt.Sprintf("911507%011d", f.n)
	ch, err := registry.USCCCheckChar(first)
	if err != nil {
		f.t.Fatal(err)
	}
	return first + string(ch)
}

func (f *fixture) enterprise(name, region string) registry.Enterprise {
	f.t.Helper()
	e, err := f.svc.CreateEnterprise(f.ctx, admin, registry.EnterpriseInput{Name: name, USCC: f.uscc(), Ownership: "private", RegionCode: region})
	if err != nil {
		f.t.Fatalf("enterprise %s: %v", name, err)
	}
	return e
}

func coal(name, region string, enterpriseID int64) registry.MineInput {
	lon, lat := 119.6, 49.3
	return registry.MineInput{
		MineFields: registry.MineFields{Name: name, EnterpriseID: enterpriseID, RegionCode: region, Kind: registry.KindCoalOpenpit,
			Status: "producing", Capacity: ptr(10.0), GasClass: "low"},
		Lon: &lon, Lat: &lat,
	}
}

func pond(name, region string, enterpriseID int64, v, h float64) registry.MineInput {
	in := coal(name, region, enterpriseID)
	in.Kind, in.GasClass = registry.KindTailingsPond, ""
	in.Tailings = &registry.TailingsInput{TailingsFields: registry.TailingsFields{Capacity10kM3: v, FinalCapacity10kM3: v * 2,
		DamHeightM: h, FinalDamHeightM: h * 2, Method: "upstream"}}
	return in
}

func (f *fixture) mine(p *auth.Principal, in registry.MineInput) registry.Mine {
	f.t.Helper()
	m, err := f.svc.CreateMine(f.ctx, p, in)
	if err != nil {
		f.t.Fatalf("mine %s: %v", in.Name, err)
	}
	return m
}

func (f *fixture) trail(recordType string, id int64) []string {
	f.t.Helper()
	evs, err := events.Trail(f.ctx, f.db, recordType, id)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Action)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// wantFail checks that err is a refusal of kind k naming field (if any).
func wantFail(t *testing.T, err error, k fail.Kind, field string) {
	t.Helper()
	e, ok := fail.As(err)
	if !ok || e.Kind != k {
		t.Fatalf("got %v, want refusal kind %d", err, k)
	}
	if field != "" && e.Fields[field] == "" {
		t.Fatalf("got %v, want field %s named", err, field)
	}
}

// names answers the name of each listed item, failing the test on err.
func names[T any](t *testing.T, items []T, err error, name func(T) string) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

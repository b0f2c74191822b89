package demo_test

import (
	"context"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/demo"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestLoadOnceThroughTheServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
		clk := clock.NewFake(now)
		reg := registry.NewService(db, clk)
		au := auth.NewService(db, clk, auth.Options{})
		sum, err := demo.Load(ctx, db, reg, au, now)
		if err != nil {
			t.Fatal(err)
		}
		set := demo.Build(now)
		if !sum.Loaded || sum.Mines != len(set.Mines) || sum.Enterprises != len(set.Enterprises) || sum.Users != len(set.Users) || sum.Ponds < 22 {
			t.Fatalf("summary %+v", sum)
		}
		again, err := demo.Load(ctx, db, reg, au, now)
		if err != nil || again.Loaded {
			t.Fatalf("second load %+v %v", again, err)
		}
		// Every demo mine is flagged; the county user sees only 陈巴尔虎旗.
		all, total, err := reg.ListMines(ctx, auth.System, registry.MineFilter{})
		if err != nil || total != len(set.Mines) {
			t.Fatalf("mines %d %v", total, err)
		}
		for _, m := range all {
			if !m.Demo {
				t.Fatalf("mine %s not flagged demo", m.Name)
			}
		}
		_, p, err := au.Login(ctx, "county", "County#2026demo", "")
		if err != nil {
			t.Fatal(err)
		}
		mine, n, err := reg.ListMines(ctx, p, registry.MineFilter{})
		if err != nil || n == 0 || n >= total {
			t.Fatalf("county sees %d of %d (%v)", n, total, err)
		}
		for _, m := range mine {
			if m.RegionCode != "150725" {
				t.Fatalf("county sees a mine in %s", m.RegionCode)
			}
		}
		// The enterprise user sees the mines of its enterprise only.
		_, ep, err := au.Login(ctx, "enterprise", "Enterprise#2026demo", "")
		if err != nil {
			t.Fatal(err)
		}
		em, en, _ := reg.ListMines(ctx, ep, registry.MineFilter{})
		if en < 2 {
			t.Fatalf("enterprise sees %d mines", en)
		}
		for _, m := range em {
			if m.EnterpriseID != *ep.EnterpriseID {
				t.Fatalf("enterprise sees mine of enterprise %d", m.EnterpriseID)
			}
		}
		// At least four underground coal mines have their five heads.
		withHeads := 0
		for _, m := range all {
			if m.Kind != registry.KindCoalUnderground {
				continue
			}
			people, _, _ := reg.ListPeople(ctx, auth.System, m.ID, registryParams())
			roles := map[string]bool{}
			for _, p := range people {
				roles[p.Role] = true
			}
			if roles["mine_manager"] && roles["chief_engineer"] && roles["safety_deputy"] && roles["production_deputy"] && roles["electromechanical_deputy"] {
				withHeads++
			}
		}
		if withHeads < 4 {
			t.Fatalf("%d underground coal mines with five heads", withHeads)
		}
	})
}

func registryParams() httpx.ListParams { return httpx.ListParams{Limit: 100} }

package registry_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

func TestEnterprises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx, svc := f.ctx, f.svc

		in := registry.EnterpriseInput{Name: " 神华宝日希勒能源 ", USCC: strings.ToLower(f.uscc()), Ownership: "central_soe", RegionCode: chenBarag, ParentGroup: "国家能源集团"}
		e, err := svc.CreateEnterprise(ctx, county, in)
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.Name != "神华宝日希勒能源" || e.USCC != strings.ToUpper(in.USCC) || e.CreatedAt.Location().String() != "UTC" {
			t.Fatalf("%+v", e)
		}
		if got := f.trail("enterprise", e.ID); !slices.Equal(got, []string{"create"}) {
			t.Fatalf("events %v", got)
		}

		t.Run("refusals", func(t *testing.T) {
			_, err := svc.CreateEnterprise(ctx, admin, registry.EnterpriseInput{Name: "dup", USCC: e.USCC, Ownership: "private"})
			wantFail(t, err, fail.Invalid, "uscc")
			_, err = svc.CreateEnterprise(ctx, admin, registry.EnterpriseInput{Name: "bad", USCC: "91350100M000100Y44", Ownership: "x"})
			wantFail(t, err, fail.Invalid, "ownership")
			if e, _ := fail.As(err); !strings.Contains(e.Fields["uscc"], "should be 3") {
				t.Fatalf("uscc message %q", e.Fields["uscc"])
			}
			_, err = svc.CreateEnterprise(ctx, county, registry.EnterpriseInput{Name: "elsewhere", USCC: f.uscc(), Ownership: "private", RegionCode: ewenki})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.CreateEnterprise(ctx, county, registry.EnterpriseInput{Name: "nowhere", USCC: f.uscc(), Ownership: "private"})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.CreateEnterprise(ctx, inspector, registry.EnterpriseInput{})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.CreateEnterprise(ctx, admin, registry.EnterpriseInput{Name: "x", USCC: f.uscc(), Ownership: "private", RegionCode: "999999"})
			wantFail(t, err, fail.Invalid, "region_code")
		})

		t.Run("list", func(t *testing.T) {
			f.enterprise("alpha mining", ewenki)
			f.enterprise("bravo 100% coal", ewenki)
			f.enterprise("charlie 1000 coal", "")
			list := func(p *auth.Principal, filter registry.EnterpriseFilter) ([]string, int) {
				t.Helper()
				es, total, err := svc.ListEnterprises(ctx, p, filter)
				return names(t, es, err, func(e registry.Enterprise) string { return e.Name }), total
			}
			if _, total := list(admin, registry.EnterpriseFilter{}); total != 4 {
				t.Fatalf("admin sees %d", total)
			}
			names, total := list(admin, registry.EnterpriseFilter{ListParams: httpx.ListParams{Q: "100%", SortField: "name"}})
			if total != 1 || names[0] != "bravo 100% coal" {
				t.Fatalf("q: %v", names)
			}
			names, _ = list(admin, registry.EnterpriseFilter{RegionCode: ewenki, ListParams: httpx.ListParams{SortField: "name", SortDesc: true}})
			if !slices.Equal(names, []string{"bravo 100% coal", "alpha mining"}) {
				t.Fatalf("sort: %v", names)
			}
			names, total = list(admin, registry.EnterpriseFilter{ListParams: httpx.ListParams{SortField: "name", Limit: 2, Offset: 1}})
			if total != 4 || !slices.Equal(names, []string{"bravo 100% coal", "charlie 1000 coal"}) {
				t.Fatalf("page: %d %v", total, names)
			}
			if names, _ := list(admin, registry.EnterpriseFilter{Ownership: "central_soe"}); len(names) != 1 {
				t.Fatalf("ownership: %v", names)
			}
			if names, _ := list(county, registry.EnterpriseFilter{}); !slices.Equal(names, []string{e.Name}) {
				t.Fatalf("county sees %v", names)
			}
		})

		t.Run("patch and archive", func(t *testing.T) {
			got, err := svc.UpdateEnterprise(ctx, county, e.ID, registry.EnterprisePatch{ContactName: ptr("王工")})
			if err != nil || got.ContactName != "王工" || got.Name != e.Name || got.USCC != e.USCC || got.ParentGroup != "国家能源集团" {
				t.Fatalf("%v %+v", err, got)
			}
			_, err = svc.UpdateEnterprise(ctx, county, e.ID, registry.EnterprisePatch{RegionCode: ptr(ewenki)})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.UpdateEnterprise(ctx, inspector, e.ID, registry.EnterprisePatch{Name: ptr("x")})
			wantFail(t, err, fail.Forbidden, "")

			m := f.mine(admin, coal("宝日希勒露天煤矿", chenBarag, e.ID))
			_, err = svc.ArchiveEnterprise(ctx, county, e.ID, "merged")
			wantFail(t, err, fail.Conflict, "")
			if _, err := svc.ArchiveMine(ctx, county, m.ID, "closed for good"); err != nil {
				t.Fatal(err)
			}
			_, err = svc.ArchiveEnterprise(ctx, county, e.ID, " ")
			wantFail(t, err, fail.Invalid, "reason")
			got, err = svc.ArchiveEnterprise(ctx, county, e.ID, "merged")
			if err != nil || got.ArchivedAt == nil || got.ArchiveReason != "merged" {
				t.Fatalf("%v %+v", err, got)
			}
			_, err = svc.ArchiveEnterprise(ctx, county, e.ID, "again")
			wantFail(t, err, fail.Conflict, "")
			_, err = svc.UpdateEnterprise(ctx, county, e.ID, registry.EnterprisePatch{Name: ptr("x")})
			wantFail(t, err, fail.Conflict, "")
			if got := f.trail("enterprise", e.ID); !slices.Equal(got, []string{"create", "update", "archive"}) {
				t.Fatalf("events %v", got)
			}
			es, _, _ := svc.ListEnterprises(ctx, admin, registry.EnterpriseFilter{RegionCode: chenBarag})
			all, _, _ := svc.ListEnterprises(ctx, admin, registry.EnterpriseFilter{RegionCode: chenBarag, ListParams: httpx.ListParams{IncludeArchived: true}})
			if len(es) != 0 || len(all) != 1 {
				t.Fatalf("archived listed %d, with include_archived %d", len(es), len(all))
			}
		})
	})
}

func TestMines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx, svc := f.ctx, f.svc
		ent := f.enterprise("宝日希勒", chenBarag)
		other := f.enterprise("伊敏", ewenki)

		m1 := f.mine(county, coal("alpha", chenBarag, ent.ID))
		m2 := f.mine(admin, coal("bravo", chenBarag, ent.ID))
		if m1.Code != "150725200001" || m2.Code != "150725200002" {
			t.Fatalf("generated codes %s %s", m1.Code, m2.Code)
		}
		if m1.CapacityUnit != "Mt/a" || m1.EnterpriseName != "宝日希勒" || m1.RegionName != "陈巴尔虎旗" || len(m1.Warnings) != 0 {
			t.Fatalf("%+v", m1)
		}
		metal := coal("charlie 100% copper", ewenki, other.ID)
		metal.Kind, metal.GasClass, metal.Code, metal.Status = registry.KindMetalOpenpit, "", "NMG0001", "suspended"
		m3 := f.mine(admin, metal)
		if m3.CapacityUnit != "t/d" || m3.Code != "NMG0001" {
			t.Fatalf("%+v", m3)
		}
		if got := f.trail("mine", m1.ID); !slices.Equal(got, []string{"create"}) {
			t.Fatalf("events %v", got)
		}

		t.Run("refusals", func(t *testing.T) {
			bad := coal("x", chenBarag, ent.ID)
			bad.Code = m1.Code
			_, err := svc.CreateMine(ctx, admin, bad)
			wantFail(t, err, fail.Invalid, "code")
			bad.Code = "ab-12"
			_, err = svc.CreateMine(ctx, admin, bad)
			wantFail(t, err, fail.Invalid, "code")

			nc := coal("x", chenBarag, ent.ID)
			nc.Kind, nc.HydroType = registry.KindMetalUnderground, "complex"
			_, err = svc.CreateMine(ctx, admin, nc)
			wantFail(t, err, fail.Invalid, "gas_class")
			wantFail(t, err, fail.Invalid, "hydro_type")

			far := coal("x", chenBarag, ent.ID)
			far.Lon, far.Lat = ptr(181.0), ptr(-91.0)
			_, err = svc.CreateMine(ctx, admin, far)
			wantFail(t, err, fail.Invalid, "lon")
			wantFail(t, err, fail.Invalid, "lat")
			far.Lon, far.Lat = nil, nil
			_, err = svc.CreateMine(ctx, admin, far)
			wantFail(t, err, fail.Invalid, "lat")

			_, err = svc.CreateMine(ctx, county, coal("x", ewenki, other.ID))
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.CreateMine(ctx, inspector, coal("x", chenBarag, ent.ID))
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.CreateMine(ctx, nil, coal("x", chenBarag, ent.ID))
			wantFail(t, err, fail.Unauthenticated, "")
			_, err = svc.CreateMine(ctx, admin, coal("x", "150700", ent.ID))
			wantFail(t, err, fail.Invalid, "region_code")
			_, err = svc.CreateMine(ctx, admin, coal("x", chenBarag, 9999))
			wantFail(t, err, fail.Invalid, "enterprise_id")
		})

		t.Run("far location is warned, not refused", func(t *testing.T) {
			in := coal("delta far", chenBarag, ent.ID)
			in.Lon, in.Lat = ptr(110.0), ptr(40.0)
			m := f.mine(admin, in)
			if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "outside Hulunbuir") {
				t.Fatalf("warnings %v", m.Warnings)
			}
			if _, err := svc.ArchiveMine(ctx, admin, m.ID, "test record"); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("list", func(t *testing.T) {
			list := func(p *auth.Principal, filter registry.MineFilter) ([]string, int) {
				t.Helper()
				ms, total, err := svc.ListMines(ctx, p, filter)
				return names(t, ms, err, func(m registry.Mine) string { return m.Name }), total
			}
			byName := httpx.ListParams{SortField: "name"}
			check := func(name string, got []string, want ...string) {
				t.Helper()
				if !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", name, got, want)
				}
			}
			names, total := list(admin, registry.MineFilter{ListParams: byName})
			check("all", names, "alpha", "bravo", "charlie 100% copper")
			if total != 3 {
				t.Errorf("total %d", total)
			}
			names, _ = list(admin, registry.MineFilter{ListParams: httpx.ListParams{SortField: "name", IncludeArchived: true}})
			check("include_archived", names, "alpha", "bravo", "charlie 100% copper", "delta far")
			names, _ = list(admin, registry.MineFilter{ListParams: httpx.ListParams{SortField: "code", SortDesc: true}})
			check("-code", names, "charlie 100% copper", "bravo", "alpha")
			names, _ = list(admin, registry.MineFilter{ListParams: httpx.ListParams{Q: "100%"}})
			check("q", names, "charlie 100% copper")
			names, _ = list(admin, registry.MineFilter{ListParams: httpx.ListParams{Q: "ALPHA"}})
			check("q case", names, "alpha")
			names, total = list(admin, registry.MineFilter{ListParams: httpx.ListParams{SortField: "name", Limit: 1, Offset: 1}})
			check("page", names, "bravo")
			if total != 3 {
				t.Errorf("paged total %d", total)
			}
			names, _ = list(admin, registry.MineFilter{RegionCode: ewenki})
			check("region", names, "charlie 100% copper")
			names, _ = list(admin, registry.MineFilter{EnterpriseID: ent.ID, ListParams: byName})
			check("enterprise", names, "alpha", "bravo")
			names, _ = list(admin, registry.MineFilter{Kind: registry.KindMetalOpenpit})
			check("kind", names, "charlie 100% copper")
			names, _ = list(admin, registry.MineFilter{Status: "producing", ListParams: byName})
			check("status", names, "alpha", "bravo")
			names, _ = list(county, registry.MineFilter{ListParams: byName})
			check("county scope", names, "alpha", "bravo")
			own := &auth.Principal{UserID: 9, Username: "yimin", Role: auth.RoleEnterprise, EnterpriseID: &other.ID}
			names, _ = list(own, registry.MineFilter{})
			check("enterprise scope", names, "charlie 100% copper")
			for _, p := range []*auth.Principal{city, rescue, observer} {
				if _, total := list(p, registry.MineFilter{}); total != 3 {
					t.Errorf("%s sees %d", p.Role, total)
				}
			}
			if _, err := svc.GetMine(ctx, county, m3.ID); !fail.Is(err, fail.NotFound) {
				t.Errorf("county reads another division's mine: %v", err)
			}
		})

		t.Run("patch", func(t *testing.T) {
			got, err := svc.UpdateMine(ctx, county, m1.ID, registry.MinePatch{Name: ptr("alpha 2"), Capacity: registry.ClearFloat(), MiningDepthM: registry.SetFloat(180)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "alpha 2" || got.Capacity != nil || *got.MiningDepthM != 180 || got.GasClass != "low" || got.Code != m1.Code || got.Lon != m1.Lon {
				t.Fatalf("%+v", got)
			}
			_, err = svc.UpdateMine(ctx, county, m1.ID, registry.MinePatch{Code: ptr("NEWCODE1")})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.UpdateMine(ctx, county, m1.ID, registry.MinePatch{RegionCode: ptr(ewenki)})
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.UpdateMine(ctx, county, m3.ID, registry.MinePatch{Name: ptr("x")})
			wantFail(t, err, fail.NotFound, "")
			_, err = svc.UpdateMine(ctx, admin, m1.ID, registry.MinePatch{Kind: ptr(registry.KindMetalUnderground)})
			wantFail(t, err, fail.Invalid, "gas_class")
			_, err = svc.UpdateMine(ctx, admin, m1.ID, registry.MinePatch{Code: ptr(m2.Code)})
			wantFail(t, err, fail.Invalid, "code")
			got, err = svc.UpdateMine(ctx, admin, m1.ID, registry.MinePatch{Code: ptr("150725200777")})
			if err != nil || got.Code != "150725200777" {
				t.Fatalf("%v %s", err, got.Code)
			}
			// The next generated code follows the highest in use.
			if m := f.mine(admin, coal("echo", chenBarag, ent.ID)); m.Code != "150725200778" {
				t.Fatalf("next code %s", m.Code)
			}
			same, err := svc.UpdateMine(ctx, admin, m1.ID, registry.MinePatch{Name: ptr("alpha 2")})
			if err != nil || !same.UpdatedAt.Equal(got.UpdatedAt) {
				t.Fatalf("no-op patch: %v", err)
			}
			if got := f.trail("mine", m1.ID); !slices.Equal(got, []string{"create", "update", "update"}) {
				t.Fatalf("events %v", got)
			}
			found, err := svc.MineByCode(ctx, "150725200777")
			if err != nil || found.ID != m1.ID {
				t.Fatalf("by code: %v %d", err, found.ID)
			}
		})

		t.Run("archive", func(t *testing.T) {
			_, err := svc.ArchiveMine(ctx, inspector, m2.ID, "x")
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.ArchiveMine(ctx, county, m2.ID, "")
			wantFail(t, err, fail.Invalid, "reason")
			got, err := svc.ArchiveMine(ctx, county, m2.ID, "closed 2025")
			if err != nil || got.ArchivedAt == nil || got.ArchiveReason != "closed 2025" {
				t.Fatalf("%v %+v", err, got)
			}
			_, err = svc.ArchiveMine(ctx, county, m2.ID, "again")
			wantFail(t, err, fail.Conflict, "")
			_, err = svc.UpdateMine(ctx, admin, m2.ID, registry.MinePatch{Name: ptr("x")})
			wantFail(t, err, fail.Conflict, "")
			if got := f.trail("mine", m2.ID); !slices.Equal(got, []string{"create", "archive"}) {
				t.Fatalf("events %v", got)
			}
		})

		t.Run("concurrent codes", func(t *testing.T) {
			codes := make(chan string, 6)
			var wg sync.WaitGroup
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := coal(fmt.Sprintf("parallel %d", i), ewenki, other.ID)
					in.Kind = registry.KindCoalUnderground
					m, err := svc.CreateMine(ctx, admin, in)
					if err != nil {
						t.Error(err)
					}
					codes <- m.Code
				}()
			}
			wg.Wait()
			close(codes)
			seen := map[string]bool{}
			for c := range codes {
				seen[c] = true
			}
			if len(seen) != 6 || !seen["150724100006"] {
				t.Fatalf("codes %v", seen)
			}
		})
	})
}

func TestTailingsAndRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx, svc := f.ctx, f.svc
		ent := f.enterprise("乌奴格吐山", chenBarag)

		p := f.mine(admin, pond("pond A", chenBarag, ent.ID, 1500, 45)) // V grade 3, H grade 4 → 3
		tl := p.Tailings
		if p.Code != "150725500001" || tl == nil || tl.ComputedGrade != 3 || tl.Grade != 3 || tl.DesignGrade != 3 || tl.GradeRuleVersion != 1 || !tl.Wet || tl.State != "operating" {
			t.Fatalf("%s %+v", p.Code, tl)
		}

		raised := pond("pond B", chenBarag, ent.ID, 500, 35) // grade 4
		raised.Tailings.GradeRaised, raised.Tailings.GradeRaiseReason = true, "村庄下游 2 km, 论证 2025"
		raised.Tailings.DownstreamDistanceM = ptr(800.0)
		b := f.mine(admin, raised)
		if b.Tailings.ComputedGrade != 4 || b.Tailings.Grade != 3 || len(b.Warnings) != 1 {
			t.Fatalf("%+v %v", b.Tailings, b.Warnings)
		}

		t.Run("refusals", func(t *testing.T) {
			noPond := pond("x", chenBarag, ent.ID, 1, 1)
			noPond.Tailings = nil
			_, err := svc.CreateMine(ctx, admin, noPond)
			wantFail(t, err, fail.Invalid, "tailings")
			withPond := coal("x", chenBarag, ent.ID)
			withPond.Tailings = pond("x", chenBarag, ent.ID, 1, 1).Tailings
			_, err = svc.CreateMine(ctx, admin, withPond)
			wantFail(t, err, fail.Invalid, "tailings")
			shrinking := pond("x", chenBarag, ent.ID, 100, 20)
			shrinking.Tailings.FinalDamHeightM, shrinking.Tailings.Method = 10, ""
			_, err = svc.CreateMine(ctx, admin, shrinking)
			wantFail(t, err, fail.Invalid, "tailings.final_dam_height_m")
			wantFail(t, err, fail.Invalid, "tailings.method")
			toOne := pond("x", chenBarag, ent.ID, 20000, 150)
			toOne.Tailings.GradeRaised = true
			_, err = svc.CreateMine(ctx, admin, toOne)
			wantFail(t, err, fail.Invalid, "tailings.grade_raised")
			wantFail(t, err, fail.Invalid, "tailings.grade_raise_reason")
			_, err = svc.UpdateMine(ctx, admin, p.ID, registry.MinePatch{Kind: ptr(registry.KindMetalOpenpit)})
			wantFail(t, err, fail.Invalid, "kind")
		})

		t.Run("rule versions", func(t *testing.T) {
			rules, err := svc.TailingsGradeRules(ctx, observer)
			if err != nil || rules.Current.Version != 1 || len(rules.History) != 1 || !strings.Contains(rules.Current.Note, "[M]") {
				t.Fatalf("%v %+v", err, rules)
			}
			stricter := registry.TailingsRuleInput{TailingsRule: registry.TailingsRule{
				Capacity10kM3: []float64{50000, 10000, 1000, 100}, DamHeightM: []float64{200, 100, 40, 30}}, Note: "test"}
			_, err = svc.AddTailingsGradeRule(ctx, county, stricter)
			wantFail(t, err, fail.Forbidden, "")
			_, err = svc.AddTailingsGradeRule(ctx, city, registry.TailingsRuleInput{})
			wantFail(t, err, fail.Invalid, "dam_height_m")
			set, err := svc.AddTailingsGradeRule(ctx, city, stricter)
			if err != nil || set.Version != 2 {
				t.Fatalf("%v %+v", err, set)
			}
			if got := f.trail("rule_set", set.ID); !slices.Equal(got, []string{"create"}) {
				t.Fatalf("events %v", got)
			}
			// Nothing is re-graded until the pond's next update.
			still, _ := svc.GetMine(ctx, admin, p.ID)
			if still.Tailings.GradeRuleVersion != 1 || still.Tailings.Grade != 3 {
				t.Fatalf("re-graded early: %+v", still.Tailings)
			}
			got, err := svc.UpdateMine(ctx, county, p.ID, registry.MinePatch{Tailings: &registry.TailingsPatch{DamHeightM: ptr(50.0)}})
			if err != nil || got.Tailings.GradeRuleVersion != 2 || got.Tailings.ComputedGrade != 3 || got.Tailings.DamHeightM != 50 || got.Tailings.Capacity10kM3 != 1500 {
				t.Fatalf("%v %+v", err, got.Tailings)
			}
			got, err = svc.UpdateMine(ctx, county, p.ID, registry.MinePatch{Tailings: &registry.TailingsPatch{Capacity10kM3: ptr(90.0)}}) // V 5, H 3 → 4
			if err != nil || got.Tailings.Grade != 4 {
				t.Fatalf("%v %+v", err, got.Tailings)
			}
		})
	})
}

func TestPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx, svc := f.ctx, f.svc
		ent := f.enterprise("宝日希勒", chenBarag)
		other := f.enterprise("伊敏", ewenki)
		m := f.mine(admin, coal("alpha", chenBarag, ent.ID))
		m2 := f.mine(admin, coal("bravo", ewenki, other.ID))
		own := &auth.Principal{UserID: 9, Username: "bao", Role: auth.RoleEnterprise, EnterpriseID: &ent.ID}

		x, err := svc.AddPerson(ctx, own, m.ID, registry.PersonInput{Role: "mine_manager", Name: "张三", CertificateNo: "A1", CertificateExpiry: "2026-02-28"})
		if err != nil || !x.CertificateExpired || x.MineID != m.ID {
			t.Fatalf("%v %+v", err, x)
		}
		y, err := svc.AddPerson(ctx, county, m.ID, registry.PersonInput{Role: "chief_engineer", Name: "李四", CertificateExpiry: "2026-03-01"})
		if err != nil || y.CertificateExpired {
			t.Fatalf("%v %+v", err, y)
		}
		_, err = svc.AddPerson(ctx, own, m2.ID, registry.PersonInput{Role: "mine_manager", Name: "x"})
		wantFail(t, err, fail.NotFound, "")
		_, err = svc.AddPerson(ctx, inspector, m.ID, registry.PersonInput{Role: "mine_manager", Name: "x"})
		wantFail(t, err, fail.Forbidden, "")
		_, err = svc.AddPerson(ctx, own, m.ID, registry.PersonInput{Role: "boss", CertificateExpiry: "2026-13-01"})
		wantFail(t, err, fail.Invalid, "role")
		wantFail(t, err, fail.Invalid, "name")
		wantFail(t, err, fail.Invalid, "certificate_expiry")
		_, err = svc.UpdateMine(ctx, own, m.ID, registry.MinePatch{Name: ptr("x")})
		wantFail(t, err, fail.Forbidden, "")

		x, err = svc.UpdatePerson(ctx, own, m.ID, x.ID, registry.PersonPatch{CertificateExpiry: ptr("2029-01-01")})
		if err != nil || x.CertificateExpired || x.Name != "张三" || x.CertificateNo != "A1" {
			t.Fatalf("%v %+v", err, x)
		}
		_, err = svc.UpdatePerson(ctx, own, m2.ID, x.ID, registry.PersonPatch{Name: ptr("x")})
		wantFail(t, err, fail.NotFound, "")
		_, err = svc.UpdatePerson(ctx, admin, m2.ID, x.ID, registry.PersonPatch{Name: ptr("x")})
		wantFail(t, err, fail.NotFound, "") // the person belongs to another mine

		_, err = svc.ArchivePerson(ctx, own, m.ID, y.ID, "")
		wantFail(t, err, fail.Invalid, "reason")
		y, err = svc.ArchivePerson(ctx, own, m.ID, y.ID, "retired")
		if err != nil || y.ArchivedAt == nil {
			t.Fatalf("%v %+v", err, y)
		}
		_, err = svc.UpdatePerson(ctx, own, m.ID, y.ID, registry.PersonPatch{Name: ptr("x")})
		wantFail(t, err, fail.Conflict, "")

		ps, total, err := svc.ListPeople(ctx, own, m.ID, httpx.ListParams{})
		if err != nil || total != 1 || ps[0].ID != x.ID {
			t.Fatalf("%v %d %+v", err, total, ps)
		}
		_, total, _ = svc.ListPeople(ctx, county, m.ID, httpx.ListParams{IncludeArchived: true})
		if total != 2 {
			t.Fatalf("with archived %d", total)
		}
		_, _, err = svc.ListPeople(ctx, county, m2.ID, httpx.ListParams{})
		wantFail(t, err, fail.NotFound, "")
		got, err := svc.GetMine(ctx, own, m.ID)
		if err != nil || len(got.People) != 1 || got.People[0].Name != "张三" {
			t.Fatalf("%v %+v", err, got.People)
		}
		if got := f.trail("mine_person", x.ID); !slices.Equal(got, []string{"create", "update"}) {
			t.Fatalf("events %v", got)
		}
	})
}

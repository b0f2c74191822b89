package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/registry"
	"minesafe/internal/simulate"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// Summary tells what Load did.
type Summary struct {
	Loaded                                   bool
	Enterprises, Mines, Ponds, People, Users int
}

// MetaKey marks a database that holds the demo data.
const MetaKey = "demo_loaded"

// Loaded tells whether db already holds the demo data.
func Loaded(ctx context.Context, db *store.DB) (bool, error) {
	var v string
	err := db.QueryRow(ctx, `SELECT value FROM app_meta WHERE key = ?`, MetaKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Load puts the demo data set into db through the registry and auth
// services (so it is validated and audited like any other input), unless it
// is there already. A load cut short is resumed: records that exist are
// found by their USCC, code or username and not created twice.
func Load(ctx context.Context, db *store.DB, reg *registry.Service, au *auth.Service, now time.Time) (Summary, error) {
	var sum Summary
	if ok, err := Loaded(ctx, db); err != nil || ok {
		return sum, err
	}
	set := Build(now)
	sys := auth.System
	entIDs := map[string]int64{}
	for _, e := range set.Enterprises {
		id, err := lookup(ctx, db, `SELECT id FROM enterprises WHERE uscc = ?`, e.USCC)
		if err != nil {
			return sum, err
		}
		if id == 0 {
			got, err := reg.CreateEnterprise(ctx, sys, registry.EnterpriseInput{Name: e.Name, USCC: e.USCC, ParentGroup: e.ParentGroup,
				Ownership: e.Ownership, RegionCode: e.RegionCode, Address: e.Address, ContactName: e.ContactName, ContactPhone: e.ContactPhone, Demo: true})
			if err != nil {
				return sum, fmt.Errorf("enterprise %s: %w", e.Name, err)
			}
			id = got.ID
			sum.Enterprises++
		}
		entIDs[e.Key] = id
	}
	for _, m := range set.Mines {
		id, err := lookup(ctx, db, `SELECT id FROM mines WHERE code = ?`, m.Code)
		if err != nil {
			return sum, err
		}
		if id != 0 {
			continue
		}
		got, err := reg.CreateMine(ctx, sys, mineInput(m, entIDs[m.EnterpriseKey]))
		if err != nil {
			return sum, fmt.Errorf("mine %s %s: %w", m.Code, m.Name, err)
		}
		sum.Mines++
		if m.Tailings != nil {
			sum.Ponds++
		}
		for _, p := range m.People {
			if _, err := reg.AddPerson(ctx, sys, got.ID, registry.PersonInput{Role: p.Role, Name: p.Name,
				CertificateNo: p.CertificateNo, CertificateExpiry: p.CertificateExpiry, Phone: p.Phone}); err != nil {
				return sum, fmt.Errorf("person %s at %s: %w", p.Name, m.Name, err)
			}
			sum.People++
		}
	}
	for _, u := range set.Users {
		if _, err := au.UserByName(ctx, u.Username); err == nil {
			continue
		}
		in := auth.UserInput{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Regions: u.Regions, Password: u.Password}
		if u.EnterpriseKey != "" {
			id := entIDs[u.EnterpriseKey]
			in.EnterpriseID = &id
		}
		if _, err := au.AddUser(ctx, sys, in); err != nil {
			return sum, fmt.Errorf("user %s: %w", u.Username, err)
		}
		sum.Users++
	}
	_, err := db.Exec(ctx, `INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		MetaKey, now.UTC().Format(time.RFC3339))
	sum.Loaded = true
	return sum, err
}

func lookup(ctx context.Context, db *store.DB, q string, arg any) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, q, arg).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func mineInput(m Mine, enterpriseID int64) registry.MineInput {
	lon, lat := m.Lon, m.Lat
	in := registry.MineInput{
		MineFields: registry.MineFields{
			Code: m.Code, Name: m.Name, EnterpriseID: enterpriseID, RegionCode: m.RegionCode, Kind: m.Kind, Status: m.Status,
			Capacity: m.Capacity, MiningDepthM: m.MiningDepthM,
			MiningLicenceNo: m.MiningLicenceNo, MiningLicenceExpiry: m.MiningLicenceExpiry,
			SafetyLicenceNo: m.SafetyLicenceNo, SafetyLicenceExpiry: m.SafetyLicenceExpiry,
			GasClass: m.GasClass, HydroType: m.HydroType, RockBurst: m.RockBurst, SpontaneousCombustion: m.SpontaneousCombustion,
			StdGrade: m.StdGrade, StdGradeDate: m.StdGradeDate, Supervisor: m.Supervisor, InsuranceExpiry: m.InsuranceExpiry,
			Outsourced: m.Outsourced, Demo: true,
		},
		Lon: &lon, Lat: &lat,
	}
	if t := m.Tailings; t != nil {
		wet := t.Wet
		in.Tailings = &registry.TailingsInput{Wet: &wet, TailingsFields: registry.TailingsFields{
			Capacity10kM3: t.Capacity10kM3, FinalCapacity10kM3: t.FinalCapacity10kM3, DamHeightM: t.DamHeightM, FinalDamHeightM: t.FinalDamHeightM,
			Method: t.Method, HeadTop: t.HeadTop, DownstreamDistanceM: t.DownstreamDistanceM, State: t.State,
			DesignMinDryBeachM: t.DesignMinDryBeachM, DesignFreeboardM: t.DesignFreeboardM, DesignPhreaticDepthM: t.DesignPhreaticDepthM,
		}}
	}
	return in
}

// ScopeText describes a demo user's scope for the console.
func ScopeText(u User) string {
	switch {
	case u.EnterpriseKey != "":
		for _, e := range Build(time.Now()).Enterprises {
			if e.Key == u.EnterpriseKey {
				return e.Name
			}
		}
		return u.EnterpriseKey
	case len(u.Regions) > 0:
		names := make([]string, 0, len(u.Regions))
		for _, r := range u.Regions {
			names = append(names, divisionName(r))
		}
		return strings.Join(names, "、")
	}
	return "全市 (all divisions)"
}

func divisionName(code string) string {
	if code == "150700" {
		return "呼伦贝尔市"
	}
	if d, ok := divisionByCode(code); ok {
		return d.name
	}
	return code
}

// PointsKey marks a database whose demo mines have their monitoring points.
const PointsKey = "demo_points_loaded"

// LoadPoints defines the monitoring points of every demo mine (the plans the
// simulator feeds), unless done already. It answers how many it created.
func LoadPoints(ctx context.Context, db *store.DB, reg *registry.Service, tel *telemetry.Service) (int, error) {
	var v string
	err := db.QueryRow(ctx, `SELECT value FROM app_meta WHERE key = ?`, PointsKey).Scan(&v)
	if err == nil {
		return 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	set := Build(time.Now())
	total := 0
	for _, dm := range set.Mines {
		m, err := reg.MineByCode(ctx, dm.Code)
		if err != nil {
			return total, fmt.Errorf("demo mine %s: %w", dm.Code, err)
		}
		n, _, err := tel.UpsertPoints(ctx, auth.System, m.ID, simulate.PointsFor(simulate.SpecOf(m)), "demo")
		if err != nil {
			return total, fmt.Errorf("points of %s %s: %w", m.Code, m.Name, err)
		}
		total += n
	}
	_, err = db.Exec(ctx, `INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, PointsKey, fmt.Sprint(total))
	return total, err
}

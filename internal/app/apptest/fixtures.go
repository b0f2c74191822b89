package apptest

import (
	"context"
	"fmt"

	"minesafe/internal/auth"
	"minesafe/internal/registry"
)

// USCC answers a valid unified social credit code whose body ends in n.
func USCC(n int) string {
	body := fmt.Sprintf("91150700MA%07d", n)
	c, err := registry.USCCCheckChar(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

// Enterprise registers an enterprise in a division.
func (e *Env) Enterprise(name, region string, n int) registry.Enterprise {
	e.T.Helper()
	ent, err := e.App.Registry.CreateEnterprise(context.Background(), auth.System, registry.EnterpriseInput{
		Name: name, USCC: USCC(n), Ownership: "private", RegionCode: region})
	if err != nil {
		e.T.Fatalf("enterprise %s: %v", name, err)
	}
	return ent
}

// Mine registers a mine of kind with the given code (empty: generated).
func (e *Env) Mine(ent registry.Enterprise, code, name, region, kind string) registry.Mine {
	e.T.Helper()
	lon, lat := 119.5, 49.3
	in := registry.MineInput{MineFields: registry.MineFields{Code: code, Name: name, EnterpriseID: ent.ID, RegionCode: region, Kind: kind, Status: "producing"},
		Lon: &lon, Lat: &lat}
	if kind == registry.KindTailingsPond {
		in.Tailings = &registry.TailingsInput{TailingsFields: registry.TailingsFields{Capacity10kM3: 2000, FinalCapacity10kM3: 3000, DamHeightM: 70, FinalDamHeightM: 80, Method: "upstream"}}
	}
	m, err := e.App.Registry.CreateMine(context.Background(), auth.System, in)
	if err != nil {
		e.T.Fatalf("mine %s: %v", name, err)
	}
	return m
}

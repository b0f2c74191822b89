package demo

import (
	"testing"
	"time"

	"minesafe/internal/geo"
	"minesafe/web"
)

// Every demo mine lies within 2 km of its division's boundary (the
// registry warns beyond that).
func TestMinesInsideTheirDivisions(t *testing.T) {
	d, err := geo.Parse(web.DivisionsGeoJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Build(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)).Mines {
		if km := d.DistanceKm(m.RegionCode, m.Lon, m.Lat); km > 2 {
			t.Errorf("%s %s (%s) lies %.1f km outside its division (in %q) at %.4f,%.4f", m.Code, m.Name, m.RegionCode, km, d.Locate(m.Lon, m.Lat), m.Lon, m.Lat)
		}
	}
}

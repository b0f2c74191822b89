package geo

import (
	"math"
	"testing"

	"minesafe/web"
)

func TestHulunbuirDivisions(t *testing.T) {
	d, err := Parse(web.DivisionsGeoJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.codes) != 14 {
		t.Fatalf("%d divisions", len(d.codes))
	}
	// 海拉尔 city seat lies in 海拉尔区; 满洲里 seat in 满洲里市.
	if got := d.Locate(119.77, 49.22); got != "150702" {
		t.Errorf("海拉尔 seat in %q", got)
	}
	if got := d.Locate(117.45, 49.58); got != "150781" {
		t.Errorf("满洲里 seat in %q", got)
	}
	if d.DistanceKm("150702", 119.77, 49.22) != 0 {
		t.Error("inside but a distance")
	}
	// Beijing is far from every division.
	if km := d.DistanceKm("150702", 116.4, 39.9); km < 900 || math.IsInf(km, 0) {
		t.Errorf("Beijing %v km from 海拉尔区", km)
	}
	if d.Locate(116.4, 39.9) != "" {
		t.Error("Beijing located in Hulunbuir")
	}
}

func TestRingAndSegment(t *testing.T) {
	sq := [][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	if !inRing(sq, 0.5, 0.5) || inRing(sq, 1.5, 0.5) {
		t.Fatal("ray test")
	}
	// 0.1° east of the square's east edge at the equator: about 11.1 km.
	if km := segmentKm(1.1, 0.5, [2]float64{1, 0}, [2]float64{1, 1}); math.Abs(km-11.13) > 0.05 {
		t.Fatalf("%v km", km)
	}
}

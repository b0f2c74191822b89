// Package geo answers where a point lies among the divisions' boundaries:
// inside its division, or how far outside. The boundaries are coarse (about
// 0.5 km, at most 1.8 km off), so callers warn with a tolerance, never refuse.
package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// Divisions holds the polygons of each division by its code.
type Divisions struct {
	polys map[string][][][2]float64 // code → polygons → ring of lon/lat (outer rings only)
	codes []string
}

type featureCollection struct {
	Features []struct {
		Properties struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// Parse reads a GeoJSON FeatureCollection whose features carry
// properties.code and a Polygon or MultiPolygon geometry.
func Parse(b []byte) (*Divisions, error) {
	var fc featureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("division boundaries: %w", err)
	}
	d := &Divisions{polys: map[string][][][2]float64{}}
	for _, f := range fc.Features {
		code := f.Properties.Code
		switch f.Geometry.Type {
		case "Polygon":
			var rings [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &rings); err != nil {
				return nil, fmt.Errorf("division %s: %w", code, err)
			}
			if len(rings) > 0 {
				d.polys[code] = append(d.polys[code], rings[0])
			}
		case "MultiPolygon":
			var polys [][][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("division %s: %w", code, err)
			}
			for _, rings := range polys {
				if len(rings) > 0 {
					d.polys[code] = append(d.polys[code], rings[0])
				}
			}
		default:
			return nil, fmt.Errorf("division %s: geometry %s is not a polygon", code, f.Geometry.Type)
		}
	}
	for c := range d.polys {
		d.codes = append(d.codes, c)
	}
	sort.Strings(d.codes)
	return d, nil
}

// Known tells whether the division has a boundary.
func (d *Divisions) Known(code string) bool { _, ok := d.polys[code]; return ok }

// Inside tells whether lon/lat lies inside the division.
func (d *Divisions) Inside(code string, lon, lat float64) bool {
	for _, ring := range d.polys[code] {
		if inRing(ring, lon, lat) {
			return true
		}
	}
	return false
}

// Locate answers the division containing lon/lat, or "".
func (d *Divisions) Locate(lon, lat float64) string {
	for _, c := range d.codes {
		if d.Inside(c, lon, lat) {
			return c
		}
	}
	return ""
}

// DistanceKm answers how far lon/lat lies from the division's boundary (0
// when inside).
func (d *Divisions) DistanceKm(code string, lon, lat float64) float64 {
	if d.Inside(code, lon, lat) {
		return 0
	}
	return d.EdgeKm(code, lon, lat)
}

// EdgeKm answers how far lon/lat lies from the division's boundary, inside
// or out.
func (d *Divisions) EdgeKm(code string, lon, lat float64) float64 {
	best := math.Inf(1)
	for _, ring := range d.polys[code] {
		for i := 0; i+1 < len(ring); i++ {
			best = math.Min(best, segmentKm(lon, lat, ring[i], ring[i+1]))
		}
	}
	return best
}

// inRing is the even-odd ray test.
func inRing(ring [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// segmentKm is the distance from a point to a segment on a local
// equirectangular projection: good to a few metres at these sizes.
func segmentKm(lon, lat float64, a, b [2]float64) float64 {
	const kmPerDeg = 111.32
	k := math.Cos(lat * math.Pi / 180)
	ax, ay := (a[0]-lon)*kmPerDeg*k, (a[1]-lat)*kmPerDeg
	bx, by := (b[0]-lon)*kmPerDeg*k, (b[1]-lat)*kmPerDeg
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	px, py := ax+t*dx, ay+t*dy
	return math.Hypot(px, py)
}

// InteriorPoint answers a point well inside the division: of a grid over
// its bounding box, the inside point farthest from the boundary.
func (d *Divisions) InteriorPoint(code string) (lon, lat float64, ok bool) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, ring := range d.polys[code] {
		for _, p := range ring {
			minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
			minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
		}
	}
	best := -1.0
	const n = 40
	for i := 1; i < n; i++ {
		for j := 1; j < n; j++ {
			x, y := minX+(maxX-minX)*float64(i)/n, minY+(maxY-minY)*float64(j)/n
			if !d.Inside(code, x, y) {
				continue
			}
			if e := d.EdgeKm(code, x, y); e > best {
				best, lon, lat, ok = e, x, y, true
			}
		}
	}
	return lon, lat, ok
}

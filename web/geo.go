package web

import _ "embed"

// DivisionsGeoJSON is the simplified boundary of each of the 14 county-level
// divisions of Hulunbuir: a GeoJSON FeatureCollection in WGS84/CGCS2000 whose
// features have id and properties.code (the GB/T 2260 code, e.g. "150725")
// and properties.name. Borders are accurate to about 0.5 km (1.8 km at
// most): use them for display and advisory checks only. Derived by
// tools/derive-divisions.mjs; source and licence in geo/NOTICE.md.
//
//go:embed geo/hulunbuir-divisions.json
var DivisionsGeoJSON []byte

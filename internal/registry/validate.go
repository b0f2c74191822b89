package registry

import (
	"fmt"
	"math"
	"minesafe/internal/geo"
	"slices"
	"strings"
	"time"

	"minesafe/internal/fail"
)

// Length limits keep one bad import from filling the database.
const (
	maxName = 200
	maxText = 500
)

// divisionToleranceKm is how far outside its division's (coarse) boundary
// a mine may lie before it is warned about.
const divisionToleranceKm = 2.0

// cityBox is a generous bounding box around Hulunbuir. A mine outside it
// is warned about, not refused: until the division polygons arrive it is
// the only location check.
var cityBox = struct{ minLon, maxLon, minLat, maxLat float64 }{115, 127, 47, 53.5}

// headTopDistanceM is the 头顶库 distance of 应急〔2020〕15号: people or
// important facilities within 1 km downstream of the starter dam.
const headTopDistanceM = 1000

func trimAll(vs ...*string) {
	for _, v := range vs {
		*v = strings.TrimSpace(*v)
	}
}

func required(f fail.Fields, field, v string, limit int) {
	if v == "" {
		f.Add(field, "is required")
	}
	maxLen(f, limit, map[string]string{field: v})
}

func maxLen(f fail.Fields, limit int, fields map[string]string) {
	for field, v := range fields {
		if n := len([]rune(v)); n > limit {
			f.Add(field, "must be at most %d characters, not %d", limit, n)
		}
	}
}

func oneOf(f fail.Fields, field, v string, allowed []string, isRequired bool) {
	switch {
	case v == "" && isRequired:
		f.Add(field, "is required: one of %s", strings.Join(allowed, ", "))
	case v != "" && !slices.Contains(allowed, v):
		f.Add(field, "must be one of %s", strings.Join(allowed, ", "))
	}
}

// dates checks optional YYYY-MM-DD values.
func dates(f fail.Fields, fields map[string]string) {
	for field, v := range fields {
		if _, err := time.Parse("2006-01-02", v); v != "" && err != nil {
			f.Add(field, "must be a date YYYY-MM-DD")
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func positive(f fail.Fields, field string, v float64) {
	if !finite(v) || v <= 0 {
		f.Add(field, "is required: a number above 0")
	}
}

func nonNegative(f fail.Fields, fields map[string]*float64) {
	for field, v := range fields {
		if v != nil && (!finite(*v) || *v < 0) {
			f.Add(field, "must be a number, 0 or more")
		}
	}
}

func coordinate(f fail.Fields, field string, v *float64, limit float64) {
	switch {
	case v == nil:
		f.Add(field, "is required")
	case !finite(*v) || math.Abs(*v) > limit:
		f.Add(field, "must be a number from -%g to %g", limit, limit)
	}
}

// validMineCode: 6 to 20 letters or digits. Coal mines carry the 12-character
// national monitoring code, but other systems differ, so the length is loose.
func validMineCode(c string) bool {
	if len(c) < 6 || len(c) > 20 {
		return false
	}
	for _, r := range c {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// checkEnterprise trims and checks an enterprise input, upper-casing the
// USCC (its letters are capitals by definition).
func checkEnterprise(f fail.Fields, in *EnterpriseInput) {
	trimAll(&in.Name, &in.USCC, &in.ParentGroup, &in.Ownership, &in.RegionCode, &in.Address, &in.ContactName, &in.ContactPhone)
	in.USCC = strings.ToUpper(in.USCC)
	required(f, "name", in.Name, maxName)
	if in.USCC == "" {
		f.Add("uscc", "is required: the 18-character unified social credit code")
	} else if err := ValidUSCC(in.USCC); err != nil {
		f.Add("uscc", "%v", err)
	}
	oneOf(f, "ownership", in.Ownership, ownerships, true)
	maxLen(f, maxText, map[string]string{"parent_group": in.ParentGroup, "address": in.Address, "contact_name": in.ContactName, "contact_phone": in.ContactPhone})
}

// checkMine trims and checks a complete mine input; references to other
// records (enterprise, division, code uniqueness) are checked in the store.
func checkMine(f fail.Fields, in *MineInput) {
	m := &in.MineFields
	trimAll(&m.Code, &m.Name, &m.RegionCode, &m.Kind, &m.Status, &m.MiningLicenceNo, &m.MiningLicenceExpiry,
		&m.SafetyLicenceNo, &m.SafetyLicenceExpiry, &m.GasClass, &m.HydroType, &m.RockBurst,
		&m.SpontaneousCombustion, &m.StdGrade, &m.StdGradeDate, &m.Supervisor, &m.InsuranceExpiry)
	required(f, "name", m.Name, maxName)
	if m.Code != "" && !validMineCode(m.Code) {
		f.Add("code", "must be 6 to 20 letters or digits")
	}
	if m.EnterpriseID <= 0 {
		f.Add("enterprise_id", "is required")
	}
	required(f, "region_code", m.RegionCode, maxName)
	oneOf(f, "kind", m.Kind, mineKinds, true)
	oneOf(f, "status", m.Status, mineStatuses, true)
	nonNegative(f, map[string]*float64{"capacity": m.Capacity, "mining_depth_m": m.MiningDepthM})
	coordinate(f, "lon", in.Lon, 180)
	coordinate(f, "lat", in.Lat, 90)
	dates(f, map[string]string{"mining_licence_expiry": m.MiningLicenceExpiry, "safety_licence_expiry": m.SafetyLicenceExpiry,
		"std_grade_date": m.StdGradeDate, "insurance_expiry": m.InsuranceExpiry})
	maxLen(f, maxText, map[string]string{"mining_licence_no": m.MiningLicenceNo, "safety_licence_no": m.SafetyLicenceNo, "supervisor": m.Supervisor})
	oneOf(f, "std_grade", m.StdGrade, stdGrades, false)
	checkCoalFields(f, m)
	switch {
	case m.Kind == KindTailingsPond && in.Tailings == nil:
		f.Add("tailings", "is required for a tailings_pond")
	case m.Kind != KindTailingsPond && in.Tailings != nil:
		f.Add("tailings", "only a tailings_pond has tailings")
	case in.Tailings != nil:
		checkTailings(f, in.Tailings)
	}
}

// checkCoalFields refuses the coal-only fields on other kinds and checks
// their vocabularies on coal mines.
func checkCoalFields(f fail.Fields, m *MineFields) {
	coal := []struct {
		field, v string
		allowed  []string
	}{
		{"gas_class", m.GasClass, gasClasses},
		{"hydro_type", m.HydroType, hydroTypes},
		{"rock_burst", m.RockBurst, rockBursts},
		{"spontaneous_combustion", m.SpontaneousCombustion, combustibility},
	}
	for _, c := range coal {
		if c.v != "" && !IsCoal(m.Kind) && slices.Contains(mineKinds, m.Kind) {
			f.Add(c.field, "applies to coal mines only; send \"\" for a %s", m.Kind)
		}
		oneOf(f, c.field, c.v, c.allowed, false)
	}
}

// checkTailings trims and checks a pond, defaulting its state.
func checkTailings(f fail.Fields, t *TailingsInput) {
	trimAll(&t.Method, &t.State, &t.GradeRaiseReason)
	if t.State == "" {
		t.State = "operating"
	}
	positive(f, "tailings.capacity_10k_m3", t.Capacity10kM3)
	positive(f, "tailings.final_capacity_10k_m3", t.FinalCapacity10kM3)
	positive(f, "tailings.dam_height_m", t.DamHeightM)
	positive(f, "tailings.final_dam_height_m", t.FinalDamHeightM)
	if t.FinalCapacity10kM3 < t.Capacity10kM3 {
		f.Add("tailings.final_capacity_10k_m3", "must be at least the current capacity_10k_m3 (%g)", t.Capacity10kM3)
	}
	if t.FinalDamHeightM < t.DamHeightM {
		f.Add("tailings.final_dam_height_m", "must be at least the current dam_height_m (%g)", t.DamHeightM)
	}
	oneOf(f, "tailings.method", t.Method, pondMethods, true)
	oneOf(f, "tailings.state", t.State, pondStates, true)
	nonNegative(f, map[string]*float64{"tailings.downstream_distance_m": t.DownstreamDistanceM,
		"tailings.design_min_dry_beach_m": t.DesignMinDryBeachM, "tailings.design_freeboard_m": t.DesignFreeboardM,
		"tailings.design_phreatic_depth_m": t.DesignPhreaticDepthM})
	maxLen(f, maxText, map[string]string{"tailings.grade_raise_reason": t.GradeRaiseReason})
}

// checkPerson trims and checks a person on duty.
func checkPerson(f fail.Fields, in *PersonInput) {
	trimAll(&in.Role, &in.Name, &in.CertificateNo, &in.CertificateExpiry, &in.Phone)
	oneOf(f, "role", in.Role, personRoles, true)
	required(f, "name", in.Name, maxName)
	dates(f, map[string]string{"certificate_expiry": in.CertificateExpiry})
	maxLen(f, maxText, map[string]string{"certificate_no": in.CertificateNo, "phone": in.Phone})
}

// mineWarnings answers advice about a stored mine for today (YYYY-MM-DD in
// Asia/Shanghai); always a list, possibly empty.
func mineWarnings(m *Mine, today string, divs *geo.Divisions) []string {
	w := []string{}
	switch {
	case m.Lon < cityBox.minLon || m.Lon > cityBox.maxLon || m.Lat < cityBox.minLat || m.Lat > cityBox.maxLat:
		w = append(w, "location lies outside Hulunbuir (lon 115–127, lat 47–53.5): check lon/lat")
	case divs != nil && divs.Known(m.RegionCode):
		if km := divs.DistanceKm(m.RegionCode, m.Lon, m.Lat); km > divisionToleranceKm {
			msg := fmt.Sprintf("location lies %.1f km outside %s", km, m.RegionName)
			if in := divs.Locate(m.Lon, m.Lat); in != "" {
				msg += " (inside division " + in + ")"
			}
			w = append(w, msg+": check lon/lat or the division")
		}
	}
	expiries := []struct{ what, date string }{
		{"mining licence", m.MiningLicenceExpiry}, {"safety licence", m.SafetyLicenceExpiry}, {"safety liability insurance", m.InsuranceExpiry},
	}
	for _, e := range expiries {
		if e.date != "" && e.date < today {
			w = append(w, e.what+" expired on "+e.date)
		}
	}
	if t := m.Tailings; t != nil && !t.HeadTop && t.DownstreamDistanceM != nil && *t.DownstreamDistanceM < headTopDistanceM {
		w = append(w, "downstream_distance_m is under 1 km, which makes the pond a 头顶库 (应急〔2020〕15号): check head_top")
	}
	return w
}

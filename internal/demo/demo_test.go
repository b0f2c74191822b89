package demo

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

var ref = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

func TestDeterministic(t *testing.T) {
	a, b := Build(ref), Build(ref)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two Builds with the same reference date differ")
	}
	// Only expiry-style dates move with the reference date.
	c := Build(ref.AddDate(1, 0, 0))
	if len(c.Mines) != len(a.Mines) || c.Enterprises[0].USCC != a.Enterprises[0].USCC || c.Mines[0].Code != a.Mines[0].Code {
		t.Fatal("a different reference date changed identities")
	}
}

func TestCounts(t *testing.T) {
	s := Build(ref)
	var ponds, others int
	kinds := map[string]int{}
	regions := map[string]bool{}
	for _, m := range s.Mines {
		kinds[m.Kind]++
		regions[m.RegionCode] = true
		if m.Kind == "tailings_pond" {
			ponds++
		} else {
			others++
		}
	}
	if others < 75 || ponds < 22 {
		t.Fatalf("mines %d (want ≥75), ponds %d (want ≥22)", others, ponds)
	}
	for _, k := range []string{"coal_underground", "coal_openpit", "metal_underground", "metal_openpit"} {
		if kinds[k] == 0 {
			t.Errorf("no %s mine", k)
		}
	}
	if len(divisions) != 14 {
		t.Fatalf("%d divisions, want 14", len(divisions))
	}
	for _, d := range divisions {
		if !regions[d.code] {
			t.Errorf("division %s %s has no mine", d.code, d.name)
		}
	}
	if n := len(s.Enterprises); n < 20 || n > 30 {
		t.Errorf("%d enterprises, want 20–30", n)
	}
	t.Logf("%d enterprises, %d mines (%v), %d users", len(s.Enterprises), len(s.Mines), kinds, len(s.Users))
}

func TestUSCC(t *testing.T) {
	// A published example code with a known check character.
	if !validUSCC("91350100M000100Y43") {
		t.Error("known-good code rejected")
	}
	if validUSCC("91350100M000100Y44") || validUSCC("91350100M000100Y4") || validUSCC("91350100M000100I43") {
		t.Error("bad code accepted")
	}
	s := Build(ref)
	seen := map[string]bool{}
	for _, e := range s.Enterprises {
		if !validUSCC(e.USCC) {
			t.Errorf("%s: invalid USCC %q", e.Name, e.USCC)
		}
		if orgCheckChar(e.USCC[8:16]) != e.USCC[16] {
			t.Errorf("%s: organisation code %q fails GB 11714", e.Name, e.USCC[8:17])
		}
		if e.USCC[2:8] != e.RegionCode {
			t.Errorf("%s: USCC %q not registered in %s", e.Name, e.USCC, e.RegionCode)
		}
		if seen[e.USCC] {
			t.Errorf("duplicate USCC %q", e.USCC)
		}
		seen[e.USCC] = true
		switch e.Ownership {
		case "central_soe", "local_soe", "private", "other":
		default:
			t.Errorf("%s: ownership %q", e.Name, e.Ownership)
		}
	}
}

func TestMineCodesAndKeys(t *testing.T) {
	s := Build(ref)
	ents := map[string]bool{}
	for _, e := range s.Enterprises {
		if ents[e.Key] {
			t.Errorf("duplicate enterprise key %q", e.Key)
		}
		ents[e.Key] = true
	}
	digit := map[string]byte{"coal_underground": '1', "coal_openpit": '2', "metal_underground": '3', "metal_openpit": '4', "tailings_pond": '5'}
	codes, names := map[string]bool{}, map[string]bool{}
	for _, m := range s.Mines {
		if len(m.Code) != 12 || !strings.HasPrefix(m.Code, m.RegionCode) || m.Code[6] != digit[m.Kind] {
			t.Errorf("%s: bad code %q", m.Name, m.Code)
		}
		if strings.Trim(m.Code, "0123456789") != "" {
			t.Errorf("%s: code %q not all digits", m.Name, m.Code)
		}
		if codes[m.Code] || names[m.Name] {
			t.Errorf("duplicate mine %q %q", m.Code, m.Name)
		}
		codes[m.Code], names[m.Name] = true, true
		if !ents[m.EnterpriseKey] {
			t.Errorf("%s: unknown enterprise %q", m.Name, m.EnterpriseKey)
		}
		if (m.Kind == "tailings_pond") != (m.Tailings != nil) {
			t.Errorf("%s: kind %s but tailings %v", m.Name, m.Kind, m.Tailings != nil)
		}
	}
}

// haversine distance in km.
func distKm(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestCoordinates(t *testing.T) {
	for _, m := range Build(ref).Mines {
		if m.Lon < 115 || m.Lon > 127 || m.Lat < 47 || m.Lat > 53.5 {
			t.Errorf("%s: (%v, %v) outside Hulunbuir", m.Name, m.Lon, m.Lat)
		}
		d, ok := divisionByCode(m.RegionCode)
		if !ok {
			t.Errorf("%s: unknown division %s", m.Name, m.RegionCode)
			continue
		}
		if km := distKm(m.Lon, m.Lat, d.lon, d.lat); km > 250 {
			t.Errorf("%s: %.0f km from the seat of %s", m.Name, km, d.name)
		}
	}
}

var heads = []string{"mine_manager", "chief_engineer", "safety_deputy", "production_deputy", "electromechanical_deputy"}

func TestPeople(t *testing.T) {
	s := Build(ref)
	full := 0
	certs, phones := map[string]bool{}, map[string]bool{}
	for _, m := range s.Mines {
		roles := map[string]int{}
		for _, p := range m.People {
			roles[p.Role]++
			if certs[p.CertificateNo] || phones[p.Phone] {
				t.Errorf("%s: duplicate certificate or phone %+v", m.Name, p)
			}
			certs[p.CertificateNo], phones[p.Phone] = true, true
			if p.Name == "" || p.CertificateNo == "" || len(p.Phone) != 11 {
				t.Errorf("%s: incomplete person %+v", m.Name, p)
			}
			if _, err := time.Parse(time.DateOnly, p.CertificateExpiry); err != nil {
				t.Errorf("%s: certificate expiry %q", m.Name, p.CertificateExpiry)
			}
		}
		if roles["mine_manager"] != 1 || roles["safety_engineer"] < 1 {
			t.Errorf("%s: needs a mine manager and a safety engineer, has %v", m.Name, roles)
		}
		working := m.Status == "producing" || m.Status == "constructing"
		if m.Kind == "coal_underground" && working {
			for _, h := range heads {
				if roles[h] != 1 {
					t.Errorf("%s: %s ×%d", m.Name, h, roles[h])
				}
			}
			if n := roles["safety_engineer"]; n < 1 || n > 2 {
				t.Errorf("%s: %d safety engineers", m.Name, n)
			}
			full++
		}
	}
	if full < 4 {
		t.Errorf("%d underground coal mines with all five heads, want ≥4", full)
	}
}

func TestUsers(t *testing.T) {
	s := Build(ref)
	count := map[string]int{}
	for _, m := range s.Mines {
		count[m.EnterpriseKey]++
	}
	want := map[string]string{
		"admin": "Admin#2026demo", "city": "City#2026demo", "county": "County#2026demo",
		"inspector": "Inspector#2026demo", "enterprise": "Enterprise#2026demo",
		"rescue": "Rescue#2026demo", "observer": "Observer#2026demo",
	}
	if len(s.Users) != len(want) {
		t.Fatalf("%d users, want %d", len(s.Users), len(want))
	}
	for _, u := range s.Users {
		if want[u.Username] != u.Password || u.Role != u.Username {
			t.Errorf("user %+v", u)
		}
		switch u.Role {
		case "county":
			if !reflect.DeepEqual(u.Regions, []string{"150725"}) {
				t.Errorf("county regions %v", u.Regions)
			}
		case "inspector":
			if !reflect.DeepEqual(u.Regions, []string{"150725", "150724"}) {
				t.Errorf("inspector regions %v", u.Regions)
			}
		case "city":
			if u.DisplayName != "呼伦贝尔市应急管理局" {
				t.Errorf("city display %q", u.DisplayName)
			}
		case "observer":
			if len(u.Regions) != 0 {
				t.Errorf("observer regions %v", u.Regions)
			}
		case "enterprise":
			n := count[u.EnterpriseKey]
			if n == 0 {
				t.Fatalf("enterprise user's enterprise %q has no mine", u.EnterpriseKey)
			}
			for k, c := range count {
				if c > n {
					t.Errorf("%s has %d mines, more than the enterprise user's %s (%d)", k, c, u.EnterpriseKey, n)
				}
			}
		}
		if u.Role != "enterprise" && u.EnterpriseKey != "" {
			t.Errorf("%s has an enterprise", u.Username)
		}
	}
}

// grade is regulations.md §5.2, written independently of pondGrade.
func grade(v, h float64) int {
	g := func(x float64, th []float64) int {
		for i, t := range th {
			if x >= t {
				return i + 1
			}
		}
		return 5
	}
	gv := g(v, []float64{50000, 10000, 1000, 100})
	gh := g(h, []float64{200, 100, 60, 30})
	d := gv - gh
	if d < 0 {
		d = -d
	}
	higher := min(gv, gh)
	if d <= 1 {
		return higher
	}
	return higher + 1
}

func TestPonds(t *testing.T) {
	s := Build(ref)
	current, final := map[int]int{}, map[int]int{}
	headTop := 0
	for _, m := range s.Mines {
		p := m.Tailings
		if p == nil {
			continue
		}
		if p.FinalCapacity10kM3 < p.Capacity10kM3 || p.FinalDamHeightM < p.DamHeightM {
			t.Errorf("%s: final below current", m.Name)
		}
		g := grade(p.Capacity10kM3, p.DamHeightM)
		gf := grade(p.FinalCapacity10kM3, p.FinalDamHeightM)
		if g != pondGrade(p.Capacity10kM3, p.DamHeightM) {
			t.Errorf("%s: pondGrade disagrees with the test's grade", m.Name)
		}
		current[g]++
		final[gf]++
		if p.HeadTop {
			headTop++
			if p.DownstreamDistanceM == nil || *p.DownstreamDistanceM >= 1000 {
				t.Errorf("%s: head-top pond with downstream distance %v", m.Name, p.DownstreamDistanceM)
			}
		} else if p.DownstreamDistanceM != nil && *p.DownstreamDistanceM < 1000 {
			t.Errorf("%s: within 1 km downstream but not head-top", m.Name)
		}
		switch p.Method {
		case "upstream", "downstream", "centreline":
		default:
			t.Errorf("%s: method %q", m.Name, p.Method)
		}
		switch p.State {
		case "operating", "idle", "closed", "cancelled":
		default:
			t.Errorf("%s: state %q", m.Name, p.State)
		}
		// Design minimums match GB 50863 for the final grade.
		if p.DesignPhreaticDepthM == nil || (gf <= 3) != (*p.DesignPhreaticDepthM == 6) {
			t.Errorf("%s: phreatic %v for grade %d", m.Name, p.DesignPhreaticDepthM, gf)
		}
		if p.Wet {
			fb := []float64{0, 1.5, 1.0, 0.7, 0.5, 0.4}[gf]
			beach := []float64{0, 150, 100, 70, 50, 40}[gf]
			if p.Method != "upstream" {
				beach = []float64{0, 100, 70, 50, 35, 25}[gf]
			}
			if p.DesignFreeboardM == nil || *p.DesignFreeboardM != fb || p.DesignMinDryBeachM == nil || *p.DesignMinDryBeachM != beach {
				t.Errorf("%s: design freeboard/beach wrong for grade %d", m.Name, gf)
			}
		}
		if m.Capacity != nil || m.MiningLicenceNo != "" {
			t.Errorf("%s: pond with capacity or mining licence", m.Name)
		}
	}
	if len(current) < 3 || len(final) < 3 {
		t.Errorf("pond grades current %v final %v: want ≥3 distinct", current, final)
	}
	if headTop < 2 {
		t.Errorf("%d head-top ponds, want ≥2", headTop)
	}
	t.Logf("pond grades: current %v, final %v", current, final)
}

func TestCoalAttributes(t *testing.T) {
	s := Build(ref)
	byName := map[string]Mine{}
	gas := map[string]int{}
	for _, m := range s.Mines {
		byName[m.Name] = m
		coal := m.Kind == "coal_underground" || m.Kind == "coal_openpit"
		if coal != (m.GasClass != "") || coal != (m.SpontaneousCombustion != "") || coal != (m.RockBurst != "") {
			t.Errorf("%s: coal hazard classes set wrongly", m.Name)
		}
		if coal {
			gas[m.GasClass]++
		}
		if coal != (m.HydroType != "") {
			t.Errorf("%s: hydrogeology type set wrongly", m.Name)
		}
		if m.Supervisor == "" {
			t.Errorf("%s: no supervisor", m.Name)
		}
	}
	if gas["outburst"] != 0 || gas["high"] < 1 || gas["low"] < 20 {
		t.Errorf("gas classes %v", gas)
	}
	for name, want := range map[string]func(Mine) bool{
		"伊敏露天矿":     func(m Mine) bool { return m.Kind == "coal_openpit" && *m.Capacity == 35 && m.StdGrade == "grade1" },
		"宝日希勒露天煤矿":  func(m Mine) bool { return m.Kind == "coal_openpit" && m.RegionCode == "150725" },
		"灵东煤矿":      func(m Mine) bool { return m.Kind == "coal_underground" && *m.Capacity == 5 },
		"敏东一矿":      func(m Mine) bool { return m.Kind == "coal_underground" && m.RockBurst == "strong" },
		"乌努格吐山铜钼矿":  func(m Mine) bool { return m.Kind == "metal_openpit" && *m.Capacity == 30000 },
		"查干布拉根铅锌银矿": func(m Mine) bool { return m.RegionCode == "150727" },
	} {
		m, ok := byName[name]
		if !ok || !want(m) {
			t.Errorf("%s: missing or facts wrong", name)
		}
	}
}

func TestExpiries(t *testing.T) {
	s := Build(ref)
	today := "2026-06-15"
	var mining, safety, insurance, noInsurance, cert int
	for _, m := range s.Mines {
		for _, d := range []string{m.MiningLicenceExpiry, m.SafetyLicenceExpiry, m.InsuranceExpiry, m.StdGradeDate} {
			if d != "" {
				if _, err := time.Parse(time.DateOnly, d); err != nil {
					t.Errorf("%s: date %q", m.Name, d)
				}
			}
		}
		if m.StdGrade != "none" && m.StdGradeDate == "" || m.StdGradeDate > today {
			t.Errorf("%s: std grade %s date %q", m.Name, m.StdGrade, m.StdGradeDate)
		}
		if m.Status != "closed" {
			if m.MiningLicenceExpiry != "" && m.MiningLicenceExpiry < today {
				mining++
			}
			if m.SafetyLicenceExpiry != "" && m.SafetyLicenceExpiry < today {
				safety++
			}
			if m.InsuranceExpiry == "" {
				noInsurance++
			} else if m.InsuranceExpiry < today {
				insurance++
			}
		}
		if m.Status == "constructing" && m.SafetyLicenceNo != "" {
			t.Errorf("%s: constructing mine with a safety licence", m.Name)
		}
		if (m.SafetyLicenceNo == "") != (m.SafetyLicenceExpiry == "") {
			t.Errorf("%s: safety licence number/expiry mismatch", m.Name)
		}
		for _, p := range m.People {
			if p.CertificateExpiry < today {
				cert++
			}
		}
	}
	t.Logf("expired: mining %d, safety %d, insurance %d (+%d missing), certificates %d", mining, safety, insurance, noInsurance, cert)
	if mining == 0 || safety == 0 || insurance == 0 || noInsurance == 0 || cert == 0 {
		t.Error("want a few expired licences, insurance and certificates")
	}
	if mining > 10 || safety > 12 || cert > 30 {
		t.Error("too many expired: the demo should look mostly compliant")
	}
}

func TestDemoNote(t *testing.T) {
	n := DemoNote()
	if !strings.Contains(n, "演示") || !strings.Contains(n, "Demo") || strings.Contains(n, "\n") {
		t.Errorf("DemoNote %q", n)
	}
}

func TestLicenceNumbers(t *testing.T) {
	s := Build(ref)
	seen := map[string]bool{}
	for _, m := range s.Mines {
		for _, no := range []string{m.MiningLicenceNo, m.SafetyLicenceNo} {
			if no == "" {
				continue
			}
			if seen[no] {
				t.Errorf("%s: duplicate licence number %s", m.Name, no)
			}
			seen[no] = true
		}
		if m.Kind != "tailings_pond" {
			no := m.MiningLicenceNo
			if len(no) != 23 || no[:7] != "C150000" || strings.Trim(no[1:], "0123456789") != "" {
				t.Errorf("%s: mining licence %q", m.Name, no)
				continue
			}
			if issued := no[7:11] + "-" + no[11:13]; issued > "2026-03" {
				t.Errorf("%s: mining licence issued in the future (%s)", m.Name, issued)
			}
		}
		if no := m.SafetyLicenceNo; no != "" && !strings.HasPrefix(no, "(蒙)MK安许证字〔") && !strings.HasPrefix(no, "(蒙)FM安许证字〔") {
			t.Errorf("%s: safety licence %q", m.Name, no)
		}
	}
}

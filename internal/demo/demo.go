// Package demo holds the invented demonstration data set of minesafe: the
// enterprises, mines, tailings ponds, people on duty and one user per role
// of a plausible Hulunbuir. It depends only on the standard library; the
// registry service loads it and flags every record as demo data.
//
// Build is deterministic: the same reference date always gives the same
// set. The reference date only places expiry dates relative to "today", so
// that a few licences, certificates and insurance policies are expired.
package demo

import (
	"fmt"
	"math"
	"time"

	"minesafe/internal/geo"
	"minesafe/web"
)

// Enterprise is a mining enterprise. Ownership is one of central_soe,
// local_soe, private or other. USCC is a valid unified social credit code.
type Enterprise struct {
	Key, Name, USCC, ParentGroup, Ownership, RegionCode, Address, ContactName, ContactPhone string
}

// Tailings holds the tailings-pond facts of a tailings_pond mine.
// Capacities are total capacities in 万m³, heights in m. Method is
// upstream, downstream or centreline; State is operating, idle, closed or
// cancelled. DownstreamDistanceM is the distance from the starter-dam toe
// along the tailings flow path to the nearest residents or important
// facilities (nil if not recorded). The design minimums follow GB 50863
// for the pond's final grade; dry beach and freeboard are nil for dry
// stacking (Wet false).
type Tailings struct {
	Capacity10kM3, FinalCapacity10kM3, DamHeightM, FinalDamHeightM float64
	Method                                                         string
	Wet, HeadTop                                                   bool
	DownstreamDistanceM                                            *float64
	State                                                          string
	DesignMinDryBeachM, DesignFreeboardM, DesignPhreaticDepthM     *float64
}

// Person is a person on duty at a mine. Role is one of mine_manager,
// chief_engineer, safety_deputy, production_deputy,
// electromechanical_deputy or safety_engineer. CertificateExpiry is
// YYYY-MM-DD.
type Person struct {
	Role, Name, CertificateNo, CertificateExpiry, Phone string
}

// Mine is a mine or a tailings pond.
//
// Code is 12 characters: the division code, a kind digit (coal_underground
// 1, coal_openpit 2, metal_underground 3, metal_openpit 4, tailings_pond 5)
// and a 5-digit sequence; coal mine codes are all digits and serve as their
// national monitoring codes. Capacity is Mt/a for coal and t/d ore for
// other mines (nil for ponds). GasClass, HydroType, RockBurst and
// SpontaneousCombustion are set for coal mines only. Dates are YYYY-MM-DD;
// an empty licence number or date means none is held (constructing mines have no safety licence, ponds no
// mining licence, some mines no insurance).
type Mine struct {
	Code, Name, EnterpriseKey, RegionCode, Kind, Status string
	Capacity                                            *float64
	MiningDepthM                                        *float64
	Lon, Lat                                            float64
	MiningLicenceNo, MiningLicenceExpiry                string
	SafetyLicenceNo, SafetyLicenceExpiry                string
	GasClass, HydroType, RockBurst                      string
	SpontaneousCombustion                               string
	StdGrade, StdGradeDate, Supervisor, InsuranceExpiry string
	Outsourced                                          bool
	Tailings                                            *Tailings
	People                                              []Person
}

// User is a demo login. Regions are division codes; EnterpriseKey is set for
// the enterprise role only.
type User struct {
	Username, Password, Role string
	Regions                  []string
	EnterpriseKey            string
	DisplayName              string
}

// Set is the whole demo data set.
type Set struct {
	Enterprises []Enterprise
	Mines       []Mine
	Users       []User
}

// DemoNote states in one line what the data set is.
func DemoNote() string {
	return "演示数据：除公开资料中的大型矿山名称、位置和产能等事实外，企业、矿山、尾矿库、人员、证照和账号均为虚构。" +
		" Demo data: invented except the named public facts (names, locations and capacities of the large mines)."
}

// seed fixes the data set. Change it and every invented detail changes.
const seed = 0x48_4c_42_52_2026 // "HLBR" 2026

// cst is China Standard Time; days are counted in Asia/Shanghai.
var cst = time.FixedZone("CST", 8*3600)

// Build returns the demo data set. It is deterministic given ref.
func Build(ref time.Time) Set {
	y, m, d := ref.In(cst).Date()
	b := &builder{
		r:     newRNG(seed),
		today: time.Date(y, m, d, 0, 0, 0, 0, cst),
		seq:   map[string]int{},
		ents:  map[string]*Enterprise{},
		phone: map[string]bool{},
		uscc:  map[string]bool{},
		nLic:  map[string]int{},
	}
	b.names = newNames(b.r)
	var set Set
	for _, e := range enterpriseSpecs {
		set.Enterprises = append(set.Enterprises, b.enterprise(e))
	}
	for i := range set.Enterprises {
		b.ents[set.Enterprises[i].Key] = &set.Enterprises[i]
	}
	for _, specs := range [][]mineSpec{coalSpecs, metalSpecs, pondSpecs} {
		for _, s := range specs {
			set.Mines = append(set.Mines, b.mine(s))
		}
	}
	placeInside(set.Mines)
	set.Users = users(set)
	return set
}

// placeInside moves a mine that the (coarse) division boundaries put
// outside its division along the line to a point well inside it, until it
// is at least 1 km within: the registry warns about mines outside their
// division, and the demo's should not be.
func placeInside(mines []Mine) {
	divs, err := geo.Parse(web.DivisionsGeoJSON)
	if err != nil {
		panic(err)
	}
	for i := range mines {
		m := &mines[i]
		if divs.Inside(m.RegionCode, m.Lon, m.Lat) && divs.EdgeKm(m.RegionCode, m.Lon, m.Lat) >= 1 {
			continue
		}
		ax, ay, ok := divs.InteriorPoint(m.RegionCode)
		if !ok {
			continue
		}
		x, y := m.Lon, m.Lat
		for step := 1; step <= 100; step++ {
			x, y = m.Lon+(ax-m.Lon)*float64(step)/100, m.Lat+(ay-m.Lat)*float64(step)/100
			if divs.Inside(m.RegionCode, x, y) && divs.EdgeKm(m.RegionCode, x, y) >= 1 {
				break
			}
		}
		m.Lon, m.Lat = math.Round(x*1e4)/1e4, math.Round(y*1e4)/1e4
	}
}

type builder struct {
	r      *rng
	names  *names
	today  time.Time
	seq    map[string]int // division+kind digit -> last sequence
	ents   map[string]*Enterprise
	phone  map[string]bool
	uscc   map[string]bool
	nMines int            // mines built so far
	nCert  int            // certificates issued so far
	nLic   map[string]int // safety licences issued so far, by MK/FM
}

func (b *builder) date(days int) string { return b.today.AddDate(0, 0, days).Format(time.DateOnly) }

func (b *builder) mobile() string {
	for {
		p := "139" + b.r.digits(8)
		if !b.phone[p] {
			b.phone[p] = true
			return p
		}
	}
}

// usccBody returns a fresh 8-character organisation-code body: an older
// all-digit code for state-owned enterprises, a newer "MA…" code otherwise.
func (b *builder) usccBody(ownership string) string {
	if ownership == centralSOE || ownership == localSOE {
		return fmt.Sprintf("%d", b.r.between(1, 7)) + b.r.digits(7)
	}
	const letters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := []byte("MA0")
	for len(body) < 8 {
		body = append(body, letters[b.r.intn(len(letters))])
	}
	return string(body)
}

func (b *builder) enterprise(s enterpriseSpec) Enterprise {
	var code string
	for {
		code = makeUSCC("91", s.region, b.usccBody(s.ownership))
		if !b.uscc[code] {
			b.uscc[code] = true
			break
		}
	}
	phone := b.mobile()
	if s.ownership == centralSOE || s.ownership == localSOE {
		phone = "0470-" + fmt.Sprintf("%d", b.r.between(3, 8)) + b.r.digits(6)
	}
	return Enterprise{
		Key: s.key, Name: s.name, USCC: code, ParentGroup: s.parent, Ownership: s.ownership,
		RegionCode: s.region, Address: s.address, ContactName: b.names.next(), ContactPhone: phone,
	}
}

var kindDigit = map[string]string{coalUG: "1", coalOP: "2", metalUG: "3", metalOP: "4", pond: "5"}

func ptr(v float64) *float64 { return &v }

func isCoal(kind string) bool { return kind == coalUG || kind == coalOP }

func (b *builder) mine(s mineSpec) Mine {
	b.nMines++
	kind, status := s.kind, s.status
	if s.pond != nil {
		kind = pond
		status = map[string]string{"operating": producing, "idle": suspended, "closed": closed, "cancelled": closed}[s.pond.state]
	}
	key := s.region + kindDigit[kind]
	b.seq[key]++
	m := Mine{
		Code:          fmt.Sprintf("%s%05d", key, b.seq[key]),
		Name:          s.name,
		EnterpriseKey: s.ent,
		RegionCode:    s.region,
		Kind:          kind,
		Status:        status,
		Lon:           s.lon,
		Lat:           s.lat,
		StdGrade:      s.grade,
		Outsourced:    s.outsourced,
	}
	if kind == "coal_underground" || kind == "coal_openpit" {
		m.HydroType = s.hydro // a coal-mine classification (煤矿防治水细则)
	}
	if s.cap > 0 {
		m.Capacity = ptr(s.cap)
	}
	if s.depth > 0 {
		m.MiningDepthM = ptr(s.depth)
	}
	if isCoal(kind) {
		m.GasClass, m.RockBurst, m.SpontaneousCombustion = s.gas, s.burst, s.spont
	}
	if s.pond != nil {
		m.Tailings = tailings(s.pond)
		if !s.pond.wet || s.pond.state == "idle" {
			m.Outsourced = false
		} else {
			m.Outsourced = b.r.chance(0.3)
		}
	}
	if m.StdGrade == "" || status == closed || status == constructing {
		m.StdGrade = "none"
	}
	if m.StdGrade != "none" {
		m.StdGradeDate = b.date(-b.r.between(60, 1400))
	}
	b.licences(&m)
	m.Supervisor = b.supervisor(m)
	m.People = b.people(m)
	return m
}

func (b *builder) licences(m *Mine) {
	// 采矿许可证: every mine but a pond.
	if m.Kind != pond {
		var exp int
		switch {
		case m.Status == closed:
			exp = -b.r.between(100, 1500)
		case b.r.chance(0.07):
			exp = -b.r.between(10, 240)
		default:
			exp = b.r.between(120, 6000)
		}
		// Terms of 5 to 30 years; a licence is issued at least 90 days ago.
		term := []int{5, 10, 10, 20, 30}[b.r.intn(5)]
		if m.Capacity != nil && isCoal(m.Kind) && *m.Capacity >= 10 {
			term = 30
		}
		for b.today.AddDate(-term, 0, exp).After(b.today.AddDate(0, 0, -90)) {
			term += 5
		}
		issued := b.today.AddDate(-term, 0, exp)
		m.MiningLicenceNo = fmt.Sprintf("C150000%04d%02d111%07d", issued.Year(), int(issued.Month()), 50000+b.nMines)
		m.MiningLicenceExpiry = b.date(exp)
	}
	// 安全生产许可证: not yet for constructing mines, gone for closed ones.
	if m.Status != constructing && m.Status != closed {
		var exp int
		if b.r.chance(0.08) {
			exp = -b.r.between(5, 200)
		} else {
			exp = b.r.between(30, 1090)
		}
		cat := "FM"
		if isCoal(m.Kind) {
			cat = "MK"
		}
		b.nLic[cat]++
		year := b.today.AddDate(0, 0, exp).Year() - 3
		m.SafetyLicenceNo = fmt.Sprintf("(蒙)%s安许证字〔%d〕%04d", cat, year, 100+b.nLic[cat]*7)
		m.SafetyLicenceExpiry = b.date(exp)
	}
	// 安全生产责任保险: a few missing, a few lapsed.
	if m.Status != closed {
		switch x := b.r.intn(100); {
		case x < 6:
		case x < 14:
			m.InsuranceExpiry = b.date(-b.r.between(3, 150))
		default:
			m.InsuranceExpiry = b.date(b.r.between(15, 360))
		}
	}
}

const nationalBranch = "国家矿山安全监察局内蒙古局呼伦贝尔分局"

func (b *builder) supervisor(m Mine) string {
	d, _ := divisionByCode(m.RegionCode)
	local := d.name + "应急管理局"
	e := b.ents[m.EnterpriseKey]
	switch {
	case isCoal(m.Kind) && e != nil && e.Ownership == centralSOE:
		return nationalBranch
	case m.Kind == pond && m.Tailings != nil && pondGrade(m.Tailings.Capacity10kM3, m.Tailings.DamHeightM) <= 3:
		return "呼伦贝尔市应急管理局"
	case m.Capacity != nil && !isCoal(m.Kind) && *m.Capacity >= 10000:
		return "呼伦贝尔市应急管理局"
	}
	return local
}

// people puts the people on duty: the five heads and one or two safety
// engineers at a working underground coal mine, fewer elsewhere, at least a
// mine manager and a safety engineer everywhere.
func (b *builder) people(m Mine) []Person {
	working := m.Status == producing || m.Status == constructing
	var roles []string
	switch {
	case isCoal(m.Kind) && working:
		// The "five heads" (五职矿长) of a coal mine.
		roles = []string{"mine_manager", "chief_engineer", "safety_deputy", "production_deputy", "electromechanical_deputy"}
	case m.Kind == metalUG && working:
		roles = []string{"mine_manager", "chief_engineer", "safety_deputy"}
	case m.Kind == metalOP && working, isCoal(m.Kind) && m.Status != closed:
		roles = []string{"mine_manager", "safety_deputy"}
	default:
		roles = []string{"mine_manager"}
	}
	roles = append(roles, "safety_engineer")
	if m.Kind == coalUG && working && b.r.chance(0.6) {
		roles = append(roles, "safety_engineer")
	}
	cat := "FM"
	if isCoal(m.Kind) {
		cat = "MK"
	}
	out := make([]Person, 0, len(roles))
	for _, role := range roles {
		b.nCert++
		var exp int
		if b.r.chance(0.05) {
			exp = -b.r.between(5, 200)
		} else {
			exp = b.r.between(20, 1080)
		}
		year := b.today.AddDate(0, 0, exp).Year() - 3
		out = append(out, Person{
			Role:              role,
			Name:              b.names.next(),
			CertificateNo:     fmt.Sprintf("%s%s%04d%06d", cat, m.RegionCode, year, 1000+b.nCert*3),
			CertificateExpiry: b.date(exp),
			Phone:             b.mobile(),
		})
	}
	return out
}

// GB 50863 design minimums by structure level 1–5 (= pond grade).
var (
	freeboardUpstream = [6]float64{0, 1.5, 1.0, 0.7, 0.5, 0.4}
	beachUpstream     = [6]float64{0, 150, 100, 70, 50, 40}
	beachOther        = [6]float64{0, 100, 70, 50, 35, 25}
)

func tailings(p *pondSpec) *Tailings {
	t := &Tailings{
		Capacity10kM3: p.v, FinalCapacity10kM3: p.vFinal,
		DamHeightM: p.h, FinalDamHeightM: p.hFinal,
		Method: p.method, Wet: p.wet, HeadTop: p.headTop, State: p.state,
	}
	if p.downstreamM > 0 {
		t.DownstreamDistanceM = ptr(p.downstreamM)
	}
	g := pondGrade(p.vFinal, p.hFinal)
	if p.wet {
		t.DesignFreeboardM = ptr(freeboardUpstream[g])
		if p.method == "upstream" {
			t.DesignMinDryBeachM = ptr(beachUpstream[g])
		} else {
			t.DesignMinDryBeachM = ptr(beachOther[g])
		}
	}
	if g <= 3 {
		t.DesignPhreaticDepthM = ptr(6)
	} else {
		t.DesignPhreaticDepthM = ptr(4)
	}
	return t
}

// pondGrade grades a pond (1–5) by total capacity v (万m³) and dam height h
// (m) as regulations.md §5.2: grade each separately; one apart, take the
// higher; further apart, the higher minus one.
func pondGrade(v, h float64) int {
	gv := band(v, 50000, 10000, 1000, 100)
	gh := band(h, 200, 100, 60, 30)
	hi, lo := min(gv, gh), max(gv, gh)
	switch lo - hi {
	case 0, 1:
		return hi
	}
	return hi + 1
}

func band(x float64, t1, t2, t3, t4 float64) int {
	switch {
	case x >= t1:
		return 1
	case x >= t2:
		return 2
	case x >= t3:
		return 3
	case x >= t4:
		return 4
	}
	return 5
}

// users returns one demo user per role. The enterprise user belongs to the
// enterprise with the most mines (first in list order on a tie).
func users(set Set) []User {
	count := map[string]int{}
	for _, m := range set.Mines {
		count[m.EnterpriseKey]++
	}
	var top *Enterprise
	for i := range set.Enterprises {
		e := &set.Enterprises[i]
		if top == nil || count[e.Key] > count[top.Key] {
			top = e
		}
	}
	return []User{
		{Username: "admin", Password: "Admin#2026demo", Role: "admin", DisplayName: "系统管理员"},
		{Username: "city", Password: "City#2026demo", Role: "city", Regions: []string{"150700"}, DisplayName: "呼伦贝尔市应急管理局"},
		{Username: "county", Password: "County#2026demo", Role: "county", Regions: []string{"150725"}, DisplayName: "陈巴尔虎旗应急管理局"},
		{Username: "inspector", Password: "Inspector#2026demo", Role: "inspector", Regions: []string{"150725", "150724"}, DisplayName: "矿山安全执法检查员（陈巴尔虎旗、鄂温克族自治旗）"},
		{Username: "enterprise", Password: "Enterprise#2026demo", Role: "enterprise", EnterpriseKey: top.Key, DisplayName: top.Name + "安全管理部"},
		{Username: "rescue", Password: "Rescue#2026demo", Role: "rescue", DisplayName: "呼伦贝尔矿山救护大队"},
		{Username: "observer", Password: "Observer#2026demo", Role: "observer", DisplayName: "只读观察员"},
	}
}

package registry

import (
	"encoding/json"
	"time"

	"minesafe/internal/httpx"
)

// Mine kinds.
const (
	KindCoalUnderground  = "coal_underground"
	KindCoalOpenpit      = "coal_openpit"
	KindMetalUnderground = "metal_underground"
	KindMetalOpenpit     = "metal_openpit"
	KindTailingsPond     = "tailings_pond"
)

// The closed vocabularies of the registry, in the order the docs list them.
var (
	mineKinds      = []string{KindCoalUnderground, KindCoalOpenpit, KindMetalUnderground, KindMetalOpenpit, KindTailingsPond}
	mineStatuses   = []string{"producing", "constructing", "suspended", "halted", "closed"}
	ownerships     = []string{"central_soe", "local_soe", "private", "other"}
	gasClasses     = []string{"low", "high", "outburst"}
	hydroTypes     = []string{"simple", "medium", "complex", "very_complex"}
	rockBursts     = []string{"none", "weak", "strong"}
	combustibility = []string{"easy", "prone", "not_prone"}
	stdGrades      = []string{"grade1", "grade2", "grade3", "none"}
	pondMethods    = []string{"upstream", "downstream", "centreline"}
	pondStates     = []string{"operating", "idle", "closed", "cancelled"}
	personRoles    = []string{"mine_manager", "chief_engineer", "safety_deputy", "production_deputy", "electromechanical_deputy", "safety_engineer"}
)

// kindDigit is the 7th character of a generated mine code.
var kindDigit = map[string]string{
	KindCoalUnderground: "1", KindCoalOpenpit: "2", KindMetalUnderground: "3", KindMetalOpenpit: "4", KindTailingsPond: "5",
}

// IsCoal tells whether a mine kind is a coal mine (coal-only fields apply,
// capacity is in Mt/a).
func IsCoal(kind string) bool { return kind == KindCoalUnderground || kind == KindCoalOpenpit }

// CapacityUnit answers the unit of a mine's capacity: Mt/a for coal, t/d
// for every other kind.
func CapacityUnit(kind string) string {
	if IsCoal(kind) {
		return "Mt/a"
	}
	return "t/d"
}

// Lifecycle is the bookkeeping every registry record carries. Nothing is
// deleted: archiving sets ArchivedAt and the reason.
type Lifecycle struct {
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ArchivedAt    *time.Time `json:"archived_at"`
	ArchiveReason string     `json:"archive_reason"`
}

// Region is a city or county-level division.
type Region struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	ParentCode *string  `json:"parent_code"`
	Level      string   `json:"level"`
	SeatLon    *float64 `json:"seat_lon"`
	SeatLat    *float64 `json:"seat_lat"`
}

// EnterpriseInput is what a caller gives to register an enterprise.
// RegionCode may be empty for an enterprise registered outside the city
// (only admin and city users may leave it empty).
type EnterpriseInput struct {
	Name         string `json:"name"`
	USCC         string `json:"uscc"`
	ParentGroup  string `json:"parent_group"`
	Ownership    string `json:"ownership"`
	RegionCode   string `json:"region_code"`
	Address      string `json:"address"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	Demo         bool   `json:"demo"`
}

// Enterprise is a mining enterprise. MineCount counts its unarchived mines
// that the caller may see.
type Enterprise struct {
	ID int64 `json:"id"`
	EnterpriseInput
	MineCount int `json:"mine_count"`
	Lifecycle
}

// EnterprisePatch changes the fields given (nil leaves a field alone).
type EnterprisePatch struct {
	Name         *string `json:"name,omitempty"`
	USCC         *string `json:"uscc,omitempty"`
	ParentGroup  *string `json:"parent_group,omitempty"`
	Ownership    *string `json:"ownership,omitempty"`
	RegionCode   *string `json:"region_code,omitempty"`
	Address      *string `json:"address,omitempty"`
	ContactName  *string `json:"contact_name,omitempty"`
	ContactPhone *string `json:"contact_phone,omitempty"`
}

// EnterpriseFilter selects enterprises; zero fields match everything and a
// zero Limit means no limit.
type EnterpriseFilter struct {
	httpx.ListParams
	RegionCode string
	Ownership  string
}

// MineFields are the fields a mine's input and its answer share. Dates are
// YYYY-MM-DD; the coal-only fields (GasClass, HydroType, RockBurst,
// SpontaneousCombustion) stay empty for other kinds.
type MineFields struct {
	Code                  string   `json:"code"`
	Name                  string   `json:"name"`
	EnterpriseID          int64    `json:"enterprise_id"`
	RegionCode            string   `json:"region_code"`
	Kind                  string   `json:"kind"`
	Status                string   `json:"status"`
	Capacity              *float64 `json:"capacity"`
	MiningDepthM          *float64 `json:"mining_depth_m"`
	MiningLicenceNo       string   `json:"mining_licence_no"`
	MiningLicenceExpiry   string   `json:"mining_licence_expiry"`
	SafetyLicenceNo       string   `json:"safety_licence_no"`
	SafetyLicenceExpiry   string   `json:"safety_licence_expiry"`
	GasClass              string   `json:"gas_class"`
	HydroType             string   `json:"hydro_type"`
	RockBurst             string   `json:"rock_burst"`
	SpontaneousCombustion string   `json:"spontaneous_combustion"`
	StdGrade              string   `json:"std_grade"`
	StdGradeDate          string   `json:"std_grade_date"`
	Supervisor            string   `json:"supervisor"`
	InsuranceExpiry       string   `json:"insurance_expiry"`
	Outsourced            bool     `json:"outsourced"`
	Demo                  bool     `json:"demo"`
}

// MineInput is what a caller gives to register a mine. An empty Code is
// generated; Lon and Lat are required; Tailings is required for a
// tailings_pond and refused for other kinds.
type MineInput struct {
	MineFields
	Lon      *float64       `json:"lon"`
	Lat      *float64       `json:"lat"`
	Tailings *TailingsInput `json:"tailings"`
}

// Mine is a registered mine. Warnings are advice about the record (a
// location outside the city, an expired licence…), never refusals.
type Mine struct {
	ID int64 `json:"id"`
	MineFields
	Lon            float64   `json:"lon"`
	Lat            float64   `json:"lat"`
	EnterpriseName string    `json:"enterprise_name"`
	RegionName     string    `json:"region_name"`
	CapacityUnit   string    `json:"capacity_unit"`
	Tailings       *Tailings `json:"tailings,omitempty"`
	People         []Person  `json:"people,omitempty"`
	Warnings       []string  `json:"warnings"`
	Lifecycle
}

// MinePatch changes the fields given. Only an admin may change Code.
type MinePatch struct {
	Code                  *string        `json:"code,omitempty"`
	Name                  *string        `json:"name,omitempty"`
	EnterpriseID          *int64         `json:"enterprise_id,omitempty"`
	RegionCode            *string        `json:"region_code,omitempty"`
	Kind                  *string        `json:"kind,omitempty"`
	Status                *string        `json:"status,omitempty"`
	Capacity              PatchFloat     `json:"capacity,omitzero"`
	MiningDepthM          PatchFloat     `json:"mining_depth_m,omitzero"`
	Lon                   *float64       `json:"lon,omitempty"`
	Lat                   *float64       `json:"lat,omitempty"`
	MiningLicenceNo       *string        `json:"mining_licence_no,omitempty"`
	MiningLicenceExpiry   *string        `json:"mining_licence_expiry,omitempty"`
	SafetyLicenceNo       *string        `json:"safety_licence_no,omitempty"`
	SafetyLicenceExpiry   *string        `json:"safety_licence_expiry,omitempty"`
	GasClass              *string        `json:"gas_class,omitempty"`
	HydroType             *string        `json:"hydro_type,omitempty"`
	RockBurst             *string        `json:"rock_burst,omitempty"`
	SpontaneousCombustion *string        `json:"spontaneous_combustion,omitempty"`
	StdGrade              *string        `json:"std_grade,omitempty"`
	StdGradeDate          *string        `json:"std_grade_date,omitempty"`
	Supervisor            *string        `json:"supervisor,omitempty"`
	InsuranceExpiry       *string        `json:"insurance_expiry,omitempty"`
	Outsourced            *bool          `json:"outsourced,omitempty"`
	Tailings              *TailingsPatch `json:"tailings,omitempty"`
}

// MineFilter selects mines; zero fields match everything and a zero Limit
// means no limit.
type MineFilter struct {
	httpx.ListParams
	RegionCode   string
	EnterpriseID int64
	Kind         string
	Status       string
}

// TailingsFields are the fields a pond's input and its answer share.
// Volumes are in 万m³, lengths in m.
type TailingsFields struct {
	Capacity10kM3        float64  `json:"capacity_10k_m3"`
	FinalCapacity10kM3   float64  `json:"final_capacity_10k_m3"`
	DamHeightM           float64  `json:"dam_height_m"`
	FinalDamHeightM      float64  `json:"final_dam_height_m"`
	Method               string   `json:"method"`
	HeadTop              bool     `json:"head_top"`
	DownstreamDistanceM  *float64 `json:"downstream_distance_m"`
	State                string   `json:"state"`
	DesignMinDryBeachM   *float64 `json:"design_min_dry_beach_m"`
	DesignFreeboardM     *float64 `json:"design_freeboard_m"`
	DesignPhreaticDepthM *float64 `json:"design_phreatic_depth_m"`
	GradeRaised          bool     `json:"grade_raised"`
	GradeRaiseReason     string   `json:"grade_raise_reason"`
}

// TailingsInput is the pond part of a tailings_pond's input. Wet defaults
// to true and State to "operating".
type TailingsInput struct {
	TailingsFields
	Wet *bool `json:"wet"`
}

// Tailings is a pond's record with its grades (等别, 1 highest … 5):
// ComputedGrade from the current V and H, Grade after a raise (论证), and
// DesignGrade from the final V and H, all by rule version GradeRuleVersion.
type Tailings struct {
	TailingsFields
	Wet              bool `json:"wet"`
	ComputedGrade    int  `json:"computed_grade"`
	Grade            int  `json:"grade"`
	DesignGrade      int  `json:"design_grade"`
	GradeRuleVersion int  `json:"grade_rule_version"`
}

// TailingsPatch changes the pond fields given.
type TailingsPatch struct {
	Capacity10kM3        *float64   `json:"capacity_10k_m3,omitempty"`
	FinalCapacity10kM3   *float64   `json:"final_capacity_10k_m3,omitempty"`
	DamHeightM           *float64   `json:"dam_height_m,omitempty"`
	FinalDamHeightM      *float64   `json:"final_dam_height_m,omitempty"`
	Method               *string    `json:"method,omitempty"`
	Wet                  *bool      `json:"wet,omitempty"`
	HeadTop              *bool      `json:"head_top,omitempty"`
	DownstreamDistanceM  PatchFloat `json:"downstream_distance_m,omitzero"`
	State                *string    `json:"state,omitempty"`
	DesignMinDryBeachM   PatchFloat `json:"design_min_dry_beach_m,omitzero"`
	DesignFreeboardM     PatchFloat `json:"design_freeboard_m,omitzero"`
	DesignPhreaticDepthM PatchFloat `json:"design_phreatic_depth_m,omitzero"`
	GradeRaised          *bool      `json:"grade_raised,omitempty"`
	GradeRaiseReason     *string    `json:"grade_raise_reason,omitempty"`
}

// PersonInput is a person on duty at a mine (矿长, 总工程师, 安全副矿长…).
type PersonInput struct {
	Role              string `json:"role"`
	Name              string `json:"name"`
	CertificateNo     string `json:"certificate_no"`
	CertificateExpiry string `json:"certificate_expiry"`
	Phone             string `json:"phone"`
}

// Person is a person on duty; CertificateExpired is computed for today in
// Asia/Shanghai.
type Person struct {
	ID     int64 `json:"id"`
	MineID int64 `json:"mine_id"`
	PersonInput
	CertificateExpired bool `json:"certificate_expired"`
	Lifecycle
}

// PersonPatch changes the fields given.
type PersonPatch struct {
	Role              *string `json:"role,omitempty"`
	Name              *string `json:"name,omitempty"`
	CertificateNo     *string `json:"certificate_no,omitempty"`
	CertificateExpiry *string `json:"certificate_expiry,omitempty"`
	Phone             *string `json:"phone,omitempty"`
}

// PatchFloat is an optional number in a patch: absent leaves the value
// alone, null clears it, a number sets it. (A plain pointer cannot tell
// absent from null.)
type PatchFloat struct {
	Set   bool
	Value *float64
}

// UnmarshalJSON is only called when the key is present, null included.
func (p *PatchFloat) UnmarshalJSON(b []byte) error {
	p.Set = true
	return json.Unmarshal(b, &p.Value)
}

// MarshalJSON writes the number or null; with omitzero an unset value is
// left out, so a marshalled patch reads back the same.
func (p PatchFloat) MarshalJSON() ([]byte, error) { return json.Marshal(p.Value) }

// SetFloat answers a patch value that sets v.
func SetFloat(v float64) PatchFloat { return PatchFloat{Set: true, Value: &v} }

// ClearFloat answers a patch value that clears the number.
func ClearFloat() PatchFloat { return PatchFloat{Set: true} }

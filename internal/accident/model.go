package accident

import (
	"time"

	"minesafe/internal/httpx"
)

// Types are the accident types, in the order the API lists them.
var Types = []string{"roof", "gas_explosion", "gas_outburst", "water", "fire", "transport", "hoisting",
	"electrical", "blasting", "slope_slide", "dump_slide", "tailings_failure", "poisoning", "other"}

// TypeNames are the types as reports name them.
var TypeNames = map[string]string{
	"roof": "顶板", "gas_explosion": "瓦斯爆炸", "gas_outburst": "煤与瓦斯突出", "water": "水害", "fire": "火灾",
	"transport": "运输", "hoisting": "提升", "electrical": "机电", "blasting": "放炮", "slope_slide": "边坡滑坡",
	"dump_slide": "排土场滑坡", "tailings_failure": "尾矿库溃坝", "poisoning": "中毒窒息", "other": "其他",
}

// Input is an accident as a regulator enters it. OccurredAt is RFC 3339,
// or a local time without zone (YYYY-MM-DDTHH:MM[:SS]) read in
// Asia/Shanghai. Deaths, SeriousInjuries (including acute industrial
// poisoning) and DirectLossYuan are required.
type Input struct {
	MineID             int64  `json:"mine_id"`
	OccurredAt         string `json:"occurred_at"`
	Type               string `json:"type"`
	Deaths             *int   `json:"deaths"`
	SeriousInjuries    *int   `json:"serious_injuries"`
	DirectLossYuan     *int64 `json:"direct_loss_yuan"`
	ContractorInvolved bool   `json:"contractor_involved"`
	Narrative          string `json:"narrative"`
}

// Patch changes the fields given; the accident is graded again by the rule
// in force.
type Patch struct {
	MineID             *int64  `json:"mine_id,omitempty"`
	OccurredAt         *string `json:"occurred_at,omitempty"`
	Type               *string `json:"type,omitempty"`
	Deaths             *int    `json:"deaths,omitempty"`
	SeriousInjuries    *int    `json:"serious_injuries,omitempty"`
	DirectLossYuan     *int64  `json:"direct_loss_yuan,omitempty"`
	ContractorInvolved *bool   `json:"contractor_involved,omitempty"`
	Narrative          *string `json:"narrative,omitempty"`
}

// Accident is a recorded accident. Its grade was computed by the grading
// rule version GradeRuleVersion; RegionCode, EnterpriseID and MineKind are
// its mine's when it was entered. HazardsOpenBeforeURL lists the hazards
// that were open at the mine on the day it happened.
type Accident struct {
	ID                   int64      `json:"id"`
	MineID               int64      `json:"mine_id"`
	MineCode             string     `json:"mine_code"`
	MineName             string     `json:"mine_name"`
	MineKind             string     `json:"mine_kind"`
	Coal                 bool       `json:"coal"`
	RegionCode           string     `json:"region_code"`
	RegionName           string     `json:"region_name"`
	EnterpriseID         int64      `json:"enterprise_id"`
	OccurredAt           time.Time  `json:"occurred_at"`
	OccurredOn           string     `json:"occurred_on"`
	Type                 string     `json:"type"`
	TypeName             string     `json:"type_name"`
	Deaths               int        `json:"deaths"`
	SeriousInjuries      int        `json:"serious_injuries"`
	DirectLossYuan       int64      `json:"direct_loss_yuan"`
	ContractorInvolved   bool       `json:"contractor_involved"`
	Narrative            string     `json:"narrative"`
	Grade                string     `json:"grade"`
	GradeName            string     `json:"grade_name"`
	GradeRuleVersion     int        `json:"grade_rule_version"`
	HazardsOpenBeforeURL string     `json:"hazards_open_before_url"`
	Warnings             []string   `json:"warnings"`
	CreatedAt            time.Time  `json:"created_at"`
	UpdatedAt            time.Time  `json:"updated_at"`
	ArchivedAt           *time.Time `json:"archived_at"`
	ArchiveReason        string     `json:"archive_reason"`
}

// Filter selects accidents; zero fields match everything. From and To are
// days (inclusive) in Asia/Shanghai; RegionCode may be the city's code.
type Filter struct {
	httpx.ListParams
	Year       int
	From, To   string
	RegionCode string
	MineID     int64
	Grades     []string
	Types      []string
	Coal       *bool
	Fatal      *bool
	Contractor *bool
}

// ProductionInput is one mine's output of one month (YYYY-MM), in tonnes.
type ProductionInput struct {
	MineID int64    `json:"mine_id"`
	Month  string   `json:"month"`
	Tonnes *float64 `json:"tonnes"`
	Note   string   `json:"note"`
}

// Production is a month's output of a mine. Replaced and PreviousTonnes
// tell, in the answer to a post, whether it replaced an earlier figure.
type Production struct {
	ID             int64     `json:"id"`
	MineID         int64     `json:"mine_id"`
	MineCode       string    `json:"mine_code"`
	MineName       string    `json:"mine_name"`
	MineKind       string    `json:"mine_kind"`
	Coal           bool      `json:"coal"`
	RegionCode     string    `json:"region_code"`
	RegionName     string    `json:"region_name"`
	EnterpriseID   int64     `json:"enterprise_id"`
	Month          string    `json:"month"`
	Tonnes         float64   `json:"tonnes"`
	Source         string    `json:"source"`
	Note           string    `json:"note"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Replaced       bool      `json:"replaced,omitempty"`
	PreviousTonnes *float64  `json:"previous_tonnes,omitempty"`
}

// ProductionFilter selects production figures. From and To are months
// (inclusive).
type ProductionFilter struct {
	httpx.ListParams
	Year       int
	From, To   string
	RegionCode string
	MineID     int64
	Coal       *bool
}

// Figures are the totals of one division and year that the plan's
// indicators are made of. Archived accidents do not count.
type Figures struct {
	Accidents             int     `json:"accidents"`
	Deaths                int     `json:"deaths"`
	LargerAccidents       int     `json:"larger_accidents"`
	MajorOrWorseAccidents int     `json:"major_or_worse_accidents"`
	CoalDeaths            int     `json:"coal_deaths"`
	CoalOutputTonnes      float64 `json:"coal_output_tonnes"`
}

// Add adds o to f.
func (f *Figures) Add(o Figures) {
	f.Accidents += o.Accidents
	f.Deaths += o.Deaths
	f.LargerAccidents += o.LargerAccidents
	f.MajorOrWorseAccidents += o.MajorOrWorseAccidents
	f.CoalDeaths += o.CoalDeaths
	f.CoalOutputTonnes += o.CoalOutputTonnes
}

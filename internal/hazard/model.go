// Package hazard is the dual-prevention capability (双重预防): the risk
// register of every mine (风险分级管控) with its four-colour picture, the
// catalogues that decide what is a major hazard (重大事故隐患判定标准) as
// versioned data, and the hidden-hazard closed loop (隐患排查治理): report,
// plan (the five fixes for a major hazard), rectify with evidence, verify,
// close (销号), with deadlines, a daily job that escalates overdue hazards
// and lists major ones for supervision (挂牌督办), and the accountability
// trail. docs/hazards.md is the user's account of it.
package hazard

import (
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/files"
	"minesafe/internal/flow"
)

// Hazard levels (一般 / 重大).
const (
	LevelGeneral = "general"
	LevelMajor   = "major"
)

// Hazard sources.
const (
	SourceSelfInspection = "self_inspection" // the mine's own check (自查)
	SourceInspection     = "inspection"      // a regulator's inspection
	SourceMonitoring     = "monitoring"      // from an alarm
	SourceReport         = "report"          // a public report (举报), entered by a regulator
	SourceThirdParty     = "third_party"     // an agency's finding (第三方)
)

// States of the loop.
const (
	StateReported   = "reported"
	StatePlanned    = "planned"
	StateRectifying = "rectifying"
	StateRectified  = "rectified"
	StateVerified   = "verified"
	StateClosed     = "closed"
)

var (
	hazardLevels = []string{LevelGeneral, LevelMajor}
	sources      = []string{SourceSelfInspection, SourceInspection, SourceMonitoring, SourceReport, SourceThirdParty}
	states       = []string{StateReported, StatePlanned, StateRectifying, StateRectified, StateVerified, StateClosed}
	// openStates are those in which the rectification is still to be done:
	// only they can be overdue.
	openStates = []string{StateReported, StatePlanned, StateRectifying}
)

// sourceRoles says who may report a hazard of each source: the mine its
// own findings, regulators theirs and the public reports they take in;
// monitoring and third-party findings come from either side.
var sourceRoles = map[string][]string{
	SourceSelfInspection: {auth.RoleEnterprise, auth.RoleAdmin},
	SourceInspection:     {auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin},
	SourceMonitoring:     {auth.RoleEnterprise, auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin},
	SourceReport:         {auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin},
	SourceThirdParty:     {auth.RoleEnterprise, auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin},
}

// HazardTypes is the vocabulary of hazard types shared by risks and
// hazards, with the Chinese names exports show.
var HazardTypes = []string{"gas", "outburst", "ventilation", "water", "roof", "rock_burst", "fire", "dust", "slope", "dump", "tailings",
	"electrical", "transport", "hoisting", "blasting", "machinery", "extreme_cold", "other"}

var hazardTypeNames = map[string]string{"gas": "瓦斯", "outburst": "煤与瓦斯突出", "ventilation": "通风", "water": "水害", "roof": "顶板",
	"rock_burst": "冲击地压", "fire": "火灾", "dust": "粉尘", "slope": "边坡", "dump": "排土场", "tailings": "尾矿库", "electrical": "电气",
	"transport": "运输", "hoisting": "提升", "blasting": "爆破", "machinery": "机械", "extreme_cold": "极寒", "other": "其他"}

var levelNames = map[string]string{LevelGeneral: "一般", LevelMajor: "重大", "red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}

var stateNames = map[string]string{StateReported: "已登记", StatePlanned: "已制定方案", StateRectifying: "整改中", StateRectified: "已整改",
	StateVerified: "已验收", StateClosed: "已销号"}

var sourceNames = map[string]string{SourceSelfInspection: "企业自查", SourceInspection: "监管检查", SourceMonitoring: "监测预警",
	SourceReport: "举报", SourceThirdParty: "第三方"}

// loop builds the table of the hazard loop. The mine plans, starts and
// rectifies; a regulator in scope verifies (county, city, inspector),
// returns, and closes (county, city). A general hazard may also be
// verified, returned and closed by its own mine (自查自改), so the two
// levels have two tables: a wrong role is then a 403 before any state is
// considered.
func loop(recordType string, mineChecksItself bool) flow.Machine {
	mine := []string{auth.RoleEnterprise, auth.RoleAdmin}
	verifiers := []string{auth.RoleCounty, auth.RoleCity, auth.RoleInspector, auth.RoleAdmin}
	closers := []string{auth.RoleCounty, auth.RoleCity, auth.RoleAdmin}
	if mineChecksItself {
		verifiers = append(verifiers, auth.RoleEnterprise)
		closers = append(closers, auth.RoleEnterprise)
	}
	return flow.Machine{RecordType: recordType, Transitions: []flow.Transition{
		{From: []string{StateReported}, Action: "plan", To: StatePlanned, Roles: mine},
		{From: []string{StatePlanned}, Action: "start", To: StateRectifying, Roles: mine},
		{From: []string{StateRectifying}, Action: "rectified", To: StateRectified, Roles: mine},
		{From: []string{StateRectified}, Action: "verify", To: StateVerified, Roles: verifiers},
		{From: []string{StateRectified, StateVerified}, Action: "return", To: StateRectifying, Roles: verifiers},
		{From: []string{StateVerified}, Action: "close", To: StateClosed, Roles: closers},
	}}
}

// The two loops. Their record types name the level so that a refusal says
// why ("role enterprise may not verify a major hazard").
var (
	GeneralLoop = loop("hazard", true)
	MajorLoop   = loop("major hazard", false)
)

// Actions are the loop's step names, in order.
var Actions = []string{"plan", "start", "rectified", "verify", "return", "close"}

// Loop answers the table that governs a hazard of level.
func Loop(level string) *flow.Machine {
	if level == LevelMajor {
		return &MajorLoop
	}
	return &GeneralLoop
}

// Hazard is one hidden hazard and where it is in its loop. Overdue is
// computed when read: the rectification (reported, planned, rectifying)
// is not done by the end of the deadline day, 24:00 Asia/Shanghai.
type Hazard struct {
	ID                  int64        `json:"id"`
	MineID              int64        `json:"mine_id"`
	MineName            string       `json:"mine_name"`
	MineKind            string       `json:"mine_kind"`
	RegionCode          string       `json:"region_code"`
	EnterpriseID        int64        `json:"enterprise_id"`
	Level               string       `json:"level"`
	Source              string       `json:"source"`
	AlarmID             *int64       `json:"alarm_id"`
	Place               string       `json:"place"`
	HazardType          string       `json:"hazard_type"`
	Description         string       `json:"description"`
	CriterionCode       string       `json:"criterion_code"`
	CriterionVersion    *int         `json:"criterion_version"`
	CriterionText       string       `json:"criterion_text"`
	CriterionConfidence string       `json:"criterion_confidence"`
	State               string       `json:"state"`
	Deadline            string       `json:"deadline"`
	Overdue             bool         `json:"overdue"`
	OverdueDays         int          `json:"overdue_days"`
	ReportedAt          time.Time    `json:"reported_at"`
	ReportedBy          string       `json:"reported_by"`
	Responsibility      string       `json:"responsibility"`
	Measures            string       `json:"measures"`
	FundsYuan           *int64       `json:"funds_yuan"`
	Contingency         string       `json:"contingency"`
	PlannedAt           *time.Time   `json:"planned_at"`
	PlannedBy           string       `json:"planned_by"`
	StartedAt           *time.Time   `json:"started_at"`
	StartedBy           string       `json:"started_by"`
	Evidence            string       `json:"evidence"`
	RectifiedAt         *time.Time   `json:"rectified_at"`
	RectifiedBy         string       `json:"rectified_by"`
	VerifiedAt          *time.Time   `json:"verified_at"`
	VerifiedBy          string       `json:"verified_by"`
	ClosedAt            *time.Time   `json:"closed_at"`
	ClosedBy            string       `json:"closed_by"`
	ReturnReason        string       `json:"return_reason"`
	ReturnCount         int          `json:"return_count"`
	EscalatedTo         string       `json:"escalated_to"`
	EscalatedAt         *time.Time   `json:"escalated_at"`
	Supervised          bool         `json:"supervised"`
	SupervisedAt        *time.Time   `json:"supervised_at"`
	SupervisionReason   string       `json:"supervision_reason"`
	Attachments         []files.File `json:"attachments,omitempty"`
	Actions             []string     `json:"actions"`
}

// Risk levels, high to low, and the four-colour names.
var riskLevels = []string{"red", "orange", "yellow", "blue"}

// Control levels: who manages a risk (公司/矿, 部门/科室, 区队/车间, 班组/岗位).
var controlLevels = []string{"mine", "department", "team", "post"}

var controlLevelNames = map[string]string{"mine": "矿/公司", "department": "部门/科室", "team": "区队/车间", "post": "班组/岗位"}

// Assessment methods: the L×S risk matrix and LEC (D = L×E×C).
const (
	MethodLS  = "ls"
	MethodLEC = "lec"
)

// Risk is one row of a mine's risk register.
type Risk struct {
	ID            int64      `json:"id"`
	MineID        int64      `json:"mine_id"`
	MineName      string     `json:"mine_name"`
	RegionCode    string     `json:"region_code"`
	EnterpriseID  int64      `json:"enterprise_id"`
	Place         string     `json:"place"`
	HazardType    string     `json:"hazard_type"`
	Description   string     `json:"description"`
	Method        string     `json:"method"`
	L             float64    `json:"l"`
	S             *float64   `json:"s"`
	E             *float64   `json:"e"`
	C             *float64   `json:"c"`
	Score         float64    `json:"score"`
	Level         string     `json:"level"`
	RulesVersion  int        `json:"rules_version"`
	Measures      string     `json:"measures"`
	ControlLevel  string     `json:"control_level"`
	Responsible   string     `json:"responsible"`
	ReviewDate    string     `json:"review_date"`
	ReviewDue     bool       `json:"review_due"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ArchivedAt    *time.Time `json:"archived_at"`
	ArchiveReason string     `json:"archive_reason"`
	Warnings      []string   `json:"warnings"`
}

package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/ruleset"
	"minesafe/internal/store"
)

// ruleKind is one of enforcement's rule tables kept as versioned data: its
// ruleset kind, its shipped defaults and its validation. The city regulator
// or an admin publishes new versions; records keep the version they used.
type ruleKind[T any] struct {
	kind     string
	note     string // of the shipped defaults
	defaults func() T
	validate func(T) fail.Fields
}

// RuleAnswer is a rule table in force with its version.
type RuleAnswer[T any] struct {
	Version int    `json:"version"`
	Note    string `json:"note"`
	Rules   T      `json:"rules"`
}

// ensure stores the defaults as version 1 when the kind has no version.
func (k ruleKind[T]) ensure(ctx context.Context, s *Service) error {
	_, err := ruleset.Ensure(ctx, s.db, k.kind, k.defaults(), k.note, s.now())
	return err
}

// current answers the version in force, storing the defaults first if the
// kind has none yet (Start normally has).
func (k ruleKind[T]) current(ctx context.Context, s *Service) (RuleAnswer[T], error) {
	set, err := ruleset.Ensure(ctx, s.db, k.kind, k.defaults(), k.note, s.now())
	if err != nil {
		return RuleAnswer[T]{}, err
	}
	var body T
	if err := json.Unmarshal(set.Body, &body); err != nil {
		return RuleAnswer[T]{}, fmt.Errorf("%s v%d: %w", k.kind, set.Version, err)
	}
	return RuleAnswer[T]{Version: set.Version, Note: set.Note, Rules: body}, nil
}

// publish stores body as the next version (city, admin), with its event.
func (k ruleKind[T]) publish(ctx context.Context, s *Service, p *auth.Principal, body T, note string) (RuleAnswer[T], error) {
	if !p.Is(auth.RoleAdmin, auth.RoleCity) {
		return RuleAnswer[T]{}, fail.Forbiddenf("only the city regulator or an admin edits %s", k.kind)
	}
	f := k.validate(body)
	if strings.TrimSpace(note) == "" {
		f.Add("note", "say what changed and why")
	}
	if err := f.Err(); err != nil {
		return RuleAnswer[T]{}, err
	}
	var v ruleset.Set
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if v, err = ruleset.Add(ctx, tx, k.kind, body, note, p.ActorID(), s.now()); err != nil {
			return err
		}
		e := events.New(p, s.now(), "rule_set", v.ID, "create").WithDetail(map[string]any{"kind": k.kind, "version": v.Version})
		e.Reason = note
		_, err = events.Append(ctx, tx, e)
		return err
	})
	if err != nil {
		return RuleAnswer[T]{}, err
	}
	return RuleAnswer[T]{Version: v.Version, Note: note, Rules: body}, nil
}

// Circumstances of a violation (情节), light to serious.
const (
	Light   = "light"
	General = "general"
	Serious = "serious"
)

var circumstances = []string{Light, General, Serious}

// Range is a fine range in integer yuan; both ends are inside.
type Range struct {
	MinYuan int64 `json:"min_yuan"`
	MaxYuan int64 `json:"max_yuan"`
}

// Contains tells whether amount is inside the range (the edges are).
func (r Range) Contains(amount int64) bool { return amount >= r.MinYuan && amount <= r.MaxYuan }

// ViolationType is one row of the discretion benchmark (裁量基准): a kind of
// violation, its legal basis and the fine range for each circumstance.
// Confidence marks follow shared/domain: V read, C corroborated, M believed
// but unconfirmed (a default to check), U unknown.
type ViolationType struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	LegalBasis      string `json:"legal_basis"`
	BasisConfidence string `json:"basis_confidence"`
	Light           Range  `json:"light"`
	General         Range  `json:"general"`
	Serious         Range  `json:"serious"`
	RangeConfidence string `json:"range_confidence"`
}

// Range answers the range of a circumstance.
func (v ViolationType) Range(circumstance string) (Range, bool) {
	switch circumstance {
	case Light:
		return v.Light, true
	case General:
		return v.General, true
	case Serious:
		return v.Serious, true
	}
	return Range{}, false
}

// Discretion is the discretion benchmark: the violation types.
type Discretion struct {
	Types []ViolationType `json:"types"`
}

// Type answers the violation type with code.
func (d Discretion) Type(code string) (ViolationType, bool) {
	for _, t := range d.Types {
		if t.Code == code {
			return t, true
		}
	}
	return ViolationType{}, false
}

// DefaultDiscretion is the shipped benchmark. The legal bases are the
// articles of 安全生产法 (2021 revision) as we know them (C: several sources
// agree, primary text not re-read here); the ranges split the statutory
// maximum into three bands and are defaults (M) for the city to replace with
// its published benchmark.
func DefaultDiscretion() Discretion {
	return Discretion{Types: []ViolationType{
		{Code: "monitoring_not_working", Name: "安全监控系统不能正常运行（关闭、破坏监控报警设备，或篡改、隐瞒、销毁其数据）",
			LegalBasis: "《安全生产法》(2021) 第三十六条第三款；罚则 第九十九条第(四)项：责令限期改正，处五万元以下罚款；逾期未改正的，处五万元以上二十万元以下罚款", BasisConfidence: "C",
			Light: Range{5000, 20000}, General: Range{20000, 35000}, Serious: Range{35000, 50000}, RangeConfidence: "M"},
		{Code: "over_capacity", Name: "超能力、超强度或者超定员组织生产",
			LegalBasis: "《煤矿安全生产条例》(国务院令第774号, 2024) 罚则 — 条款号未核实；原《国务院关于预防煤矿生产安全事故的特别规定》(国务院令第446号) 第十条：五十万元以上二百万元以下罚款", BasisConfidence: "U",
			Light: Range{500000, 800000}, General: Range{800000, 1400000}, Serious: Range{1400000, 2000000}, RangeConfidence: "M"},
		{Code: "hazard_not_eliminated", Name: "未按规定排查治理事故隐患（未采取措施消除事故隐患）",
			LegalBasis: "《安全生产法》(2021) 第四十一条；罚则 第一百零二条：责令立即消除或者限期消除，处五万元以下罚款", BasisConfidence: "C",
			Light: Range{5000, 15000}, General: Range{15000, 30000}, Serious: Range{30000, 50000}, RangeConfidence: "M"},
		{Code: "hazard_system_missing", Name: "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告",
			LegalBasis: "《安全生产法》(2021) 第四十一条；罚则 第一百零一条第(五)项：责令限期改正，处十万元以下罚款", BasisConfidence: "C",
			Light: Range{10000, 30000}, General: Range{30000, 60000}, Serious: Range{60000, 100000}, RangeConfidence: "M"},
		{Code: "uncertified_special_worker", Name: "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业",
			LegalBasis: "《安全生产法》(2021) 第三十条；罚则 第九十七条第(七)项：责令限期改正，处十万元以下罚款", BasisConfidence: "C",
			Light: Range{10000, 30000}, General: Range{30000, 60000}, Serious: Range{60000, 100000}, RangeConfidence: "M"},
	}}
}

func validateDiscretion(d Discretion) fail.Fields {
	f := fail.Fields{}
	if len(d.Types) == 0 {
		f.Add("rules.types", "at least one violation type")
	}
	seen := map[string]bool{}
	for i, t := range d.Types {
		at := fmt.Sprintf("rules.types[%d]", i)
		switch {
		case strings.TrimSpace(t.Code) == "":
			f.Add(at+".code", "required")
		case seen[t.Code]:
			f.Add(at+".code", "%s is given twice", t.Code)
		}
		seen[t.Code] = true
		if strings.TrimSpace(t.Name) == "" {
			f.Add(at+".name", "required")
		}
		if strings.TrimSpace(t.LegalBasis) == "" {
			f.Add(at+".legal_basis", "required")
		}
		for _, c := range circumstances {
			r, _ := t.Range(c)
			if r.MinYuan < 0 || r.MaxYuan <= 0 || r.MinYuan > r.MaxYuan {
				f.Add(at+"."+c, "needs 0 ≤ min_yuan ≤ max_yuan and max_yuan > 0")
			}
		}
	}
	return f
}

var discretionRules = ruleKind[Discretion]{kind: "discretion", defaults: DefaultDiscretion, validate: validateDiscretion,
	note: "shipped defaults (docs/enforcement.md): legal bases C/U, ranges M, replace with the city's published 裁量基准"}

// CheckItem is one item of an inspection checklist.
type CheckItem struct {
	Code  string `json:"code"`
	Item  string `json:"item"`
	Basis string `json:"basis"`
}

// Checklists are the inspection checklists by mine kind.
type Checklists map[string][]CheckItem

// DefaultChecklists are the shipped checklists (M: a starting point built
// from the 重大事故隐患判定标准 in shared/domain, for the regulator to edit).
func DefaultChecklists() Checklists {
	licence := func(code string) CheckItem {
		return CheckItem{code, "采矿许可证、安全生产许可证等证照齐全有效，在许可范围内生产", "《安全生产许可证条例》第二条"}
	}
	worker := func(code string) CheckItem {
		return CheckItem{code, "特种作业人员持证上岗", "《安全生产法》(2021) 第三十条"}
	}
	hazards := func(code string) CheckItem {
		return CheckItem{code, "事故隐患排查治理制度、台账及重大隐患报告", "《安全生产法》(2021) 第四十一条"}
	}
	return Checklists{
		"coal_underground": {licence("CU01"),
			{"CU02", "安全监控系统运行正常，甲烷传感器设置及报警、断电值符合规定", "《煤矿安全规程》第四百九十八条；煤矿重大事故隐患判定标准 第七条"},
			{"CU03", "通风系统完善可靠，风量、风速符合规定", "《煤矿安全规程》第一百三十六条；判定标准 第八条"},
			{"CU04", "防治水措施落实（探放水）", "煤矿重大事故隐患判定标准 第九条"},
			{"CU05", "人员位置监测系统运行正常，不超定员组织生产", "煤矿重大事故隐患判定标准 第四条、第十八条"},
			{"CU06", "双回路供电", "煤矿重大事故隐患判定标准 第十四条"},
			worker("CU07"), hazards("CU08")},
		"coal_openpit": {licence("CO01"),
			{"CO02", "边坡监测系统运行正常，边坡角不大于设计值", "煤矿重大事故隐患判定标准 第十八条；GB 51214-2017"},
			{"CO03", "排土场稳定，无严重变形", "GB 51214-2017"},
			{"CO04", "台阶高度、坡面角等采场参数符合设计", "《煤矿安全规程》露天部分"},
			worker("CO05"), hazards("CO06")},
		"metal_underground": {licence("MU01"),
			{"MU02", "有两个独立直达地面的安全出口", "矿安〔2022〕88号 一(一)"},
			{"MU03", "机械通风系统运行正常", "矿安〔2022〕88号 一(二十)"},
			{"MU04", "主排水系统完好", "矿安〔2022〕88号 一(七)"},
			{"MU05", "现状图纸按规定更新", "矿安〔2022〕88号 一(四)"},
			worker("MU06"), hazards("MU07")},
		"metal_openpit": {licence("MO01"),
			{"MO02", "自上而下分台阶开采", "矿安〔2022〕88号 二(三)"},
			{"MO03", "边坡在线监测系统运行正常，数据真实", "矿安〔2022〕88号 二(七)"},
			{"MO04", "边坡、排土场稳定性分析", "矿安〔2022〕88号 二(六)"},
			worker("MO05"), hazards("MO06")},
		"tailings_pond": {licence("TP01"),
			{"TP02", "安全超高和干滩长度满足设计要求", "矿安〔2022〕88号 三；GB 39496-2020"},
			{"TP03", "浸润线埋深不小于控制埋深", "矿安〔2022〕88号 三"},
			{"TP04", "排洪构筑物完好、畅通", "矿安〔2022〕88号 三"},
			{"TP05", "在线监测系统运行正常", "GB 39496-2020 §5.5"},
			{"TP06", "库区及坝上无违规开采、挖掘、爆破", "矿安〔2022〕88号 三(一)"},
			hazards("TP07")},
	}
}

// mineKinds are the registry's mine kinds, which every checklist set covers.
var mineKinds = []string{"coal_underground", "coal_openpit", "metal_underground", "metal_openpit", "tailings_pond"}

func validateChecklists(c Checklists) fail.Fields {
	f := fail.Fields{}
	for _, kind := range mineKinds {
		if len(c[kind]) == 0 {
			f.Add("rules."+kind, "a checklist for every mine kind")
		}
	}
	for kind, items := range c {
		at := "rules." + kind
		if !slices.Contains(mineKinds, kind) {
			f.Add(at, "not a mine kind (%s)", strings.Join(mineKinds, ", "))
		}
		seen := map[string]bool{}
		for i, it := range items {
			if strings.TrimSpace(it.Code) == "" || seen[it.Code] {
				f.Add(fmt.Sprintf("%s[%d].code", at, i), "required and unique within the kind")
			}
			seen[it.Code] = true
			if strings.TrimSpace(it.Item) == "" {
				f.Add(fmt.Sprintf("%s[%d].item", at, i), "required")
			}
		}
	}
	return f
}

var checklistRules = ruleKind[Checklists]{kind: "inspection_checklists", defaults: DefaultChecklists, validate: validateChecklists,
	note: "shipped defaults (docs/enforcement.md), M: edit to the city's checklists"}

// Risk classes of a plan's mines, high to low, and their colours in the
// dual-prevention scheme (重大/较大/一般/低).
const (
	RiskMajor  = "major"
	RiskHigh   = "high"
	RiskMedium = "medium"
	RiskLow    = "low"
)

var riskClasses = []string{RiskLow, RiskMedium, RiskHigh, RiskMajor} // low to high

// Frequency is how many inspections a year each risk class asks for.
type Frequency map[string]int

// DefaultFrequency: monthly, every two months, quarterly, twice a year (M).
func DefaultFrequency() Frequency {
	return Frequency{RiskMajor: 12, RiskHigh: 6, RiskMedium: 4, RiskLow: 2}
}

func validateFrequency(fr Frequency) fail.Fields {
	f := fail.Fields{}
	for _, c := range riskClasses {
		if n, ok := fr[c]; !ok || n < 1 || n > 365 {
			f.Add("rules."+c, "inspections a year, 1 to 365")
		}
	}
	for c := range fr {
		if !slices.Contains(riskClasses, c) {
			f.Add("rules."+c, "not a risk class (major, high, medium, low)")
		}
	}
	return f
}

var frequencyRules = ruleKind[Frequency]{kind: "inspection_frequency", defaults: DefaultFrequency, validate: validateFrequency,
	note: "shipped defaults (docs/enforcement.md), M"}

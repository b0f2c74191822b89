package hazard

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/fail"
)

// CriteriaKind is the rule-set kind of the major-hazard catalogues. One
// version holds all four sections; hazards keep the version they cited.
const CriteriaKind = "hazard_criteria"

// shippedCriteria is shared/domain/hazard-criteria.json as the project
// received it: the coal catalogue of 应急管理部令第4号 (2020) and the three
// sections of 矿安〔2022〕88号, each row with its confidence mark. It becomes
// version 1; newer texts (the 2026 coal revision, the 2024 non-coal
// supplement) are loaded as later versions by an admin.
//
//go:embed hazard-criteria.json
var shippedCriteria []byte

// Industries of the catalogues, as the API names them ("metal" means metal
// and non-metal).
const (
	IndustryCoal             = "coal"
	IndustryMetalUnderground = "metal_underground"
	IndustryMetalOpenpit     = "metal_openpit"
	IndustryTailings         = "tailings"
)

// section describes one catalogue of the document: its industry, the
// prefix of its codes and, for 88号, its section numeral (一、二、三).
type section struct {
	industry string
	prefix   string
	numeral  string
}

// The code scheme (docs/hazards.md): prefix + category number, and ".k"
// for its k-th case: C5, C5.2, MU3, MU1.4, MO7, T4.
var sections = []section{
	{IndustryCoal, "C", ""},
	{IndustryMetalUnderground, "MU", "一"},
	{IndustryMetalOpenpit, "MO", "二"},
	{IndustryTailings, "T", "三"},
}

// Industries lists the catalogue industries.
var Industries = []string{IndustryCoal, IndustryMetalUnderground, IndustryMetalOpenpit, IndustryTailings}

// IndustryOf answers the catalogue that judges a mine of kind.
func IndustryOf(mineKind string) string {
	switch mineKind {
	case "coal_underground", "coal_openpit":
		return IndustryCoal
	case "metal_underground":
		return IndustryMetalUnderground
	case "metal_openpit":
		return IndustryMetalOpenpit
	case "tailings_pond":
		return IndustryTailings
	}
	return ""
}

// Confidence marks of the catalogue rows and what users are told of them.
// P and R rows are unverified wording and labelled so.
var confidenceLegend = map[string]string{
	"V": "wording read in a source (已核对原文)",
	"C": "corroborated by pages quoting the official text (多方印证)",
	"P": "partly read, the rest recalled: unverified wording, check the official text (部分核对，措辞未经核实)",
	"R": "recalled, not read in a source: unverified wording, check the official text (未经核实，请以官方文本为准)",
}

func unverified(mark string) bool { return mark == "P" || mark == "R" }

// CoalCategory is one category of the coal catalogue (第三条) with the cases
// of its article.
type CoalCategory struct {
	No              int      `json:"no"`
	Title           string   `json:"title"`
	Article         int      `json:"article"`
	TitleConfidence string   `json:"title_confidence"`
	Cases           []string `json:"cases"`
	CaseConfidence  []string `json:"case_confidence"`
}

// Item is one item of a 88号 section with its numbered sub-cases (none for
// many items).
type Item struct {
	No             int      `json:"no"`
	Text           string   `json:"text"`
	ItemConfidence string   `json:"item_confidence"`
	Cases          []string `json:"cases"`
	CaseConfidence []string `json:"case_confidence,omitempty"`
}

// Document is a catalogue version in the structure of
// shared/domain/hazard-criteria.json. Sources and notes are kept as given.
// A section left out of a new version is carried over from the version in
// force, so the 2026 coal revision can be loaded on its own.
type Document struct {
	Note                    string          `json:"note,omitempty"`
	SchemaNote              string          `json:"schema_note,omitempty"`
	CoalSources             json.RawMessage `json:"coal_sources,omitempty"`
	Coal                    []CoalCategory  `json:"coal"`
	MetalUndergroundSources json.RawMessage `json:"metal_underground_sources,omitempty"`
	MetalUnderground        []Item          `json:"metal_underground"`
	MetalOpenpitSources     json.RawMessage `json:"metal_openpit_sources,omitempty"`
	MetalOpenpit            []Item          `json:"metal_openpit"`
	TailingsSources         json.RawMessage `json:"tailings_sources,omitempty"`
	Tailings                []Item          `json:"tailings"`
	Stats                   json.RawMessage `json:"stats,omitempty"`
}

// Category is a catalogue entry as users read it: a coal category or a 88号
// item, with its cases as Items. Citable is true where it has no cases, so
// that a hazard cites the category itself.
type Category struct {
	Code       string  `json:"code"`
	Title      string  `json:"title"`
	Article    *int    `json:"article"`
	Ref        string  `json:"ref"`
	Confidence string  `json:"confidence"`
	Unverified bool    `json:"unverified"`
	Citable    bool    `json:"citable"`
	Items      []Entry `json:"items"`
}

// Entry is one case of a category.
type Entry struct {
	Code       string `json:"code"`
	Text       string `json:"text"`
	Ref        string `json:"ref"`
	Confidence string `json:"confidence"`
	Unverified bool   `json:"unverified"`
}

// Catalogue is one industry's catalogue of one version.
type Catalogue struct {
	Version    int               `json:"version"`
	Industry   string            `json:"industry"`
	Note       string            `json:"note"`
	CreatedAt  time.Time         `json:"created_at"`
	Sources    json.RawMessage   `json:"sources,omitempty"`
	Legend     map[string]string `json:"legend"`
	Categories []Category        `json:"categories"`
}

// sectionOf answers the sources and the categories of one industry.
func (d *Document) sectionOf(industry string) (json.RawMessage, []Category) {
	var sec section
	for _, s := range sections {
		if s.industry == industry {
			sec = s
		}
	}
	if industry == IndustryCoal {
		out := make([]Category, len(d.Coal))
		for i, c := range d.Coal {
			article := c.Article
			ref := "第" + chineseNumber(c.Article) + "条"
			out[i] = category(sec.prefix, c.No, c.Title, ref, c.TitleConfidence, &article, c.Cases, c.CaseConfidence,
				func(k int) string { return ref + "(" + chineseNumber(k) + ")" })
		}
		return d.CoalSources, out
	}
	items, sources := d.MetalUnderground, d.MetalUndergroundSources
	switch industry {
	case IndustryMetalOpenpit:
		items, sources = d.MetalOpenpit, d.MetalOpenpitSources
	case IndustryTailings:
		items, sources = d.Tailings, d.TailingsSources
	}
	out := make([]Category, len(items))
	for i, it := range items {
		ref := sec.numeral + "、(" + chineseNumber(it.No) + ")"
		out[i] = category(sec.prefix, it.No, it.Text, ref, it.ItemConfidence, nil, it.Cases, it.CaseConfidence,
			func(k int) string { return ref + strconv.Itoa(k) })
	}
	return sources, out
}

func category(prefix string, no int, title, ref, conf string, article *int, cases, caseConf []string, caseRef func(k int) string) Category {
	code := prefix + strconv.Itoa(no)
	c := Category{Code: code, Title: title, Article: article, Ref: ref, Confidence: conf, Unverified: unverified(conf),
		Citable: len(cases) == 0, Items: make([]Entry, len(cases))}
	for k, text := range cases {
		mark := conf // a case without its own mark shares its item's
		if k < len(caseConf) {
			mark = caseConf[k]
		}
		c.Items[k] = Entry{Code: code + "." + strconv.Itoa(k+1), Text: text, Ref: caseRef(k + 1), Confidence: mark, Unverified: unverified(mark)}
	}
	return c
}

// Criterion is what a major hazard cites.
type Criterion struct {
	Code       string
	Text       string
	Confidence string
}

var codePattern = regexp.MustCompile(`^(C|MU|MO|T)([1-9][0-9]*)(?:\.([1-9][0-9]*))?$`)

// resolve finds a code in the catalogue of industry; a category that has
// cases is not citable itself, its cases are.
func (d *Document) resolve(industry, code string) (Criterion, error) {
	m := codePattern.FindStringSubmatch(code)
	if m == nil {
		return Criterion{}, fmt.Errorf("%q is not a catalogue code (C5, C5.2, MU3, MU1.4, MO7, T4…)", code)
	}
	var sec section
	for _, s := range sections {
		if s.prefix == m[1] {
			sec = s
		}
	}
	if sec.industry != industry {
		return Criterion{}, fmt.Errorf("%s is in the %s catalogue; this mine is judged by the %s catalogue", code, sec.industry, industry)
	}
	_, cats := d.sectionOf(industry)
	i := slices.IndexFunc(cats, func(c Category) bool { return c.Code == m[1]+m[2] })
	if i < 0 {
		return Criterion{}, fmt.Errorf("the %s catalogue has no category %s", industry, m[1]+m[2])
	}
	c := cats[i]
	if m[3] == "" {
		if !c.Citable {
			return Criterion{}, fmt.Errorf("%s has %d cases: cite one of them (%s … %s)", c.Code, len(c.Items), c.Items[0].Code, c.Items[len(c.Items)-1].Code)
		}
		return Criterion{Code: c.Code, Text: c.Title, Confidence: c.Confidence}, nil
	}
	k, _ := strconv.Atoi(m[3])
	if k > len(c.Items) {
		return Criterion{}, fmt.Errorf("%s has %d cases, not %d", c.Code, len(c.Items), k)
	}
	e := c.Items[k-1]
	return Criterion{Code: e.Code, Text: strings.TrimRight(c.Title, "：:") + "：" + e.Text, Confidence: e.Confidence}, nil
}

// merge fills the sections d leaves out from prev (the version in force).
func (d *Document) merge(prev *Document) {
	if prev == nil {
		return
	}
	if d.Coal == nil {
		d.Coal, d.CoalSources = prev.Coal, prev.CoalSources
	}
	if d.MetalUnderground == nil {
		d.MetalUnderground, d.MetalUndergroundSources = prev.MetalUnderground, prev.MetalUndergroundSources
	}
	if d.MetalOpenpit == nil {
		d.MetalOpenpit, d.MetalOpenpitSources = prev.MetalOpenpit, prev.MetalOpenpitSources
	}
	if d.Tailings == nil {
		d.Tailings, d.TailingsSources = prev.Tailings, prev.TailingsSources
	}
	if d.SchemaNote == "" {
		d.SchemaNote = prev.SchemaNote
	}
}

// validate checks a complete document, naming each bad row; it also
// recomputes the stats.
func (d *Document) validate() error {
	f := fail.Fields{}
	mark := func(field, v string) {
		if _, ok := confidenceLegend[v]; !ok {
			f.Add(field, "confidence must be V, C, P or R, not %q", v)
		}
	}
	cases := func(field string, cs, marks []string, optional bool) {
		if len(cs) > 0 && !(optional && len(marks) == 0) && len(marks) != len(cs) {
			f.Add(field+".case_confidence", "must hold one mark per case (%d cases, %d marks)", len(cs), len(marks))
		}
		for k, c := range cs {
			if strings.TrimSpace(c) == "" {
				f.Add(fmt.Sprintf("%s.cases[%d]", field, k), "is empty")
			}
		}
		for k, m := range marks {
			mark(fmt.Sprintf("%s.case_confidence[%d]", field, k), m)
		}
	}
	numbers := func(field string, i, no int, seen map[int]bool) {
		if no < 1 || seen[no] {
			f.Add(fmt.Sprintf("%s[%d].no", field, i), "must be a positive number, unique in its section")
		}
		seen[no] = true
	}
	if len(d.Coal) == 0 {
		f.Add("coal", "the coal catalogue is empty")
	}
	seen := map[int]bool{}
	for i, c := range d.Coal {
		field := fmt.Sprintf("coal[%d]", i)
		numbers("coal", i, c.No, seen)
		if strings.TrimSpace(c.Title) == "" {
			f.Add(field+".title", "is empty")
		}
		if c.Article < 1 {
			f.Add(field+".article", "must be the article number")
		}
		mark(field+".title_confidence", c.TitleConfidence)
		cases(field, c.Cases, c.CaseConfidence, false)
	}
	for _, sec := range []struct {
		name  string
		items []Item
	}{{IndustryMetalUnderground, d.MetalUnderground}, {IndustryMetalOpenpit, d.MetalOpenpit}, {IndustryTailings, d.Tailings}} {
		if len(sec.items) == 0 {
			f.Add(sec.name, "the %s catalogue is empty", sec.name)
		}
		seen := map[int]bool{}
		for i, it := range sec.items {
			field := fmt.Sprintf("%s[%d]", sec.name, i)
			numbers(sec.name, i, it.No, seen)
			if strings.TrimSpace(it.Text) == "" {
				f.Add(field+".text", "is empty")
			}
			mark(field+".item_confidence", it.ItemConfidence)
			cases(field, it.Cases, it.CaseConfidence, true)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	n := 0
	for _, c := range d.Coal {
		n += len(c.Cases)
	}
	d.Stats, _ = json.Marshal(map[string]int{"coal_categories": len(d.Coal), "coal_cases": n, "metal_underground_items": len(d.MetalUnderground),
		"metal_openpit_items": len(d.MetalOpenpit), "tailings_items": len(d.Tailings)})
	return nil
}

// parseDocument decodes a stored version.
func parseDocument(body []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("hazard criteria: %w", err)
	}
	return &d, nil
}

// chineseNumber writes 1…99 as users cite articles and items (八, 十五, 三十二).
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

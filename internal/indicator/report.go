package indicator

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"minesafe/internal/accident"
	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/export"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// A report is a title, a few facts and sections, each a table (a sheet in
// the workbook) with charts and notes in the PDF. Both formats are made
// from the same sections, so they always say the same.
type report struct {
	name     string
	title    string
	header   string
	fields   [][2]string
	intro    string
	charts   []chart
	sections []section
}

type section struct {
	heading string
	sheet   string
	intro   string
	headers []string
	widths  []float64 // mm, adding up to 174
	rows    [][]any
	notes   []string
}

type chart struct {
	png     []byte
	caption string
}

// shown is a cell whose workbook value differs from its text in the PDF
// (a figure in tonnes shown in 万吨, a rate rounded).
type shown struct {
	value any
	text  string
}

// show rounds a value for the PDF, keeping it whole for the workbook; nil
// is "—" and an empty cell.
func show(v *float64, decimals int) shown {
	if v == nil {
		return shown{"", "—"}
	}
	return shown{*v, fmtNum(*v, decimals)}
}

// showTonnes shows tonnes as 万吨 in the PDF.
func showTonnes(v *float64) shown {
	if v == nil {
		return shown{"", "—"}
	}
	return shown{*v, fmtNum(*v/1e4, 2)}
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case shown:
		return x.text
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return num(x)
	case *float64:
		return show(x, 2).text
	case *bool:
		return map[string]string{"": "—", "是": "是", "否": "否"}[yesNoNil(x)]
	case time.Time:
		return x.In(clock.Shanghai).Format("2006-01-02 15:04")
	}
	return fmt.Sprint(v)
}

func cellValue(v any) any {
	switch x := v.(type) {
	case shown:
		return x.value
	case *bool:
		return yesNoNil(x)
	case nil:
		return ""
	}
	return v
}

// pdf renders the report with the CJK font at fontPath.
func (r report) pdf(fontPath string) ([]byte, error) {
	d, err := export.NewDoc(fontPath, r.header)
	if err != nil {
		return nil, err
	}
	d.Title(r.title)
	d.Fields(r.fields)
	if r.intro != "" {
		d.Para(r.intro)
	}
	// The charts come first, on the first page, where they always fit:
	// Doc.Image does not move to a new page by itself.
	for i, c := range r.charts {
		d.Image(fmt.Sprintf("chart-%d", i), c.png, 58)
		d.Para(c.caption)
	}
	for _, s := range r.sections {
		d.Heading(s.heading)
		if s.intro != "" {
			d.Para(s.intro)
		}
		if len(s.headers) > 0 {
			rows := make([][]string, len(s.rows))
			for j, row := range s.rows {
				rows[j] = make([]string, len(row))
				for k, c := range row {
					rows[j][k] = cellText(c)
				}
			}
			if len(rows) == 0 {
				d.Para("（无）")
			} else {
				d.Table(s.headers, s.widths, rows)
			}
		}
		for _, n := range s.notes {
			d.Para(n)
		}
	}
	return d.Bytes()
}

// sheets answers the report's tables as workbook sheets.
func (r report) sheets() []export.Sheet {
	facts := export.Sheet{Name: "说明 About", Columns: []export.Column{export.Col("项目 Item", 24), export.Col("内容 Value", 80)}}
	facts.Rows = append(facts.Rows, []any{"报告 Report", r.title})
	for _, f := range r.fields {
		facts.Rows = append(facts.Rows, []any{f[0], f[1]})
	}
	if r.intro != "" {
		facts.Rows = append(facts.Rows, []any{"说明 Note", r.intro})
	}
	out := []export.Sheet{facts}
	for _, s := range r.sections {
		if len(s.headers) == 0 {
			continue
		}
		sh := export.Sheet{Name: s.sheet}
		for i, h := range s.headers {
			sh.Columns = append(sh.Columns, export.Col(h, max(10, s.widths[i]*0.6)))
		}
		for _, row := range s.rows {
			vals := make([]any, len(row))
			for i, c := range row {
				vals[i] = cellValue(c)
			}
			sh.Rows = append(sh.Rows, vals)
		}
		for _, n := range s.notes {
			sh.Rows = append(sh.Rows, []any{n})
		}
		out = append(out, sh)
	}
	return out
}

// indicatorDecimals rounds each indicator for reading.
func indicatorDecimals(key string) int {
	if key == KeyRate {
		return 4
	}
	return 2
}

func showIndicator(key string, v *float64) shown {
	if key == KeyCoalOutput {
		return showTonnes(v)
	}
	return show(v, indicatorDecimals(key))
}

func indicatorName(x *Indicator) string {
	if x.Key == KeyCoalOutput {
		return x.Name + "（万吨）"
	}
	return x.Name
}

// trendValues answers a trend's labels and values.
func trendValues(ps []Point) ([]string, []*float64) {
	labels := make([]string, len(ps))
	vals := make([]*float64, len(ps))
	for i, p := range ps {
		labels[i], vals[i] = strconv.Itoa(p.Year), p.Value
	}
	return labels, vals
}

// taskRow is a task's progress as of a day in an area.
type taskRow struct {
	task                      Task
	items, completed, overdue int
}

// taskProgress counts each task's items as of day d (yearly items up to
// d's year): owed, completed by d, past their deadline and not completed.
func (s *Service) taskProgress(p *auth.Principal, b *book, a area, d string) []taskRow {
	year, _ := strconv.Atoi(d[:4])
	out := make([]taskRow, len(b.tasks))
	at := map[int64]int{}
	for i, t := range b.tasks {
		out[i].task, at[t.ID] = t, i
	}
	for _, it := range s.visibleItems(p, b, false) {
		if it.Period > year || !(a.has(it.RegionCode) || a.Whole && it.RegionCode == a.Code || a.Enterprise) {
			continue
		}
		r := &out[at[it.TaskID]]
		r.items++
		switch {
		case it.completedBy(d):
			r.completed++
		case it.Deadline < d:
			r.overdue++
		}
	}
	return out
}

func pct(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := float64(n) * 100 / float64(of)
	return &v
}

// AnnualReport builds the annual report of year over region_code from the
// stored data.
func (s *Service) annualReport(ctx context.Context, p *auth.Principal, year int, regionCode string) (report, error) {
	dash, err := s.Dashboard(ctx, p, year, regionCode)
	if err != nil {
		return report{}, err
	}
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return report{}, err
	}
	t, version, err := s.targets.InForce(ctx)
	if err != nil {
		return report{}, err
	}
	set := dash.Indicators
	r := report{
		name:   fmt.Sprintf("annual-report-%d", year),
		title:  fmt.Sprintf("%s矿山安全生产年度报告（%d年）", a.Name, year),
		header: fmt.Sprintf("%s · %d年度报告 · minesafe", t.Plan, year),
		fields: [][2]string{{"区域", a.Name}, {"年度", fmt.Sprintf("%d年", year)}, {"数据截至", dash.AsOf},
			{"依据", t.Plan}, {"目标版本", fmt.Sprintf("plan_targets v%d", version)}},
		intro: fmt.Sprintf("本报告由平台按存储的事故、产量、监管人员、标准化、任务台账等记录生成，同一数据可重现。年度按北京时间计。"+
			"专栏1第1-5项以%d年为基期、%d年为目标年；“当年进度目标”为基期至目标值的线性分摊。", t.BaseYear, t.TargetYear),
	}
	if dash.PartialYear {
		r.intro += fmt.Sprintf("%d年尚未结束，数值为年初至%s的累计。", year, dash.AsOf)
	}
	ind := section{heading: "一、主要指标（专栏1）", sheet: "主要指标",
		headers: []string{"指标", fmt.Sprintf("%d年", year), fmt.Sprintf("%d年基期", t.BaseYear), "较基期变化%", "当年进度目标", fmt.Sprintf("%d年目标", t.TargetYear), "达到进度"},
		widths:  []float64{46, 20, 20, 22, 22, 22, 22}}
	var notes []string
	for _, x := range set.Indicators() {
		ind.rows = append(ind.rows, []any{indicatorName(x), showIndicator(x.Key, x.Value), showIndicator(x.Key, x.Base2025),
			show(x.ChangeVsBasePct, 1), showIndicator(x.Key, x.TargetForYear), showIndicator(x.Key, x.Target2030), x.OnTrack})
		if x.Note != "" {
			notes = append(notes, fmt.Sprintf("%s：%s", x.Name, x.Note))
		}
	}
	ind.notes = notes
	labels, acc := trendValues(set.Accidents.Trend)
	_, deaths := trendValues(set.Deaths.Trend)
	_, rates := trendValues(set.MillionTonDeathRate.Trend)
	r.charts = []chart{
		{barChart(0, labels, acc, deaths), fmt.Sprintf("图1 矿山生产安全事故起数（蓝）与死亡人数（橙），%s—%d年", labels[0], year)},
		{lineChart(4, labels, rates, set.MillionTonDeathRate.Target2030), fmt.Sprintf("图2 煤矿百万吨死亡率（蓝线）与%d年目标（红色虚线）", t.TargetYear)},
	}
	r.sections = append(r.sections, ind)

	div := section{heading: "二、分旗区情况", sheet: "分旗区",
		headers: []string{"旗区", "事故起数", "死亡人数", "较大事故", "重特大事故", "煤矿死亡", "原煤产量（万吨）", "百万吨死亡率"},
		widths:  []float64{34, 18, 18, 18, 20, 18, 26, 22}}
	for _, d := range set.Divisions {
		row := []any{d.RegionName}
		for _, x := range d.Indicators() {
			row = append(row, showIndicator(x.Key, x.Value))
		}
		div.rows = append(div.rows, row)
	}
	if len(set.Divisions) == 0 {
		row := []any{a.Name}
		for _, x := range set.Indicators() {
			row = append(row, showIndicator(x.Key, x.Value))
		}
		div.rows = append(div.rows, row)
	}
	r.sections = append(r.sections, div)

	f := accident.Filter{Year: year, RegionCode: a.Code}
	list, _, err := s.acc.List(ctx, p, f)
	if err != nil {
		return report{}, err
	}
	accs := section{heading: "三、事故明细", sheet: "事故明细",
		headers: []string{"发生日期", "旗区", "矿山", "类型", "等级", "死亡", "重伤", "直接经济损失（万元）"},
		widths:  []float64{22, 24, 40, 18, 22, 12, 12, 24}}
	for _, x := range list {
		loss := float64(x.DirectLossYuan)
		accs.rows = append(accs.rows, []any{x.OccurredOn, x.RegionName, x.MineName, x.TypeName, x.GradeName, x.Deaths, x.SeriousInjuries,
			shown{x.DirectLossYuan, fmtNum(loss/1e4, 2)}})
	}
	r.sections = append(r.sections, accs)

	other := section{heading: "四、其他规划目标", sheet: "其他目标",
		headers: []string{"指标", "数值%", "分子/分母", "目标%", "期限", "达标", "来源"},
		widths:  []float64{50, 18, 24, 16, 16, 14, 36}}
	for _, x := range dash.Figures {
		other.rows = append(other.rows, []any{x.Name, show(x.Value, 1), fmt.Sprintf("%d/%d", x.Numerator, x.Denominator), show(x.Target, 0),
			strconv.Itoa(x.TargetYear), x.Met, x.Source})
		if x.Note != "" {
			other.notes = append(other.notes, fmt.Sprintf("%s：%s", x.Name, x.Note))
		}
	}
	r.sections = append(r.sections, other)

	b, err := s.loadBook(ctx, false)
	if err != nil {
		return report{}, err
	}
	r.sections = append(r.sections, ledgerSection("五、规划任务台账", b, s.taskProgress(p, b, a, dash.AsOf)))
	return r, nil
}

// ledgerSection tabulates the tasks' progress.
func ledgerSection(heading string, b *book, rows []taskRow) section {
	sec := section{heading: heading, sheet: "任务台账",
		headers: []string{"任务", "层级", "期限", "应完成", "已完成", "逾期", "完成率%"},
		widths:  []float64{72, 14, 22, 16, 16, 14, 20}}
	level := map[string]string{LevelMine: "矿山", LevelDivision: "旗区", LevelCity: "市级"}
	for _, x := range rows {
		sec.rows = append(sec.rows, []any{x.task.Title, level[x.task.Level], x.task.Deadline, x.items, x.completed, x.overdue, show(pct(x.completed, x.items), 1)})
	}
	return sec
}

// midtermReport builds the mid-term evaluation: the first years of the plan
// to the mid-term year against the target year's targets pro rata.
func (s *Service) midtermReport(ctx context.Context, p *auth.Principal, regionCode string) (report, error) {
	t, version, err := s.targets.InForce(ctx)
	if err != nil {
		return report{}, err
	}
	mid := t.MidtermYear
	dash, err := s.Dashboard(ctx, p, mid, regionCode)
	if err != nil {
		return report{}, err
	}
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return report{}, err
	}
	set := dash.Indicators
	share := fmt.Sprintf("%d/%d", mid-t.BaseYear, t.TargetYear-t.BaseYear)
	r := report{
		name:   fmt.Sprintf("midterm-evaluation-%d", mid),
		title:  fmt.Sprintf("%s“十五五”矿山安全生产规划中期评估（%d—%d年）", a.Name, t.FirstYear, mid),
		header: fmt.Sprintf("%s · 中期评估 · minesafe", t.Plan),
		fields: [][2]string{{"区域", a.Name}, {"评估期", fmt.Sprintf("%d—%d年", t.FirstYear, mid)}, {"数据截至", dash.AsOf},
			{"依据", t.Plan}, {"目标版本", fmt.Sprintf("plan_targets v%d", version)}},
		intro: fmt.Sprintf("按规划“2028年开展中期评估”的要求，以%d年为基期，将%d年目标按时间进度线性分摊（%d年应完成%s），"+
			"评估%d—%d年各项指标与任务的进展。数据来自平台存储记录，可重现。", t.BaseYear, t.TargetYear, mid, share, t.FirstYear, mid),
	}
	if dash.PartialYear {
		r.intro += fmt.Sprintf("%d年尚未结束，%d年数值为年初至%s的累计，评估结论待年度结束后确定。", mid, mid, dash.AsOf)
	}
	years := []string{}
	for y := t.FirstYear; y <= mid; y++ {
		years = append(years, fmt.Sprintf("%d年", y))
	}
	ind := section{heading: "一、主要指标（专栏1）进度", sheet: "主要指标",
		headers: append(append([]string{"指标", fmt.Sprintf("%d基期", t.BaseYear)}, years...), fmt.Sprintf("%d进度目标", mid), fmt.Sprintf("%d目标", t.TargetYear), "评估"),
		widths:  []float64{40, 18}}
	// The year columns and the two targets share what the name, the base
	// and the evaluation leave of the page's 174 mm.
	w := (174 - 40 - 18 - 30) / float64(len(years)+2)
	for range len(years) + 2 {
		ind.widths = append(ind.widths, w)
	}
	ind.widths = append(ind.widths, 30)
	for _, x := range set.Indicators() {
		row := []any{indicatorName(x), showIndicator(x.Key, x.Base2025)}
		for y := t.FirstYear; y <= mid; y++ {
			var v *float64
			for _, pt := range x.Trend {
				if pt.Year == y {
					v = pt.Value
				}
			}
			row = append(row, showIndicator(x.Key, v))
		}
		row = append(row, showIndicator(x.Key, x.TargetForYear), showIndicator(x.Key, x.Target2030), assess(x.OnTrack, x.TargetForYear != nil, dash.PartialYear))
		ind.rows = append(ind.rows, row)
		if x.Note != "" {
			ind.notes = append(ind.notes, fmt.Sprintf("%s：%s", x.Name, x.Note))
		}
	}
	labels, acc := trendValues(set.Accidents.Trend)
	_, deaths := trendValues(set.Deaths.Trend)
	_, rates := trendValues(set.MillionTonDeathRate.Trend)
	r.charts = []chart{
		{barChart(0, labels, acc, deaths), fmt.Sprintf("图1 矿山生产安全事故起数（蓝）与死亡人数（橙），%d—%d年", t.BaseYear, mid)},
		{lineChart(4, labels, rates, set.MillionTonDeathRate.TargetForYear), fmt.Sprintf("图2 煤矿百万吨死亡率（蓝线）与%d年进度目标（红色虚线）", mid)},
	}
	r.sections = append(r.sections, ind)

	other := section{heading: "二、其他规划目标", sheet: "其他目标",
		headers: []string{"指标", fmt.Sprintf("%d年%%", mid), "目标%", "期限", fmt.Sprintf("%d年应达%%", mid), "评估"},
		widths:  []float64{62, 22, 18, 16, 24, 32}}
	for _, x := range dash.Figures {
		expect := x.Target
		if x.Target != nil && x.TargetYear > mid && len(x.Trend) > 0 && x.Trend[0].Value != nil && x.Trend[0].Year == t.BaseYear {
			// Not due yet: the share owed by now, on a line from the base year.
			start := *x.Trend[0].Value
			v := start + (*x.Target-start)*float64(mid-t.BaseYear)/float64(x.TargetYear-t.BaseYear)
			expect = &v
		}
		var ok *bool
		if x.Value != nil && expect != nil {
			b := *x.Value >= *expect-1e-9
			ok = &b
		}
		other.rows = append(other.rows, []any{x.Name, show(x.Value, 1), show(x.Target, 0), strconv.Itoa(x.TargetYear), show(expect, 1),
			assess(ok, expect != nil, dash.PartialYear)})
	}
	r.sections = append(r.sections, other)

	b, err := s.loadBook(ctx, false)
	if err != nil {
		return report{}, err
	}
	rows := s.taskProgress(p, b, a, dash.AsOf)
	var due, later []taskRow
	for _, x := range rows {
		if x.task.Deadline <= kit.YearEnd(mid) {
			due = append(due, x)
		} else {
			later = append(later, x)
		}
	}
	sec := ledgerSection(fmt.Sprintf("三、%d年底前到期的任务", mid), b, due)
	sec.sheet = "到期任务"
	r.sections = append(r.sections, sec)
	sec = ledgerSection(fmt.Sprintf("四、%d年后到期任务的进展", mid), b, later)
	sec.sheet = "后续任务"
	r.sections = append(r.sections, sec)

	div := section{heading: "五、分旗区进度", sheet: "分旗区",
		headers: []string{"旗区", "事故起数", "死亡人数", "较大事故", "重特大事故", "百万吨死亡率"},
		widths:  []float64{44, 26, 26, 26, 26, 26}}
	for _, d := range set.Divisions {
		row := []any{d.RegionName}
		for _, x := range []*Indicator{&d.Accidents, &d.Deaths, &d.LargerAccidents, &d.MajorOrWorseAccidents, &d.MillionTonDeathRate} {
			row = append(row, shown{cellValue(showIndicator(x.Key, x.Value)), fmt.Sprintf("%s（%s）", showIndicator(x.Key, x.Value).text,
				assess(x.OnTrack, x.TargetForYear != nil, dash.PartialYear))})
		}
		div.rows = append(div.rows, row)
	}
	div.notes = []string{fmt.Sprintf("括号内为对照%d年进度目标的评估。", mid)}
	if len(set.Divisions) > 0 {
		r.sections = append(r.sections, div)
	}
	return r, nil
}

// assess words an evaluation.
func assess(ok *bool, judged, partial bool) string {
	switch {
	case partial:
		return "评估期未结束"
	case !judged || ok == nil:
		return "无法判断"
	case *ok:
		return "达到进度要求"
	}
	return "滞后于进度要求"
}

// serveReport answers a report as PDF or XLSX.
func (s *Service) serveReport(w http.ResponseWriter, r *http.Request, build func(context.Context, *auth.Principal, string) (report, error)) {
	q := kit.NewQuery(r)
	format := "pdf"
	if v := q.OneOf("format", []string{"pdf", "xlsx"}, false); v != nil {
		format = v[0]
	}
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	rep, err := build(r.Context(), auth.FromContext(r.Context()), q.String("region_code"))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if code := q.String("region_code"); code != "" {
		rep.name += "-" + code
	}
	if format == "xlsx" {
		_ = export.ServeWorkbook(w, rep.name, rep.sheets())
		return
	}
	b, err := rep.pdf(s.opt.FontPath)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", rep.name+".pdf", url.PathEscape(rep.name+".pdf")))
	_, _ = w.Write(b)
}

func (s *Service) handleAnnual(w http.ResponseWriter, r *http.Request) {
	q := kit.NewQuery(r)
	year := q.Year("year", kit.ThisYear(s.clk))
	if r.URL.Query().Get("year") == "" {
		q.Bad.Add("year", "required: the report's year")
	}
	if err := q.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	s.serveReport(w, r, func(ctx context.Context, p *auth.Principal, region string) (report, error) {
		return s.annualReport(ctx, p, year, region)
	})
}

func (s *Service) handleMidterm(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, s.midtermReport)
}

// AnnualReport renders the annual report of year over region_code as
// "pdf" or "xlsx".
func (s *Service) AnnualReport(ctx context.Context, p *auth.Principal, year int, regionCode, format string) ([]byte, error) {
	rep, err := s.annualReport(ctx, p, year, regionCode)
	if err != nil {
		return nil, err
	}
	return s.render(rep, format)
}

// MidtermReport renders the mid-term evaluation as "pdf" or "xlsx".
func (s *Service) MidtermReport(ctx context.Context, p *auth.Principal, regionCode, format string) ([]byte, error) {
	rep, err := s.midtermReport(ctx, p, regionCode)
	if err != nil {
		return nil, err
	}
	return s.render(rep, format)
}

func (s *Service) render(rep report, format string) ([]byte, error) {
	switch format {
	case "pdf":
		return rep.pdf(s.opt.FontPath)
	case "xlsx":
		var b bytes.Buffer
		err := export.Workbook(&b, rep.sheets())
		return b.Bytes(), err
	}
	return nil, fail.Invalidf("format", "must be pdf or xlsx")
}

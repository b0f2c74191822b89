package enforce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/export"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// docHeader is the running header of every enforcement document.
const docHeader = "矿山安全监管执法 · minesafe"

// cnDate writes a YYYY-MM-DD date as documents do (2026年6月30日).
func cnDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

var checkLabels = map[string]string{"ok": "符合", "problem": "存在问题", "na": "不适用"}

// findingHandling says what became of a finding, for the documents.
func findingHandling(f Finding) string {
	var parts []string
	if f.BecomesHazard {
		lvl := "一般事故隐患"
		if f.HazardLevel == "major" {
			lvl = "重大事故隐患（" + f.CriterionCode + "）"
		}
		parts = append(parts, lvl)
	}
	if f.ViolationType != "" {
		parts = append(parts, "违法行为")
	}
	if f.Deadline != "" {
		parts = append(parts, "限"+cnDate(f.Deadline)+"前整改")
	}
	return strings.Join(parts, "；")
}

func inspectorsText(ins []Inspector) string {
	parts := make([]string, len(ins))
	for i, in := range ins {
		parts[i] = fmt.Sprintf("%s（执法证号 %s）", in.Name, in.CertificateNo)
	}
	return strings.Join(parts, "、")
}

// InspectionRecordPDF renders the on-site inspection record (现场检查记录).
func (s *Service) InspectionRecordPDF(ctx context.Context, p *auth.Principal, id int64) ([]byte, error) {
	insp, err := s.GetInspection(ctx, p, id)
	if err != nil {
		return nil, err
	}
	doc, err := export.NewDoc(s.opt.FontPath, docHeader)
	if err != nil {
		return nil, err
	}
	doc.Title("现场检查记录")
	placeText := insp.Place
	if placeText == "" {
		placeText = insp.MineName
	}
	doc.Fields([][2]string{
		{"被检查单位", insp.EnterpriseName},
		{"矿山", fmt.Sprintf("%s（编码 %s）", insp.MineName, insp.MineCode)},
		{"检查场所", placeText},
		{"检查时间", cnDate(insp.Date)},
		{"检查人员", inspectorsText(insp.Inspectors)},
	})
	doc.Heading("检查情况")
	if len(insp.Checklist) == 0 {
		doc.Para("未填写检查表。")
	} else {
		rows := make([][]string, len(insp.Checklist))
		for i, a := range insp.Checklist {
			rows[i] = []string{fmt.Sprint(i + 1), a.Item, checkLabels[a.Result], a.Note}
		}
		doc.Table([]string{"序号", "检查项目", "结果", "说明"}, []float64{14, 96, 24, 40}, rows)
	}
	doc.Heading("发现的问题")
	if len(insp.Findings) == 0 {
		doc.Para("本次检查未发现问题。")
	} else {
		rows := make([][]string, len(insp.Findings))
		for i, f := range insp.Findings {
			rows[i] = []string{fmt.Sprint(f.Seq), f.Description, f.LegalBasis, findingHandling(f)}
		}
		doc.Table([]string{"序号", "问题", "依据", "处理"}, []float64{14, 70, 50, 40}, rows)
	}
	if insp.Note != "" {
		doc.Heading("备注")
		doc.Para(insp.Note)
	}
	doc.Para("本记录一式两份，一份交被检查单位。")
	doc.Signatures("检查人员", "被检查单位负责人")
	return doc.Bytes()
}

// DecisionOrderPDF renders a decision's document: the rectification order
// (责令限期整改指令书) or, for a halt, the decision on on-site measures
// (现场处理措施决定书). Fines have their own procedure outside this
// document (409).
func (s *Service) DecisionOrderPDF(ctx context.Context, p *auth.Principal, id int64) ([]byte, error) {
	d, err := s.GetDecision(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if d.Kind == KindFine {
		return nil, fail.Conflictf("no_document", "a fine has no order document here; see its decision record")
	}
	insp, err := s.GetInspection(ctx, p, d.InspectionID)
	if err != nil {
		return nil, err
	}
	doc, err := export.NewDoc(s.opt.FontPath, docHeader)
	if err != nil {
		return nil, err
	}
	title := "责令限期整改指令书"
	if d.Kind == KindHalt {
		title = "现场处理措施决定书"
	}
	doc.Title(title)
	doc.Para("文书编号：" + d.DocNo)
	doc.Para(d.EnterpriseName + "：")
	doc.Para(fmt.Sprintf("%s，本部门执法人员%s对你单位%s进行现场检查，发现下列问题：", cnDate(insp.Date), inspectorsText(insp.Inspectors), d.MineName))
	var rows [][]string
	for _, f := range insp.Findings {
		if len(d.FindingIDs) == 0 || slices.Contains(d.FindingIDs, f.ID) {
			rows = append(rows, []string{fmt.Sprint(len(rows) + 1), f.Description, f.LegalBasis})
		}
	}
	if len(rows) > 0 {
		doc.Table([]string{"序号", "问题", "依据"}, []float64{14, 100, 60}, rows)
	}
	switch d.Kind {
	case KindRectify:
		doc.Para(fmt.Sprintf("依据《中华人民共和国安全生产法》第六十五条第一款第（二）项、第（三）项的规定，现责令你单位于%s前整改完毕，达到有关法律、法规、规章和国家标准或者行业标准规定的要求。整改期间，你单位应当采取措施，确保安全生产。", cnDate(d.Deadline)))
	case KindHalt:
		doc.Para(fmt.Sprintf("依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现作出如下现场处理决定：责令%s停产整顿。整顿期间不得组织生产；整顿完毕，经本部门复查合格后方可恢复生产。", d.MineName))
	}
	if d.Note != "" {
		doc.Para(d.Note)
	}
	doc.Para("如果不服本决定，可以依法在60日内向本级人民政府或者上一级人民政府应急管理部门申请行政复议，或者在6个月内依法向人民法院提起行政诉讼，但本决定不停止执行，法律另有规定的除外。")
	issued := s.clk.Now()
	if d.IssuedAt != nil {
		issued = *d.IssuedAt
	}
	doc.Fields([][2]string{{"作出日期", cnDate(clock.Today(issued))}})
	doc.Signatures("执法人员", "被检查单位负责人（签收）")
	return doc.Bytes()
}

// servePDF answers a PDF document shown in the browser, named name.pdf.
func servePDF(w http.ResponseWriter, r *http.Request, name string, b []byte, err error) {
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q; filename*=UTF-8''%s", name+".pdf", url.PathEscape(name+".pdf")))
	_, _ = w.Write(b)
}

var (
	stateLabels        = map[string]string{StateDraft: "草稿", StateSubmitted: "已提交", StateDecided: "已处理", StateRechecked: "已复查", StateClosed: "已结案"}
	fineStateLabels    = map[string]string{FineProposed: "拟处罚", FineIssued: "已下达", FinePaymentReported: "已报缴款", FinePaid: "已缴纳", FineTransferred: "已移交", FineWithdrawn: "已撤回"}
	circumstanceLabels = map[string]string{Light: "较轻", General: "一般", Serious: "严重"}
)

// exportName is a download's name with the time in Asia/Shanghai.
func (s *Service) exportName(what string) string {
	return what + "-" + s.clk.Now().In(clock.Shanghai).Format("20060102-1504")
}

func (s *Service) exportInspections(w http.ResponseWriter, list []Inspection) error {
	cols := []export.Column{export.Col("编号 ID", 8), export.Col("矿山 Mine", 24), export.Col("企业 Enterprise", 28), export.Col("检查日期 Date", 12),
		export.Col("检查人员 Inspectors", 36), export.Col("状态 State", 10), export.Col("问题数 Findings", 8), export.Col("整改期限 Deadline", 12), export.Col("记录人 Recorder", 12)}
	rows := make([][]any, len(list))
	for i, x := range list {
		rows[i] = []any{x.ID, x.MineName, x.EnterpriseName, x.Date, inspectorsText(x.Inspectors), stateLabels[x.State], x.FindingCount, x.Deadline, x.Creator}
	}
	return export.ServeXLSX(w, s.exportName("inspections"), "检查 Inspections", cols, rows)
}

func (s *Service) exportFines(w http.ResponseWriter, list []Decision) error {
	cols := []export.Column{export.Col("编号 ID", 8), export.Col("文书号 Doc no.", 22), export.Col("矿山 Mine", 24), export.Col("企业 Enterprise", 28),
		export.Col("违法行为 Violation", 36), export.Col("情节 Circumstance", 8), export.Col("金额(元) Yuan", 12), export.Col("裁量范围 Range", 18),
		export.Col("超出范围理由 Reason", 30), export.Col("状态 State", 10), export.Col("缴款日期 Paid on", 12), export.Col("移交部门 Transferred to", 20),
		export.Col("签收 Received", 20)}
	rows := make([][]any, len(list))
	for i, d := range list {
		var amount any = ""
		rng := ""
		if d.AmountYuan != nil {
			amount = *d.AmountYuan
			rng = fmt.Sprintf("%d–%d", *d.RangeMinYuan, *d.RangeMaxYuan)
		}
		rows[i] = []any{d.ID, d.DocNo, d.MineName, d.EnterpriseName, d.ViolationName, circumstanceLabels[d.Circumstance], amount, rng,
			d.Reason, fineStateLabels[d.State], d.PaidOn, d.TransferDepartment, d.ReceivedAt}
	}
	return export.ServeXLSX(w, s.exportName("fines"), "罚款 Fines", cols, rows)
}

func (s *Service) exportBlacklist(w http.ResponseWriter, list []BlacklistEntry) error {
	cols := []export.Column{export.Col("企业 Enterprise", 30), export.Col("列入时间 Entered", 20), export.Col("原因 Reason", 40), export.Col("列入人 By", 12),
		export.Col("移出时间 Exited", 20), export.Col("移出原因 Exit reason", 40), export.Col("在册 Active", 8)}
	rows := make([][]any, len(list))
	for i, b := range list {
		active := "否"
		if b.Active {
			active = "是"
		}
		rows[i] = []any{b.EnterpriseName, b.EnteredAt, b.Reason, b.Enterer, b.ExitedAt, b.ExitReason, active}
	}
	return export.ServeXLSX(w, s.exportName("blacklist"), "黑名单 Blacklist", cols, rows)
}

package indicator

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// The statuses of a mine that still exists, and the kinds that are mines
// rather than tailings ponds.
var (
	notClosed = []string{"producing", "constructing", "suspended", "halted"}
	minesOnly = []string{"coal_underground", "coal_openpit", "metal_underground", "metal_openpit"}
)

// ptr answers a pointer to v, for the optional conditions of clauses.
func ptr[T any](v T) *T { return &v }

// DefaultTasks are the plan's dated tasks as seeded at the first start,
// each with the plan's wording and where it stands in the plan. Admin and
// city users edit them (and add others) afterwards; a seed never overwrites
// a task with the same code.
func DefaultTasks() []TaskInput {
	mine := func(code, title, text, ref, deadline string, clauses ...Clause) TaskInput {
		return TaskInput{Code: code, Title: title, PlanText: text, PlanRef: ref, Level: LevelMine, Recurrence: "once", Deadline: deadline,
			Binding: Binding{Clauses: clauses}}
	}
	other := func(level, code, title, text, ref, deadline string) TaskInput {
		return TaskInput{Code: code, Title: title, PlanText: text, PlanRef: ref, Level: level, Recurrence: "once", Deadline: deadline}
	}
	rescue := "2030年底前，市级矿山救援支队达国家一级标准，大型矿山企业专职救援队达标率100%，中小型矿山联合组建兼职救援队。配备防寒保暖、冰下救援、雪地运输专用装备。"
	power := "2030年底前所有矿山至少实现双回路供电，结合重要电力用户等级配备多电源或双电源供电，所有矿山应配备备用电源，偏远矿山配备≥8小时备用电源。"
	outsourcing := "严格落实自治区要求，2027年底前国有大型/高风险矿山完成采掘外包清零，2029年底前全市金属非金属地下矿山全部清零"
	census := TaskInput{Code: "hidden-factor-census", Title: "隐蔽致灾因素年度动态普查", Level: LevelMine, Recurrence: "yearly", FirstYear: 2026, Deadline: "2030-12-31",
		PlanText: "所有在产在建矿山每年开展1次动态普查，停工停产矿山复工前完成工程化治理。重点普查高寒冻融区边坡、老空水、采空区、尾矿库冰下隐患。",
		PlanRef:  "三、主要任务（二）2；专栏3 第2项", Binding: Binding{Clauses: []Clause{{Statuses: []string{"producing", "constructing"}}}}}
	return []TaskInput{
		mine("hoist-single-rope-2026", "非煤地下矿山单绳提升机改造为多绳摩擦式",
			"（1）机电运输：2026年底前非煤地下矿山单绳提升机全部改造为多绳摩擦式。", "三、主要任务（三）3（1）；专栏4 第3项", "2026-12-31",
			Clause{Kinds: []string{"metal_underground"}, Statuses: notClosed, HoistTypes: []string{"single_rope"}}),
		mine("outsourcing-soe-2027", "国有大型、高风险矿山采掘外包清零", outsourcing+"。",
			"三、主要任务（一）2（3）；专栏2 第2项（“国有大型/高风险”读作国有大型矿山和国有高风险矿山，可在台账中调整）", "2027-12-31",
			Clause{Kinds: minesOnly, Statuses: notClosed, Ownership: []string{"central_soe", "local_soe"}, SizeClasses: []string{"large"}, Outsourced: ptr(true)},
			Clause{Kinds: minesOnly, Statuses: notClosed, Ownership: []string{"central_soe", "local_soe"}, HighRisk: ptr(true), Outsourced: ptr(true)}),
		mine("outsourcing-metal-underground-2029", "金属非金属地下矿山采掘外包清零", outsourcing+"。",
			"三、主要任务（一）2（3）；专栏2 第2项", "2029-12-31",
			Clause{Kinds: []string{"metal_underground"}, Statuses: notClosed, Outsourced: ptr(true)}),
		mine("support-assessment-2028", "在产非煤地下矿山支护质量评估与改造",
			"2028年底前完成所有在产非煤地下矿山支护质量评估与改造，推广高预应力锚杆锚索、注浆加固技术。", "三、主要任务（三）4；专栏4 第4项；重点工程3", "2028-12-31",
			Clause{Kinds: []string{"metal_underground"}, Statuses: []string{"producing"}}),
		mine("goaf-classification-2029", "重点采空区分类治理，建立“红橙黄蓝”四级风险清单",
			"2029年底前完成重点采空区分类治理，建立“红橙黄蓝”四级风险清单。全面摸排辖区采空区底数，建立红橙黄蓝四级风险管控清单，分类采取充填、封闭、隔离、监测、巡查等治理措施。",
			"三、主要任务（三）4；专栏4 第4项；重点工程3", "2029-12-31",
			Clause{Kinds: []string{"metal_underground"}, Statuses: notClosed}),
		mine("slope-displacement-2027", "宝日希勒、伊敏等软岩露天矿边坡内部位移监测全覆盖",
			"2027年底前完成宝日希勒、伊敏等软岩露天矿边坡内部位移监测仪全覆盖，健全冻融循环条件下边坡常态化监测机制。",
			"四、重点工程2 煤矿重大灾害系统治理工程（“等”：其他软岩露天矿由台账手工加入）", "2027-12-31",
			Clause{Kinds: []string{"coal_openpit"}, Statuses: notClosed, NameContains: []string{"宝日希勒", "伊敏"}}),
		mine("dual-circuit-power-2030", "所有矿山至少实现双回路供电", power, "三、主要任务（三）3（1）；专栏4 第3项", "2030-12-31",
			Clause{Kinds: minesOnly, Statuses: notClosed, PowerCircuitsBelow: ptr(2)}),
		mine("backup-power-remote-2030", "偏远矿山配备不少于8小时备用电源", power, "三、主要任务（三）3（1）", "2030-12-31",
			Clause{Kinds: minesOnly, Statuses: notClosed, Remote: ptr(true), BackupHoursBelow: ptr(8.0)}),
		census,
		mine("insurance-2028", "矿山安全生产责任保险全覆盖",
			"2028年底前实现全市矿山企业安责险全覆盖，督促保险机构组建专业风控团队，每年开展不少于2次现场隐患排查。", "三、主要任务（六）1；专栏6 第1项；重点工程20", "2028-12-31",
			Clause{Statuses: notClosed, Uninsured: ptr(true)}),
		mine("rockburst-deep-2030", "采深超400米矿井冲击地压监测与卸压解危",
			"对采深超400米矿井全面落实冲击地压监测、卸压解危措施。", "四、重点工程2 煤矿重大灾害系统治理工程", "2030-12-31",
			Clause{Kinds: []string{"coal_underground"}, Statuses: notClosed, MinDepthM: ptr(400.0)}),
		mine("tailings-cold-2030", "尾矿库高寒运行管理制度与在线监测预警全覆盖",
			"全面排查全市尾矿库安全隐患，分类推进达标整治、停用整改、闭库销号；完善高寒地区尾矿库冰下放矿、排洪防冻、融冻期巡查管理制度，建成全覆盖在线监测预警体系。",
			"四、重点工程4 尾矿库安全综合治理工程", "2030-12-31",
			Clause{Kinds: []string{"tailings_pond"}, Statuses: notClosed}),
		mine("rescue-team-large-2030", "大型矿山企业专职救援队达标", rescue, "三、主要任务（五）1", "2030-12-31",
			Clause{Kinds: minesOnly, Statuses: notClosed, SizeClasses: []string{"large"}}),
		mine("rescue-team-small-2030", "中小型矿山联合组建兼职救援队", rescue, "三、主要任务（五）1", "2030-12-31",
			Clause{Kinds: minesOnly, Statuses: notClosed, SizeClasses: []string{"medium", "small"}}),
		other(LevelDivision, "enforcement-equipment-2027", "旗县级执法装备配备全覆盖",
			"按标准配齐便携式气体检测仪、移动执法终端、长续航无人机、矿用专业检测设备，实现旗县级执法装备配备全覆盖。", "四、重点工程14 执法装备现代化与极寒适配项目", "2027-12-31"),
		other(LevelCity, "hidden-factor-map-2027", "隐蔽致灾因素“一张图”建成并接入自治区平台",
			"2027年底前建成全市隐蔽致灾因素“一张图”并接入自治区平台。", "专栏3 第2项（主要任务（二）2 写作2030年底前；台账取较早的期限）", "2027-12-31"),
		other(LevelCity, "command-center-2027", "矿山应急救援指挥中心升级",
			"升级市级应急指挥大厅硬件设施，完善音视频互联互通、风险态势汇聚、应急调度指挥功能，建成矿山应急救援“一张图”指挥体系。", "四、重点工程15", "2027-12-31"),
		other(LevelCity, "one-map-platform-2028", "全市矿山安全监管“一张图”平台建设",
			"依托自治区矿山安全监管信息化平台，整合全市煤矿、非煤矿山、尾矿库基础信息、风险数据、执法信息、隐患台账、应急资源、监测预警等数据资源，建设市、旗两级互联互通的矿山安全监管“一张图”平台。",
			"四、重点工程5", "2028-12-31"),
		other(LevelCity, "third-party-credit-2028", "第三方技术服务机构诚信评价、负面清单和联合惩戒机制",
			"规范保险机构风控服务，每年开展不少于2次现场隐患排查；健全第三方技术服务机构诚信评价、负面清单和联合惩戒机制。", "四、重点工程20", "2028-12-31"),
		other(LevelCity, "training-base-2029", "矿山安全培训考试实训基地建设",
			"布局建设1个市级综合实训基地和2个旗级实操考点，完善实操考试、远程培训、VR实训设施，落实考培分离制度。", "四、重点工程17", "2029-12-31"),
		other(LevelCity, "rescue-brigade-2030", "市级矿山救援支队达国家一级标准", rescue, "三、主要任务（五）1", "2030-12-31"),
		other(LevelCity, "safety-culture-2030", "安全文化示范创建",
			"建成市级安全文化示范矿井20个、标杆班组50个、安全标兵100名；组建蒙汉双语宣传队伍，编制双语宣教资料10套。", "四、重点工程19", "2030-12-31"),
	}
}

// ensureSeeded stores the default tasks whose codes are not there yet, once
// per process.
func (s *Service) ensureSeeded(ctx context.Context) error {
	s.seedOnce.Lock()
	defer s.seedOnce.Unlock()
	if s.seeded {
		return nil
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, t := range DefaultTasks() {
			if _, err := s.insertTask(ctx, tx, auth.System, t, true); err != nil {
				return err
			}
		}
		return nil
	})
	s.seeded = err == nil
	return err
}

// insertTask stores a task with its event; seeding skips a code that
// exists (answering 0), creating refuses it.
func (s *Service) insertTask(ctx context.Context, tx *store.Tx, p *auth.Principal, t TaskInput, seed bool) (int64, error) {
	binding, err := json.Marshal(t.Binding)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO ledger_tasks (code, title, plan_text, plan_ref, level, recurrence, first_year, deadline, binding, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING RETURNING id`,
		t.Code, t.Title, t.PlanText, t.PlanRef, t.Level, t.Recurrence, t.FirstYear, t.Deadline, string(binding), now, now).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows) && seed:
		return 0, nil
	case errors.Is(err, sql.ErrNoRows):
		return 0, fail.Invalidf("code", "a task with code %s exists", t.Code)
	case err != nil:
		return 0, err
	}
	reason := ""
	if seed {
		reason = "seeded from the plan"
	}
	return id, s.event(ctx, tx, p, "ledger_task", id, "create", "", nil, t, reason)
}

// CreateTask adds a task to the ledger (admin and city users).
func (s *Service) CreateTask(ctx context.Context, p *auth.Principal, in TaskInput) (Task, error) {
	if err := signedIn(p); err != nil {
		return Task{}, err
	}
	if err := cityEditors(p, "the plan's tasks"); err != nil {
		return Task{}, err
	}
	f := fail.Fields{}
	if err := s.checkTask(ctx, f, &in); err != nil {
		return Task{}, err
	}
	if err := f.Err(); err != nil {
		return Task{}, err
	}
	if err := s.ensureSeeded(ctx); err != nil {
		return Task{}, err
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = s.insertTask(ctx, tx, p, in, false)
		return err
	})
	if err != nil {
		return Task{}, err
	}
	return s.GetTask(ctx, p, id)
}

func (s *Service) task(ctx context.Context, q store.Querier, db interface{ Q(string) string }, id int64) (Task, error) {
	t, err := scanTask(q.QueryRowContext(ctx, db.Q(`SELECT `+taskCols+` FROM ledger_tasks WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fail.NotFoundf("no such task")
	}
	return t, err
}

// UpdateTask changes a task's wording, deadline, first year or binding
// (admin and city users); its items follow when next read.
func (s *Service) UpdateTask(ctx context.Context, p *auth.Principal, id int64, pt TaskPatch) (Task, error) {
	if err := signedIn(p); err != nil {
		return Task{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.task(ctx, tx, tx, id)
		if err != nil {
			return err
		}
		if err := cityEditors(p, "the plan's tasks"); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the task is archived")
		}
		in := cur.TaskInput
		ch := map[string]any{}
		for field, pair := range map[string][2]*string{"title": {&in.Title, pt.Title}, "plan_text": {&in.PlanText, pt.PlanText},
			"plan_ref": {&in.PlanRef, pt.PlanRef}, "deadline": {&in.Deadline, pt.Deadline}} {
			if pair[1] != nil && strings.TrimSpace(*pair[1]) != *pair[0] {
				*pair[0] = strings.TrimSpace(*pair[1])
				ch[field] = *pair[0]
			}
		}
		if pt.FirstYear != nil && *pt.FirstYear != in.FirstYear {
			in.FirstYear, ch["first_year"] = *pt.FirstYear, *pt.FirstYear
		}
		if pt.Binding != nil {
			old, _ := json.Marshal(in.Binding)
			now, _ := json.Marshal(*pt.Binding)
			if string(old) != string(now) {
				in.Binding, ch["binding"] = *pt.Binding, *pt.Binding
			}
		}
		f := fail.Fields{}
		if err := s.checkTask(ctx, f, &in); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if len(ch) == 0 {
			return nil
		}
		binding, _ := json.Marshal(in.Binding)
		_, err = tx.Exec(ctx, `UPDATE ledger_tasks SET title = ?, plan_text = ?, plan_ref = ?, first_year = ?, deadline = ?, binding = ?, updated_at = ? WHERE id = ?`,
			in.Title, in.PlanText, in.PlanRef, in.FirstYear, in.Deadline, string(binding), s.now(), id)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "ledger_task", id, "update", "", nil, ch, "")
	})
	if err != nil {
		return Task{}, err
	}
	return s.GetTask(ctx, p, id)
}

// ArchiveTask retires a task with the reason (admin and city users); its
// items no longer count.
func (s *Service) ArchiveTask(ctx context.Context, p *auth.Principal, id int64, reason string) (Task, error) {
	if err := signedIn(p); err != nil {
		return Task{}, err
	}
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.task(ctx, tx, tx, id)
		if err != nil {
			return err
		}
		if err := cityEditors(p, "the plan's tasks"); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the task is archived already")
		}
		if reason == "" {
			return fail.Invalidf("reason", "say why the task is retired")
		}
		if _, err := tx.Exec(ctx, `UPDATE ledger_tasks SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, s.now(), reason, s.now(), id); err != nil {
			return err
		}
		return s.event(ctx, tx, p, "ledger_task", id, "archive", "", nil, nil, reason)
	})
	if err != nil {
		return Task{}, err
	}
	return s.GetTask(ctx, p, id)
}

package indicator

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/flow"
	"minesafe/internal/httpx"
	"minesafe/internal/registry"
	"minesafe/internal/store"
)

// Task levels: what a task binds.
const (
	LevelMine     = "mine"
	LevelDivision = "division"
	LevelCity     = "city"
)

// Item states.
const (
	ItemPending  = "pending"
	ItemDone     = "done"
	ItemVerified = "verified"
)

var regulators = []string{auth.RoleAdmin, auth.RoleCity, auth.RoleCounty, auth.RoleInspector}

// ItemLoop is a ledger item's loop: the mine's enterprise or a regulator in
// scope marks it done with evidence; a regulator verifies it or returns it.
var ItemLoop = flow.Machine{RecordType: "ledger item", Transitions: []flow.Transition{
	{From: []string{ItemPending}, Action: "done", To: ItemDone, Roles: append([]string{auth.RoleEnterprise}, regulators...)},
	{From: []string{ItemDone}, Action: "verify", To: ItemVerified, Roles: regulators},
	{From: []string{ItemDone}, Action: "return", To: ItemPending, Roles: regulators},
}}

// Binding says which mines (or divisions) a task binds: every mine that
// matches any clause, plus the mines included by hand, minus those
// excluded by hand. No clause binds every mine — unless mines are included
// by hand: then only those (a task for a named few must not fall on
// every mine). A division task binds Regions (empty: every division).
type Binding struct {
	Clauses        []Clause `json:"clauses"`
	IncludeMineIDs []int64  `json:"include_mine_ids"`
	ExcludeMineIDs []int64  `json:"exclude_mine_ids"`
	Regions        []string `json:"regions"`
}

// Clause is a registry filter; every condition given must hold. Conditions
// on plan facts (size_classes, hoist_types, high_risk, remote,
// power_circuits_below, backup_power_hours_below) and on mining depth
// leave a mine undetermined, not bound, while the fact is unknown.
type Clause struct {
	Kinds              []string `json:"kinds,omitempty"`
	Statuses           []string `json:"statuses,omitempty"`
	Ownership          []string `json:"ownership,omitempty"`
	Regions            []string `json:"regions,omitempty"`
	NameContains       []string `json:"name_contains,omitempty"`
	Outsourced         *bool    `json:"outsourced,omitempty"`
	Uninsured          *bool    `json:"uninsured,omitempty"`
	MinDepthM          *float64 `json:"min_depth_m,omitempty"`
	SizeClasses        []string `json:"size_classes,omitempty"`
	HoistTypes         []string `json:"hoist_types,omitempty"`
	HighRisk           *bool    `json:"high_risk,omitempty"`
	Remote             *bool    `json:"remote,omitempty"`
	PowerCircuitsBelow *int     `json:"power_circuits_below,omitempty"`
	BackupHoursBelow   *float64 `json:"backup_power_hours_below,omitempty"`
}

// mineFacts is what a clause is matched against.
type mineFacts struct {
	m         registry.Mine
	ownership string
	facts     PlanFacts
	today     string
}

// match tells whether the clause binds the mine; missing names the facts
// that leave it undetermined.
func (c Clause) match(x mineFacts) (bool, []string) {
	m, f := x.m, x.facts
	in := func(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }
	if !in(c.Kinds, m.Kind) || !in(c.Statuses, m.Status) || !in(c.Ownership, x.ownership) || !in(c.Regions, m.RegionCode) {
		return false, nil
	}
	if len(c.NameContains) > 0 && !slices.ContainsFunc(c.NameContains, func(n string) bool { return strings.Contains(m.Name, n) }) {
		return false, nil
	}
	if c.Outsourced != nil && m.Outsourced != *c.Outsourced {
		return false, nil
	}
	if c.Uninsured != nil && (m.InsuranceExpiry == "" || m.InsuranceExpiry < x.today) != *c.Uninsured {
		return false, nil
	}
	var missing []string
	check := func(name string, known, ok bool) bool {
		if !known {
			missing = append(missing, name)
			return true
		}
		return ok
	}
	pass := true
	if c.MinDepthM != nil {
		pass = check("mining_depth_m", m.MiningDepthM != nil, m.MiningDepthM != nil && *m.MiningDepthM > *c.MinDepthM) && pass
	}
	if len(c.SizeClasses) > 0 {
		pass = check("size_class", f.SizeClass != "", slices.Contains(c.SizeClasses, f.SizeClass)) && pass
	}
	if len(c.HoistTypes) > 0 {
		pass = check("hoist_type", f.HoistType != "", slices.Contains(c.HoistTypes, f.HoistType)) && pass
	}
	if c.HighRisk != nil {
		pass = check("high_risk", f.HighRisk != nil, f.HighRisk != nil && *f.HighRisk == *c.HighRisk) && pass
	}
	if c.Remote != nil {
		pass = check("remote", f.Remote != nil, f.Remote != nil && *f.Remote == *c.Remote) && pass
	}
	if c.PowerCircuitsBelow != nil {
		pass = check("power_circuits", f.PowerCircuits != nil, f.PowerCircuits != nil && *f.PowerCircuits < *c.PowerCircuitsBelow) && pass
	}
	if c.BackupHoursBelow != nil {
		pass = check("backup_power_hours", f.BackupPowerHours != nil, f.BackupPowerHours != nil && *f.BackupPowerHours < *c.BackupHoursBelow) && pass
	}
	if !pass {
		return false, nil
	}
	return len(missing) == 0, missing
}

// binds tells whether b binds the mine; missing names the facts that leave
// it undetermined when no clause binds it.
func (b Binding) binds(x mineFacts) (bool, []string) {
	if slices.Contains(b.ExcludeMineIDs, x.m.ID) {
		return false, nil
	}
	if slices.Contains(b.IncludeMineIDs, x.m.ID) {
		return true, nil
	}
	if len(b.Clauses) == 0 {
		return len(b.IncludeMineIDs) == 0, nil
	}
	var missing []string
	for _, c := range b.Clauses {
		ok, miss := c.match(x)
		if ok {
			return true, nil
		}
		for _, name := range miss {
			if !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
		}
	}
	return false, missing
}

// TaskInput defines one of the plan's dated tasks. Deadline is the last
// day; a yearly task owes one item per year from FirstYear to the
// deadline's year, each due on that year's month and day of Deadline.
type TaskInput struct {
	Code       string  `json:"code"`
	Title      string  `json:"title"`
	PlanText   string  `json:"plan_text"`
	PlanRef    string  `json:"plan_ref"`
	Level      string  `json:"level"`
	Recurrence string  `json:"recurrence"`
	FirstYear  int     `json:"first_year"`
	Deadline   string  `json:"deadline"`
	Binding    Binding `json:"binding"`
}

// TaskPatch changes the fields given; Binding replaces the whole binding.
type TaskPatch struct {
	Title     *string  `json:"title,omitempty"`
	PlanText  *string  `json:"plan_text,omitempty"`
	PlanRef   *string  `json:"plan_ref,omitempty"`
	FirstYear *int     `json:"first_year,omitempty"`
	Deadline  *string  `json:"deadline,omitempty"`
	Binding   *Binding `json:"binding,omitempty"`
}

// Completion counts a task's items in the caller's scope: every item
// owed, how many are pending, done and verified, how many are past their
// deadline (due) and of those still not done (overdue).
type Completion struct {
	Items         int      `json:"items"`
	Pending       int      `json:"pending"`
	Done          int      `json:"done"`
	Verified      int      `json:"verified"`
	Due           int      `json:"due"`
	Overdue       int      `json:"overdue"`
	CompletionPct *float64 `json:"completion_pct"`
	VerifiedPct   *float64 `json:"verified_pct"`
	Undetermined  int      `json:"undetermined"`
}

func (c *Completion) count(it Item) {
	c.Items++
	switch it.State {
	case ItemPending:
		c.Pending++
	case ItemDone:
		c.Done++
	case ItemVerified:
		c.Verified++
	}
	if it.Due {
		c.Due++
	}
	if it.Overdue {
		c.Overdue++
	}
}

func (c *Completion) finish() {
	if c.Items > 0 {
		done := float64(c.Done+c.Verified) * 100 / float64(c.Items)
		ver := float64(c.Verified) * 100 / float64(c.Items)
		c.CompletionPct, c.VerifiedPct = &done, &ver
	}
}

// DivisionCompletion is a task's completion in one division.
type DivisionCompletion struct {
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	Completion
}

// Undetermined is a mine a task might bind once its facts are known.
type Undetermined struct {
	MineID     int64    `json:"mine_id"`
	MineName   string   `json:"mine_name"`
	RegionCode string   `json:"region_code"`
	Missing    []string `json:"missing"`
}

// Task is a task with its completion in the caller's scope; GET of one
// task adds the completion by division, the items and the undetermined
// mines.
type Task struct {
	ID int64 `json:"id"`
	TaskInput
	Summary       Completion           `json:"summary"`
	Divisions     []DivisionCompletion `json:"divisions,omitempty"`
	Items         []Item               `json:"items,omitempty"`
	Undetermined  []Undetermined       `json:"undetermined,omitempty"`
	CreatedAt     time.Time            `json:"created_at"`
	UpdatedAt     time.Time            `json:"updated_at"`
	ArchivedAt    *time.Time           `json:"archived_at"`
	ArchiveReason string               `json:"archive_reason"`
}

// Item is what one mine, division or the city owes for a task (for one
// year of a yearly task). Overdue is computed when read: not done by the
// end of the deadline day (Asia/Shanghai). Bound tells whether the task
// still binds it; an item no longer bound counts only once done.
type Item struct {
	ID           int64      `json:"id"`
	TaskID       int64      `json:"task_id"`
	TaskCode     string     `json:"task_code"`
	TaskTitle    string     `json:"task_title"`
	PlanRef      string     `json:"plan_ref"`
	Level        string     `json:"level"`
	MineID       *int64     `json:"mine_id"`
	MineCode     string     `json:"mine_code"`
	MineName     string     `json:"mine_name"`
	EnterpriseID *int64     `json:"enterprise_id"`
	RegionCode   string     `json:"region_code"`
	RegionName   string     `json:"region_name"`
	Period       int        `json:"period"`
	Deadline     string     `json:"deadline"`
	DaysLeft     int        `json:"days_left"`
	State        string     `json:"state"`
	Due          bool       `json:"due"`
	Overdue      bool       `json:"overdue"`
	Late         bool       `json:"late"`
	Bound        bool       `json:"bound"`
	Evidence     string     `json:"evidence"`
	DoneAt       *time.Time `json:"done_at"`
	DoneBy       string     `json:"done_by"`
	VerifiedAt   *time.Time `json:"verified_at"`
	VerifiedBy   string     `json:"verified_by"`
	ReturnReason string     `json:"return_reason"`
	HazardID     *int64     `json:"hazard_id"`
	HazardURL    string     `json:"hazard_url,omitempty"`
	Actions      []string   `json:"actions"`
}

// counted tells whether an item counts in completion: still bound, or done.
func (it Item) counted() bool { return it.Bound || it.State != ItemPending }

// completedBy tells whether the item was done (or verified) by day d.
func (it Item) completedBy(d string) bool {
	return it.State != ItemPending && kit.ShanghaiDay(it.DoneAt) <= d
}

// periods answers the years a task owes items for by thisYear (0 for a
// one-off task).
func (t TaskInput) periods(thisYear int) []int {
	if t.Recurrence != "yearly" {
		return []int{0}
	}
	last, _ := strconv.Atoi(t.Deadline[:4])
	var out []int
	for y := t.FirstYear; y <= min(last, thisYear); y++ {
		out = append(out, y)
	}
	return out
}

// deadline answers the deadline of a period.
func (t TaskInput) deadline(period int) string {
	if period == 0 {
		return t.Deadline
	}
	return fmt.Sprintf("%04d%s", period, t.Deadline[4:])
}

const taskCols = `id, code, title, plan_text, plan_ref, level, recurrence, first_year, deadline, binding, created_at, updated_at, archived_at, archive_reason`

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var binding string
	err := row.Scan(&t.ID, &t.Code, &t.Title, &t.PlanText, &t.PlanRef, &t.Level, &t.Recurrence, &t.FirstYear, &t.Deadline, &binding,
		&t.CreatedAt, &t.UpdatedAt, &t.ArchivedAt, &t.ArchiveReason)
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if t.ArchivedAt != nil {
		a := t.ArchivedAt.UTC()
		t.ArchivedAt = &a
	}
	return t, json.Unmarshal([]byte(binding), &t.Binding)
}

// book is the whole ledger as of now: tasks, every item with its mine or
// division, and the mines each task might bind once their facts are known.
type book struct {
	tasks        []Task
	items        []Item
	undetermined map[int64][]Undetermined
	city         registry.Region
	divisions    []registry.Region
	mines        map[int64]registry.Mine
}

// loadBook computes every task's subjects from the registry and the plan
// facts, creates the items not there yet (system events), and answers the
// ledger.
func (s *Service) loadBook(ctx context.Context, includeArchived bool) (*book, error) {
	if err := s.ensureSeeded(ctx); err != nil {
		return nil, err
	}
	b := &book{undetermined: map[int64][]Undetermined{}, mines: map[int64]registry.Mine{}}
	var err error
	if b.city, b.divisions, err = s.regions(ctx); err != nil {
		return nil, err
	}
	q := `SELECT ` + taskCols + ` FROM ledger_tasks`
	if !includeArchived {
		q += ` WHERE archived_at IS NULL`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY deadline, id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		b.tasks = append(b.tasks, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ms, _, err := s.reg.ListMines(ctx, auth.System, registry.MineFilter{})
	if err != nil {
		return nil, err
	}
	ents, _, err := s.reg.ListEnterprises(ctx, auth.System, registry.EnterpriseFilter{ListParams: httpx.ListParams{IncludeArchived: true}})
	if err != nil {
		return nil, err
	}
	ownership := map[int64]string{}
	for _, e := range ents {
		ownership[e.ID] = e.Ownership
	}
	facts, err := s.allFacts(ctx, s.db, s.db, 0)
	if err != nil {
		return nil, err
	}
	today := s.today()
	thisYear := kit.ThisYear(s.clk)
	type key struct {
		task    int64
		subject string
		period  int
	}
	want := map[key]bool{}
	wantOrder := []key{}
	for _, m := range ms {
		b.mines[m.ID] = m
	}
	for _, t := range b.tasks {
		if t.ArchivedAt != nil {
			continue
		}
		var subjects []string
		switch t.Level {
		case LevelMine:
			for _, m := range ms {
				ok, missing := t.Binding.binds(mineFacts{m: m, ownership: ownership[m.EnterpriseID], facts: facts[m.ID], today: today})
				if ok {
					subjects = append(subjects, fmt.Sprintf("mine:%d", m.ID))
				} else if len(missing) > 0 {
					b.undetermined[t.ID] = append(b.undetermined[t.ID], Undetermined{MineID: m.ID, MineName: m.Name, RegionCode: m.RegionCode, Missing: missing})
				}
			}
		case LevelDivision:
			for _, d := range b.divisions {
				if len(t.Binding.Regions) == 0 || slices.Contains(t.Binding.Regions, d.Code) {
					subjects = append(subjects, "region:"+d.Code)
				}
			}
		case LevelCity:
			subjects = []string{"region:" + b.city.Code}
		}
		for _, p := range t.periods(thisYear) {
			for _, sub := range subjects {
				k := key{t.ID, sub, p}
				want[k] = true
				wantOrder = append(wantOrder, k)
			}
		}
	}
	have := map[key]bool{}
	if err := s.scanItems(ctx, func(it Item, subject string) {
		have[key{it.TaskID, subject, it.Period}] = true
	}); err != nil {
		return nil, err
	}
	var missing []key
	for _, k := range wantOrder {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			now := s.now()
			for _, k := range missing {
				var mineID *int64
				region := ""
				var m *registry.Mine
				if strings.HasPrefix(k.subject, "mine:") {
					id, _ := strconv.ParseInt(strings.TrimPrefix(k.subject, "mine:"), 10, 64)
					mineID = &id
					mm := b.mines[id]
					m = &mm
				} else {
					region = strings.TrimPrefix(k.subject, "region:")
				}
				// Another node may have created it meanwhile: keep its.
				var id int64
				err := tx.QueryRow(ctx, `INSERT INTO ledger_items (task_id, subject, mine_id, region_code, period, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id, subject, period) DO NOTHING RETURNING id`,
					k.task, k.subject, mineID, region, k.period, now, now).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
				if err := s.event(ctx, tx, auth.System, "ledger_item", id, "create", region, m,
					map[string]any{"task_id": k.task, "period": k.period}, "the task binds it"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	tasks := map[int64]*Task{}
	for i := range b.tasks {
		tasks[b.tasks[i].ID] = &b.tasks[i]
	}
	names := map[string]string{b.city.Code: b.city.Name}
	for _, d := range b.divisions {
		names[d.Code] = d.Name
	}
	err = s.scanItems(ctx, func(it Item, subject string) {
		t := tasks[it.TaskID]
		if t == nil {
			return
		}
		if it.MineID != nil {
			m, ok := b.mines[*it.MineID]
			if !ok {
				return // an archived mine owes nothing
			}
			it.MineCode, it.MineName, it.RegionCode, it.EnterpriseID = m.Code, m.Name, m.RegionCode, &m.EnterpriseID
		}
		it.TaskCode, it.TaskTitle, it.PlanRef, it.Level = t.Code, t.Title, t.PlanRef, t.Level
		it.RegionName = names[it.RegionCode]
		it.Deadline = t.deadline(it.Period)
		it.Bound = want[key{it.TaskID, subject, it.Period}]
		it.Due = it.Deadline < today
		it.Overdue = it.Due && it.State == ItemPending && it.counted()
		it.Late = it.State != ItemPending && kit.ShanghaiDay(it.DoneAt) > it.Deadline
		if end, err := clock.EndOfDay(it.Deadline); err == nil {
			it.DaysLeft = int(end.Sub(s.clk.Now()).Hours() / 24)
		}
		if it.HazardID != nil {
			it.HazardURL = fmt.Sprintf(s.opt.HazardURL, *it.HazardID)
		}
		b.items = append(b.items, it)
	})
	return b, err
}

const itemCols = `id, task_id, subject, mine_id, region_code, period, state, evidence, done_at, done_by, verified_at, verified_by, return_reason, hazard_id`

// scanItems calls fn with every item row and its subject.
func (s *Service) scanItems(ctx context.Context, fn func(Item, string)) error {
	rows, err := s.db.Query(ctx, `SELECT `+itemCols+` FROM ledger_items ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var subject string
		if err := rows.Scan(&it.ID, &it.TaskID, &subject, &it.MineID, &it.RegionCode, &it.Period, &it.State, &it.Evidence, &it.DoneAt, &it.DoneBy,
			&it.VerifiedAt, &it.VerifiedBy, &it.ReturnReason, &it.HazardID); err != nil {
			return err
		}
		for _, t := range []*time.Time{it.DoneAt, it.VerifiedAt} {
			if t != nil {
				*t = t.UTC()
			}
		}
		fn(it, subject)
	}
	return rows.Err()
}

// sees tells whether p may see an item: a mine's item by the mine's scope,
// a division's or the city's by region (never an enterprise).
func sees(p *auth.Principal, it Item) bool {
	if it.MineID != nil {
		return it.EnterpriseID != nil && p.SeesMine(it.RegionCode, *it.EnterpriseID)
	}
	return !p.Is(auth.RoleEnterprise) && p.SeesRegion(it.RegionCode)
}

// withActions fills the steps p may take on the item.
func (s *Service) withActions(p *auth.Principal, it Item) Item {
	it.Actions = ItemLoop.Actions(it.State, p)
	if it.Overdue && it.MineID != nil && it.HazardID == nil && p.Is(regulators...) {
		it.Actions = append(it.Actions, "raise-hazard")
	}
	if it.Actions == nil {
		it.Actions = []string{}
	}
	return it
}

// visibleItems answers the items of the book p may see (counted ones
// unless all), each with its actions.
func (s *Service) visibleItems(p *auth.Principal, b *book, all bool) []Item {
	out := []Item{}
	for _, it := range b.items {
		if sees(p, it) && (all || it.counted()) {
			out = append(out, s.withActions(p, it))
		}
	}
	return out
}

// summarise counts tasks' items in area a.
func summarise(t *Task, items []Item, a area, b *book, detail bool) {
	t.Summary = Completion{}
	byRegion := map[string]*Completion{}
	for _, it := range items {
		if it.TaskID != t.ID || !it.counted() || !(a.has(it.RegionCode) || a.Whole && it.RegionCode == a.Code || a.Enterprise) {
			continue
		}
		t.Summary.count(it)
		if detail {
			if byRegion[it.RegionCode] == nil {
				byRegion[it.RegionCode] = &Completion{}
			}
			byRegion[it.RegionCode].count(it)
		}
		if detail {
			t.Items = append(t.Items, it)
		}
	}
	for _, u := range b.undetermined[t.ID] {
		if a.has(u.RegionCode) {
			t.Summary.Undetermined++
			if detail {
				t.Undetermined = append(t.Undetermined, u)
			}
		}
	}
	t.Summary.finish()
	if detail {
		names := map[string]string{b.city.Code: b.city.Name}
		for _, d := range b.divisions {
			names[d.Code] = d.Name
		}
		t.Divisions = []DivisionCompletion{}
		for code, c := range byRegion {
			c.finish()
			t.Divisions = append(t.Divisions, DivisionCompletion{RegionCode: code, RegionName: names[code], Completion: *c})
		}
		sort.Slice(t.Divisions, func(i, j int) bool { return t.Divisions[i].RegionCode < t.Divisions[j].RegionCode })
		if t.Items == nil {
			t.Items = []Item{}
		}
		if t.Undetermined == nil {
			t.Undetermined = []Undetermined{}
		}
	}
}

// Tasks answers the plan's tasks with their completion over region_code.
func (s *Service) Tasks(ctx context.Context, p *auth.Principal, regionCode string, includeArchived bool) ([]Task, error) {
	a, err := s.area(ctx, p, regionCode)
	if err != nil {
		return nil, err
	}
	b, err := s.loadBook(ctx, includeArchived)
	if err != nil {
		return nil, err
	}
	items := s.visibleItems(p, b, false)
	out := make([]Task, len(b.tasks))
	for i := range b.tasks {
		out[i] = b.tasks[i]
		summarise(&out[i], items, a, b, false)
	}
	return out, nil
}

// GetTask answers one task with its completion by division, its items and
// the undetermined mines, over the caller's scope.
func (s *Service) GetTask(ctx context.Context, p *auth.Principal, id int64) (Task, error) {
	a, err := s.area(ctx, p, "")
	if err != nil {
		return Task{}, err
	}
	b, err := s.loadBook(ctx, true)
	if err != nil {
		return Task{}, err
	}
	for _, t := range b.tasks {
		if t.ID == id {
			summarise(&t, s.visibleItems(p, b, false), a, b, true)
			return t, nil
		}
	}
	return Task{}, fail.NotFoundf("no such task")
}

// ItemFilter selects ledger items.
type ItemFilter struct {
	TaskID     int64
	MineID     int64
	RegionCode string
	State      string
	Overdue    *bool
	Period     int
	All        bool // also items no longer bound and pending
}

// Items answers the ledger items p may see.
func (s *Service) Items(ctx context.Context, p *auth.Principal, f ItemFilter) ([]Item, error) {
	a, err := s.area(ctx, p, f.RegionCode)
	if err != nil {
		return nil, err
	}
	b, err := s.loadBook(ctx, false)
	if err != nil {
		return nil, err
	}
	out := []Item{}
	for _, it := range s.visibleItems(p, b, f.All) {
		if (f.TaskID != 0 && it.TaskID != f.TaskID) || (f.MineID != 0 && (it.MineID == nil || *it.MineID != f.MineID)) ||
			(f.State != "" && it.State != f.State) || (f.Overdue != nil && it.Overdue != *f.Overdue) || (f.Period != 0 && it.Period != f.Period) ||
			!(a.has(it.RegionCode) || a.Whole && it.RegionCode == a.Code || a.Enterprise) {
			continue
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline < out[j].Deadline })
	return out, nil
}

// MineLedger is what a mine owes and by when, and the tasks that would
// bind it or not once its unknown facts are known.
type MineLedger struct {
	MineID       int64             `json:"mine_id"`
	MineName     string            `json:"mine_name"`
	Owed         int               `json:"owed"`
	Overdue      int               `json:"overdue"`
	NextDeadline string            `json:"next_deadline"`
	Items        []Item            `json:"items"`
	Undetermined []UndeterminedFor `json:"undetermined"`
}

// UndeterminedFor is a task whose binding of a mine waits for its facts.
type UndeterminedFor struct {
	TaskID    int64    `json:"task_id"`
	TaskTitle string   `json:"task_title"`
	Missing   []string `json:"missing"`
}

// MineLedger answers the items of a mine p may see: what it still owes
// (pending) and by when, and what it has done.
func (s *Service) MineLedger(ctx context.Context, p *auth.Principal, mineID int64) (MineLedger, error) {
	m, err := s.reg.GetMine(ctx, p, mineID)
	if err != nil {
		return MineLedger{}, err
	}
	b, err := s.loadBook(ctx, false)
	if err != nil {
		return MineLedger{}, err
	}
	out := MineLedger{MineID: m.ID, MineName: m.Name, Items: []Item{}, Undetermined: []UndeterminedFor{}}
	for _, it := range s.visibleItems(p, b, false) {
		if it.MineID == nil || *it.MineID != mineID {
			continue
		}
		out.Items = append(out.Items, it)
		if it.State == ItemPending {
			out.Owed++
			if out.NextDeadline == "" || it.Deadline < out.NextDeadline {
				out.NextDeadline = it.Deadline
			}
		}
		if it.Overdue {
			out.Overdue++
		}
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].Deadline < out.Items[j].Deadline })
	for _, t := range b.tasks {
		for _, u := range b.undetermined[t.ID] {
			if u.MineID == mineID {
				out.Undetermined = append(out.Undetermined, UndeterminedFor{TaskID: t.ID, TaskTitle: t.Title, Missing: u.Missing})
			}
		}
	}
	return out, nil
}

// item answers one item p may see, as of now; a retired task's items only
// when archived is set (their history stays readable, their loop is over).
func (s *Service) item(ctx context.Context, p *auth.Principal, id int64, archived bool) (Item, error) {
	b, err := s.loadBook(ctx, archived)
	if err != nil {
		return Item{}, err
	}
	for _, it := range b.items {
		if it.ID == id && sees(p, it) {
			return s.withActions(p, it), nil
		}
	}
	return Item{}, fail.NotFoundf("no such ledger item")
}

// StepInput carries the evidence of "done", the reason of "return", a note
// otherwise.
type StepInput struct {
	Evidence string `json:"evidence"`
	Reason   string `json:"reason"`
	Note     string `json:"note"`
}

// Step takes one step of an item's loop. Refusals: 404 outside scope, 403
// role, 409 state, 422 evidence or reason missing.
func (s *Service) Step(ctx context.Context, p *auth.Principal, id int64, action string, in StepInput) (Item, error) {
	if err := signedIn(p); err != nil {
		return Item{}, err
	}
	it, err := s.item(ctx, p, id, false)
	if err != nil {
		return Item{}, err
	}
	to, err := ItemLoop.Step(it.State, action, p)
	if err != nil {
		return Item{}, err
	}
	now := s.now()
	set := map[string]any{"updated_at": now}
	ev := events.New(p, now, "ledger_item", id, action)
	ev.RegionCode, ev.MineID, ev.EnterpriseID = it.RegionCode, it.MineID, it.EnterpriseID
	in.Evidence, in.Reason, in.Note = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Reason), strings.TrimSpace(in.Note)
	switch action {
	case "done":
		if in.Evidence == "" {
			return Item{}, fail.Invalidf("evidence", "say what was done and where it is documented")
		}
		set["evidence"], set["done_at"], set["done_by"], set["return_reason"] = in.Evidence, now, p.Name(), ""
		ev = ev.WithDetail(map[string]string{"evidence": in.Evidence})
	case "verify":
		set["verified_at"], set["verified_by"] = now, p.Name()
	case "return":
		if in.Reason == "" {
			return Item{}, fail.Invalidf("reason", "say why it goes back")
		}
		set["return_reason"], set["done_at"], set["done_by"] = in.Reason, nil, ""
		ev.Reason = in.Reason
	}
	if ev.Reason == "" {
		ev.Reason = in.Note
	}
	if err := s.db.InTx(ctx, func(tx *store.Tx) error {
		return flow.Move(ctx, tx, "ledger_items", id, it.State, to, set, ev)
	}); err != nil {
		return Item{}, err
	}
	return s.item(ctx, p, id, false)
}

// RaiseInput is the rectification deadline (default 30 days from today)
// and a note for the hazard raised for an overdue item.
type RaiseInput struct {
	Deadline string `json:"deadline"`
	Note     string `json:"note"`
}

// RaiseHazard raises a hidden hazard at the mine of an overdue item
// (regulators in scope) through the RaiseHazard hook and links it.
// Refusals: 404, 403, 409 (not a mine's item, not overdue, raised
// already, no hazard service), 422 deadline.
func (s *Service) RaiseHazard(ctx context.Context, p *auth.Principal, id int64, in RaiseInput) (Item, error) {
	if err := signedIn(p); err != nil {
		return Item{}, err
	}
	it, err := s.item(ctx, p, id, false)
	if err != nil {
		return Item{}, err
	}
	switch {
	case !p.Is(regulators...):
		return Item{}, fail.Forbiddenf("role %s may not raise hazards for the ledger (regulators do)", p.Role)
	case it.MineID == nil:
		return Item{}, fail.Conflictf("not_a_mine", "the item is a division's or the city's, not a mine's")
	case !it.Overdue:
		return Item{}, fail.Conflictf("not_overdue", "the item is not overdue (deadline %s, %s)", it.Deadline, it.State)
	case it.HazardID != nil:
		return Item{}, fail.Conflictf("raised", "hazard #%d was raised for it already", *it.HazardID)
	case s.opt.RaiseHazard == nil:
		return Item{}, fail.Conflictf("no_hazard_service", "no hazard service is wired to raise hazards")
	}
	in.Deadline, in.Note = strings.TrimSpace(in.Deadline), strings.TrimSpace(in.Note)
	if in.Deadline == "" {
		in.Deadline = s.clk.Now().In(clock.Shanghai).AddDate(0, 0, 30).Format("2006-01-02")
	}
	if !kit.ValidDate(in.Deadline) || in.Deadline < s.today() {
		return Item{}, fail.Invalidf("deadline", "must be a date YYYY-MM-DD, today or later")
	}
	desc := fmt.Sprintf("规划任务逾期未完成：%s（期限 %s）。依据：%s", it.TaskTitle, it.Deadline, it.PlanRef)
	if in.Note != "" {
		desc += "。" + in.Note
	}
	// The hook writes in its own transaction, so none is held around it
	// (SQLite would make it wait on ours).
	hazardID, err := s.opt.RaiseHazard(ctx, p, *it.MineID, desc, in.Deadline)
	if err != nil {
		return Item{}, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE ledger_items SET hazard_id = ?, updated_at = ? WHERE id = ? AND hazard_id IS NULL`, hazardID, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Conflictf("raised", "a hazard was raised for the item meanwhile (hazard #%d is a duplicate)", hazardID)
		}
		m := s.mineOf(it)
		return s.event(ctx, tx, p, "ledger_item", id, "raise_hazard", it.RegionCode, &m, map[string]any{"hazard_id": hazardID, "deadline": in.Deadline}, in.Note)
	})
	if err != nil {
		return Item{}, err
	}
	return s.item(ctx, p, id, false)
}

func (s *Service) mineOf(it Item) registry.Mine {
	m := registry.Mine{MineFields: registry.MineFields{RegionCode: it.RegionCode}}
	if it.MineID != nil {
		m.ID = *it.MineID
	}
	if it.EnterpriseID != nil {
		m.EnterpriseID = *it.EnterpriseID
	}
	return m
}

// ItemTrail answers every event of an item p may see.
func (s *Service) ItemTrail(ctx context.Context, p *auth.Principal, id int64) ([]events.Event, error) {
	if _, err := s.item(ctx, p, id, true); err != nil {
		return nil, err
	}
	return events.Trail(ctx, s.db, "ledger_item", id)
}

// checkTask checks a task's definition.
func (s *Service) checkTask(ctx context.Context, f fail.Fields, in *TaskInput) error {
	for _, v := range []*string{&in.Code, &in.Title, &in.PlanText, &in.PlanRef, &in.Level, &in.Recurrence, &in.Deadline} {
		*v = strings.TrimSpace(*v)
	}
	if in.Recurrence == "" {
		in.Recurrence = "once"
	}
	if in.Code == "" || len(in.Code) > 60 || strings.ContainsAny(in.Code, " /?#") {
		f.Add("code", "required: up to 60 characters without spaces, / ? #")
	}
	if in.Title == "" {
		f.Add("title", "required")
	}
	if !slices.Contains([]string{LevelMine, LevelDivision, LevelCity}, in.Level) {
		f.Add("level", "must be mine, division or city")
	}
	if !slices.Contains([]string{"once", "yearly"}, in.Recurrence) {
		f.Add("recurrence", "must be once or yearly")
	}
	if !kit.ValidDate(in.Deadline) {
		f.Add("deadline", "required, a date YYYY-MM-DD")
	} else if in.Recurrence == "yearly" {
		if y, _ := strconv.Atoi(in.Deadline[:4]); in.FirstYear < kit.MinYear || in.FirstYear > y {
			f.Add("first_year", "a yearly task needs first_year, not after the deadline's year")
		}
	}
	_, divs, err := s.regions(ctx)
	if err != nil {
		return err
	}
	codes := make([]string, len(divs))
	for i, d := range divs {
		codes[i] = d.Code
	}
	vocab := func(field string, values, allowed []string) {
		for _, v := range values {
			if !slices.Contains(allowed, v) {
				f.Add(field, "each must be one of %s", strings.Join(allowed, ", "))
			}
		}
	}
	for i, c := range in.Binding.Clauses {
		p := fmt.Sprintf("binding.clauses[%d].", i)
		vocab(p+"kinds", c.Kinds, mineKinds)
		vocab(p+"statuses", c.Statuses, mineStatuses)
		vocab(p+"ownership", c.Ownership, ownerships)
		vocab(p+"size_classes", c.SizeClasses, SizeClasses)
		vocab(p+"hoist_types", c.HoistTypes, HoistTypes)
		vocab(p+"regions", c.Regions, codes)
	}
	vocab("binding.regions", in.Binding.Regions, codes)
	b := in.Binding
	if in.Level != LevelMine && len(b.Clauses)+len(b.IncludeMineIDs)+len(b.ExcludeMineIDs) > 0 {
		f.Add("binding", "only a mine task binds mines")
	}
	if in.Level != LevelDivision && len(b.Regions) > 0 {
		f.Add("binding.regions", "only a division task binds divisions")
	}
	for field, limit := range map[string]int{"title": 200, "plan_text": 4000, "plan_ref": 500} {
		v := map[string]string{"title": in.Title, "plan_text": in.PlanText, "plan_ref": in.PlanRef}[field]
		if len([]rune(v)) > limit {
			f.Add(field, "at most %d characters", limit)
		}
	}
	return nil
}

// The registry's vocabularies a clause may name (docs/registry.md).
var (
	mineKinds = []string{registry.KindCoalUnderground, registry.KindCoalOpenpit, registry.KindMetalUnderground,
		registry.KindMetalOpenpit, registry.KindTailingsPond}
	mineStatuses = []string{"producing", "constructing", "suspended", "halted", "closed"}
	ownerships   = []string{"central_soe", "local_soe", "private", "other"}
)

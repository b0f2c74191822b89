package alarm

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

func (s *Service) get(ctx context.Context, id int64) (Alarm, error) {
	a, err := scanAlarm(s.db.QueryRow(ctx, `SELECT `+alarmCols+alarmFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fail.NotFoundf("no such alarm")
	}
	return a, err
}

// Get answers an alarm the caller may see, with the steps it may take.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Alarm, error) {
	a, err := s.get(ctx, id)
	if err != nil {
		return a, err
	}
	if !p.SeesMine(a.RegionCode, a.EnterpriseID) {
		return Alarm{}, fail.NotFoundf("no such alarm")
	}
	a.Actions = s.actions(a, p)
	return a, nil
}

func (s *Service) actions(a Alarm, p *auth.Principal) []string {
	out := Loop.Actions(a.State, p)
	if a.ClearedAt == nil {
		// Closing waits for the condition to end.
		for i, x := range out {
			if x == "close" {
				out = append(out[:i], out[i+1:]...)
				break
			}
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// Filter selects alarms.
type Filter struct {
	httpx.ListParams
	MineID       int64
	RegionCode   string
	Level        string
	CurrentLevel string
	State        string
	Kind         string
	Planned      *bool
	Cleared      *bool
	From, To     time.Time
}

func (f Filter) where(p *auth.Principal) (string, []any) {
	scope, args := p.MineScope("a.region_code", "a.enterprise_id")
	conds := []string{scope}
	add := func(c string, v any) { conds = append(conds, c); args = append(args, v) }
	if f.MineID != 0 {
		add("a.mine_id = ?", f.MineID)
	}
	if f.RegionCode != "" {
		add("a.region_code = ?", f.RegionCode)
	}
	if f.Level != "" {
		add("a.level = ?", f.Level)
	}
	if f.CurrentLevel != "" {
		add("a.current_level = ?", f.CurrentLevel)
	}
	if f.State != "" {
		states := strings.Split(f.State, ",")
		ph := make([]string, len(states))
		for i, st := range states {
			ph[i] = "?"
			args = append(args, st)
		}
		conds = append(conds, "a.state IN ("+strings.Join(ph, ",")+")")
	}
	if f.Kind != "" {
		add("a.kind = ?", f.Kind)
	}
	if f.Planned != nil {
		add("a.planned = ?", *f.Planned)
	}
	if f.Cleared != nil {
		if *f.Cleared {
			conds = append(conds, "a.cleared_at IS NOT NULL")
		} else {
			conds = append(conds, "a.cleared_at IS NULL")
		}
	}
	if !f.From.IsZero() {
		add("a.opened_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("a.opened_at < ?", f.To.UTC())
	}
	if f.Q != "" {
		add("(LOWER(m.name) LIKE ? OR LOWER(a.message) LIKE ?)", "%"+strings.ToLower(f.Q)+"%")
		args = append(args, "%"+strings.ToLower(f.Q)+"%")
	}
	return strings.Join(conds, " AND "), args
}

var sortColumns = map[string]string{"id": "a.id", "opened_at": "a.opened_at", "level": "CASE a.level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END", "state": "a.state", "mine_id": "a.mine_id"}

// List answers the alarms the caller may see.
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) ([]Alarm, int, error) {
	where, args := f.where(p)
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+alarmFrom+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + alarmCols + alarmFrom + ` WHERE ` + where + ` ` + f.OrderBy(sortColumns, "a.id DESC")
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	list, err := scanAlarms(rows)
	for i := range list {
		list[i].Actions = s.actions(list[i], p)
	}
	return list, total, err
}

// Stats are the alarm statistics of a selection.
type Stats struct {
	Total            int            `json:"total"`
	ByLevel          map[string]int `json:"by_level"`
	ByKind           map[string]int `json:"by_kind"`
	ByState          map[string]int `json:"by_state"`
	ByMine           []MineCount    `json:"by_mine"`
	ByDay            []DayCount     `json:"by_day"`
	Planned          int            `json:"planned"`
	Unplanned        int            `json:"unplanned"`
	MeanAckMinutes   *float64       `json:"mean_minutes_to_acknowledge"`
	MeanCloseMinutes *float64       `json:"mean_minutes_to_close"`
}

// MineCount is alarms per mine.
type MineCount struct {
	MineID int64  `json:"mine_id"`
	Name   string `json:"name"`
	Count  int    `json:"count"`
}

// DayCount is alarms per day (Asia/Shanghai) and level.
type DayCount struct {
	Day     string         `json:"day"`
	ByLevel map[string]int `json:"by_level"`
}

// Statistics counts the alarms of a selection by level, kind, state, mine
// and day (counted in Asia/Shanghai), planned against unplanned, and the
// mean time to acknowledge and to close.
func (s *Service) Statistics(ctx context.Context, p *auth.Principal, f Filter) (Stats, error) {
	f.Limit = 0
	list, _, err := s.List(ctx, p, f)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{ByLevel: map[string]int{}, ByKind: map[string]int{}, ByState: map[string]int{}, ByMine: []MineCount{}, ByDay: []DayCount{}}
	mines := map[int64]*MineCount{}
	days := map[string]*DayCount{}
	var ackSum, closeSum float64
	var ackN, closeN int
	cst := time.FixedZone("CST", 8*3600)
	for _, a := range list {
		st.Total++
		st.ByLevel[a.Level]++
		st.ByKind[a.Kind]++
		st.ByState[a.State]++
		if a.Planned {
			st.Planned++
		} else {
			st.Unplanned++
		}
		mc := mines[a.MineID]
		if mc == nil {
			mc = &MineCount{MineID: a.MineID, Name: a.MineName}
			mines[a.MineID] = mc
		}
		mc.Count++
		day := a.OpenedAt.In(cst).Format("2006-01-02")
		dc := days[day]
		if dc == nil {
			dc = &DayCount{Day: day, ByLevel: map[string]int{}}
			days[day] = dc
		}
		dc.ByLevel[a.Level]++
		if a.AcknowledgedAt != nil {
			ackSum += a.AcknowledgedAt.Sub(a.OpenedAt).Minutes()
			ackN++
		}
		if a.ClosedAt != nil {
			closeSum += a.ClosedAt.Sub(a.OpenedAt).Minutes()
			closeN++
		}
	}
	if ackN > 0 {
		v := ackSum / float64(ackN)
		st.MeanAckMinutes = &v
	}
	if closeN > 0 {
		v := closeSum / float64(closeN)
		st.MeanCloseMinutes = &v
	}
	for _, mc := range mines {
		st.ByMine = append(st.ByMine, *mc)
	}
	sortMineCounts(st.ByMine)
	for _, dc := range days {
		st.ByDay = append(st.ByDay, *dc)
	}
	sortDays(st.ByDay)
	return st, nil
}

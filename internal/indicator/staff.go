package indicator

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"minesafe/internal/accident/kit"
	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
)

// Backgrounds are the professional backgrounds of supervision staff; the
// plan names 采矿、机电、通风、地质、测量、安全工程 "等", so 水文地质, 选矿 and
// other professional backgrounds (named in background_note) count too.
// Only "none" is not professional.
var Backgrounds = []string{"mining", "electromechanical", "ventilation", "geology", "surveying", "safety_engineering",
	"hydrogeology", "mineral_processing", "other_professional", "none"}

// BackgroundNames are the backgrounds as reports name them.
var BackgroundNames = map[string]string{
	"mining": "采矿", "electromechanical": "机电", "ventilation": "通风", "geology": "地质", "surveying": "测量",
	"safety_engineering": "安全工程", "hydrogeology": "水文地质", "mineral_processing": "选矿",
	"other_professional": "其他专业", "none": "无专业背景",
}

// Professional tells whether a background counts as professional.
func Professional(background string) bool { return background != "" && background != "none" }

// StaffInput is a member of a regulator's supervision staff: the division
// (or the city) they work for, and their background. HiredOn and LeftOn
// (YYYY-MM-DD, optional) date their time on the roll, so a past year's
// share is computed from the roll of that year's end.
type StaffInput struct {
	RegionCode     string `json:"region_code"`
	Name           string `json:"name"`
	Unit           string `json:"unit"`
	Position       string `json:"position"`
	Background     string `json:"background"`
	BackgroundNote string `json:"background_note"`
	Education      string `json:"education"`
	HiredOn        string `json:"hired_on"`
	LeftOn         string `json:"left_on"`
}

// StaffPatch changes the fields given.
type StaffPatch struct {
	RegionCode     *string `json:"region_code,omitempty"`
	Name           *string `json:"name,omitempty"`
	Unit           *string `json:"unit,omitempty"`
	Position       *string `json:"position,omitempty"`
	Background     *string `json:"background,omitempty"`
	BackgroundNote *string `json:"background_note,omitempty"`
	Education      *string `json:"education,omitempty"`
	HiredOn        *string `json:"hired_on,omitempty"`
	LeftOn         *string `json:"left_on,omitempty"`
}

// Staff is a member of the supervision staff; OnRoll is judged today.
type Staff struct {
	ID int64 `json:"id"`
	StaffInput
	RegionName     string     `json:"region_name"`
	BackgroundName string     `json:"background_name"`
	Professional   bool       `json:"professional"`
	OnRoll         bool       `json:"on_roll"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ArchivedAt     *time.Time `json:"archived_at"`
	ArchiveReason  string     `json:"archive_reason"`
}

// StaffFilter selects staff; AsOf keeps those on the roll that day.
type StaffFilter struct {
	httpx.ListParams
	RegionCode   string
	AsOf         string
	Professional *bool
	Background   string
}

const staffCols = `s.id, s.region_code, s.name, s.unit, s.position, s.background, s.background_note, s.education, s.hired_on, s.left_on,
	s.created_at, s.updated_at, s.archived_at, s.archive_reason`

var staffSort = map[string]string{"id": "s.id", "name": "s.name", "region_code": "s.region_code", "hired_on": "s.hired_on", "background": "s.background"}

// staffScope limits a query to the staff of the divisions p sees. Staff
// belong to no enterprise, so an enterprise user sees none (and for the
// other roles MineScope never uses the enterprise column).
func staffScope(p *auth.Principal) (string, []any) {
	if p.Is(auth.RoleEnterprise) {
		return "1=0", nil
	}
	return p.MineScope("s.region_code", "NULL")
}

// onRoll is the SQL condition "on the roll on day ?" (two args: the day).
const onRoll = `(s.hired_on = '' OR s.hired_on <= ?) AND (s.left_on = '' OR s.left_on > ?)`

func (s *Service) scanStaff(rows interface{ Scan(...any) error }, names map[string]string) (Staff, error) {
	var x Staff
	err := rows.Scan(&x.ID, &x.RegionCode, &x.Name, &x.Unit, &x.Position, &x.Background, &x.BackgroundNote, &x.Education,
		&x.HiredOn, &x.LeftOn, &x.CreatedAt, &x.UpdatedAt, &x.ArchivedAt, &x.ArchiveReason)
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	if x.ArchivedAt != nil {
		t := x.ArchivedAt.UTC()
		x.ArchivedAt = &t
	}
	today := s.today()
	x.RegionName, x.BackgroundName, x.Professional = names[x.RegionCode], BackgroundNames[x.Background], Professional(x.Background)
	x.OnRoll = x.ArchivedAt == nil && (x.HiredOn == "" || x.HiredOn <= today) && (x.LeftOn == "" || x.LeftOn > today)
	return x, err
}

func (s *Service) regionNames(ctx context.Context) (map[string]string, error) {
	city, divs, err := s.regions(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{city.Code: city.Name}
	for _, d := range divs {
		out[d.Code] = d.Name
	}
	return out, nil
}

// ListStaff answers a page of the staff p may see (a zero Limit: all).
func (s *Service) ListStaff(ctx context.Context, p *auth.Principal, f StaffFilter) ([]Staff, int, error) {
	if err := signedIn(p); err != nil {
		return nil, 0, err
	}
	var w kit.Where
	scope, args := staffScope(p)
	w.Add(scope, args...)
	if !f.IncludeArchived {
		w.Add("s.archived_at IS NULL")
	}
	if f.RegionCode != "" {
		c, a := kit.RegionCond("s.region_code", f.RegionCode)
		w.Add(c, a...)
	}
	if f.AsOf != "" {
		w.Add(onRoll, f.AsOf, f.AsOf)
	}
	if f.Professional != nil {
		w.Add(map[bool]string{true: "s.background <> 'none'", false: "s.background = 'none'"}[*f.Professional])
	}
	if f.Background != "" {
		w.Add("s.background = ?", f.Background)
	}
	if f.Q != "" {
		w.Add(`LOWER(s.name) LIKE LOWER(?) ESCAPE '\'`, "%"+kit.LikeEscape(f.Q)+"%")
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM supervision_staff s`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	names, err := s.regionNames(ctx)
	if err != nil {
		return nil, 0, err
	}
	tail, targs := kit.Page(f.ListParams)
	rows, err := s.db.Query(ctx, `SELECT `+staffCols+` FROM supervision_staff s`+w.SQL()+` `+f.OrderBy(staffSort, "s.id")+tail, append(w.Args, targs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Staff{}
	for rows.Next() {
		x, err := s.scanStaff(rows, names)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

func (s *Service) getStaff(ctx context.Context, q store.Querier, db interface{ Q(string) string }, p *auth.Principal, id int64) (Staff, error) {
	names, err := s.regionNames(ctx)
	if err != nil {
		return Staff{}, err
	}
	scope, args := staffScope(p)
	x, err := s.scanStaff(q.QueryRowContext(ctx, db.Q(`SELECT `+staffCols+` FROM supervision_staff s WHERE s.id = ? AND `+scope), append([]any{id}, args...)...), names)
	if errors.Is(err, sql.ErrNoRows) {
		return x, fail.NotFoundf("no such staff member")
	}
	return x, err
}

// mayKeepStaff: admin and city users keep every division's staff (and the
// city's own), county users their divisions'.
func mayKeepStaff(p *auth.Principal, region string) error {
	switch {
	case p.Is(auth.RoleAdmin, auth.RoleCity):
		return nil
	case p.Is(auth.RoleCounty):
		if region == "" || p.SeesRegion(region) {
			return nil
		}
		return fail.Forbiddenf("division %s is outside your divisions (%s)", region, strings.Join(p.Regions, ", "))
	}
	return fail.Forbiddenf("role %s may not keep supervision staff (admin, city and county users do)", p.Role)
}

func (s *Service) checkStaff(ctx context.Context, f fail.Fields, in *StaffInput) error {
	for _, v := range []*string{&in.RegionCode, &in.Name, &in.Unit, &in.Position, &in.Background, &in.BackgroundNote, &in.Education, &in.HiredOn, &in.LeftOn} {
		*v = strings.TrimSpace(*v)
	}
	names, err := s.regionNames(ctx)
	if err != nil {
		return err
	}
	if _, ok := names[in.RegionCode]; !ok {
		f.Add("region_code", "must be the city's code or one of its divisions")
	}
	if in.Name == "" {
		f.Add("name", "required")
	}
	switch {
	case in.Background == "":
		f.Add("background", "required (none when the person has no professional background)")
	case !slices.Contains(Backgrounds, in.Background):
		f.Add("background", "must be one of %s", strings.Join(Backgrounds, ", "))
	case in.Background == "other_professional" && in.BackgroundNote == "":
		f.Add("background_note", "name the professional background")
	}
	for field, v := range map[string]string{"hired_on": in.HiredOn, "left_on": in.LeftOn} {
		if v != "" && !kit.ValidDate(v) {
			f.Add(field, "must be a date YYYY-MM-DD")
		}
	}
	if in.HiredOn != "" && in.LeftOn != "" && in.LeftOn < in.HiredOn {
		f.Add("left_on", "must not be before hired_on")
	}
	for field, v := range map[string]string{"name": in.Name, "unit": in.Unit, "position": in.Position, "background_note": in.BackgroundNote, "education": in.Education} {
		if len([]rune(v)) > 200 {
			f.Add(field, "at most 200 characters")
		}
	}
	return nil
}

// AddStaff records a member of the supervision staff.
func (s *Service) AddStaff(ctx context.Context, p *auth.Principal, in StaffInput) (Staff, error) {
	if err := signedIn(p); err != nil {
		return Staff{}, err
	}
	if err := mayKeepStaff(p, strings.TrimSpace(in.RegionCode)); err != nil {
		return Staff{}, err
	}
	f := fail.Fields{}
	if err := s.checkStaff(ctx, f, &in); err != nil {
		return Staff{}, err
	}
	if err := f.Err(); err != nil {
		return Staff{}, err
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO supervision_staff (region_code, name, unit, position, background, background_note, education,
			hired_on, left_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.RegionCode, in.Name, in.Unit, in.Position, in.Background, in.BackgroundNote, in.Education, in.HiredOn, in.LeftOn, now, now)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "supervision_staff", id, "create", in.RegionCode, nil, in, "")
	})
	if err != nil {
		return Staff{}, err
	}
	return s.getStaff(ctx, s.db, s.db, p, id)
}

// UpdateStaff changes a staff member (a departure is left_on).
func (s *Service) UpdateStaff(ctx context.Context, p *auth.Principal, id int64, pt StaffPatch) (Staff, error) {
	if err := signedIn(p); err != nil {
		return Staff{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.getStaff(ctx, tx, tx, p, id)
		if err != nil {
			return err
		}
		if err := mayKeepStaff(p, cur.RegionCode); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the staff record is archived")
		}
		in := cur.StaffInput
		ch := map[string]any{}
		for field, pair := range map[string][2]*string{"region_code": {&in.RegionCode, pt.RegionCode}, "name": {&in.Name, pt.Name},
			"unit": {&in.Unit, pt.Unit}, "position": {&in.Position, pt.Position}, "background": {&in.Background, pt.Background},
			"background_note": {&in.BackgroundNote, pt.BackgroundNote}, "education": {&in.Education, pt.Education},
			"hired_on": {&in.HiredOn, pt.HiredOn}, "left_on": {&in.LeftOn, pt.LeftOn}} {
			if pair[1] != nil && strings.TrimSpace(*pair[1]) != *pair[0] {
				*pair[0] = strings.TrimSpace(*pair[1])
				ch[field] = *pair[0]
			}
		}
		if err := mayKeepStaff(p, in.RegionCode); err != nil {
			return err
		}
		f := fail.Fields{}
		if err := s.checkStaff(ctx, f, &in); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if len(ch) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE supervision_staff SET region_code = ?, name = ?, unit = ?, position = ?, background = ?, background_note = ?,
			education = ?, hired_on = ?, left_on = ?, updated_at = ? WHERE id = ?`,
			in.RegionCode, in.Name, in.Unit, in.Position, in.Background, in.BackgroundNote, in.Education, in.HiredOn, in.LeftOn, s.now(), id)
		if err != nil {
			return err
		}
		return s.event(ctx, tx, p, "supervision_staff", id, "update", in.RegionCode, nil, ch, "")
	})
	if err != nil {
		return Staff{}, err
	}
	return s.getStaff(ctx, s.db, s.db, p, id)
}

// ArchiveStaff takes a wrongly entered record out of the figures (a
// departure is left_on, not an archive).
func (s *Service) ArchiveStaff(ctx context.Context, p *auth.Principal, id int64, reason string) (Staff, error) {
	if err := signedIn(p); err != nil {
		return Staff{}, err
	}
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.getStaff(ctx, tx, tx, p, id)
		if err != nil {
			return err
		}
		if err := mayKeepStaff(p, cur.RegionCode); err != nil {
			return err
		}
		if cur.ArchivedAt != nil {
			return fail.Conflictf("archived", "the staff record is archived already")
		}
		if reason == "" {
			return fail.Invalidf("reason", "say why the record is archived")
		}
		if _, err := tx.Exec(ctx, `UPDATE supervision_staff SET archived_at = ?, archive_reason = ?, updated_at = ? WHERE id = ?`, s.now(), reason, s.now(), id); err != nil {
			return err
		}
		return s.event(ctx, tx, p, "supervision_staff", id, "archive", cur.RegionCode, nil, nil, reason)
	})
	if err != nil {
		return Staff{}, err
	}
	return s.getStaff(ctx, s.db, s.db, p, id)
}

// professionals counts the staff on the roll on day asOf in p's scope by
// division (the city's own staff under the city's code): those with a
// professional background, and all.
func (s *Service) professionals(ctx context.Context, p *auth.Principal, asOf string) (counts, error) {
	scope, args := staffScope(p)
	rows, err := s.db.Query(ctx, `SELECT s.region_code, s.background FROM supervision_staff s WHERE s.archived_at IS NULL AND `+onRoll+` AND `+scope,
		append([]any{asOf, asOf}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := counts{}
	for rows.Next() {
		var region, bg string
		if err := rows.Scan(&region, &bg); err != nil {
			return nil, err
		}
		out.add(region, Professional(bg))
	}
	return out, rows.Err()
}

package stdfile

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/telemetry/mtt"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the upload and the lists of what was received.
func (d *Door) Routes(r *httpx.Router) {
	// Public: gateways authenticate with ingest tokens, which the auth
	// middleware leaves to the ingest doors; SenderOf resolves both kinds.
	r.Public("POST /api/v1/ingest/files", http.HandlerFunc(d.handleUpload))
	r.Handle("GET /api/v1/mines/{id}/ingest-files", serveList(d, filesList))
	r.Handle("GET /api/v1/mines/{id}/stations", serveList(d, stationsList))
	r.Handle("GET /api/v1/mines/{id}/reported-stats", serveList(d, statsList))
	r.Handle("GET /api/v1/mines/{id}/reported-alarms", serveList(d, alarmsList))
}

// RejectedAnswer is the 422 answer for a file rejected as a whole: the
// usual error envelope, so that a script checking the status or the error
// sees the refusal, and the file's result, which a resend repeats.
type RejectedAnswer struct {
	Error  httpx.ErrorDetail `json:"error"`
	Result FileResult        `json:"result"`
}

func (d *Door) handleUpload(w http.ResponseWriter, r *http.Request) {
	snd, err := d.svc.SenderOf(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	name, data, err := readFile(w, r, MaxFileSize)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	res, err := d.Process(r.Context(), snd, name, data, SourceUpload)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if res.Status == StatusRejected {
		httpx.JSON(w, http.StatusUnprocessableEntity, RejectedAnswer{
			Error:  httpx.ErrorDetail{Code: "file_rejected", Message: res.Reason, Fields: map[string]string{"file": res.Reason}},
			Result: res,
		})
		return
	}
	httpx.JSON(w, http.StatusOK, res)
}

// readFile answers the name and bytes of the multipart field `file`,
// reading the parts as they stream in (no temporary files) and refusing
// more than limit bytes with a 413.
func readFile(w http.ResponseWriter, r *http.Request, limit int64) (string, []byte, error) {
	// The body may exceed the file by the multipart framing and other fields.
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	tooLarge := &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", limit)}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, fail.BadRequestf("expected a multipart/form-data body with the file in the field 'file'")
	}
	for {
		part, err := mr.NextPart()
		var maxErr *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return "", nil, fail.BadRequestf("the multipart field 'file' is missing")
		case errors.As(err, &maxErr):
			return "", nil, tooLarge
		case err != nil:
			return "", nil, fail.BadRequestf("malformed multipart body: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		switch {
		case errors.As(err, &maxErr) || int64(len(data)) > limit:
			return "", nil, tooLarge
		case err != nil:
			return "", nil, fail.BadRequestf("malformed multipart body: %v", err)
		}
		return part.FileName(), data, nil
	}
}

// IngestFile is one received file as the list shows it.
type IngestFile struct {
	ID            int64     `json:"id"`
	File          string    `json:"file"`
	Type          string    `json:"type"`
	FileTime      time.Time `json:"file_time"`
	SHA256        string    `json:"sha256"`
	Size          int64     `json:"size"`
	Encoding      string    `json:"encoding"`
	Source        string    `json:"source"`
	ReceivedAt    time.Time `json:"received_at"`
	Status        string    `json:"status"`
	Reason        string    `json:"reason"`
	Accepted      int       `json:"accepted"`
	RejectedCount int       `json:"rejected_count"`
	UploadedBy    string    `json:"uploaded_by"`
}

// Station is a substation with its last reported state.
type Station struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	Location       string     `json:"location"`
	X              *float64   `json:"x"`
	Y              *float64   `json:"y"`
	Z              *float64   `json:"z"`
	RunState       *int       `json:"run_state"`
	RunStateName   string     `json:"run_state_name"`
	PowerState     *int       `json:"power_state"`
	PowerStateName string     `json:"power_state_name"`
	StateTime      *time.Time `json:"state_time"`
	Down           bool       `json:"down"`
	Points         int        `json:"points"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Reported is what every record a mine reports about a point carries.
type Reported struct {
	ID         int64  `json:"id"`
	FileID     int64  `json:"file_id"` // the file that (last) reported it
	Point      string `json:"point"`
	PointID    *int64 `json:"point_id"` // nil when the mine has no such point
	SensorName string `json:"sensor_name"`
	Location   string `json:"location"`
	Unit       string `json:"unit"`
}

// ReportedStat is one TJSJ record as the mine reported it.
type ReportedStat struct {
	Reported
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Max        float64   `json:"max"`
	MaxTime    time.Time `json:"max_time"`
	Min        float64   `json:"min"`
	MinTime    time.Time `json:"min_time"`
	Avg        float64   `json:"avg"`
	Time       time.Time `json:"time"`
	ReceivedAt time.Time `json:"received_at"`
}

// ReportedAlarm is one YCBJ abnormality as the mine reported it, updated
// by its later reports.
type ReportedAlarm struct {
	Reported
	Type       string     `json:"type"`
	TypeName   string     `json:"type_name"`
	Start      time.Time  `json:"start"`
	End        *time.Time `json:"end"`
	Ongoing    bool       `json:"ongoing"`
	Max        *float64   `json:"max"`
	MaxTime    *time.Time `json:"max_time"`
	Min        *float64   `json:"min"`
	MinTime    *time.Time `json:"min_time"`
	Avg        *float64   `json:"avg"`
	Cause      string     `json:"cause"`
	Measures   string     `json:"measures"`
	EnteredAt  *time.Time `json:"entered_at"`
	EnteredBy  string     `json:"entered_by"`
	Time       time.Time  `json:"time"`
	ReceivedAt time.Time  `json:"received_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// scanner is a row of *sql.Rows.
type scanner interface{ Scan(...any) error }

// listQuery describes one of the mine's lists.
type listQuery[T any] struct {
	// from is the table, with any joins; the mine condition applies to
	// its column mine_id.
	from, cols, order string
	// filter adds the list's own query parameters as conditions.
	filter func(q url.Values, c *conds)
	scan   func(row scanner) (T, error)
}

// conds collects WHERE conditions with their arguments and the problems
// of the parameters they came from.
type conds struct {
	where []string
	args  []any
	bad   fail.Fields
}

func (c *conds) add(cond string, args ...any) {
	c.where = append(c.where, cond)
	c.args = append(c.args, args...)
}

// flag adds yes or no for a true/false parameter, when given.
func (c *conds) flag(q url.Values, name, yes, no string) {
	v := q.Get(name)
	if v == "" {
		return
	}
	b, err := strconv.ParseBool(v)
	switch {
	case err != nil:
		c.bad.Add(name, "must be true or false")
	case b:
		c.add(yes)
	default:
		c.add(no)
	}
}

// oneOf adds column = value for a parameter that must be one of allowed.
func (c *conds) oneOf(q url.Values, name, column string, allowed []string) {
	v := q.Get(name)
	if v == "" {
		return
	}
	if !slices.Contains(allowed, v) {
		c.bad.Add(name, "must be one of %s", strings.Join(allowed, ", "))
		return
	}
	c.add(column+" = ?", v)
}

// serveList answers a list of a mine the caller may see (404 otherwise) as
// {"items","total"} with limit and offset.
func serveList[T any](d *Door, l listQuery[T]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := httpx.PathID(r, "id")
		if err == nil {
			_, err = d.reg.GetMine(r.Context(), auth.FromContext(r.Context()), id)
		}
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		lp, err := httpx.ParseList(r, nil, "")
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		c := conds{bad: fail.Fields{}}
		c.add("mine_id = ?", id)
		if l.filter != nil {
			l.filter(r.URL.Query(), &c)
		}
		if err := c.bad.Err(); err != nil {
			httpx.Error(w, r, err)
			return
		}
		where := strings.Join(c.where, " AND ")
		var total int
		if err := d.db.QueryRow(r.Context(), `SELECT COUNT(*) FROM `+l.from+` WHERE `+where, c.args...).Scan(&total); err != nil {
			httpx.Error(w, r, err)
			return
		}
		rows, err := d.db.Query(r.Context(), `SELECT `+l.cols+` FROM `+l.from+` WHERE `+where+` ORDER BY `+l.order+` LIMIT ? OFFSET ?`,
			append(c.args, lp.Limit, lp.Offset)...)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		defer rows.Close()
		items := []T{}
		for rows.Next() {
			x, err := l.scan(rows)
			if err != nil {
				httpx.Error(w, r, err)
				return
			}
			items = append(items, x)
		}
		if err := rows.Err(); err != nil {
			httpx.Error(w, r, err)
			return
		}
		httpx.JSON(w, http.StatusOK, httpx.List[T]{Items: items, Total: total})
	}
}

// utc puts optional times in UTC (SQLite answers them in the zone they
// were written with, PostgreSQL in the session's).
func utc(ts ...*time.Time) {
	for _, t := range ts {
		if t != nil {
			*t = t.UTC()
		}
	}
}

// optUTC is utc for nullable columns.
func optUTC(ts ...**time.Time) {
	for _, t := range ts {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
}

var filesList = listQuery[IngestFile]{
	from: "ingest_files",
	cols: "id, name, type, file_time, sha256, size, encoding, source, received_at, status, reason, accepted, rejected, uploaded_by",
	// Newest first: the question is usually "did my last file arrive?".
	order: "id DESC",
	filter: func(q url.Values, c *conds) {
		c.oneOf(q, "type", "type", mtt.Types())
		c.oneOf(q, "status", "status", []string{StatusDone, StatusRejected})
	},
	scan: func(row scanner) (IngestFile, error) {
		var f IngestFile
		err := row.Scan(&f.ID, &f.File, &f.Type, &f.FileTime, &f.SHA256, &f.Size, &f.Encoding, &f.Source, &f.ReceivedAt, &f.Status, &f.Reason,
			&f.Accepted, &f.RejectedCount, &f.UploadedBy)
		utc(&f.FileTime, &f.ReceivedAt)
		return f, err
	},
}

var stationsList = listQuery[Station]{
	from: "stations",
	cols: `id, code, location, x, y, z, run_state, power_state, state_time, updated_at,
		(SELECT COUNT(*) FROM points p WHERE p.mine_id = stations.mine_id AND p.station_code = stations.code AND p.archived_at IS NULL)`,
	order: "code",
	filter: func(q url.Values, c *conds) {
		c.flag(q, "down", downCond, "NOT ("+downCond+")")
	},
	scan: func(row scanner) (Station, error) {
		var s Station
		err := row.Scan(&s.ID, &s.Code, &s.Location, &s.X, &s.Y, &s.Z, &s.RunState, &s.PowerState, &s.StateTime, &s.UpdatedAt, &s.Points)
		utc(&s.UpdatedAt)
		optUTC(&s.StateTime)
		s.Down = down(s.RunState)
		if s.RunState != nil {
			c, _ := mtt.StationRunState(*s.RunState)
			s.RunStateName = c.NameZH
		}
		if s.PowerState != nil {
			c, _ := mtt.StationPowerState(*s.PowerState)
			s.PowerStateName = c.NameZH
		}
		return s, err
	},
}

// reportedCols are the columns of Reported, in the order of targets.
const reportedCols = "id, file_id, point_code, point_id, sensor_name, location, unit, "

func (r *Reported) targets() []any {
	return []any{&r.ID, &r.FileID, &r.Point, &r.PointID, &r.SensorName, &r.Location, &r.Unit}
}

var statsList = listQuery[ReportedStat]{
	from:  "mine_stats",
	cols:  reportedCols + "period_start, period_end, max_value, max_at, min_value, min_at, avg_value, data_time, received_at",
	order: "period_start DESC, point_code",
	filter: func(q url.Values, c *conds) {
		if v := q.Get("point"); v != "" {
			c.add("point_code = ?", v)
		}
	},
	scan: func(row scanner) (ReportedStat, error) {
		var s ReportedStat
		err := row.Scan(append(s.targets(), &s.Start, &s.End,
			&s.Max, &s.MaxTime, &s.Min, &s.MinTime, &s.Avg, &s.Time, &s.ReceivedAt)...)
		utc(&s.Start, &s.End, &s.MaxTime, &s.MinTime, &s.Time, &s.ReceivedAt)
		return s, err
	},
}

var alarmsList = listQuery[ReportedAlarm]{
	from: "mine_reported_alarms",
	cols: reportedCols + `abnormal_type, start_at, end_at, max_value, max_at, min_value, min_at,
		avg_value, cause, measures, entered_at, entered_by, data_time, received_at, updated_at`,
	order: "start_at DESC, point_code, abnormal_type",
	filter: func(q url.Values, c *conds) {
		if v := q.Get("point"); v != "" {
			c.add("point_code = ?", v)
		}
		c.flag(q, "ongoing", "end_at IS NULL", "end_at IS NOT NULL")
	},
	scan: func(row scanner) (ReportedAlarm, error) {
		var a ReportedAlarm
		err := row.Scan(append(a.targets(), &a.Type, &a.Start, &a.End, &a.Max, &a.MaxTime, &a.Min, &a.MinTime, &a.Avg,
			&a.Cause, &a.Measures, &a.EnteredAt, &a.EnteredBy, &a.Time, &a.ReceivedAt, &a.UpdatedAt)...)
		utc(&a.Start, &a.Time, &a.ReceivedAt, &a.UpdatedAt)
		optUTC(&a.End, &a.MaxTime, &a.MinTime, &a.EnteredAt)
		a.Ongoing = a.End == nil
		if c, ok := mtt.AbnormalType(a.Type); ok {
			a.TypeName = c.NameZH
		}
		return a, err
	},
}

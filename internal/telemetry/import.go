package telemetry

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// MaxImportFile caps an uploaded point list.
const MaxImportFile = 8 << 20

func (s *Service) handleImportPoints(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	name, data, err := readUpload(w, r, MaxImportFile)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	table, err := readTable(name, data)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	rows, err := pointRows(table)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	created, updated, err := s.UpsertPoints(r.Context(), auth.FromContext(r.Context()), id, rows, "import")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]int{"created": created, "updated": updated})
}

// readUpload answers the multipart field `file`.
func readUpload(w http.ResponseWriter, r *http.Request, limit int64) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(limit); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return "", nil, &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", limit)}
		}
		return "", nil, fail.BadRequestf("expected a multipart form with a field 'file': %v", err)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, fail.BadRequestf("the multipart field 'file' is missing")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, err
	}
	if int64(len(data)) > limit {
		return "", nil, &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", limit)}
	}
	return filepath.Base(hdr.Filename), data, nil
}

// readTable reads the first sheet of an .xlsx file or a CSV file.
func readTable(name string, data []byte) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, fail.Invalidf("file", "not a readable .xlsx file: %v", err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) == 0 {
			return nil, fail.Invalidf("file", "the workbook has no sheet")
		}
		rows, err := x.GetRows(sheets[0])
		if err != nil {
			return nil, fail.Invalidf("file", "%v", err)
		}
		return rows, nil
	case ".csv":
		rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		rd.FieldsPerRecord = -1
		rows, err := rd.ReadAll()
		if err != nil {
			return nil, fail.Invalidf("file", "not a readable CSV file: %v", err)
		}
		return rows, nil
	}
	return nil, fail.Invalidf("file", "name %q must end in .xlsx or .csv", name)
}

// pointRows turns a table whose first row names the point JSON fields into
// point inputs.
func pointRows(table [][]string) ([]PointFields, error) {
	if len(table) < 2 {
		return nil, fail.Invalidf("file", "needs a header row and at least one point")
	}
	header := make([]string, len(table[0]))
	for i, h := range table[0] {
		header[i] = strings.ToLower(strings.TrimSpace(h))
	}
	bad := fail.Fields{}
	var out []PointFields
	for ri, row := range table[1:] {
		if len(strings.Join(row, "")) == 0 {
			continue
		}
		var p PointFields
		for ci, v := range row {
			if ci >= len(header) {
				break
			}
			if err := setPointField(&p, header[ci], strings.TrimSpace(v)); err != nil {
				bad.Add(fmt.Sprintf("rows[%d].%s", ri, header[ci]), "%v", err)
			}
		}
		out = append(out, p)
	}
	return out, bad.Err()
}

func setPointField(p *PointFields, col, v string) error {
	num := func(dst **float64) error {
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
		*dst = &f
		return nil
	}
	switch col {
	case "code":
		p.Code = v
	case "sensor_type":
		p.SensorType = v
	case "value_type":
		p.ValueType = v
	case "unit":
		p.Unit = v
	case "location":
		p.Location = v
	case "location_class":
		p.LocationClass = v
	case "station_code":
		p.StationCode = v
	case "open_text":
		p.OpenText = v
	case "stop_text":
		p.StopText = v
	case "period_s":
		if v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("%q is not a whole number", v)
			}
			p.PeriodS = n
		}
	case "range_min":
		return num(&p.RangeMin)
	case "range_max":
		return num(&p.RangeMax)
	case "alarm_high":
		return num(&p.AlarmHigh)
	case "reset_high":
		return num(&p.ResetHigh)
	case "alarm_low":
		return num(&p.AlarmLow)
	case "reset_low":
		return num(&p.ResetLow)
	case "cut_high":
		return num(&p.CutHigh)
	case "restore_high":
		return num(&p.RestoreHigh)
	case "cut_low":
		return num(&p.CutLow)
	case "restore_low":
		return num(&p.RestoreLow)
	default:
		return fmt.Errorf("unknown column (use the point's JSON field names)")
	}
	return nil
}

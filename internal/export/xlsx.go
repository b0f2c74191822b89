// Package export writes the documents every capability offers: Excel
// workbooks of lists (and, with later issues, PDF documents).
package export

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a sheet: its header (Chinese first, as users read
// it) and its width in characters.
type Column struct {
	Header string
	Width  float64
}

// XLSX writes one sheet with a bold, frozen header row. Times are written in
// Asia/Shanghai, as users read them.
func XLSX(w io.Writer, sheet string, cols []Column, rows [][]any) error {
	return Workbook(w, []Sheet{{Name: sheet, Columns: cols, Rows: rows}})
}

// Sheet is one sheet of a workbook: a report's tables, each on its own sheet.
type Sheet struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// Workbook writes the sheets in order, each like XLSX's one.
func Workbook(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, s, bold); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func writeSheet(f *excelize.File, s Sheet, bold int) error {
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	for i, c := range s.Columns {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		header[i] = excelize.Cell{Value: c.Header, StyleID: bold}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	shanghai := time.FixedZone("CST", 8*3600)
	for r, row := range s.Rows {
		vals := make([]any, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case time.Time:
				vals[i] = x.In(shanghai).Format("2006-01-02 15:04:05")
			case *time.Time:
				if x != nil {
					vals[i] = x.In(shanghai).Format("2006-01-02 15:04:05")
				} else {
					vals[i] = ""
				}
			case *float64:
				if x != nil {
					vals[i] = *x
				} else {
					vals[i] = ""
				}
			default:
				vals[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// ServeXLSX answers a workbook as a download named name.xlsx.
func ServeXLSX(w http.ResponseWriter, name, sheet string, cols []Column, rows [][]any) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", name+".xlsx", url.PathEscape(name+".xlsx")))
	return XLSX(w, sheet, cols, rows)
}

// ServeWorkbook answers a workbook of several sheets as a download named
// name.xlsx.
func ServeWorkbook(w http.ResponseWriter, name string, sheets []Sheet) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", name+".xlsx", url.PathEscape(name+".xlsx")))
	return Workbook(w, sheets)
}

// Col is a column.
func Col(header string, width float64) Column { return Column{Header: header, Width: width} }

package export

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"
)

// DefaultFont is Debian's fonts-droid-fallback (Apache-2.0), a TrueType
// font with the CJK characters documents need. Set another with --pdf-font.
const DefaultFont = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

var fontCache struct {
	sync.Mutex
	path string
	data []byte
}

// loadFont reads the font once per path: it is 4 MB and every document
// embeds the subset it uses.
func loadFont(path string) ([]byte, error) {
	fontCache.Lock()
	defer fontCache.Unlock()
	if fontCache.path == path && fontCache.data != nil {
		return fontCache.data, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("PDF font %s: %w (install the Debian package fonts-droid-fallback or set --pdf-font to a TrueType CJK font)", path, err)
	}
	fontCache.path, fontCache.data = path, b
	return b, nil
}

// Doc is an A4 document with Chinese text: the on-site inspection record,
// the rectification order, the annual report.
type Doc struct {
	f *fpdf.Fpdf
}

const family = "cjk"

// NewDoc starts a document whose pages carry title and footer in the header
// and footer lines.
func NewDoc(fontPath, header string) (*Doc, error) {
	if fontPath == "" {
		fontPath = DefaultFont
	}
	font, err := loadFont(fontPath)
	if err != nil {
		return nil, err
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreator("minesafe", true)
	f.SetCreationDate(time.Unix(0, 0)) // reproducible bytes for the same content
	f.AddUTF8FontFromBytes(family, "", font)
	if err := f.Error(); err != nil {
		return nil, err
	}
	f.SetMargins(18, 18, 18)
	f.SetAutoPageBreak(true, 18)
	f.SetHeaderFunc(func() {
		f.SetFont(family, "", 8)
		f.SetTextColor(120, 120, 120)
		f.CellFormat(0, 5, header, "B", 1, "R", false, 0, "")
		f.Ln(3)
		f.SetTextColor(0, 0, 0)
	})
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetFont(family, "", 8)
		f.SetTextColor(120, 120, 120)
		f.CellFormat(0, 5, fmt.Sprintf("第 %d 页 / page %d", f.PageNo(), f.PageNo()), "", 0, "C", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	return &Doc{f: f}, nil
}

// Title writes the document's title, centred.
func (d *Doc) Title(s string) {
	d.f.SetFont(family, "", 18)
	d.f.MultiCell(0, 10, s, "", "C", false)
	d.f.Ln(4)
}

// Heading writes a section heading.
func (d *Doc) Heading(s string) {
	d.f.Ln(2)
	d.f.SetFont(family, "", 13)
	d.f.MultiCell(0, 8, s, "", "L", false)
	d.f.Ln(1)
}

// Para writes a paragraph.
func (d *Doc) Para(s string) {
	d.f.SetFont(family, "", 10.5)
	d.f.MultiCell(0, 6, s, "", "L", false)
	d.f.Ln(1)
}

// Fields writes label–value pairs as a two-column grid.
func (d *Doc) Fields(pairs [][2]string) {
	d.f.SetFont(family, "", 10.5)
	for _, p := range pairs {
		y := d.f.GetY()
		d.f.SetFillColor(240, 244, 248)
		d.f.CellFormat(45, 7, p[0], "1", 0, "L", true, 0, "")
		d.f.MultiCell(0, 7, p[1], "1", "L", false)
		if d.f.GetY() < y+7 {
			d.f.SetY(y + 7)
		}
	}
	d.f.Ln(2)
}

// Table writes a table; widths are in mm (they should add up to 174).
func (d *Doc) Table(headers []string, widths []float64, rows [][]string) {
	d.f.SetFont(family, "", 9.5)
	d.f.SetFillColor(221, 235, 247)
	for i, h := range headers {
		d.f.CellFormat(widths[i], 7, h, "1", 0, "C", true, 0, "")
	}
	d.f.Ln(-1)
	for _, r := range rows {
		// Rows as tall as their tallest cell.
		lines := 1
		for i, c := range r {
			if n := len(d.f.SplitText(c, widths[i]-2)); n > lines {
				lines = n
			}
		}
		h := float64(lines) * 5.5
		if d.f.GetY()+h > 279-18 {
			d.f.AddPage()
		}
		x, y := d.f.GetX(), d.f.GetY()
		for i, c := range r {
			d.f.Rect(x, y, widths[i], h, "D")
			d.f.MultiCell(widths[i], 5.5, c, "", "L", false)
			x += widths[i]
			d.f.SetXY(x, y)
		}
		d.f.SetXY(18, y+h)
	}
	d.f.Ln(2)
}

// Signatures writes signature lines (签字) side by side.
func (d *Doc) Signatures(labels ...string) {
	d.f.Ln(6)
	d.f.SetFont(family, "", 10.5)
	w := 174 / float64(len(labels))
	for _, l := range labels {
		d.f.CellFormat(w, 8, l+"：______________", "", 0, "L", false, 0, "")
	}
	d.f.Ln(10)
}

// Image places a PNG (a chart) at full width.
func (d *Doc) Image(name string, png []byte, heightMM float64) {
	opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
	d.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	d.f.ImageOptions(name, 18, d.f.GetY(), 174, heightMM, false, opt, 0, "")
	d.f.SetY(d.f.GetY() + heightMM + 2)
}

// Bytes finishes the document.
func (d *Doc) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

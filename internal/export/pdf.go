package export

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"
)

// DefaultFont is Debian's fonts-droid-fallback (Apache-2.0), a TrueType
// font with the CJK characters documents need. Set another with --pdf-font.
const DefaultFont = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

// DefaultLatinFont is Debian's fonts-dejavu-core (free licence), used for
// the characters below U+2E80 (digits, Latin letters, ASCII punctuation):
// DroidSansFallbackFull has no glyphs for them, so dates, numbers and codes
// would print as empty boxes. Without it the CJK font writes everything.
const DefaultLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

var fontCache struct {
	sync.Mutex
	data map[string][]byte
}

// loadFont reads a font once per path: the CJK font is 4 MB and every
// document embeds the subset it uses.
func loadFont(path string) ([]byte, error) {
	fontCache.Lock()
	defer fontCache.Unlock()
	if b, ok := fontCache.data[path]; ok {
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if fontCache.data == nil {
		fontCache.data = map[string][]byte{}
	}
	fontCache.data[path] = b
	return b, nil
}

// Doc is an A4 document with Chinese text: the on-site inspection record,
// the rectification order, the annual report.
//
// It lays out its text itself instead of using fpdf's MultiCell: MultiCell
// treats a CJK character as a space where it breaks a line and drops it,
// and it cannot switch fonts within a line.
type Doc struct {
	f      *fpdf.Fpdf
	latin  bool // a Latin font is loaded for the characters below U+2E80
	size   float64
	widths map[rune]float64 // at size
}

const (
	family      = "cjk"
	latinFamily = "latin"
	pageWidth   = 174.0 // A4 minus the margins, mm
	margin      = 18.0
	padding     = 1.0 // inside table cells and fields, mm
)

// NewDoc starts a document whose pages carry header in the header line and
// the page number in the footer.
func NewDoc(fontPath, header string) (*Doc, error) {
	if fontPath == "" {
		fontPath = DefaultFont
	}
	font, err := loadFont(fontPath)
	if err != nil {
		return nil, fmt.Errorf("PDF font %s: %w (install the Debian package fonts-droid-fallback or set --pdf-font to a TrueType CJK font)", fontPath, err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreator("minesafe", true)
	f.SetCreationDate(time.Unix(0, 0)) // reproducible bytes for the same content
	f.SetCatalogSort(true)             // fonts in a fixed order, too
	f.AddUTF8FontFromBytes(family, "", font)
	d := &Doc{f: f}
	if latin, err := loadFont(DefaultLatinFont); err == nil {
		f.AddUTF8FontFromBytes(latinFamily, "", latin)
		d.latin = true
	}
	if err := f.Error(); err != nil {
		return nil, err
	}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.SetHeaderFunc(func() {
		d.setSize(8)
		f.SetTextColor(120, 120, 120)
		d.line(header, pageWidth, 5, "R")
		f.Line(margin, f.GetY()+5, margin+pageWidth, f.GetY()+5)
		f.SetXY(margin, f.GetY()+8)
		f.SetTextColor(0, 0, 0)
	})
	f.SetFooterFunc(func() {
		f.SetY(-14)
		d.setSize(8)
		f.SetTextColor(120, 120, 120)
		d.line(fmt.Sprintf("第 %d 页 / page %d", f.PageNo(), f.PageNo()), pageWidth, 5, "C")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	return d, nil
}

func (d *Doc) setSize(pt float64) {
	if pt != d.size {
		d.size, d.widths = pt, map[rune]float64{}
	}
	d.f.SetFont(family, "", pt)
}

// fontOf answers the font that writes r.
func (d *Doc) fontOf(r rune) string {
	if d.latin && r < 0x2E80 {
		return latinFamily
	}
	return family
}

// wide tells whether r is a CJK character, after or before which a line
// may break.
func wide(r rune) bool { return r >= 0x2E80 }

func (d *Doc) runeWidth(r rune) float64 {
	if w, ok := d.widths[r]; ok {
		return w
	}
	d.f.SetFont(d.fontOf(r), "", d.size)
	w := d.f.GetStringWidth(string(r))
	d.widths[r] = w
	return w
}

func (d *Doc) width(rs []rune) float64 {
	w := 0.0
	for _, r := range rs {
		w += d.runeWidth(r)
	}
	return w
}

// noLineStart are the closing marks a line should not begin with.
const noLineStart = "，。、；：？！）》」』〕】,.;:?!)"

// wrap breaks s into lines no wider than w mm at the current size: at
// newlines, between CJK characters and at spaces; a Latin word longer than
// a line is cut.
func (d *Doc) wrap(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		if len(rs) == 0 {
			out = append(out, "")
		}
		for start := 0; start < len(rs); {
			end, used, lastBreak := start, 0.0, -1
			for end < len(rs) {
				cw := d.runeWidth(rs[end])
				if used+cw > w && end > start {
					break
				}
				used += cw
				end++
				if end < len(rs) && (rs[end-1] == ' ' || rs[end] == ' ' || wide(rs[end-1]) || wide(rs[end])) {
					lastBreak = end
				}
			}
			if end < len(rs) {
				if lastBreak > start {
					end = lastBreak
				}
				// Keep a closing mark with the character before it.
				if strings.ContainsRune(noLineStart, rs[end]) && end-1 > start {
					end--
				}
			}
			out = append(out, strings.TrimRight(string(rs[start:end]), " "))
			for start = end; start < len(rs) && rs[start] == ' '; start++ {
			}
		}
	}
	return out
}

// line writes one line of text in a box w mm wide from the current
// position, aligned L, C or R, each character in the font that has it, and
// leaves the position after the box.
func (d *Doc) line(s string, w, h float64, align string) {
	x, y := d.f.GetX(), d.f.GetY()
	rs := []rune(s)
	switch align {
	case "C":
		d.f.SetX(x + (w-d.width(rs))/2)
	case "R":
		d.f.SetX(x + w - d.width(rs))
	}
	cm := d.f.GetCellMargin()
	d.f.SetCellMargin(0)
	for i := 0; i < len(rs); {
		j, font := i, d.fontOf(rs[i])
		for j < len(rs) && d.fontOf(rs[j]) == font {
			j++
		}
		d.f.SetFont(font, "", d.size)
		d.f.CellFormat(d.width(rs[i:j]), h, string(rs[i:j]), "", 0, "L", false, 0, "")
		i = j
	}
	d.f.SetCellMargin(cm)
	d.f.SetFont(family, "", d.size)
	d.f.SetXY(x+w, y)
}

// room starts a new page unless h mm fit on this one.
func (d *Doc) room(h float64) {
	_, ph := d.f.GetPageSize()
	if d.f.GetY()+h > ph-margin {
		d.f.AddPage()
	}
}

// text writes s wrapped to the page width, lines h mm apart, aligned.
func (d *Doc) text(s string, h float64, align string) {
	for _, l := range d.wrap(s, pageWidth) {
		d.room(h)
		d.f.SetX(margin)
		d.line(l, pageWidth, h, align)
		d.f.SetXY(margin, d.f.GetY()+h)
	}
}

// Title writes the document's title, centred.
func (d *Doc) Title(s string) {
	d.setSize(18)
	d.text(s, 10, "C")
	d.f.Ln(4)
}

// Heading writes a section heading.
func (d *Doc) Heading(s string) {
	d.f.Ln(2)
	d.setSize(13)
	d.text(s, 8, "L")
	d.f.Ln(1)
}

// Para writes a paragraph.
func (d *Doc) Para(s string) {
	d.setSize(10.5)
	d.text(s, 6, "L")
	d.f.Ln(1)
}

// row writes cells side by side, each its text wrapped inside its width,
// the row as tall as its tallest cell (lines lh mm apart, at least minH),
// framed, filled where fill says.
func (d *Doc) row(widths []float64, cells []string, lh, minH float64, fill []bool) {
	lines := make([][]string, len(cells))
	h := minH
	for i, c := range cells {
		lines[i] = d.wrap(c, widths[i]-2*padding)
		h = max(h, float64(len(lines[i]))*lh+padding)
	}
	d.room(h)
	x, y := margin, d.f.GetY()
	for i := range cells {
		style := "D"
		if fill != nil && fill[i] {
			style = "FD"
		}
		d.f.Rect(x, y, widths[i], h, style)
		for k, l := range lines[i] {
			d.f.SetXY(x+padding, y+padding/2+float64(k)*lh)
			d.line(l, widths[i]-2*padding, lh, "L")
		}
		x += widths[i]
	}
	d.f.SetXY(margin, y+h)
}

// Fields writes label–value pairs as a two-column grid.
func (d *Doc) Fields(pairs [][2]string) {
	d.setSize(10.5)
	d.f.SetFillColor(240, 244, 248)
	for _, p := range pairs {
		d.row([]float64{45, pageWidth - 45}, []string{p[0], p[1]}, 6, 7, []bool{true, false})
	}
	d.f.Ln(2)
}

// Table writes a table; widths are in mm (they should add up to 174).
func (d *Doc) Table(headers []string, widths []float64, rows [][]string) {
	d.setSize(9.5)
	d.f.SetFillColor(221, 235, 247)
	all := make([]bool, len(headers))
	for i := range all {
		all[i] = true
	}
	d.row(widths, headers, 5.5, 7, all)
	for _, r := range rows {
		d.row(widths, r, 5.5, 6.5, nil)
	}
	d.f.Ln(2)
}

// Signatures writes signature lines (签字) side by side.
func (d *Doc) Signatures(labels ...string) {
	d.f.Ln(6)
	d.setSize(10.5)
	d.room(18)
	w := pageWidth / float64(len(labels))
	d.f.SetX(margin)
	for _, l := range labels {
		d.line(l+"：______________", w, 8, "L")
	}
	d.f.SetXY(margin, d.f.GetY()+10)
}

// Image places a PNG (a chart) at full width.
func (d *Doc) Image(name string, png []byte, heightMM float64) {
	opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
	d.room(heightMM + 2)
	d.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	d.f.ImageOptions(name, margin, d.f.GetY(), pageWidth, heightMM, false, opt, 0, "")
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

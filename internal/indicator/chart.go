package indicator

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Charts are drawn with the standard library alone: the reports need bars
// and a line with numbers on them, not a plotting library. Chinese titles
// and legends are the PDF's text beside the image, so the image only
// carries digits, drawn with a 5×7 pixel font.

var (
	white   = color.RGBA{255, 255, 255, 255}
	ink     = color.RGBA{60, 60, 60, 255}
	grid    = color.RGBA{225, 228, 232, 255}
	blue    = color.RGBA{47, 111, 176, 255}
	orange  = color.RGBA{230, 126, 34, 255}
	red     = color.RGBA{200, 40, 40, 255}
	palette = []color.RGBA{blue, orange, color.RGBA{46, 150, 90, 255}}
)

// glyphs are 5×7 bitmaps (bit 4 is the left column) of what chart labels use.
var glyphs = map[rune][7]uint8{
	'0': {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}, '1': {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},
	'2': {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}, '3': {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},
	'4': {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}, '5': {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},
	'6': {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}, '7': {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
	'8': {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}, '9': {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},
	'.': {0, 0, 0, 0, 0, 0x0C, 0x0C}, '-': {0, 0, 0, 0x1F, 0, 0, 0}, '%': {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03},
}

type canvas struct{ *image.RGBA }

func newCanvas(w, h int) canvas {
	c := canvas{image.NewRGBA(image.Rect(0, 0, w, h))}
	c.fill(0, 0, w, h, white)
	return c
}

func (c canvas) fill(x0, y0, x1, y1 int, col color.RGBA) {
	for y := max(y0, 0); y < min(y1, c.Rect.Dy()); y++ {
		for x := max(x0, 0); x < min(x1, c.Rect.Dx()); x++ {
			c.SetRGBA(x, y, col)
		}
	}
}

// line draws a line of the given width (dashed when dash > 0).
func (c canvas) line(x0, y0, x1, y1, width, dash int, col color.RGBA) {
	n := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= n; i++ {
		if dash > 0 && (i/dash)%2 == 1 {
			continue
		}
		x := x0 + (x1-x0)*i/n
		y := y0 + (y1-y0)*i/n
		c.fill(x-width/2, y-width/2, x-width/2+width, y-width/2+width, col)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// text draws s at (x, y) (top left) at scale; centred on x when centre.
func (c canvas) text(s string, x, y, scale int, centre bool, col color.RGBA) {
	w := len(s) * 6 * scale
	if centre {
		x -= w / 2
	}
	for i, r := range s {
		g, ok := glyphs[r]
		if !ok {
			continue
		}
		for row := 0; row < 7; row++ {
			for bit := 0; bit < 5; bit++ {
				if g[row]&(1<<(4-bit)) != 0 {
					px := x + (i*6+bit)*scale
					c.fill(px, y+row*scale, px+scale, y+(row+1)*scale, col)
				}
			}
		}
	}
}

func (c canvas) png() []byte {
	var b bytes.Buffer
	// Encoding an in-memory image cannot fail.
	_ = png.Encode(&b, c.RGBA)
	return b.Bytes()
}

// plot is the frame every chart shares: a y scale from 0 to a rounded
// maximum with grid lines and their values, and a slot per label.
type plot struct {
	c                      canvas
	left, right, top, base int
	max                    float64
	slots                  int
	decimals               int
}

const chartW, chartH = 1040, 360

func newPlot(labels []string, top float64, decimals int) plot {
	p := plot{c: newCanvas(chartW, chartH), left: 110, right: chartW - 20, top: 30, base: chartH - 40, slots: max(len(labels), 1), decimals: decimals}
	p.max = niceCeil(top)
	for i := 0; i <= 4; i++ {
		v := p.max * float64(i) / 4
		y := p.y(v)
		p.c.line(p.left, y, p.right, y, 1, 0, grid)
		label := fmtNum(v, p.decimals)
		p.c.text(label, p.left-10-len(label)*12, y-7, 2, false, ink)
	}
	p.c.line(p.left, p.top, p.left, p.base, 2, 0, ink)
	p.c.line(p.left, p.base, p.right, p.base, 2, 0, ink)
	for i, l := range labels {
		p.c.text(l, p.centre(i), p.base+10, 2, true, ink)
	}
	return p
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 for nothing).
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	v *= 1.1
	exp := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*exp >= v {
			return m * exp
		}
	}
	return 10 * exp
}

func (p plot) y(v float64) int {
	return p.base - int(v/p.max*float64(p.base-p.top))
}

func (p plot) slotWidth() int { return (p.right - p.left) / p.slots }

func (p plot) centre(i int) int { return p.left + p.slotWidth()*i + p.slotWidth()/2 }

// barChart draws one bar per series per label, each with its value
// (rounded to decimals).
func barChart(decimals int, labels []string, series ...[]*float64) []byte {
	top := 0.0
	for _, s := range series {
		for _, v := range s {
			if v != nil {
				top = max(top, *v)
			}
		}
	}
	p := newPlot(labels, top, decimals)
	bw := p.slotWidth() * 2 / 3 / max(len(series), 1)
	for i := range labels {
		x0 := p.centre(i) - bw*len(series)/2
		for j, s := range series {
			if i >= len(s) || s[i] == nil {
				continue
			}
			x := x0 + j*bw
			y := p.y(*s[i])
			p.c.fill(x+2, y, x+bw-2, p.base, palette[j%len(palette)])
			p.c.text(fmtNum(*s[i], decimals), x+bw/2, y-18, 2, true, ink)
		}
	}
	return p.c.png()
}

// lineChart draws a series as a line with its points' values (rounded to
// decimals), and target as a dashed red line when given.
func lineChart(decimals int, labels []string, values []*float64, target *float64) []byte {
	top := 0.0
	for _, v := range values {
		if v != nil {
			top = max(top, *v)
		}
	}
	if target != nil {
		top = max(top, *target)
	}
	p := newPlot(labels, top, decimals)
	if target != nil {
		y := p.y(*target)
		p.c.line(p.left, y, p.right, y, 2, 8, red)
	}
	px, py := -1, -1
	for i, v := range values {
		if v == nil {
			px = -1
			continue
		}
		x, y := p.centre(i), p.y(*v)
		if px >= 0 {
			p.c.line(px, py, x, y, 3, 0, blue)
		}
		p.c.fill(x-5, y-5, x+5, y+5, blue)
		p.c.text(fmtNum(*v, decimals), x, y-22, 2, true, ink)
		px, py = x, y
	}
	return p.c.png()
}

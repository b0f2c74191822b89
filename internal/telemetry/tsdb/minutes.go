package tsdb

import (
	"encoding/binary"
	"math"
	"slices"
)

// Minute is the statistics of one minute of one point: the same figures a
// TJSJ statistics record carries (minimum, maximum, average as Sum/Count,
// count).
type Minute struct {
	T     int64 // ms, the minute's start
	Count int64
	Min   float64
	Max   float64
	Sum   float64
}

const (
	minuteMS      = 60_000
	minutesHdrDec = 1 << 3
	// A minute of more samples than this has its sum kept as a float, so
	// that scaled sums stay far from int64 overflow.
	maxDecimalCount = 1 << 12
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// floorMinute answers the start of the minute holding t.
func floorMinute(t int64) int64 { return floorDiv(t, minuteMS) * minuteMS }

// minuteAcc gathers one minute while encoding.
type minuteAcc struct {
	idx                  int64 // minutes since 1970
	count                int64
	minX, maxX, sumX     int64
	minF, maxF, sumF     float64
	firstIndex, endIndex int
}

// appendMinutes appends the minute statistics of s, which is sorted by
// time. dec is the decimals every value has (from appendChunk) or −1.
func appendMinutes(dst []byte, s []Sample, dec int, sc *scratch) []byte {
	var ms []minuteAcc
	for i := 0; i < len(s); {
		m := minuteAcc{idx: floorDiv(s[i].T, minuteMS), firstIndex: i, minF: s[i].V, maxF: s[i].V}
		j := i
		for ; j < len(s) && floorDiv(s[j].T, minuteMS) == m.idx; j++ {
			v := s[j].V
			m.minF, m.maxF, m.sumF = math.Min(m.minF, v), math.Max(m.maxF, v), m.sumF+v
		}
		m.count, m.endIndex = int64(j-i), j
		if m.count > maxDecimalCount {
			dec = -1
		}
		ms = append(ms, m)
		i = j
	}
	hdr := byte(chunkVersion)
	if dec >= 0 {
		hdr |= minutesHdrDec
		p := pow10[dec]
		for i := range ms {
			m := &ms[i]
			m.minX, m.maxX = int64(math.Round(m.minF*p)), int64(math.Round(m.maxF*p))
			for j := m.firstIndex; j < m.endIndex; j++ {
				m.sumX += int64(math.Round(s[j].V * p))
			}
		}
	}
	dst = append(dst, hdr)
	dst = binary.AppendUvarint(dst, uint64(len(ms)))
	if len(ms) == 0 {
		return dst
	}
	dst = appendVarint(dst, ms[0].idx)
	if dec >= 0 {
		dst = append(dst, byte(dec))
	}
	// One Rice parameter per field, then the fields interleaved minute by
	// minute; a field a minute does not need (max of one sample, sum of two)
	// is left out.
	field := func(f func(i int) (uint64, bool)) byte {
		zs := sc.z[:0]
		for i := range ms {
			if z, ok := f(i); ok {
				zs = append(zs, z)
			}
		}
		sc.z = zs
		return byte(riceK(zs))
	}
	gap := func(i int) (uint64, bool) {
		if i == 0 {
			return 0, false
		}
		return uint64(ms[i].idx - ms[i-1].idx - 1), true
	}
	count := func(i int) (uint64, bool) {
		prev := int64(0)
		if i > 0 {
			prev = ms[i-1].count
		}
		return zigzag(ms[i].count - prev), true
	}
	minD := func(i int) (uint64, bool) {
		prev := int64(0)
		if i > 0 {
			prev = ms[i-1].minX
		}
		return zigzag(ms[i].minX - prev), true
	}
	spread := func(i int) (uint64, bool) { return uint64(ms[i].maxX - ms[i].minX), ms[i].count >= 2 }
	// The sum beyond what count, min and max imply (never negative).
	extra := func(i int) (uint64, bool) {
		m := ms[i]
		return uint64(m.sumX - m.count*m.minX - (m.maxX - m.minX)), m.count >= 3
	}
	fields := []func(int) (uint64, bool){gap, count}
	if dec >= 0 {
		fields = append(fields, minD, spread, extra)
	}
	ks := make([]uint, len(fields))
	for f, fn := range fields {
		k := field(fn)
		ks[f] = uint(k)
		dst = append(dst, k)
	}
	w := &sc.w1
	w.b = dst
	for i := range ms {
		for f, fn := range fields {
			if z, ok := fn(i); ok {
				w.writeRice(z, ks[f])
			}
		}
		if dec < 0 {
			m := ms[i]
			w.writeBits(math.Float64bits(m.minF), 64)
			if m.count >= 2 {
				w.writeBits(math.Float64bits(m.maxF), 64)
			}
			if m.count >= 3 {
				w.writeBits(math.Float64bits(m.sumF), 64)
			}
		}
	}
	out := w.bytes()
	w.b = nil
	return out
}

// decodeMinutes appends the minutes of block b to dst.
func decodeMinutes(dst []Minute, b []byte) ([]Minute, error) {
	r := byteReader{b: b}
	hdr := r.byte()
	m64 := r.uvarint()
	if r.err || hdr&7 != chunkVersion || m64 > maxBlockLength || m64 > 8*uint64(len(b)) {
		return dst, errCorrupt
	}
	m := int(m64)
	if m == 0 {
		return dst, nil
	}
	idx := r.varint()
	dec := hdr&minutesHdrDec != 0
	var p float64
	nf := 2
	if dec {
		d := int(r.byte())
		if d > maxDecimals {
			return dst, errCorrupt
		}
		p = pow10[d]
		nf = 5
	}
	var ks [5]uint
	for f := 0; f < nf; f++ {
		ks[f] = uint(r.byte())
		if ks[f] > riceMaxK {
			return dst, errCorrupt
		}
	}
	if r.err {
		return dst, errCorrupt
	}
	br := newBitReader(b[r.pos:])
	base := len(dst)
	dst = slices.Grow(dst, m)
	var count, minX int64
	for i := 0; i < m; i++ {
		if i > 0 {
			g, ok := br.readRice(ks[0])
			if !ok {
				return dst[:base], errCorrupt
			}
			idx += int64(g) + 1
		}
		c, ok := br.readRice(ks[1])
		if !ok {
			return dst[:base], errCorrupt
		}
		count += unzigzag(c)
		if count <= 0 {
			return dst[:base], errCorrupt
		}
		mi := Minute{T: idx * minuteMS, Count: count}
		if dec {
			z, ok := br.readRice(ks[2])
			if !ok {
				return dst[:base], errCorrupt
			}
			minX += unzigzag(z)
			maxX, sumX := minX, minX
			if count >= 2 {
				z, ok := br.readRice(ks[3])
				if !ok {
					return dst[:base], errCorrupt
				}
				maxX = minX + int64(z)
				sumX = minX + maxX
			}
			if count >= 3 {
				z, ok := br.readRice(ks[4])
				if !ok {
					return dst[:base], errCorrupt
				}
				sumX = count*minX + (maxX - minX) + int64(z)
			}
			mi.Min, mi.Max, mi.Sum = float64(minX)/p, float64(maxX)/p, float64(sumX)/p
		} else {
			v, ok := br.readLong(64)
			if !ok {
				return dst[:base], errCorrupt
			}
			mi.Min, mi.Max, mi.Sum = math.Float64frombits(v), math.Float64frombits(v), math.Float64frombits(v)
			if count >= 2 {
				if v, ok = br.readLong(64); !ok {
					return dst[:base], errCorrupt
				}
				mi.Max = math.Float64frombits(v)
				mi.Sum = mi.Min + mi.Max
			}
			if count >= 3 {
				if v, ok = br.readLong(64); !ok {
					return dst[:base], errCorrupt
				}
				mi.Sum = math.Float64frombits(v)
			}
		}
		dst = append(dst, mi)
	}
	return dst, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

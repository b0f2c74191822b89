package tsdb

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
)

// Sample is one sample as the codec sees it: time in ms since 1970 UTC, the
// value and the status bits.
type Sample struct {
	T      int64
	V      float64
	Status int64
}

// Chunk header byte: version in bits 0–2, value coding in bit 3, statuses
// present in bit 4, time unit exponent in bits 5–6.
const (
	chunkVersion   = 1
	hdrDecimal     = 1 << 3
	hdrStatus      = 1 << 4
	hdrUnitShift   = 5
	maxDecimals    = 12
	maxBlockLength = 1 << 20 // samples in one block: keeps corrupt input from allocating much
	xorWorthTrying = 4       // values with more decimals than this may pack better XORed
)

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

// unitMS are the time units a chunk may count in: ms, 10 ms, 100 ms, s.
var unitMS = [...]int64{1, 10, 100, 1000}

// EncodeChunk encodes samples in the order given (times need not increase);
// DecodeChunk answers them back exactly. The layout is in the package doc.
func EncodeChunk(s []Sample) []byte {
	b, _ := appendChunk(nil, s, nil)
	return b
}

// DecodeChunk decodes a chunk.
func DecodeChunk(b []byte) ([]Sample, error) { return appendDecoded(nil, b) }

// scratch holds the reusable buffers of one encoder; the zero value works.
type scratch struct {
	z     []uint64
	x     []int64
	w1    bitWriter
	w2    bitWriter
	block []byte
}

// appendChunk appends the chunk of s to dst and answers the decimals every
// value has (−1 when one has none within maxDecimals), which the minute
// aggregates reuse.
func appendChunk(dst []byte, s []Sample, sc *scratch) ([]byte, int) {
	if sc == nil {
		sc = &scratch{}
	}
	n := len(s)
	if n == 0 {
		return append(dst, chunkVersion, 0), -1
	}
	// Times: the largest unit dividing every offset from the first time,
	// then delta-of-delta in that unit, Rice-coded.
	t0 := s[0].T
	u := len(unitMS) - 1
	for ; u > 0; u-- {
		ok := true
		for i := 1; i < n; i++ {
			if (s[i].T-t0)%unitMS[u] != 0 {
				ok = false
				break
			}
		}
		if ok {
			break
		}
	}
	unit := unitMS[u]
	zs := sc.z[:0]
	var delta1 int64
	if n > 1 {
		delta1 = (s[1].T - t0) / unit
	}
	prev, prevDelta := delta1, delta1
	for i := 2; i < n; i++ {
		off := (s[i].T - t0) / unit
		d := off - prev
		zs = append(zs, zigzag(d-prevDelta))
		prev, prevDelta = off, d
	}
	sc.z = zs
	hdr := byte(chunkVersion) | byte(u)<<hdrUnitShift
	dec := decimals(s, sc)
	if dec >= 0 {
		hdr |= hdrDecimal
	}
	statuses := false
	for i := range s {
		if s[i].Status != 0 {
			statuses = true
			hdr |= hdrStatus
			break
		}
	}
	start := len(dst)
	dst = append(dst, hdr)
	dst = binary.AppendUvarint(dst, uint64(n))
	dst = appendVarint(dst, t0)
	if n > 1 {
		dst = appendVarint(dst, delta1)
	}
	if n > 2 {
		dst = appendRiceStream(dst, zs, &sc.w1)
	}
	// Values: scaled decimals or Gorilla XOR, whichever is shorter. With
	// few decimals the scaled deltas always are (XOR of decimal fractions
	// keeps most mantissa bits), so XOR is not tried.
	useDec := false
	var xor []byte
	if dec < 0 || dec > xorWorthTrying {
		xor = appendXOR(sc.w2.b[:0], s)
		sc.w2.b = xor
	}
	if dec >= 0 {
		before := len(dst)
		dst = appendDecimalValues(dst, sc, dec)
		if dec <= xorWorthTrying || len(dst)-before <= len(xor)+uvarintLen(uint64(len(xor))) {
			useDec = true
		} else {
			dst = dst[:before]
		}
	}
	if !useDec {
		dst[start] &^= hdrDecimal
		dst = binary.AppendUvarint(dst, uint64(len(xor)))
		dst = append(dst, xor...)
	}
	if statuses {
		dst = appendStatusRuns(dst, s)
	}
	return dst, dec
}

// decimals answers the fewest decimals d with which every value v is
// exactly round(v·10^d)/10^d (bit for bit, so −0 and infinities have none),
// and leaves the scaled integers in sc.x; −1 when there are none.
func decimals(s []Sample, sc *scratch) int {
	d := 0
	for i := range s {
		v := s[i].V
		for ; d <= maxDecimals; d++ {
			if isDecimal(v, d) {
				break
			}
		}
		if d > maxDecimals {
			return -1
		}
	}
	// A value with fewer decimals also scales exactly to d; check anyway,
	// since the check is what makes decoding exact.
	xs := sc.x[:0]
	for i := range s {
		if !isDecimal(s[i].V, d) {
			return -1
		}
		xs = append(xs, int64(math.Round(s[i].V*pow10[d])))
	}
	sc.x = xs
	return d
}

// maxScaled keeps scaled values (and a minute's sum of them) far from
// int64 overflow and within float64's exact integers.
const maxScaled = 1 << 50

func isDecimal(v float64, d int) bool {
	x := math.Round(v * pow10[d])
	if math.Abs(x) >= maxScaled {
		return false
	}
	return math.Float64bits(float64(int64(x))/pow10[d]) == math.Float64bits(v)
}

func appendDecimalValues(dst []byte, sc *scratch, dec int) []byte {
	xs := sc.x
	dst = append(dst, byte(dec))
	dst = appendVarint(dst, xs[0])
	if len(xs) == 1 {
		return dst
	}
	zs := sc.z[:0]
	for i := 1; i < len(xs); i++ {
		zs = append(zs, zigzag(xs[i]-xs[i-1]))
	}
	sc.z = zs
	return appendRiceStream(dst, zs, &sc.w1)
}

// appendXOR is the Gorilla value stream: the first value's 64 bits, then
// per value '0' when it repeats, '10' and the meaningful bits when they fit
// the previous window, else '11', 5 bits of leading zeros, 6 bits of length
// (0 meaning 64) and the bits.
func appendXOR(dst []byte, s []Sample) []byte {
	w := bitWriter{b: dst}
	prev := math.Float64bits(s[0].V)
	w.writeBits(prev, 64)
	lead, trail := uint(0xff), uint(0)
	for i := 1; i < len(s); i++ {
		cur := math.Float64bits(s[i].V)
		x := cur ^ prev
		prev = cur
		if x == 0 {
			w.writeBits(0, 1)
			continue
		}
		l, t := uint(bits.LeadingZeros64(x)), uint(bits.TrailingZeros64(x))
		if l >= 32 {
			l = 31
		}
		if lead != 0xff && l >= lead && t >= trail {
			w.writeBits(0b10, 2)
			w.writeBits(x>>trail, 64-lead-trail)
			continue
		}
		lead, trail = l, t
		sig := 64 - l - t
		w.writeBits(0b11, 2)
		w.writeBits(uint64(l), 5)
		w.writeBits(uint64(sig), 6) // 64 wraps to 0
		w.writeBits(x>>t, sig)
	}
	return w.bytes()
}

// appendStatusRuns writes the statuses as runs: count, then (length,
// status) pairs.
func appendStatusRuns(dst []byte, s []Sample) []byte {
	runs := 0
	for i := range s {
		if i == 0 || s[i].Status != s[i-1].Status {
			runs++
		}
	}
	dst = binary.AppendUvarint(dst, uint64(runs))
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j].Status == s[i].Status {
			j++
		}
		dst = binary.AppendUvarint(dst, uint64(j-i))
		dst = appendVarint(dst, s[i].Status)
		i = j
	}
	return dst
}

// appendDecoded appends the samples of chunk b to dst.
func appendDecoded(dst []Sample, b []byte) ([]Sample, error) {
	r := byteReader{b: b}
	out, err := decodeChunkFrom(dst, &r)
	if err == nil && r.pos != len(b) {
		err = errCorrupt
	}
	return out, err
}

func decodeChunkFrom(dst []Sample, r *byteReader) ([]Sample, error) {
	hdr := r.byte()
	if hdr&7 != chunkVersion || r.err {
		return dst, errCorrupt
	}
	n64 := r.uvarint()
	if r.err || n64 > maxBlockLength {
		return dst, errCorrupt
	}
	n := int(n64)
	if n == 0 {
		return dst, nil
	}
	base := len(dst)
	dst = slices.Grow(dst, n)[:base+n]
	s := dst[base:]
	clear(s)
	t0 := r.varint()
	unit := unitMS[hdr>>hdrUnitShift&3]
	s[0].T = t0
	if n > 1 {
		delta := r.varint()
		s[1].T = t0 + delta*unit
		off := delta
		var rs riceStream
		if n > 2 {
			rs = r.riceStream()
		}
		if r.err {
			return dst[:base], errCorrupt
		}
		for i := 2; i < n; i++ {
			z, ok := rs.next()
			if !ok {
				return dst[:base], errCorrupt
			}
			delta += unzigzag(z)
			off += delta
			s[i].T = t0 + off*unit
		}
	}
	var ok bool
	if hdr&hdrDecimal != 0 {
		ok = decodeDecimalValues(s, r)
	} else {
		ok = decodeXOR(s, r)
	}
	if !ok || r.err {
		return dst[:base], errCorrupt
	}
	if hdr&hdrStatus != 0 {
		runs := r.uvarint()
		i := 0
		for ; runs > 0 && !r.err; runs-- {
			l := r.uvarint()
			st := r.varint()
			if l > uint64(n-i) {
				return dst[:base], errCorrupt
			}
			for e := i + int(l); i < e; i++ {
				s[i].Status = st
			}
		}
		if r.err || i != n {
			return dst[:base], errCorrupt
		}
	}
	return dst, nil
}

func decodeDecimalValues(s []Sample, r *byteReader) bool {
	d := int(r.byte())
	if d > maxDecimals {
		return false
	}
	p := pow10[d]
	x := r.varint()
	s[0].V = float64(x) / p
	if len(s) == 1 {
		return !r.err
	}
	rs := r.riceStream()
	if r.err {
		return false
	}
	for i := 1; i < len(s); i++ {
		z, ok := rs.next()
		if !ok {
			return false
		}
		x += unzigzag(z)
		s[i].V = float64(x) / p
	}
	return true
}

func decodeXOR(s []Sample, r *byteReader) bool {
	br := r.stream()
	if r.err {
		return false
	}
	v, ok := br.readLong(64)
	if !ok {
		return false
	}
	s[0].V = math.Float64frombits(v)
	var lead, trail uint
	window := false
	for i := 1; i < len(s); i++ {
		c, ok := br.readBits(1)
		if !ok {
			return false
		}
		if c == 0 {
			s[i].V = math.Float64frombits(v)
			continue
		}
		c, ok = br.readBits(1)
		if !ok {
			return false
		}
		if c == 1 {
			l, ok1 := br.readBits(5)
			sig, ok2 := br.readBits(6)
			if !ok1 || !ok2 {
				return false
			}
			if sig == 0 {
				sig = 64
			}
			if uint(l)+uint(sig) > 64 {
				return false
			}
			lead, trail, window = uint(l), 64-uint(l)-uint(sig), true
		} else if !window {
			// '10' reuses a window; the encoder never writes it first.
			return false
		}
		x, ok := br.readLong(64 - lead - trail)
		if !ok {
			return false
		}
		v ^= x << trail
		s[i].V = math.Float64frombits(v)
	}
	return true
}

func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

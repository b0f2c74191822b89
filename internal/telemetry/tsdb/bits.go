package tsdb

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
)

// errCorrupt answers any chunk, aggregate or staged block that does not
// decode: a truncated stream, an impossible length, a bad version.
var errCorrupt = errors.New("tsdb: corrupt block")

// bitWriter appends bits most significant first. Whole 64-bit words go out
// at once; bytes flushes the partial last word, padded with zero bits.
type bitWriter struct {
	b   []byte
	acc uint64 // pending bits, left-aligned
	n   uint   // pending bits in acc, 0..63
}

// writeBits writes the low nb bits of v (nb ≤ 64).
func (w *bitWriter) writeBits(v uint64, nb uint) {
	if nb == 0 {
		return
	}
	if nb < 64 {
		v &= 1<<nb - 1
	}
	free := 64 - w.n
	if nb < free {
		w.acc |= v << (free - nb)
		w.n += nb
		return
	}
	rem := nb - free
	w.acc |= v >> rem
	w.b = binary.BigEndian.AppendUint64(w.b, w.acc)
	if rem == 0 {
		w.acc, w.n = 0, 0
		return
	}
	w.acc = v << (64 - rem)
	w.n = rem
}

// bytes flushes the pending bits and answers everything written.
func (w *bitWriter) bytes() []byte {
	for i := uint(0); i < w.n; i += 8 {
		w.b = append(w.b, byte(w.acc>>(56-i)))
	}
	w.acc, w.n = 0, 0
	return w.b
}

// bitReader reads what bitWriter wrote. It keeps up to 64 bits in acc; bits
// below the n valid ones may hold the next bytes already (the word-at-a-time
// refill ORs them in again at the same place, which changes nothing).
type bitReader struct {
	b   []byte
	pos int
	acc uint64
	n   uint
}

func newBitReader(b []byte) bitReader { return bitReader{b: b} }

func (r *bitReader) refill() {
	if r.pos+8 <= len(r.b) {
		r.acc |= binary.BigEndian.Uint64(r.b[r.pos:]) >> r.n
		k := (63 - r.n) >> 3
		r.pos += int(k)
		r.n += k << 3
		return
	}
	for r.n <= 56 && r.pos < len(r.b) {
		r.acc |= uint64(r.b[r.pos]) << (56 - r.n)
		r.pos++
		r.n += 8
	}
}

// readBits reads nb ≤ 56 bits.
func (r *bitReader) readBits(nb uint) (uint64, bool) {
	if nb == 0 {
		return 0, true
	}
	if r.n < nb {
		r.refill()
		if r.n < nb {
			return 0, false
		}
	}
	v := r.acc >> (64 - nb)
	r.acc <<= nb
	r.n -= nb
	return v, true
}

// readLong reads nb ≤ 64 bits.
func (r *bitReader) readLong(nb uint) (uint64, bool) {
	if nb <= 32 {
		return r.readBits(nb)
	}
	hi, ok := r.readBits(nb - 32)
	if !ok {
		return 0, false
	}
	lo, ok := r.readBits(32)
	return hi<<32 | lo, ok
}

// Rice coding of unsigned numbers with parameter k: z>>k in unary (ones
// closed by a zero), then the low k bits. A quotient of riceEscape or more
// is written as riceEscape ones, 6 bits of bit length−1 and the bits below
// the leading one, so an outlier costs at most 24+6+63 bits.
const (
	riceEscape = 24
	riceMaxK   = 48
)

func (w *bitWriter) writeRice(z uint64, k uint) {
	if q := z >> k; q < riceEscape {
		w.writeBits(1<<(q+1)-2, uint(q)+1)
		w.writeBits(z, k)
		return
	}
	w.writeBits(1<<riceEscape-1, riceEscape)
	l := uint(bits.Len64(z)) - 1
	w.writeBits(uint64(l), 6)
	w.writeBits(z, l)
}

func (r *bitReader) readRice(k uint) (uint64, bool) {
	if r.n < 32 {
		r.refill()
	}
	q := uint(bits.LeadingZeros64(^r.acc))
	if q >= riceEscape {
		if r.n < riceEscape {
			return 0, false
		}
		r.acc <<= riceEscape
		r.n -= riceEscape
		l, ok := r.readBits(6)
		if !ok {
			return 0, false
		}
		lo, ok := r.readLong(uint(l))
		return 1<<l | lo, ok
	}
	if q+1 > r.n {
		return 0, false
	}
	r.acc <<= q + 1
	r.n -= q + 1
	lo, ok := r.readBits(k)
	return uint64(q)<<k | lo, ok
}

// riceCost is the bit length of z coded with k.
func riceCost(z uint64, k uint) uint64 {
	if q := z >> k; q < riceEscape {
		return q + 1 + uint64(k)
	}
	return riceEscape + 6 + uint64(bits.Len64(z)) - 1
}

// riceK chooses the parameter that codes zs shortest: the optimum lies near
// log2 of the mean, so only a few candidates around it are costed.
func riceK(zs []uint64) uint {
	if len(zs) == 0 {
		return 0
	}
	// A long run is judged by an even sample of it.
	if stride := len(zs) / 512; stride > 1 {
		sample := make([]uint64, 0, 512)
		for i := 0; i < len(zs); i += stride {
			sample = append(sample, zs[i])
		}
		zs = sample
	}
	var mean float64
	for _, z := range zs {
		mean += float64(z)
	}
	mean /= float64(len(zs))
	guess := 0
	if mean >= 1 {
		guess = bits.Len64(uint64(mean)) - 1
	}
	best, bestCost := uint(0), uint64(1<<63)
	for k := max(guess-2, 0); k <= min(guess+2, riceMaxK); k++ {
		var c uint64
		for _, z := range zs {
			c += riceCost(z, uint(k))
		}
		if c < bestCost {
			best, bestCost = uint(k), c
		}
	}
	return best
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(z uint64) int64 { return int64(z>>1) ^ -int64(z&1) }

// byteReader reads the byte-aligned parts of a block (varints, lengths).
type byteReader struct {
	b   []byte
	pos int
	err bool
}

func (r *byteReader) byte() byte {
	if r.pos >= len(r.b) {
		r.err = true
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *byteReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[min(r.pos, len(r.b)):])
	if n <= 0 {
		r.err = true
		return 0
	}
	r.pos += n
	return v
}

func (r *byteReader) varint() int64 { return unzigzag(r.uvarint()) }

// next answers the following n bytes.
func (r *byteReader) next(n uint64) []byte {
	if r.err || n > uint64(len(r.b)-r.pos) {
		r.err = true
		return nil
	}
	p := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return p
}

// stream answers a length-prefixed bit stream.
func (r *byteReader) stream() bitReader { return newBitReader(r.next(r.uvarint())) }

// riceStream reads what appendRiceStream wrote.
func (r *byteReader) riceStream() riceStream {
	k := uint(r.byte())
	if k > riceMaxK {
		r.err = true
	}
	br := r.stream()
	return riceStream{br: br, k: k, zero: len(br.b) == 0}
}

// riceStream is a Rice-coded run of numbers; an empty one is all zeros.
type riceStream struct {
	br   bitReader
	k    uint
	zero bool
}

func (s *riceStream) next() (uint64, bool) {
	if s.zero {
		return 0, true
	}
	return s.br.readRice(s.k)
}

// appendRiceStream appends zs Rice-coded: the parameter, the stream's byte
// length and the stream. All zeros (a regular clock's delta-of-delta, a
// constant value) take no stream at all.
func appendRiceStream(dst []byte, zs []uint64, w *bitWriter) []byte {
	k := riceK(zs)
	dst = append(dst, byte(k))
	w.b = w.b[:0]
	if slices.ContainsFunc(zs, func(z uint64) bool { return z != 0 }) {
		for _, z := range zs {
			w.writeRice(z, k)
		}
	}
	return appendStream(dst, w)
}

func appendVarint(b []byte, v int64) []byte { return binary.AppendUvarint(b, zigzag(v)) }

// appendStream appends a bit stream with its byte length in front.
func appendStream(b []byte, w *bitWriter) []byte {
	s := w.bytes()
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

package tsdb

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
)

// sameSamples compares bit for bit, so −0 and +0 differ.
func sameSamples(a, b []Sample) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].T != b[i].T || math.Float64bits(a[i].V) != math.Float64bits(b[i].V) || a[i].Status != b[i].Status {
			return false
		}
	}
	return true
}

func roundTrip(t *testing.T, name string, s []Sample) []byte {
	t.Helper()
	b := EncodeChunk(s)
	got, err := DecodeChunk(b)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if !sameSamples(got, s) {
		for i := range s {
			if i >= len(got) || got[i] != s[i] {
				t.Fatalf("%s: sample %d of %d: got %+v, want %+v", name, i, len(s), got[min(i, len(got)-1)], s[i])
			}
		}
		t.Fatalf("%s: got %d samples, want %d", name, len(got), len(s))
	}
	return b
}

var edgeValues = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.37, 1e-300, -1e300,
	math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1),
	1 << 53, -(1 << 53), 1<<53 + 2, 123456.789, 4.9e-324, 2.2250738585072014e-308}

var edgeTimes = []int64{0, -1, 1, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1,
	1_780_000_000_000, -62_135_596_800_000, 253_402_300_799_999}

// gen makes sample sequences of many shapes: regular and jittered clocks,
// gaps, out-of-order and repeated times, decimal and arbitrary values, edge
// values and times, status runs.
func gen(r *rand.Rand) []Sample {
	n := r.IntN(300)
	if r.IntN(10) == 0 {
		n = r.IntN(5000)
	}
	s := make([]Sample, n)
	t := int64(1_780_000_000_000) + r.Int64N(1e9)
	period := []int64{1, 10, 1000, 10_000, 30_000, 7}[r.IntN(6)]
	dec := r.IntN(5)
	level := r.Float64() * 100
	timeMode, valueMode := r.IntN(6), r.IntN(6)
	status := int64(0)
	for i := range s {
		switch timeMode {
		case 0, 1:
			t += period
		case 2:
			t += period + r.Int64N(3) - 1
		case 3:
			t += period * (1 + r.Int64N(3))
		case 4:
			t = t + r.Int64N(2*period+1) - period // out of order, repeats
		default:
			t = edgeTimes[r.IntN(len(edgeTimes))]
		}
		var v float64
		switch valueMode {
		case 0, 1:
			level += r.NormFloat64()
			v = math.Round(level*math.Pow10(dec)) / math.Pow10(dec)
		case 2:
			v = level
		case 3:
			v = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		case 4:
			v = edgeValues[r.IntN(len(edgeValues))]
		default:
			v = math.Float64frombits(r.Uint64())
			if math.IsNaN(v) {
				v = 0
			}
		}
		if r.IntN(50) == 0 {
			status = []int64{0, 1, 8, 128, -1, math.MaxInt64, math.MinInt64}[r.IntN(7)]
		}
		s[i] = Sample{T: t, V: v, Status: status}
	}
	return s
}

func TestChunkRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		roundTrip(t, "generated", gen(r))
	}
	roundTrip(t, "empty", nil)
	for _, v := range edgeValues {
		for _, tt := range edgeTimes {
			roundTrip(t, "single", []Sample{{T: tt, V: v}})
		}
	}
	var all []Sample
	for i, tt := range edgeTimes {
		for j, v := range edgeValues {
			all = append(all, Sample{T: tt, V: v, Status: int64(i * j)})
		}
	}
	roundTrip(t, "edges", all)
	slices.Reverse(all)
	roundTrip(t, "edges reversed", all)
}

// TestChunkQuick lets testing/quick pick arbitrary times, values and
// statuses (NaN excluded: it has no single bit pattern to keep).
func TestChunkQuick(t *testing.T) {
	f := func(ts []int64, vs []float64, st []int64) bool {
		n := min(len(ts), len(vs))
		s := make([]Sample, n)
		for i := range s {
			v := vs[i]
			if math.IsNaN(v) {
				v = 1
			}
			s[i] = Sample{T: ts[i], V: v}
			if i < len(st) {
				s[i].Status = st[i]
			}
		}
		got, err := DecodeChunk(EncodeChunk(s))
		return err == nil && sameSamples(got, s)
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
		t.Fatal(err)
	}
}

func TestChunkCorrupt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		s := gen(r)
		b := EncodeChunk(s)
		for cut := 0; cut < len(b); cut += 1 + len(b)/20 {
			if got, err := DecodeChunk(b[:cut]); err == nil && !sameSamples(got, s) && cut < len(b) {
				// A prefix may happen to decode; it must not panic.
				_ = got
			}
		}
		if len(b) > 2 {
			c := slices.Clone(b)
			c[r.IntN(len(c))] ^= byte(1 + r.IntN(255))
			_, _ = DecodeChunk(c)
		}
	}
	if _, err := DecodeChunk([]byte{9}); err == nil {
		t.Fatal("bad version decoded")
	}
	if _, err := DecodeChunk(append(EncodeChunk([]Sample{{T: 1, V: 2}}), 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
}

func FuzzDecodeChunk(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20; i++ {
		f.Add(EncodeChunk(gen(r)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeChunk(b)
		if err != nil {
			return
		}
		// What decodes re-encodes to something that decodes the same.
		got, err := DecodeChunk(EncodeChunk(s))
		if err != nil || !sameSamples(got, s) {
			t.Fatalf("re-encoding changed %d samples", len(s))
		}
	})
}

func FuzzChunkRoundTrip(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s []Sample
		for len(b) >= 24 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
			if math.IsNaN(v) {
				v = 0
			}
			s = append(s, Sample{T: int64(binary.LittleEndian.Uint64(b)), V: v, Status: int64(binary.LittleEndian.Uint64(b[16:]))})
			b = b[24:]
		}
		got, err := DecodeChunk(EncodeChunk(s))
		if err != nil || !sameSamples(got, s) {
			t.Fatalf("round trip of %d samples failed: %v", len(s), err)
		}
	})
}

// sensorSeries is a reading like a monitoring system sends: a slow drift,
// gaussian noise, rounded to the sensor's decimals, on a regular clock.
func sensorSeries(r *rand.Rand, n int, start, periodMS int64, decimals int) []Sample {
	s := make([]Sample, n)
	level := 0.5 + r.Float64()
	p := math.Pow10(decimals)
	for i := range s {
		level += 0.002 * r.NormFloat64()
		v := math.Round((level+0.02*r.NormFloat64())*p) / p
		s[i] = Sample{T: start + int64(i)*periodMS, V: math.Max(v, 0)}
	}
	return s
}

func TestChunkSize(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	s := sensorSeries(r, 120, 1_780_000_000_000, 1000, 2)
	b := roundTrip(t, "sensor", s)
	perSample := float64(len(b)) / float64(len(s))
	t.Logf("120 samples of a 2-decimal sensor at 1 s: %d bytes, %.2f bytes/sample", len(b), perSample)
	if perSample > 1.5 {
		t.Errorf("%.2f bytes per sample: the decimal coding is not working", perSample)
	}
	flat := make([]Sample, 120)
	for i := range flat {
		flat[i] = Sample{T: 1_780_000_000_000 + int64(i)*10_000, V: 1}
	}
	if b := roundTrip(t, "flat", flat); len(b) > 20 {
		t.Errorf("a constant series takes %d bytes", len(b))
	}
}

func TestBlockRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 300; i++ {
		s := gen(r)
		pts := make([]int64, len(s))
		for j := range pts {
			pts[j] = r.Int64N(1e6) - 5e5
			if r.IntN(5) == 0 {
				pts[j] = []int64{math.MaxInt64, math.MinInt64, 0}[r.IntN(3)]
			}
		}
		b := appendBlock(nil, pts, s, nil)
		gp, gs, err := decodeBlock(b)
		if err != nil || !slices.Equal(gp, pts) || !sameSamples(gs, s) {
			t.Fatalf("block round trip: %v", err)
		}
	}
}

func naiveMinutes(s []Sample) []Minute {
	var out []Minute
	for _, x := range s {
		m := floorMinute(x.T)
		if len(out) == 0 || out[len(out)-1].T != m {
			out = append(out, Minute{T: m, Min: x.V, Max: x.V})
		}
		o := &out[len(out)-1]
		o.Count++
		o.Min, o.Max, o.Sum = math.Min(o.Min, x.V), math.Max(o.Max, x.V), o.Sum+x.V
	}
	return out
}

func TestMinutes(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 2000; i++ {
		s := gen(r)
		for j := range s {
			if math.IsInf(s[j].V, 0) || math.Abs(s[j].V) > 1e300 {
				s[j].V = 1 // sums of such values overflow either way
			}
		}
		slices.SortFunc(s, func(a, b Sample) int { return cmpInt(a.T, b.T) })
		var sc scratch
		_, dec := appendChunk(nil, s, &sc)
		b := appendMinutes(nil, s, dec, &sc)
		got, err := decodeMinutes(nil, b)
		if err != nil {
			t.Fatalf("decode minutes: %v", err)
		}
		want := naiveMinutes(s)
		if len(got) != len(want) {
			t.Fatalf("%d minutes, want %d", len(got), len(want))
		}
		for j := range want {
			g, w := got[j], want[j]
			scale := 0.0
			for _, x := range s {
				if floorMinute(x.T) == w.T {
					scale += math.Abs(x.V)
				}
			}
			if g.T != w.T || g.Count != w.Count || g.Min != w.Min || g.Max != w.Max || math.Abs(g.Sum-w.Sum) > 1e-9*scale {
				t.Fatalf("minute %d (decimals %d): got %+v, want %+v", j, dec, g, w)
			}
		}
	}
}

func BenchmarkEncodeChunk(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	s := sensorSeries(r, 120, 1_780_000_000_000, 1000, 2)
	var sc scratch
	var buf []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf, _ = appendChunk(buf[:0], s, &sc)
	}
	b.ReportMetric(float64(len(buf))/float64(len(s)), "bytes/sample")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s)), "ns/sample")
}

func BenchmarkDecodeChunk(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name string
		s    []Sample
	}{
		{"decimal", sensorSeries(r, 120, 1_780_000_000_000, 1000, 2)},
		{"xor", func() []Sample {
			s := sensorSeries(r, 120, 1_780_000_000_000, 1000, 2)
			for i := range s {
				s[i].V = s[i].V * math.Pi
			}
			return s
		}()},
	} {
		b.Run(c.name, func(b *testing.B) {
			chunk := EncodeChunk(c.s)
			out := make([]Sample, 0, len(c.s))
			b.ReportAllocs()
			for b.Loop() {
				out, _ = appendDecoded(out[:0], chunk)
			}
			b.ReportMetric(float64(len(chunk))/float64(len(c.s)), "bytes/sample")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(c.s)), "ns/sample")
		})
	}
}

func BenchmarkEncodeMinutes(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	s := sensorSeries(r, 120, 1_780_000_000_000, 1000, 2)
	var sc scratch
	_, dec := appendChunk(nil, s, &sc)
	var buf []byte
	for b.Loop() {
		buf = appendMinutes(buf[:0], s, dec, &sc)
	}
	b.ReportMetric(float64(len(buf))/float64(len(s)), "bytes/sample")
}

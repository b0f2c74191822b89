package telemetry

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// benchBatch is a 300-sample batch of 50 points over 6 seconds, shaped like
// a gateway's, with its point set.
func benchBatch() (*pointSet, []byte) {
	ps := &pointSet{mineID: 1, mineCode: "150725100001", byCode: map[string]*Point{}}
	lo, hi := 0.0, 4.0
	for i := 0; i < 50; i++ {
		code := fmt.Sprintf("15072510000101MN0001%08d", i)
		ps.byCode[code] = &Point{ID: int64(i + 1), PointFields: PointFields{Code: code, SensorType: "methane", ValueType: ValueAnalog, RangeMin: &lo, RangeMax: &hi, PeriodS: 1}}
	}
	b := Batch{Mine: ps.mineCode}
	t0 := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 300; i++ {
		v := 0.25 + float64(i%7)/100
		b.Samples = append(b.Samples, BatchSample{Point: fmt.Sprintf("15072510000101MN0001%08d", i%50), Time: t0.Add(time.Duration(i/50) * time.Second).Format(time.RFC3339), Value: &v})
	}
	raw, _ := json.Marshal(b)
	return ps, raw
}

// BenchmarkDecodeBatch: JSON decoding of a 300-sample batch (samples/s =
// 300 × ops/s).
func BenchmarkDecodeBatch(b *testing.B) {
	_, raw := benchBatch()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var x Batch
		if err := json.Unmarshal(raw, &x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*300/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkValidateBatch: validation of a decoded 300-sample batch against
// the mine's points.
func BenchmarkValidateBatch(b *testing.B) {
	ps, raw := benchBatch()
	var batch Batch
	if err := json.Unmarshal(raw, &batch); err != nil {
		b.Fatal(err)
	}
	s := &Service{}
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		out, _, rej := s.validate(ps, batch, now)
		if len(out) != 300 || len(rej) != 0 {
			b.Fatalf("%d accepted, %d refused", len(out), len(rej))
		}
	}
	b.ReportMetric(float64(b.N)*300/b.Elapsed().Seconds(), "samples/s")
}

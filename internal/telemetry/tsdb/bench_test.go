package tsdb

import (
	"context"
	"flag"
	"testing"

	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

var benchSamples = flag.Int("tsdb.samples", 200_000, "samples TestBench stores (a long run: 50000000)")

// TestBench runs the Bench harness: by default a small run that checks the
// harness and the store's shape (every sample stored, the 30-day chart in
// about 500 buckets); with -tsdb.samples N a long run whose report is the
// measurement, e.g.
//
//	go test ./internal/telemetry/tsdb -run TestBench -tsdb.samples 50000000 -v -timeout 30m
func TestBench(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r, err := Bench(context.Background(), db, *benchSamples)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r)
		if r.Samples < int64(*benchSamples) || r.SamplesPerSec <= 0 || r.BytesPerSample <= 0 {
			t.Fatalf("report %+v", r)
		}
		if r.Query30dItems < 450 || r.Query30dItems > 550 {
			t.Fatalf("30-day chart in %d buckets, want about 500", r.Query30dItems)
		}
	})
}

// BenchmarkAppend is the bare store: 300-sample batches (300 points at one
// second) appended one after another, each a commit.
func BenchmarkAppend(b *testing.B) {
	for _, c := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		b.Run(c.name, func(b *testing.B) {
			db := c.open(b)
			s, err := Open(db, Options{Retention: -1, RetainEvery: -1})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			batch := make([]telemetry.Sample, 300)
			sec := int64(1_780_000_000)
			b.ResetTimer()
			for b.Loop() {
				sec++
				for i := range batch {
					batch[i] = telemetry.Sample{PointID: int64(i), Time: ts(sec * 1000), Value: benchValue(int64(i), sec)}
				}
				if _, err := s.Append(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkStageBlock is the encoding of one group commit's staging row.
func BenchmarkStageBlock(b *testing.B) {
	pts := make([]int64, 20000)
	smp := make([]Sample, len(pts))
	for i := range pts {
		pts[i] = int64(i % 3000)
		smp[i] = Sample{T: 1_780_000_000_000 + int64(i/3000)*1000, V: benchValue(pts[i], int64(i/3000))}
	}
	var sc scratch
	var buf []byte
	for b.Loop() {
		buf = appendBlock(buf[:0], pts, smp, &sc)
	}
	b.ReportMetric(float64(len(buf))/float64(len(pts)), "bytes/sample")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pts)), "ns/sample")
}

package telemetry

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"minesafe/internal/store"
)

// Rejection reason codes, counted per mine in /metrics and kept in the
// rejected-sample log.
const (
	ReasonMalformed     = "malformed"
	ReasonUnknownPoint  = "unknown_point"
	ReasonFutureTime    = "future_time"
	ReasonImpossible    = "impossible_value"
	ReasonArchivedPoint = "archived_point"
)

// Source names the door a batch came through.
const (
	SourceHTTP = "http"
	SourceMQTT = "mqtt"
	SourceFile = "file"
)

// Result is the answer to a batch: how many samples were accepted (a resent
// sample counts as accepted) and why each refused one was refused.
type Result struct {
	Accepted int         `json:"accepted"`
	Rejected []Rejection `json:"rejected"`
}

// Rejection says why one sample of a batch was refused.
type Rejection struct {
	Index  int    `json:"index"`
	Point  string `json:"point"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// FutureTolerance is how far ahead of the server's clock a sample may be.
const FutureTolerance = 5 * time.Minute

// validate turns a batch into samples, refusing each bad one with a reason.
// A value beyond the sensor's range is kept, flagged over-range (status bit
// 8): it is the most dangerous sample there is.
func (s *Service) validate(ps *pointSet, b Batch, now time.Time) ([]Sample, []int, []Rejection) {
	out := make([]Sample, 0, len(b.Samples))
	idx := make([]int, 0, len(b.Samples))
	var rej []Rejection
	refuse := func(i int, point, code, format string, a ...any) {
		rej = append(rej, Rejection{Index: i, Point: point, Code: code, Reason: fmt.Sprintf(format, a...)})
	}
	for i, in := range b.Samples {
		code := strings.TrimSpace(in.Point)
		if code == "" {
			refuse(i, code, ReasonMalformed, "point is required")
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, in.Time)
		if err != nil {
			refuse(i, code, ReasonMalformed, "time %q is not an RFC 3339 time with a zone", in.Time)
			continue
		}
		if in.Value == nil {
			refuse(i, code, ReasonMalformed, "value is required")
			continue
		}
		if in.Status < 0 {
			refuse(i, code, ReasonMalformed, "status %d must be a bitmask, 0 or more", in.Status)
			continue
		}
		p, ok := ps.byCode[code]
		if !ok {
			refuse(i, code, ReasonUnknownPoint, "mine %s has no point %q", ps.mineCode, code)
			continue
		}
		if p.ArchivedAt != nil {
			refuse(i, code, ReasonArchivedPoint, "point %q is archived", code)
			continue
		}
		if t.After(now.Add(FutureTolerance)) {
			refuse(i, code, ReasonFutureTime, "time %s is more than %s ahead of the server's clock (%s)",
				t.UTC().Format(time.RFC3339), FutureTolerance, now.Format(time.RFC3339))
			continue
		}
		v := *in.Value
		if reason := impossible(p, v); reason != "" {
			refuse(i, code, ReasonImpossible, "%s", reason)
			continue
		}
		status := in.Status
		if p.outOfRange(v) {
			status |= StatusOverRange
		}
		out = append(out, Sample{PointID: p.ID, Time: t.UTC().Truncate(time.Millisecond), Value: v, Status: status})
		idx = append(idx, i)
	}
	return out, idx, rej
}

// impossible answers why a value cannot be physical, or "".
func impossible(p *Point, v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("value %v is not a number", v)
	case p.ValueType == ValueSwitch && v != 0 && v != 1:
		return fmt.Sprintf("switch point value %v must be 0 or 1", v)
	case v < 0 && nonNegative(p.SensorType):
		return fmt.Sprintf("a %s reading cannot be negative (%v %s)", p.SensorType, v, p.Unit)
	}
	return ""
}

// Ingest validates a batch of one mine, stores the accepted samples durably
// and answers once they are committed; then it publishes them on the bus.
func (s *Service) Ingest(ctx context.Context, mineID int64, b Batch, source string) (Result, error) {
	ps, err := s.pointSet(ctx, mineID)
	if err != nil {
		return Result{}, err
	}
	now := s.clk.Now()
	samples, idx, rej := s.validate(ps, b, now)
	dups, err := s.writer.Append(ctx, samples)
	if err != nil {
		return Result{}, err
	}
	res := Result{Accepted: len(samples), Rejected: rej}
	if res.Rejected == nil {
		res.Rejected = []Rejection{}
	}
	fresh := samples
	if len(dups) > 0 {
		fresh = s.recordDuplicates(ctx, samples, dups, source, now)
	}
	if len(rej) > 0 {
		s.recordRejections(ctx, ps, b, rej, source, now)
	}
	s.metrics.accepted.WithLabelValues(source).Add(float64(len(samples)))
	_ = idx
	if len(fresh) > 0 {
		s.bus.Publish(Committed{MineID: mineID, MineCode: ps.mineCode, Samples: fresh, ReceivedAt: now})
	}
	return res, nil
}

// recordDuplicates logs resends whose value differs from the stored one and
// answers the samples that were new.
func (s *Service) recordDuplicates(ctx context.Context, samples []Sample, dups []Duplicate, source string, now time.Time) []Sample {
	isDup := make(map[int]bool, len(dups))
	for _, d := range dups {
		isDup[d.Index] = true
		sm := samples[d.Index]
		if d.Existing == sm.Value {
			continue
		}
		s.log.Warn("resent sample differs; the first value stays", "point_id", sm.PointID, "time", sm.Time, "kept", d.Existing, "sent", sm.Value)
		_, err := s.db.Exec(ctx, `INSERT INTO sample_conflicts (point_id, t, kept, sent, at, source) VALUES (?, ?, ?, ?, ?, ?)`,
			sm.PointID, sm.Time.UnixMilli(), d.Existing, sm.Value, now, source)
		if err != nil {
			s.log.Error("log sample conflict", "err", err)
		}
	}
	fresh := make([]Sample, 0, len(samples)-len(dups))
	for i, sm := range samples {
		if !isDup[i] {
			fresh = append(fresh, sm)
		}
	}
	return fresh
}

// recordRejections counts refused samples and keeps them in the log the
// mine can read.
func (s *Service) recordRejections(ctx context.Context, ps *pointSet, b Batch, rej []Rejection, source string, now time.Time) {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, r := range rej {
			s.metrics.rejected.WithLabelValues(ps.mineCode, r.Code).Inc()
			in := b.Samples[r.Index]
			var v any
			if in.Value != nil && !math.IsNaN(*in.Value) && !math.IsInf(*in.Value, 0) {
				v = *in.Value
			}
			if _, err := tx.Exec(ctx, `INSERT INTO rejected_samples (mine_id, at, source, point, sample_time, value, reason_code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				ps.mineID, now, source, truncate(r.Point, 200), truncate(in.Time, 64), v, r.Code, r.Reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("log rejected samples", "mine", ps.mineCode, "err", err)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

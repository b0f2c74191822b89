// Package telemetry is the monitoring data network: monitoring points,
// ingest tokens, the three ingest doors (MQTT, HTTP, MT/T 1201 files) behind
// one normalised path, durable sample storage, the live cache, the event
// stream and online status.
//
// The path of a sample: a door decodes a batch → Ingest validates it against
// the mine's points (refusing bad samples with a reason, counting them) →
// the Writer appends the accepted samples durably, grouping commits across
// senders → only then is the sender answered (HTTP) or acknowledged (MQTT
// QoS 1) → the committed batch is published on the Bus to its consumers
// (live cache and stream now; rules and alarms later). A message bus can
// stand between ingest and its consumers without changing either side.
package telemetry

import (
	"time"
)

// Status bits of a sample (MT/T 1201 测点状态, a bitmask).
const (
	StatusAlarm       = 1
	StatusPowerCut    = 2
	StatusCalibration = 4
	StatusOverRange   = 8
	StatusStation     = 16
	StatusNoPatrol    = 32
	StatusPaused      = 64
	StatusSensorFault = 128
)

// Sample is one accepted measurement of one point.
type Sample struct {
	PointID int64     `json:"point_id"`
	Time    time.Time `json:"time"`
	Value   float64   `json:"value"`
	Status  int       `json:"status"`
}

// Batch is what a door delivers for one mine: samples with the point codes
// as the sender named them.
type Batch struct {
	Mine    string        `json:"mine"`
	Samples []BatchSample `json:"samples"`
}

// BatchSample is one sample as sent.
type BatchSample struct {
	Point  string   `json:"point"`
	Time   string   `json:"time"`
	Value  *float64 `json:"value"`
	Status int      `json:"status"`
}

// Committed is a batch after it was durably stored: what consumers get.
type Committed struct {
	MineID     int64
	MineCode   string
	Samples    []Sample
	ReceivedAt time.Time
}

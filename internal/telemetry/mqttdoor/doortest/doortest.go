// Package doortest prepares what the MQTT door tests need: coal mines with
// methane points under fresh random codes (so tests sharing one external
// broker never see each other's mines), gateway tokens and sample batches.
package doortest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"minesafe/internal/auth"
	"minesafe/internal/registry"
	"minesafe/internal/telemetry"
)

// Mine is a mine with its points.
type Mine struct {
	registry.Mine
	Points []telemetry.Point
}

// Region is the division the mines are registered in.
const Region = "150725"

// Mines registers n coal mines of one new enterprise, each with points
// methane points.
func Mines(t testing.TB, reg *registry.Service, tel *telemetry.Service, n, points int) []Mine {
	t.Helper()
	ctx := context.Background()
	body := fmt.Sprintf("91150700MA%07d", rand.IntN(1e7))
	check, err := registry.USCCCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	ent, err := reg.CreateEnterprise(ctx, auth.System, registry.EnterpriseInput{
		Name: "测试煤业" + body[10:], USCC: body + string(check), Ownership: "private", RegionCode: Region})
	if err != nil {
		t.Fatalf("enterprise: %v", err)
	}
	out := make([]Mine, n)
	for i := range out {
		lon, lat := 119.5, 49.3
		code := fmt.Sprintf("%s%06d", Region, rand.IntN(1e6))
		m, err := reg.CreateMine(ctx, auth.System, registry.MineInput{MineFields: registry.MineFields{
			Code: code, Name: "测试矿" + code, EnterpriseID: ent.ID, RegionCode: Region, Kind: registry.KindCoalUnderground, Status: "producing"},
			Lon: &lon, Lat: &lat})
		if err != nil {
			t.Fatalf("mine %s: %v", code, err)
		}
		out[i].Mine = m
		for j := range points {
			p, err := tel.CreatePoint(ctx, auth.System, m.ID, telemetry.PointFields{Code: fmt.Sprintf("%s01MN0001%08d", code, j+1)}, "api")
			if err != nil {
				t.Fatalf("point: %v", err)
			}
			out[i].Points = append(out[i].Points, p)
		}
	}
	return out
}

// Token issues a gateway token covering the mines.
func Token(t testing.TB, tel *telemetry.Service, mines ...Mine) string {
	t.Helper()
	ids := make([]int64, len(mines))
	for i, m := range mines {
		ids[i] = m.ID
	}
	_, secret, err := tel.CreateIngestToken(context.Background(), auth.System, "gateway", ids)
	if err != nil {
		t.Fatalf("ingest token: %v", err)
	}
	return secret
}

// Key names one sample: its point and time in milliseconds.
type Key struct {
	PointID int64
	MS      int64
}

// Batch answers n samples of the mine spread over its points, sample i at
// start + i ms, with their keys.
func Batch(m Mine, start time.Time, n int) (telemetry.Batch, []Key) {
	b := telemetry.Batch{Mine: m.Code, Samples: make([]telemetry.BatchSample, n)}
	keys := make([]Key, n)
	for i := range n {
		p := m.Points[i%len(m.Points)]
		at := start.Add(time.Duration(i) * time.Millisecond).UTC()
		v := float64(i%100) / 100
		b.Samples[i] = telemetry.BatchSample{Point: p.Code, Time: at.Format(time.RFC3339Nano), Value: &v}
		keys[i] = Key{p.ID, at.UnixMilli()}
	}
	return b, keys
}

// Payload answers the JSON of a batch.
func Payload(b telemetry.Batch) []byte {
	raw, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return raw
}

// Mosquitto answers the URL of the external broker the tests use
// (MINESAFE_TEST_MQTT, default tcp://127.0.0.1:1883). Without one the test
// is skipped with a visible message, except under CI=true, where it fails.
func Mosquitto(t testing.TB) string {
	t.Helper()
	u := os.Getenv("MINESAFE_TEST_MQTT")
	if u == "" {
		u = "tcp://127.0.0.1:1883"
	}
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(u, "tcp://"), 2*time.Second)
	if err == nil {
		c.Close()
		return u
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("Mosquitto at %s is required under CI: %v", u, err)
	}
	t.Skipf("SKIP mosquitto: nothing listens at %s (%v); start it with mosquitto -d -c /etc/mosquitto/mosquitto.conf", u, err)
	return ""
}

// ForgetSession ends a client's persistent session at a broker, so tests
// leave nothing queued behind them.
func ForgetSession(t testing.TB, url, clientID string) {
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(clientID).SetCleanSession(true))
	if tok := c.Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
		c.Disconnect(100)
	} else {
		t.Logf("session %s left at %s: %v", clientID, url, tok.Error())
	}
}

// Publish sends a payload to a broker at QoS 1 as an anonymous gateway and
// waits for the broker's PUBACK.
func Publish(t testing.TB, url, topic string, payload []byte) {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("gateway-%x", rand.Uint64())))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("gateway connect to %s: %v", url, tok.Error())
	}
	defer c.Disconnect(100)
	if tok := c.Publish(topic, 1, false, payload); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("gateway publish to %s: %v", url, tok.Error())
	}
}

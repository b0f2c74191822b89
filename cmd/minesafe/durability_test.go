package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"minesafe/internal/telemetry/tsdb"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry/mqttdoor"
	"minesafe/internal/telemetry/mqttdoor/doortest"
)

// TestKill9Durability: gateways send through HTTP and MQTT QoS 1 while the
// server is killed with SIGKILL; after a restart every sample whose HTTP
// answer or PUBACK arrived is in the database.
func TestKill9Durability(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		durability(t, "sqlite:"+filepath.Join(t.TempDir(), "durable.db"))
	})
	t.Run("postgres", func(t *testing.T) { durability(t, storetest.PostgresURL(t)) })
}

const (
	httpSenders = 3
	mqttSenders = 3
	httpBatch   = 50
	mqttBatch   = 20
)

func durability(t *testing.T, dbURL string) {
	_, reg, tel := services(t, dbURL)
	mine := doortest.Mines(t, reg, tel, 1, 20)[0]
	code, out, errOut := cli(t, "", "mine", "token", "--db", dbURL, "--mine", mine.Code, "--name", "durability")
	if code != 0 {
		t.Fatalf("mine token: %s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	httpAddr, mqttAddr := freeAddr(t), freeAddr(t)
	p := spawn(t, nil, "serve", "--db", dbURL, "--addr", httpAddr, "--mqtt-listen", mqttAddr, "--log-level", "warn", "--data-dir", t.TempDir())
	p.waitHTTP(t, httpAddr)

	// Every batch has its own milliseconds, so every sample its own key.
	var (
		seq   atomic.Int64
		start = time.Now().Add(-2 * time.Hour)
		mu    sync.Mutex
		acked = map[string][]doortest.Key{}
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	next := func(size int) ([]byte, []doortest.Key) {
		b, keys := doortest.Batch(mine, start.Add(time.Duration(seq.Add(1)*100)*time.Millisecond), size)
		return doortest.Payload(b), keys
	}
	ack := func(door string, keys []doortest.Key) {
		mu.Lock()
		acked[door] = append(acked[door], keys...)
		mu.Unlock()
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for range httpSenders {
		wg.Go(func() {
			for !stopped() {
				body, keys := next(httpBatch)
				req, _ := http.NewRequest("POST", "http://"+httpAddr+"/api/v1/ingest/samples", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				var ans struct{ Accepted int }
				err = json.NewDecoder(resp.Body).Decode(&ans)
				resp.Body.Close()
				if err == nil && resp.StatusCode == http.StatusOK && ans.Accepted == httpBatch {
					ack("http", keys)
				}
			}
		})
	}
	for g := range mqttSenders {
		c, err := mqttConnect(mqttAddr, fmt.Sprintf("durability-%d", g), mine.Code, token)
		if err != nil {
			t.Fatalf("MQTT connect: %v\n%s", err, p.out)
		}
		wg.Go(func() {
			defer c.Disconnect(0)
			for !stopped() && c.IsConnectionOpen() {
				body, keys := next(mqttBatch)
				tok := c.Publish(mqttdoor.Topic(mine.Code), 1, false, body)
				if tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
					ack("mqtt", keys)
				}
			}
		})
	}

	// Kill in the middle of the stream, after a while of load and once
	// both doors have answered many times.
	loaded, deadline := time.Now().Add(1500*time.Millisecond), time.Now().Add(10*time.Second)
	for {
		mu.Lock()
		nh, nm := len(acked["http"]), len(acked["mqtt"])
		mu.Unlock()
		if nh >= 20*httpBatch && nm >= 20*mqttBatch && time.Now().After(loaded) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("too little acknowledged before the kill (http %d, mqtt %d):\n%s", nh, nm, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	time.Sleep(100 * time.Millisecond) // the senders see the dead server
	close(stop)
	wg.Wait()
	if ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server was not killed by SIGKILL: %v", p.cmd.ProcessState)
	}

	// Restart on the same database: it recovers and serves.
	httpAddr = freeAddr(t)
	p2 := spawn(t, nil, "serve", "--db", dbURL, "--addr", httpAddr, "--mqtt-listen", freeAddr(t), "--log-level", "warn", "--data-dir", t.TempDir())
	p2.waitHTTP(t, httpAddr)
	db, _, _ := services(t, dbURL)
	// Read what the server stored through a store opened afresh on its database.
	st, err := tsdb.Open(db, tsdb.Options{RetainEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[doortest.Key]bool{}
	span := map[int64][2]int64{}
	for _, keys := range acked {
		for _, k := range keys {
			s, ok := span[k.PointID]
			if !ok {
				s = [2]int64{k.MS, k.MS}
			}
			span[k.PointID] = [2]int64{min(s[0], k.MS), max(s[1], k.MS)}
		}
	}
	for point, s := range span {
		got, err := st.Range(context.Background(), point, time.UnixMilli(s[0]), time.UnixMilli(s[1]+1), 10_000_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, sm := range got {
			stored[doortest.Key{PointID: point, MS: sm.Time.UnixMilli()}] = true
		}
	}
	total := 0
	for door, keys := range acked {
		total += len(keys)
		missing := 0
		for _, k := range keys {
			if !stored[k] {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%s: %d of %d acknowledged samples lost", door, missing, len(keys))
		}
	}
	if len(stored) < total {
		t.Errorf("%d samples stored, fewer than the %d acknowledged", len(stored), total)
	}
	t.Logf("acknowledged http %d + mqtt %d samples; %d stored after kill -9 and restart", len(acked["http"]), len(acked["mqtt"]), len(stored))
	p2.stop(t)
}

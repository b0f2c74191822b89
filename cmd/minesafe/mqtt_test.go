package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"minesafe/internal/telemetry/tsdb"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	pahopackets "github.com/eclipse/paho.mqtt.golang/packets"

	"minesafe/internal/clock"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mqttdoor"
	"minesafe/internal/telemetry/mqttdoor/doortest"
)

// The binary, built once for the tests that run it as a process.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "minesafe-bin-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "minesafe")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = errors.New(string(out))
		}
	})
	if built.err != nil {
		t.Fatalf("build minesafe: %v", built.err)
	}
	return built.path
}

// services opens a database (migrating it) with the registry and the
// telemetry service, for preparing what a test needs.
func services(t *testing.T, dbURL string) (*store.DB, *registry.Service, *telemetry.Service) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	reg := registry.NewService(db, clock.Real{})
	tel := telemetry.NewService(db, clock.Real{}, reg, telemetry.Options{Log: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { tel.Close(); db.Close() })
	return db, reg, tel
}

// storedCount counts the samples the server process stored, through a
// store opened afresh (the server's in-memory view is in another process).
func storedCount(t *testing.T, db *store.DB) int64 {
	t.Helper()
	st, err := tsdb.Open(db, tsdb.Options{RetainEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is minesafe running as a child process; its output is kept for
// failure messages.
type process struct {
	cmd *exec.Cmd
	out *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func spawn(t *testing.T, stdout io.Writer, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary(t), args...), out: &lockedBuffer{}}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if stdout != nil {
		p.cmd.Stdout = io.MultiWriter(p.out, stdout)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// stop ends the process with SIGTERM and requires a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("minesafe exited with %v:\n%s", err, p.out)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("minesafe did not stop within 15 s:\n%s", p.out)
	}
}

// waitHTTP waits until the server answers /healthz.
func (p *process) waitHTTP(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if p.cmd.ProcessState != nil {
			break
		}
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatalf("minesafe did not come up on %s:\n%s", addr, p.out)
}

// mqttConnect connects a gateway to a broker as a 3.1.1 client.
func mqttConnect(addr, clientID, username, password string) (paho.Client, error) {
	c := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://" + addr).SetClientID(clientID).
		SetUsername(username).SetPassword(password).SetAutoReconnect(false).SetConnectTimeout(5 * time.Second))
	tok := c.Connect()
	if !tok.WaitTimeout(10 * time.Second) {
		return nil, errors.New("no CONNACK")
	}
	return c, tok.Error()
}

func TestServeStopsWhenTheMQTTPortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	code, _, errOut := cli(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--mqtt-listen", taken.Addr().String())
	if code != 1 || !strings.Contains(errOut, "MQTT broker cannot listen on "+taken.Addr().String()) || !strings.Contains(errOut, "--mqtt-listen") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestDemoEmbedsABroker: the demo opens the gateways' broker on 1883, or
// on a free port it prints when 1883 is taken (the test takes it if it is
// free).
func TestDemoEmbedsABroker(t *testing.T) {
	if ln, err := net.Listen("tcp", "127.0.0.1:1883"); err == nil {
		defer ln.Close()
	}
	pr, pw := io.Pipe()
	p := spawn(t, pw, "demo", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0")
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var addr string
	timeout := time.After(30 * time.Second)
	for addr == "" {
		select {
		case l := <-lines:
			if rest, ok := strings.CutPrefix(l, "MQTT broker for gateways: mqtt://"); ok {
				addr, _, _ = strings.Cut(rest, " ")
				if !strings.Contains(rest, "127.0.0.1:1883 was taken") {
					t.Errorf("the fallback is not said: %q", l)
				}
			}
		case <-timeout:
			t.Fatalf("the demo printed no MQTT address:\n%s", p.out)
		}
	}
	if !strings.HasPrefix(addr, "127.0.0.1:") || addr == "127.0.0.1:1883" {
		t.Fatalf("broker at %q", addr)
	}
	// It is minesafe's broker: it wants an ingest token.
	if _, err := mqttConnect(addr, "demo-gw", "150725100001", "msi_wrong"); !errors.Is(err, pahopackets.ErrorRefusedNotAuthorised) {
		t.Fatalf("connect with a wrong token: %v", err)
	}
	p.stop(t)
	pw.Close()
}

func TestServeRefusesAnUnusableExternalBroker(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	for url, want := range map[string]string{
		"tcp://" + freeAddr(t): "connect to MQTT broker",
		"http://127.0.0.1:1":   "--mqtt-url",
	} {
		code, _, errOut := cli(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--mqtt-url", url, "--mqtt-client-id", "minesafe-test-refused")
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("--mqtt-url %s: exit %d: %s", url, code, errOut)
		}
	}
}

// TestServeSubscribesToAnExternalBroker: serve --mqtt-url takes gateways'
// samples from Mosquitto.
func TestServeSubscribesToAnExternalBroker(t *testing.T) {
	broker := doortest.Mosquitto(t)
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "ext.db")
	db, reg, tel := services(t, dbURL)
	mine := doortest.Mines(t, reg, tel, 1, 2)[0]
	clientID := fmt.Sprintf("minesafe-test-%x", rand.Uint64())
	t.Cleanup(func() { doortest.ForgetSession(t, broker, clientID) })
	httpAddr := freeAddr(t)
	p := spawn(t, nil, "serve", "--db", dbURL, "--addr", httpAddr, "--mqtt-url", broker, "--mqtt-client-id", clientID,
		"--log-level", "warn", "--data-dir", t.TempDir())
	p.waitHTTP(t, httpAddr) // serving HTTP: the subscription is in place
	b, _ := doortest.Batch(mine, time.Now().Add(-time.Hour), 10)
	doortest.Publish(t, broker, mqttdoor.Topic(mine.Code), doortest.Payload(b))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if storedCount(t, db) == 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the samples published to %s were not stored:\n%s", broker, p.out)
		}
	}
	p.stop(t)
}

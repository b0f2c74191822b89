package tsdb

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry"
)

const (
	crashPoints = 20
	crashEnvDB  = "TSDB_CRASH_DB"
)

var crashBase = time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC).UnixMilli()

// crashValue is the one value a sample of (point, time) ever has, so any
// resend is a duplicate of the same value.
func crashValue(p, t int64) float64 { return float64((p*7919+t/500)%1000) / 100 }

// crashBatch is batch b of the child: every point at second b, every
// seventh batch a resend of batch b−3, every eleventh late samples between
// seconds b−60 and b−40 (half-second offsets, new).
func crashBatch(b int64) []telemetry.Sample {
	var out []telemetry.Sample
	add := func(p, t int64) {
		out = append(out, telemetry.Sample{PointID: p, Time: ts(t), Value: crashValue(p, t)})
	}
	for p := int64(1); p <= crashPoints; p++ {
		add(p, crashBase+b*1000)
	}
	if b%7 == 0 && b >= 3 {
		for p := int64(1); p <= crashPoints; p++ {
			add(p, crashBase+(b-3)*1000)
		}
	}
	if b%11 == 0 && b >= 60 {
		for p := int64(1); p <= crashPoints; p += 3 {
			add(p, crashBase+(b-60+p)*1000+500)
		}
	}
	return out
}

func crashOptions() Options {
	return Options{ChunkSamples: 8, MaxSpan: 10 * time.Minute, Settle: 200 * time.Millisecond, Log: discardLog()}
}

// TestMain runs the test binary as the child of TestCompactionCrash when
// that test starts it with the database in its environment, and as the
// package's tests otherwise.
func TestMain(m *testing.M) {
	if url := os.Getenv(crashEnvDB); url != "" {
		crashChild(url)
	}
	os.Exit(m.Run())
}

// crashChild is the child process of TestCompactionCrash: it appends
// batches from TSDB_CRASH_START on, printing "ack N" once batch N is
// durable, while compacting and checkpointing all the time; every
// compaction transaction prints "tx" just before it commits. It runs until
// it is killed.
func crashChild(url string) {
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	s, err := Open(db, crashOptions())
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	s.checkpointMin = 50
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	s.hook = func() {
		fmt.Println("tx")
		time.Sleep(time.Duration(r.IntN(2000)) * time.Microsecond)
	}
	go func() {
		for i := 0; ; i++ {
			var err error
			if i%5 == 4 {
				_, err = s.Compact(ctx)
			} else {
				_, err = s.compact(ctx, false)
			}
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	start, _ := strconv.ParseInt(os.Getenv("TSDB_CRASH_START"), 10, 64)
	for b := start; ; b++ {
		if _, err := s.Append(ctx, crashBatch(b)); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("ack", b)
	}
}

// TestCompactionCrash kills the child with SIGKILL at random moments, many
// of them inside a compaction or checkpoint transaction, restarts it on the
// same database, and checks at the end that every acknowledged sample is
// stored exactly once with its value.
func TestCompactionCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes for a while")
	}
	t.Run("sqlite", func(t *testing.T) {
		url := "sqlite:" + filepath.Join(t.TempDir(), "crash.db")
		crashRounds(t, storetest.Open(t, url), url)
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		crashRounds(t, storetest.Open(t, url), url)
	})
}

func crashRounds(t *testing.T, db *store.DB, url string) {
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	acked := int64(-1)
	inTx := 0
	for round := 0; round < 12; round++ {
		start := max(acked+1-5, 0) // a gateway resends its last batches
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnvDB+"="+url, "TSDB_CRASH_START="+strconv.FormatInt(start, 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Half the rounds die at the k-th transaction's commit point (or
		// after 10 s at most), the others at a random time.
		killAtTx, after := 0, time.Duration(300+r.IntN(700))*time.Millisecond
		if round%2 == 0 {
			killAtTx, after = 1+r.IntN(6), 10*time.Second
		}
		deadline := time.AfterFunc(after, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		sc := bufio.NewScanner(out)
		txs := 0
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "ack "):
				b, _ := strconv.ParseInt(line[4:], 10, 64)
				acked = max(acked, b)
			case line == "tx":
				txs++
				if txs == killAtTx {
					_ = cmd.Process.Signal(syscall.SIGKILL)
					inTx++
				}
			case strings.HasPrefix(line, "error"):
				t.Fatalf("child: %s", line)
			}
		}
		deadline.Stop()
		_ = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("child ended without SIGKILL: %v", cmd.ProcessState)
		}
	}
	if acked < 100 || inTx < 5 {
		t.Fatalf("too little happened: %d batches acknowledged, %d kills in a transaction", acked, inTx)
	}
	s := open(t, db, crashOptions())
	verify := func(stage string) {
		want := map[sampleKey]float64{}
		for b := int64(0); b <= acked; b++ {
			for _, x := range crashBatch(b) {
				want[sampleKey{x.PointID, x.Time.UnixMilli()}] = x.Value
			}
		}
		total := 0
		for p := int64(1); p <= crashPoints; p++ {
			got, err := s.Range(context.Background(), p, ts(crashBase-3_600_000), ts(math.MaxInt32*1000), 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			total += len(got)
			for i, x := range got {
				if i > 0 && !x.Time.After(got[i-1].Time) {
					t.Fatalf("%s: point %d: %v stored twice or out of order", stage, p, x.Time)
				}
				if x.Value != crashValue(p, x.Time.UnixMilli()) {
					t.Fatalf("%s: point %d at %v: value %v", stage, p, x.Time, x.Value)
				}
				delete(want, sampleKey{p, x.Time.UnixMilli()})
			}
		}
		if len(want) > 0 {
			t.Fatalf("%s: %d acknowledged samples lost", stage, len(want))
		}
		if n, _ := s.Count(context.Background()); n != int64(total) {
			t.Fatalf("%s: count %d, stored %d", stage, n, total)
		}
	}
	verify("recovered")
	if _, err := s.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	verify("compacted")
	checkChunks(t, s)
	t.Logf("%d batches acknowledged over 12 kills (%d inside a transaction)", acked+1, inTx)
}

package stdfile_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
	"minesafe/internal/telemetry/mtt"
	"minesafe/internal/telemetry/stdfile"
)

func TestWatchFolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		dir := t.TempDir()
		path := func(parts ...string) string { return filepath.Join(append([]string{dir}, parts...)...) }
		put := func(name string, data []byte) {
			if err := os.WriteFile(path(name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		read := func(parts ...string) string {
			b, err := os.ReadFile(path(parts...))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}

		at := w.t0.Add(30 * time.Second)
		cddyName, cddy := w.build(codeA, mtt.TypeCDDY, w.t0, func(f *mtt.File) { f.CDDY = pointDefs(w.t0, 1) })
		fzdyName, fzdy := w.build(codeA, mtt.TypeFZDY, w.t0, func(f *mtt.File) {
			f.FZDY = []mtt.StationDef{{Station: s1, Location: "分站一"}, {Station: s2, Location: "分站二"}}
		})
		cdssName, cdss := w.build(codeA, mtt.TypeCDSS, at, func(f *mtt.File) {
			f.CDSS = []mtt.Sample{sample(p1, 0.3, 0, at), sample(p2, 0.4, 0, at), sample(p3, 10, 0, at), sample(p6, 1, 0, at)}
		})
		tjsjName, tjsj := w.build(codeA, mtt.TypeTJSJ, at, func(f *mtt.File) {
			f.TJSJ = []mtt.Stat{{Point: p1, Start: w.t0, End: at, Max: 0.3, MaxTime: at, Min: 0.3, MinTime: at, Avg: 0.3, Time: at}}
		})
		truncName, trunc := w.build(codeA, mtt.TypeCDSS, at.Add(time.Minute), func(f *mtt.File) { f.CDSS = []mtt.Sample{sample(p1, 0.3, 0, at)} })
		ghost := "150799100009"
		ghostName, ghostData := w.build(ghost, mtt.TypeCDSS, at, func(f *mtt.File) {
			f.CDSS = []mtt.Sample{sample(ghost+"01MN000100000001", 0.3, 0, at)}
		})
		put(cddyName, cddy)
		put(fzdyName, fzdy)
		put(tjsjName, tjsj)
		put(truncName, bytes.TrimSuffix(bytes.TrimSpace(trunc), []byte("||")))
		put(ghostName, ghostData)
		put("notes.txt", []byte("not an exchange file"))
		put(cdssName+".part", cdss) // an FTP server's temporary name: not taken
		// The CDSS file is still being written at the first scan and
		// finished before the second.
		put(cdssName, cdss[:len(cdss)/2])
		var finish sync.Once
		stdfile.SetAfterScan(w.door, func(n int) {
			finish.Do(func() {
				f, err := os.OpenFile(path(cdssName), os.O_APPEND|os.O_WRONLY, 0)
				if err == nil {
					_, err = f.Write(cdss[len(cdss)/2:])
					f.Close()
				}
				if err != nil {
					t.Error(err)
				}
			})
		})
		watch := func() {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- w.door.Watch(ctx, dir, 20*time.Millisecond) }()
			deadline := time.Now().Add(20 * time.Second)
			for landed(t, dir) > 0 {
				if time.Now().After(deadline) {
					cancel()
					t.Fatalf("files left in the landing folder: %d", landed(t, dir))
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		watch()

		for _, name := range []string{cddyName, fzdyName, tjsjName} {
			if _, err := os.Stat(path(stdfile.DoneDir, name)); err != nil {
				t.Errorf("%s not in done/: %v", name, err)
			}
		}
		if read(stdfile.DoneDir, cdssName) != string(cdss) {
			t.Fatal("the CDSS file was taken before it was complete")
		}
		if _, err := os.Stat(path(stdfile.DoneDir, cdssName+stdfile.ReasonSuffix)); err == nil {
			t.Error("a reason note beside a file without refusals")
		}
		for name, why := range map[string]string{truncName: "truncated", "notes.txt": "bad file name", ghostName: "no mine with code " + ghost} {
			read(stdfile.RejectedDir, name)
			if note := read(stdfile.RejectedDir, name+stdfile.ReasonSuffix); !strings.Contains(note, why) {
				t.Errorf("%s: note %q, want %q", name, note, why)
			}
		}
		read(cdssName + ".part")
		n, _ := w.env.App.Telemetry.Samples().Count(context.Background())
		files := w.count(`SELECT COUNT(*) FROM ingest_files WHERE source = 'folder' AND uploaded_by = 'landing folder'`)
		if n != 4 || files != 5 || w.count(`SELECT COUNT(*) FROM stations`) != 2 || w.count(`SELECT COUNT(*) FROM mine_stats`) != 1 {
			t.Fatalf("stored %d samples, %d files", n, files)
		}

		// A crash after processing, before the move: the file is seen again
		// at the restart, and stores nothing twice.
		put(cdssName, cdss)
		evs := w.count(`SELECT COUNT(*) FROM events`)
		watch()
		var id int
		if err := db.QueryRow(context.Background(), `SELECT id FROM ingest_files WHERE name = ?`, cdssName).Scan(&id); err != nil {
			t.Fatal(err)
		}
		again := strings.TrimSuffix(cdssName, ".txt") + ".1.txt"
		if read(stdfile.DoneDir, again) != string(cdss) || !strings.Contains(read(stdfile.DoneDir, again+stdfile.ReasonSuffix), "duplicate of file id "+strconv.Itoa(id)) {
			t.Fatal("the resent file is not in done/ with its note")
		}
		if n2, _ := w.env.App.Telemetry.Samples().Count(context.Background()); n2 != n || w.count(`SELECT COUNT(*) FROM ingest_files`) != files ||
			w.count(`SELECT COUNT(*) FROM events`) != evs {
			t.Fatal("reprocessing stored something")
		}
	})
}

// landed counts the *.txt files waiting in the landing folder.
func landed(t *testing.T, dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".txt") {
			n++
		}
	}
	return n
}

package stdfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"minesafe/internal/fail"
	"minesafe/internal/telemetry/mtt"
)

// Options configure the landing folder (--ingest-dir): pass them to Watch
// as Watch(ctx, o.Dir, o.Poll). An empty Dir watches nothing.
type Options struct {
	Dir  string        // the folder the mines' FTP uploads land in
	Poll time.Duration // how often it is read; DefaultPoll when 0
}

// DefaultPoll is how often the landing folder is read by default.
const DefaultPoll = 5 * time.Second

// Subfolders of the landing folder that processed files are moved to.
const (
	DoneDir     = "done"
	RejectedDir = "rejected"
)

// ReasonSuffix is appended to a moved file's name for the note beside it
// saying why it was rejected, which of its records were refused, or which
// earlier file it duplicated.
const ReasonSuffix = ".reason.txt"

// stamp is what a file looked like at a scan.
type stamp struct {
	size  int64
	mtime int64
}

// Watch reads the landing folder every poll until ctx ends. A *.txt file
// is taken once its size and modification time are the same at two scans
// in a row, so a file an FTP upload is still writing is left alone. Each
// is processed for the mine its name names (the folder is trusted like the
// FTP server behind it) and moved to done/ or rejected/ with a reason note.
// Definitions (CDDY, FZDY) go before the data that needs them.
//
// A fault that is not the file's (the database unreachable) leaves the
// file where it is, to be tried again. A crash between processing and
// moving is harmless: the file is seen again, recognised by its content
// hash and moved as a duplicate, storing nothing twice.
func (d *Door) Watch(ctx context.Context, dir string, poll time.Duration) error {
	if poll <= 0 {
		poll = DefaultPoll
	}
	for _, sub := range []string{DoneDir, RejectedDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return fmt.Errorf("landing folder: %w", err)
		}
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	seen := map[string]stamp{}
	for n := 1; ; n++ {
		seen = d.scan(ctx, dir, seen)
		if d.afterScan != nil {
			d.afterScan(n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// scan takes the files that did not change since prev and answers what
// it saw of the files still there.
func (d *Door) scan(ctx context.Context, dir string, prev map[string]stamp) map[string]stamp {
	entries, err := os.ReadDir(dir)
	if err != nil {
		d.log.Error("read landing folder", "dir", dir, "err", err)
		return prev
	}
	now := map[string]stamp{}
	var ready []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.EqualFold(filepath.Ext(e.Name()), ".txt") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		st := stamp{info.Size(), info.ModTime().UnixNano()}
		now[e.Name()] = st
		if p, ok := prev[e.Name()]; ok && p == st {
			ready = append(ready, e.Name())
		}
	}
	sortForProcessing(ready)
	for _, name := range ready {
		if ctx.Err() != nil {
			break
		}
		if d.take(ctx, dir, name) {
			delete(now, name)
		}
	}
	return now
}

// typeOrder puts definitions before what refers to them.
var typeOrder = map[string]int{mtt.TypeCDDY: 0, mtt.TypeFZDY: 0, mtt.TypeCDSS: 1, mtt.TypeFZSS: 1, mtt.TypeTJSJ: 1, mtt.TypeYCBJ: 1}

// sortForProcessing orders files: definitions first, then by the time in
// their names, then by name; names that do not parse last.
func sortForProcessing(names []string) {
	key := func(name string) (int, time.Time) {
		fn, err := mtt.ParseFileName(name)
		if err != nil {
			return 2, time.Time{}
		}
		return typeOrder[fn.Type], fn.Time
	}
	sort.SliceStable(names, func(i, j int) bool {
		oi, ti := key(names[i])
		oj, tj := key(names[j])
		if oi != oj {
			return oi < oj
		}
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return names[i] < names[j]
	})
}

// take processes one file of the folder and moves it; false leaves it in
// place to be tried again.
func (d *Door) take(ctx context.Context, dir, name string) bool {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		d.log.Warn("read landing file", "file", path, "err", err)
		return false
	}
	res, err := d.processFolder(ctx, name, data)
	dest, note := DoneDir, ""
	if e, refused := fail.As(err); refused {
		why := e.Message
		if f := e.Fields["file"]; f != "" {
			why = f
		}
		dest, note = RejectedDir, fmt.Sprintf("rejected: %s\n", why)
	} else if err != nil {
		d.log.Warn("landing file not processed; it is tried again", "file", path, "err", err)
		return false
	} else {
		dest, note = folderNote(res)
	}
	if err := moveWithNote(path, filepath.Join(dir, dest), name, note); err != nil {
		d.log.Error("move landing file", "file", path, "to", dest, "err", err)
		return false
	}
	d.log.Info("landing file processed", "file", name, "to", dest, "id", res.ID, "status", res.Status, "duplicate", res.Duplicate,
		"accepted", res.Accepted, "rejected", len(res.Rejected))
	return true
}

// processFolder processes a landing-folder file for the mine its name
// names, if that mine is registered.
func (d *Door) processFolder(ctx context.Context, name string, data []byte) (FileResult, error) {
	name, fn, err := fileName(name)
	if err != nil {
		return FileResult{}, err
	}
	m, err := d.reg.MineByCode(ctx, fn.Mine)
	if fail.Is(err, fail.NotFound) {
		return FileResult{}, fail.Invalidf("file", "no mine with code %s is registered", fn.Mine)
	}
	if err != nil {
		return FileResult{}, err
	}
	return d.process(ctx, folderUploader, m, name, fn, data, SourceFolder)
}

// folderNote answers where a processed file goes and the note beside it.
// A duplicate goes where its first copy went (a resent broken file is
// still broken), with a note naming that file.
func folderNote(res FileResult) (string, string) {
	dest := DoneDir
	if res.Status == StatusRejected {
		dest = RejectedDir
	}
	var b strings.Builder
	switch {
	case res.Duplicate:
		fmt.Fprintf(&b, "duplicate of file id %d (%s, received %s, %s): nothing was stored again\n",
			res.ID, res.File, res.ReceivedAt.Format(time.RFC3339), res.Status)
		if res.Reason != "" {
			fmt.Fprintf(&b, "that file was rejected: %s\n", res.Reason)
		}
	case res.Status == StatusRejected:
		fmt.Fprintf(&b, "rejected (file id %d): %s\n", res.ID, res.Reason)
	case len(res.Rejected) > 0:
		fmt.Fprintf(&b, "file id %d: %d of %d records accepted; refused:\n", res.ID, res.Accepted, res.Records)
	}
	if !res.Duplicate {
		for _, r := range res.Rejected {
			fmt.Fprintf(&b, "record %d (%s): %s\n", r.Index, r.Record, r.Reason)
		}
	}
	return dest, b.String()
}

// moveWithNote moves src into dir under a name not yet taken there (a
// resent file keeps its first copy), with the note, if any, beside it. The
// note is written first: a crash in between leaves the file to be seen
// again, not a moved file without its note.
func moveWithNote(src, dir, name, note string) error {
	dst := freeName(dir, name)
	if note != "" {
		if err := os.WriteFile(dst+ReasonSuffix, []byte(note), 0o640); err != nil {
			return err
		}
	}
	return os.Rename(src, dst)
}

// freeName answers dir/name, or dir/stem.N.ext for the first N not taken.
func freeName(dir, name string) string {
	dst := filepath.Join(dir, name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 1; ; n++ {
		// Any error but "exists" ends the search: the rename reports it.
		if _, err := os.Lstat(dst); err != nil {
			return dst
		}
		dst = filepath.Join(dir, stem+"."+strconv.Itoa(n)+ext)
	}
}

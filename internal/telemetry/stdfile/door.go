// Package stdfile is the door of the national MT/T 1201 exchange files
// ({mine}_{TYPE}_{yyyyMMddHHmmss}.txt): uploaded over HTTP or dropped by the
// mines' FTP uploads into a watched landing folder.
//
// Every file is recognised by the SHA-256 of its bytes. The first time, it
// is parsed and applied for the mine its name names, and recorded with the
// answer given; any later copy, by either door, is answered with that
// recorded answer marked duplicate and changes nothing. So a resend, or a
// landing-folder file seen again after a crash, is never stored twice.
//
// What each type does: CDDY defines points (through the telemetry service,
// like an import); CDSS is a sample batch through the same validated ingest
// path as MQTT and HTTP; TJSJ and YCBJ are kept as the mine reported them
// (the regulator compares them with its own computations); FZDY and FZSS
// define substations and their state — a substation that is not
// communicating means its points' data is interrupted (StationDown).
package stdfile

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry"
	"minesafe/internal/telemetry/mtt"
)

// Where a file came from.
const (
	SourceUpload = "upload" // POST /api/v1/ingest/files
	SourceFolder = "folder" // the watched landing folder
)

// What became of a file.
const (
	StatusDone     = "done"     // applied; single records may have been refused
	StatusRejected = "rejected" // unusable as a whole (truncated, bad header): nothing stored
)

// MaxFileSize caps one file. A CDSS file of a large mine every 30 s is a
// few hundred kilobytes; 32 MiB leaves room for back-fills.
const MaxFileSize = 32 << 20

// Door receives exchange files for the telemetry service.
type Door struct {
	svc      *telemetry.Service
	db       *store.DB
	reg      *registry.Service
	clk      clock.Clock
	log      *slog.Logger
	inflight keyedMutex
	stations stationCache
	// afterScan, when set (tests), is called after each scan of the
	// landing folder with the scan's number, from 1.
	afterScan func(n int)
}

// New answers the door; Routes serves it over HTTP and Watch reads a folder.
func New(svc *telemetry.Service, db *store.DB, reg *registry.Service, clk clock.Clock, log *slog.Logger) *Door {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.Default()
	}
	d := &Door{svc: svc, db: db, reg: reg, clk: clk, log: log}
	d.inflight.m = map[string]*keyLock{}
	d.stations.m = map[int64]downSet{}
	return d
}

// FileResult is the answer for one file, and what a resend of it is
// answered again (with Duplicate set).
type FileResult struct {
	ID         int64      `json:"id"`
	File       string     `json:"file"`
	Type       string     `json:"type"`
	Mine       string     `json:"mine"`
	MineID     int64      `json:"mine_id"`
	SHA256     string     `json:"sha256"`
	Status     string     `json:"status"`
	Reason     string     `json:"reason,omitempty"`
	Duplicate  bool       `json:"duplicate"`
	Encoding   string     `json:"encoding,omitempty"`
	Records    int        `json:"records"`
	Accepted   int        `json:"accepted"`
	Rejected   []Rejected `json:"rejected"`
	Created    *int       `json:"created,omitempty"`
	Updated    *int       `json:"updated,omitempty"`
	ReceivedAt time.Time  `json:"received_at"`
}

// Rejected is one refused record of a file.
type Rejected struct {
	// Index is the record's number after the header, from 1, blank
	// records not counted (as the parser counts).
	Index int `json:"index"`
	// Record is the record as sent when the parser refused it, otherwise
	// the point or station code it is about.
	Record string `json:"record"`
	// Code is "malformed" for a record the parser refused, "invalid" for a
	// point definition the network refused, or the ingest reason code
	// (unknown_point, future_time, impossible_value, archived_point).
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Codes of Rejected besides the ingest reason codes.
const (
	CodeMalformed = telemetry.ReasonMalformed
	CodeInvalid   = "invalid"
)

func (r *FileResult) refuse(index int, record, code, reason string) {
	r.Rejected = append(r.Rejected, Rejected{Index: index, Record: record, Code: code, Reason: reason})
}

// uploader is who sends a file, as the points, the events and the file
// list record it.
type uploader struct {
	p       *auth.Principal
	name    string
	userID  *int64
	tokenID *int64
}

// uploaderOf names the sender of a file for mine m. An ingest token acts
// as the mine's enterprise: Authorize has checked it covers the mine, and
// that is the narrowest principal that may define the mine's points.
func uploaderOf(snd telemetry.Sender, m registry.Mine) uploader {
	if t := snd.Token; t != nil {
		name := fmt.Sprintf("ingest token %d (%s)", t.ID, t.Name)
		ent := m.EnterpriseID
		id := t.ID
		return uploader{p: &auth.Principal{Username: name, Role: auth.RoleEnterprise, EnterpriseID: &ent}, name: name, tokenID: &id}
	}
	return uploader{p: snd.User, name: snd.User.Name(), userID: snd.User.ActorID()}
}

// folderUploader is the landing folder, trusted like the FTP server that
// fills it.
var folderUploader = uploader{p: auth.System, name: "landing folder"}

// fileName checks a file name, refusing it as a 422 naming `file`.
func fileName(name string) (string, mtt.FileName, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	fn, err := mtt.ParseFileName(name)
	if err != nil {
		return name, fn, fail.Invalidf("file", "%v: name the file {mine}_{CDDY|CDSS|TJSJ|YCBJ|FZDY|FZSS}_{yyyyMMddHHmmss}.txt", err)
	}
	return name, fn, nil
}

// Process receives one file from a sender: its name must name a mine the
// sender may send for (403 otherwise). A file seen before (same bytes) is
// answered with its first answer, Duplicate set, and changes nothing. A file
// unusable as a whole is recorded with status rejected and its reason; a
// usable one is applied, each refused record listed with its reason. The
// error is a refusal (fail) or a fault to retry; nothing is recorded then.
func (d *Door) Process(ctx context.Context, snd telemetry.Sender, name string, data []byte, source string) (FileResult, error) {
	if source != SourceUpload && source != SourceFolder {
		return FileResult{}, fmt.Errorf("stdfile: source %q is neither %q nor %q", source, SourceUpload, SourceFolder)
	}
	name, fn, err := fileName(name)
	if err != nil {
		return FileResult{}, err
	}
	// Authorised before the content is looked at, so that nobody learns
	// what another mine sent by resending its bytes.
	m, err := d.svc.Authorize(ctx, snd, fn.Mine)
	if err != nil {
		return FileResult{}, err
	}
	return d.process(ctx, uploaderOf(snd, m), m, name, fn, data, source)
}

func (d *Door) process(ctx context.Context, up uploader, m registry.Mine, name string, fn mtt.FileName, data []byte, source string) (FileResult, error) {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	// Two copies arriving together (an upload and the folder) would both
	// miss the lookup below; the second now waits and finds the first.
	defer d.inflight.lock(hash)()
	if res, ok, err := d.earlier(ctx, hash, m); ok || err != nil {
		return res, err
	}
	res := FileResult{File: name, Type: fn.Type, Mine: m.Code, MineID: m.ID, SHA256: hash, Status: StatusDone,
		Rejected: []Rejected{}, ReceivedAt: d.clk.Now().UTC()}
	var st stage
	f, err := mtt.Parse(name, data)
	if err != nil {
		res.Status, res.Reason = StatusRejected, err.Error()
	} else {
		res.Encoding = f.Encoding
		for _, e := range f.Errors {
			res.refuse(e.Index, e.Raw, CodeMalformed, e.Reason)
		}
		if st, err = d.apply(ctx, up, m, f, &res); err != nil {
			return FileResult{}, err
		}
		res.Records = res.Accepted + len(res.Rejected)
		sort.SliceStable(res.Rejected, func(i, j int) bool { return res.Rejected[i].Index < res.Rejected[j].Index })
	}
	err = d.record(ctx, up, m, fn, len(data), source, &res, st.write)
	if store.IsUniqueViolation(err) {
		// Another node stored the same bytes meanwhile: its answer stands.
		res, _, err = d.earlier(ctx, hash, m)
		return res, err
	}
	if err != nil {
		return FileResult{}, err
	}
	if st.after != nil {
		st.after()
	}
	return res, nil
}

// stage is what applying a file leaves to do: writes that commit with the
// file's row, and work after the commit.
type stage struct {
	write func(ctx context.Context, tx *store.Tx, fileID int64) error
	after func()
}

// earlier answers the recorded answer of a file with the hash, marked
// duplicate. The same bytes under another mine's name can only be a file
// that was rejected for naming the wrong mine; say so rather than show it.
func (d *Door) earlier(ctx context.Context, hash string, m registry.Mine) (FileResult, bool, error) {
	var id, mineID int64
	var raw string
	err := d.db.QueryRow(ctx, `SELECT id, mine_id, result FROM ingest_files WHERE sha256 = ?`, hash).Scan(&id, &mineID, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return FileResult{}, false, nil
	}
	if err != nil {
		return FileResult{}, false, err
	}
	if mineID != m.ID {
		return FileResult{}, true, fail.Conflictf("duplicate", "these bytes were already received as file %d for another mine", id)
	}
	var res FileResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return FileResult{}, true, fmt.Errorf("ingest file %d: stored answer: %w", id, err)
	}
	res.ID, res.Duplicate = id, true
	return res, true, nil
}

// record writes the file's row, its records (write) and its event in one
// transaction, and sets res.ID.
func (d *Door) record(ctx context.Context, up uploader, m registry.Mine, fn mtt.FileName, size int, source string, res *FileResult,
	write func(ctx context.Context, tx *store.Tx, fileID int64) error) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return d.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO ingest_files (sha256, name, mine_id, type, file_time, size, encoding, source, received_at, status, reason,
			accepted, rejected, uploaded_by, user_id, token_id, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			res.SHA256, res.File, m.ID, res.Type, fn.Time.UTC(), size, res.Encoding, source, res.ReceivedAt, res.Status, res.Reason,
			res.Accepted, len(res.Rejected), up.name, up.userID, up.tokenID, string(raw))
		if err != nil {
			return err
		}
		if write != nil {
			if err := write(ctx, tx, id); err != nil {
				return err
			}
		}
		action := "receive"
		if res.Status == StatusRejected {
			action = "reject"
		}
		ev := events.New(up.p, res.ReceivedAt, "ingest_file", id, action).WithDetail(map[string]any{
			"file": res.File, "type": res.Type, "source": source, "sha256": res.SHA256, "accepted": res.Accepted, "rejected": len(res.Rejected)})
		ev.Reason = res.Reason
		ev.MineID, ev.RegionCode, ev.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
		if _, err := events.Append(ctx, tx, ev); err != nil {
			return err
		}
		res.ID = id
		return nil
	})
}

// keyedMutex serialises work on equal keys only.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

// lock takes the key's lock and answers its release.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	l := k.m[key]
	if l == nil {
		l = &keyLock{}
		k.m[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

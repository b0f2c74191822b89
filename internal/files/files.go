// Package files keeps attachments: photos and documents that records of
// the loops (hazards now, inspections later) refer to. A file is uploaded
// first, on its own, and answered with an id; a later step of a record
// attaches it, and from then on it is served only to those who may see that
// record. Types and sizes are checked on upload; the bytes live in a Blob.
package files

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// DefaultMaxSize is the largest file accepted unless Options say otherwise:
// enough for a phone photo or a scanned rectification report.
const DefaultMaxSize = 20 << 20

// The accepted types. Office documents are sniffed as ZIP archives and
// recognised by their extension and the part every such document has.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// officeParts names the part that makes a ZIP archive a document of a type.
var officeParts = map[string]struct{ ext, part string }{
	TypeDOCX: {".docx", "word/document.xml"},
	TypeXLSX: {".xlsx", "xl/workbook.xml"},
}

// Options tune the service.
type Options struct {
	MaxSize int64 // bytes; default DefaultMaxSize
	Log     *slog.Logger
}

// OwnerCheck answers nil when p may see record id of its type, and a
// refusal (normally 404) otherwise.
type OwnerCheck func(ctx context.Context, p *auth.Principal, id int64) error

// Service stores, attaches and serves files.
type Service struct {
	db   *store.DB
	clk  clock.Clock
	blob Blob
	opt  Options

	mu     sync.RWMutex
	owners map[string]OwnerCheck
}

// NewService answers the files service over blob.
func NewService(db *store.DB, clk clock.Clock, blob Blob, opt Options) *Service {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Service{db: db, clk: clk, blob: blob, opt: opt, owners: map[string]OwnerCheck{}}
}

// RegisterOwner tells the service how to decide who may see records of
// recordType, so that it can serve the files attached to them. Each
// capability that attaches files registers its record types once, when it
// is built. (It is a method, not a package-level registry, so that two apps
// in one process — tests — never check records in each other's database.)
func (s *Service) RegisterOwner(recordType string, check OwnerCheck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[recordType] = check
}

func (s *Service) owner(recordType string) (OwnerCheck, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.owners[recordType]
	return c, ok
}

// MaxSize answers the largest accepted file, in bytes.
func (s *Service) MaxSize() int64 { return s.opt.MaxSize }

// File is an uploaded file's record.
type File struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	Uploader    string     `json:"uploaded_by"`
	UploadedAt  time.Time  `json:"uploaded_at"`
	OwnerType   string     `json:"owner_type,omitempty"`
	OwnerID     *int64     `json:"owner_id,omitempty"`
	AttachedAt  *time.Time `json:"attached_at,omitempty"`

	uploaderID           *int64
	uploaderEnterpriseID *int64
}

const fileCols = `id, name, content_type, size, sha256, uploader, uploaded_at, owner_type, owner_id, attached_at, uploaded_by, uploader_enterprise_id`

func scanFile(row interface{ Scan(...any) error }) (File, error) {
	var f File
	err := row.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Uploader, &f.UploadedAt, &f.OwnerType, &f.OwnerID, &f.AttachedAt,
		&f.uploaderID, &f.uploaderEnterpriseID)
	f.UploadedAt = f.UploadedAt.UTC()
	if f.AttachedAt != nil {
		t := f.AttachedAt.UTC()
		f.AttachedAt = &t
	}
	return f, err
}

// Sniff answers the content type of data if it is an accepted type, or a
// reason it is not. name's extension only decides between the Office
// formats, which are ZIP archives inside.
func Sniff(name string, data []byte) (string, error) {
	ct := http.DetectContentType(data)
	switch ct {
	case TypeJPEG, TypePNG, TypePDF:
		return ct, nil
	case "application/zip":
		ext := strings.ToLower(path.Ext(name))
		for typ, o := range officeParts {
			if ext == o.ext && zipHas(data, o.part) {
				return typ, nil
			}
		}
	}
	return "", fmt.Errorf("the content is %s; accepted are JPEG, PNG, PDF, DOCX and XLSX", ct)
}

func zipHas(data []byte, part string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	return slices.ContainsFunc(zr.File, func(f *zip.File) bool { return f.Name == part })
}

// cleanName keeps the last element of a client's file name, as users read
// it (a browser may send a full path).
func cleanName(name string) string {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" {
		name = "file"
	}
	return name
}

// Upload stores a file for p and answers its record; it is nobody's until
// a step attaches it. Refusals: 403 for read-only roles, 413 too large,
// 422 empty or of a type not accepted.
func (s *Service) Upload(ctx context.Context, p *auth.Principal, name string, data []byte) (File, error) {
	if p == nil {
		return File{}, fail.Unauthenticatedf("log in or send a bearer token")
	}
	if p.Is(auth.RoleObserver) {
		return File{}, fail.Forbiddenf("role %s may not upload files", p.Role)
	}
	if int64(len(data)) > s.opt.MaxSize {
		return File{}, &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", s.opt.MaxSize)}
	}
	if len(data) == 0 {
		return File{}, fail.Invalidf("file", "the file is empty")
	}
	name = cleanName(name)
	ct, err := Sniff(name, data)
	if err != nil {
		return File{}, fail.Invalidf("file", "%v", err)
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	// The bytes first: a row never points at a blob that is not there. A
	// blob whose row failed is harmless and reused by the next upload.
	if err := s.blob.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return File{}, err
	}
	f := File{Name: name, ContentType: ct, Size: int64(len(data)), SHA256: key, Uploader: p.Name(), UploadedAt: s.clk.Now().UTC().Truncate(time.Microsecond),
		uploaderID: p.ActorID()}
	if p.Role == auth.RoleEnterprise {
		f.uploaderEnterpriseID = p.EnterpriseID
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		f.ID, err = tx.Insert(ctx, `INSERT INTO files (sha256, name, content_type, size, uploaded_by, uploader, uploader_enterprise_id, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, key, f.Name, ct, f.Size, f.uploaderID, f.Uploader, f.uploaderEnterpriseID, f.UploadedAt)
		if err != nil {
			return err
		}
		_, err = events.Append(ctx, tx, events.New(p, f.UploadedAt, "file", f.ID, "upload").
			WithDetail(map[string]any{"name": f.Name, "content_type": ct, "size": f.Size, "sha256": key}))
		return err
	})
	return f, err
}

func (s *Service) get(ctx context.Context, q store.Querier, rebind func(string) string, id int64) (File, error) {
	f, err := scanFile(q.QueryRowContext(ctx, rebind(`SELECT `+fileCols+` FROM files WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fail.NotFoundf("no such file")
	}
	return f, err
}

// mayUse tells whether p may attach an unattached file: its uploader, a
// user of the same enterprise (the mine's staff share their photos), or an
// admin.
func mayUse(p *auth.Principal, f File) bool {
	switch {
	case p.Is(auth.RoleAdmin):
		return true
	case f.uploaderID != nil && p.UserID == *f.uploaderID:
		return true
	case p.Role == auth.RoleEnterprise && p.EnterpriseID != nil && f.uploaderEnterpriseID != nil:
		return *p.EnterpriseID == *f.uploaderEnterpriseID
	}
	return false
}

// Get answers a file's record if p may see it: an attached file to those
// who may see its record, an unattached one to those who may attach it.
// Anything else reads as missing (404).
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (File, error) {
	f, err := s.get(ctx, s.db, s.db.Q, id)
	if err != nil {
		return f, err
	}
	if f.OwnerType == "" {
		if !mayUse(p, f) {
			return File{}, fail.NotFoundf("no such file")
		}
		return f, nil
	}
	check, ok := s.owner(f.OwnerType)
	if !ok || f.OwnerID == nil {
		s.opt.Log.Error("file attached to a record type nobody registered", "file", f.ID, "owner_type", f.OwnerType)
		return File{}, fail.NotFoundf("no such file")
	}
	if err := check(ctx, p, *f.OwnerID); err != nil {
		if fail.Is(err, fail.NotFound) || fail.Is(err, fail.Forbidden) {
			return File{}, fail.NotFoundf("no such file")
		}
		return File{}, err
	}
	return f, nil
}

// Open answers a file p may see and its content; close the content.
func (s *Service) Open(ctx context.Context, p *auth.Principal, id int64) (File, io.ReadSeekCloser, error) {
	f, err := s.Get(ctx, p, id)
	if err != nil {
		return f, nil, err
	}
	rc, err := s.blob.Get(ctx, f.SHA256)
	return f, rc, err
}

// Attach makes the files ids belong to record (recordType, recordID) inside
// the caller's transaction, with an event per file. Each must exist, be
// unattached and be usable by p (see mayUse); otherwise the whole step is
// refused with a 422 on attachment_ids naming the file.
func (s *Service) Attach(ctx context.Context, tx *store.Tx, p *auth.Principal, ids []int64, recordType string, recordID int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, ok := s.owner(recordType); !ok {
		return fmt.Errorf("files: record type %q has no owner check registered", recordType)
	}
	now := s.clk.Now().UTC().Truncate(time.Microsecond)
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return fail.Invalidf("attachment_ids", "file %d is listed twice", id)
		}
		seen[id] = true
		f, err := s.get(ctx, tx, tx.Q, id)
		if fail.Is(err, fail.NotFound) || err == nil && !mayUse(p, f) {
			return fail.Invalidf("attachment_ids", "file %d does not exist or was not uploaded by you or your enterprise", id)
		}
		if err != nil {
			return err
		}
		if f.OwnerType != "" {
			return fail.Invalidf("attachment_ids", "file %d is already attached to %s %d", id, f.OwnerType, *f.OwnerID)
		}
		// The condition on owner_type guards against a concurrent attach.
		res, err := tx.Exec(ctx, `UPDATE files SET owner_type = ?, owner_id = ?, attached_at = ? WHERE id = ? AND owner_type = ''`, recordType, recordID, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Invalidf("attachment_ids", "file %d was attached meanwhile", id)
		}
		ev := events.New(p, now, "file", id, "attach").WithDetail(map[string]any{"record_type": recordType, "record_id": recordID})
		if _, err := events.Append(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// Attached answers the files of a record, oldest first. It checks no
// scope: the caller has already shown the record to p.
func (s *Service) Attached(ctx context.Context, recordType string, recordID int64) ([]File, error) {
	rows, err := s.db.Query(ctx, `SELECT `+fileCols+` FROM files WHERE owner_type = ? AND owner_id = ? ORDER BY id`, recordType, recordID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

package files

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Routes registers the upload and the download.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("POST /api/v1/files", s.handleUpload)
	r.Handle("GET /api/v1/files/{id}", s.handleGet)
}

func (s *Service) handleUpload(w http.ResponseWriter, r *http.Request) {
	name, data, err := s.readUpload(w, r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	f, err := s.Upload(r.Context(), auth.FromContext(r.Context()), name, data)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusCreated, f)
}

// readUpload answers the multipart field "file". The body is capped a
// little above the size limit (the framing), so an oversized upload is cut
// off early instead of being read to its end.
func (s *Service) readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	tooLarge := &fail.Error{Kind: fail.TooLarge, Code: "too_large", Message: fmt.Sprintf("file larger than %d bytes", s.opt.MaxSize)}
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxSize+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return "", nil, tooLarge
		}
		return "", nil, fail.BadRequestf("expected a multipart/form-data body with the file in the field 'file'")
	}
	defer r.MultipartForm.RemoveAll()
	part, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, fail.BadRequestf("the multipart field 'file' is missing")
	}
	defer part.Close()
	if hdr.Size > s.opt.MaxSize {
		return "", nil, tooLarge
	}
	data, err := io.ReadAll(part)
	if err != nil {
		return "", nil, err
	}
	return hdr.Filename, data, nil
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	f, rc, err := s.Open(r.Context(), auth.FromContext(r.Context()), id)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	defer rc.Close()
	disposition := "attachment"
	if f.ContentType != TypeDOCX && f.ContentType != TypeXLSX {
		disposition = "inline" // photos and PDFs open in the browser
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	// A stored PDF must not run script against the app's origin.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("ETag", `"`+f.SHA256+`"`)
	http.ServeContent(w, r, "", f.UploadedAt, rc)
}

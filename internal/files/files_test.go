package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/clock"
	"minesafe/internal/fail"
	"minesafe/internal/files"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
	"minesafe/internal/store/storetest"
)

var (
	jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1}, 60)...)
	pdf  = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
)

func office(t *testing.T, part string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", part} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	docx, xlsx := office(t, "word/document.xml"), office(t, "xl/workbook.xml")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"a.jpg", jpeg, files.TypeJPEG},
		{"a.pdf", pdf, files.TypePDF},
		{"report.docx", docx, files.TypeDOCX},
		{"list.XLSX", xlsx, files.TypeXLSX},
		{"list.docx", xlsx, ""}, // a workbook named as a document
		{"a.zip", docx, ""},
		{"a.jpg", []byte("<html><script>alert(1)</script></html>"), ""},
	} {
		got, err := files.Sniff(tc.name, tc.data)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("%s: %q %v, want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestFolderBlob(t *testing.T) {
	ctx := context.Background()
	f, err := files.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key := "ab" + string(bytes.Repeat([]byte("0"), 62))
	if err := f.Put(ctx, key, bytes.NewReader([]byte("one"))); err != nil {
		t.Fatal(err)
	}
	// The same key keeps the stored content.
	if err := f.Put(ctx, key, bytes.NewReader([]byte("two"))); err != nil {
		t.Fatal(err)
	}
	rc, err := f.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "one" {
		t.Fatalf("content %q", b)
	}
	if err := f.Put(ctx, "../../etc/passwd", bytes.NewReader(nil)); err == nil {
		t.Fatal("a key that is not a hash was accepted")
	}
	if _, err := f.Get(ctx, "cd"+string(bytes.Repeat([]byte("0"), 62))); err == nil {
		t.Fatal("a missing key opened")
	}
}

func TestUploadAttachServe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		blob, err := files.NewFolder(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		svc := files.NewService(db, clock.NewFake(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), blob, files.Options{MaxSize: 1024})
		ent1, ent2 := int64(1), int64(2)
		alice := &auth.Principal{UserID: 11, Username: "alice", Role: auth.RoleEnterprise, EnterpriseID: &ent1}
		bob := &auth.Principal{UserID: 12, Username: "bob", Role: auth.RoleEnterprise, EnterpriseID: &ent1}
		carol := &auth.Principal{UserID: 13, Username: "carol", Role: auth.RoleEnterprise, EnterpriseID: &ent2}
		county := &auth.Principal{UserID: 14, Username: "county", Role: auth.RoleCounty, Regions: []string{"150725"}}
		observer := &auth.Principal{UserID: 15, Username: "obs", Role: auth.RoleObserver}

		if _, err := svc.Upload(ctx, observer, "a.jpg", jpeg); !fail.Is(err, fail.Forbidden) {
			t.Fatalf("observer upload: %v", err)
		}
		if _, err := svc.Upload(ctx, alice, "big.pdf", append(pdf, make([]byte, 1024)...)); !fail.Is(err, fail.TooLarge) {
			t.Fatalf("too large: %v", err)
		}
		if _, err := svc.Upload(ctx, alice, "empty.pdf", nil); !fail.Is(err, fail.Invalid) {
			t.Fatalf("empty: %v", err)
		}
		f, err := svc.Upload(ctx, alice, `C:\photos\现场.jpg`, jpeg)
		if err != nil || f.Name != "现场.jpg" || f.ContentType != files.TypeJPEG || f.Size != int64(len(jpeg)) || f.Uploader != "alice" {
			t.Fatalf("upload %+v %v", f, err)
		}
		same, err := svc.Upload(ctx, carol, "copy.jpg", jpeg)
		if err != nil || same.SHA256 != f.SHA256 || same.ID == f.ID {
			t.Fatalf("same content %+v %v", same, err)
		}

		// Before attachment: the uploader, the uploader's enterprise, admin.
		for _, p := range []*auth.Principal{alice, bob, auth.System} {
			if _, err := svc.Get(ctx, p, f.ID); err != nil {
				t.Errorf("%s: %v", p.Username, err)
			}
		}
		for _, p := range []*auth.Principal{carol, county} {
			if _, err := svc.Get(ctx, p, f.ID); !fail.Is(err, fail.NotFound) {
				t.Errorf("%s sees an unattached file of another: %v", p.Username, err)
			}
		}

		// Attaching: a registered record type, files p may use, each once.
		visible := map[int64]bool{7: true}
		svc.RegisterOwner("thing", func(ctx context.Context, p *auth.Principal, id int64) error {
			if p.Role == auth.RoleCounty && visible[id] || p.Role == auth.RoleEnterprise && *p.EnterpriseID == 1 {
				return nil
			}
			return fail.NotFoundf("no such thing")
		})
		attach := func(p *auth.Principal, ids []int64, typ string, id int64) error {
			return db.InTx(ctx, func(tx *store.Tx) error { return svc.Attach(ctx, tx, p, ids, typ, id) })
		}
		if err := attach(alice, []int64{f.ID}, "unknown", 7); err == nil {
			t.Fatal("attached to an unregistered record type")
		}
		if err := attach(carol, []int64{f.ID}, "thing", 7); !fail.Is(err, fail.Invalid) {
			t.Fatalf("carol attaching alice's file: %v", err)
		}
		if err := attach(alice, []int64{f.ID, f.ID}, "thing", 7); !fail.Is(err, fail.Invalid) {
			t.Fatalf("listed twice: %v", err)
		}
		if err := attach(bob, []int64{f.ID}, "thing", 7); err != nil {
			t.Fatalf("bob attaching his colleague's file: %v", err)
		}
		if err := attach(alice, []int64{f.ID}, "thing", 8); !fail.Is(err, fail.Invalid) {
			t.Fatalf("attached twice: %v", err)
		}
		got, rc, err := svc.Open(ctx, county, f.ID)
		if err != nil {
			t.Fatalf("county opening an attached file: %v", err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, jpeg) || got.OwnerType != "thing" || *got.OwnerID != 7 || got.AttachedAt == nil {
			t.Fatalf("opened %+v", got)
		}
		visible[7] = false
		if _, err := svc.Get(ctx, county, f.ID); !fail.Is(err, fail.NotFound) {
			t.Fatalf("file of a record the county cannot see: %v", err)
		}
		if _, err := svc.Get(ctx, carol, f.ID); !fail.Is(err, fail.NotFound) {
			t.Fatalf("carol: %v", err)
		}
		list, err := svc.Attached(ctx, "thing", 7)
		if err != nil || len(list) != 1 || list[0].ID != f.ID {
			t.Fatalf("attached %+v %v", list, err)
		}
	})
}

// TestOpenAPI checks that the fragment documents every registered route.
func TestOpenAPI(t *testing.T) {
	r := httpx.NewRouter(nil)
	files.NewService(nil, nil, nil, files.Options{}).Routes(r)
	for _, rt := range r.Routes() {
		if !bytes.Contains(files.OpenAPI, []byte("  "+rt.Path+":\n")) || !bytes.Contains(files.OpenAPI, []byte("    "+strings.ToLower(rt.Method)+":\n")) {
			t.Errorf("%s %s is not in openapi.yaml", rt.Method, rt.Path)
		}
	}
}

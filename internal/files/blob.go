package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Blob stores file contents under their SHA-256 (64 hex digits). It has no
// Delete on purpose: nothing regulated is ever deleted, and a content that
// two records share is stored once. A cluster swaps the folder for object
// storage by implementing these two methods.
type Blob interface {
	// Put stores the content of r under key. Storing a key that is already
	// there keeps the stored copy: the same key is the same content.
	Put(ctx context.Context, key string, r io.Reader) error
	// Get opens the content of key; a missing key is an error wrapping
	// fs.ErrNotExist.
	Get(ctx context.Context, key string) (io.ReadSeekCloser, error)
}

// Folder is the default Blob: a folder (by default <data-dir>/files) with
// the contents at ab/cd/abcd…, so that no single folder grows huge.
type Folder struct {
	dir string
}

// NewFolder answers a Folder at dir, creating it.
func NewFolder(dir string) (*Folder, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("files folder: %w", err)
	}
	return &Folder{dir: dir}, nil
}

func validKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	for _, c := range key {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (f *Folder) path(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("blob key %q is not a SHA-256 in hex", key)
	}
	return filepath.Join(f.dir, key[:2], key[2:4], key), nil
}

// Put writes the content to a temporary file beside the final place, syncs
// it and renames it there, so that a crash never leaves half a file under a
// key.
func (f *Folder) Put(ctx context.Context, key string, r io.Reader) error {
	dst, err := f.path(key)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(f.dir, "tmp"), "put-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store blob: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Get opens the stored content of key.
func (f *Folder) Get(_ context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := f.path(key)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("blob %s: %w", key, err)
		}
		return nil, err
	}
	return file, nil
}

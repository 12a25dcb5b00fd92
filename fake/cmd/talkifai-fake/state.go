package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/talkifai-go/talkifai/fake"
)

// loadState loads path into srv. It reports false, with no error, when
// there is no such file yet; any other failure (unreadable, not a saved
// state, a directory that does not exist) is an error that says which
// file and why.
func loadState(srv *fake.Server, path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing to load yet. The save at shutdown needs the directory:
		// say now that it is missing, not after the agents are lost.
		if info, err := os.Stat(filepath.Dir(path)); err != nil || !info.IsDir() {
			return false, fmt.Errorf("state file %s could never be saved: its directory does not exist", path)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("state file %s cannot be read: %w", path, err)
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || info.IsDir() {
		return false, fmt.Errorf("state file %s cannot be read: it is a directory or cannot be examined", path)
	}
	if err := srv.ReadState(f); err != nil {
		return false, fmt.Errorf("state file %s is not a saved state (left as it is; fix or remove it): %w", path, err)
	}
	return true, nil
}

// saveState writes srv's agents to path atomically: to a temporary file in
// the same directory, synced to disk, then renamed over path, and the
// directory synced so that the rename lasts. On failure path is untouched.
func saveState(srv *fake.Server, path string) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("saving state to %s: %w", path, err)
		}
	}()
	if err := srv.WriteState(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

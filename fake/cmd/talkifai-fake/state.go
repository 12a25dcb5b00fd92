package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// prepareStateDir makes sure that the state can be saved at shutdown, by
// writing and removing a temporary file where the save will write its
// own, and removes the temporary files that a save cut short (the process
// killed mid-write) left behind. It returns an error that says which
// file and why when the directory cannot be written, so that the fake
// refuses to start rather than lose every agent at shutdown.
func prepareStateDir(path string) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	orphans, _ := filepath.Glob(filepath.Join(globEscape(dir), tempPattern(globEscape(base))))
	for _, o := range orphans {
		os.Remove(o) // best effort: a file that stays is only clutter
	}
	probe, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return fmt.Errorf("state file %s could never be saved: its directory cannot be written: %w", path, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// globEscape escapes the characters that filepath.Glob reads as a
// pattern.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// tempPattern is the name of the temporary files of a save of the state
// file base, for os.CreateTemp and filepath.Glob alike.
func tempPattern(base string) string { return "." + base + ".*.tmp" }

// saveState writes srv's agents to path atomically: to a temporary file in
// the same directory, synced to disk, then renamed over path, and the
// directory synced so that the rename lasts. On failure path is untouched.
func saveState(srv *fake.Server, path string) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(filepath.Base(path)))
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

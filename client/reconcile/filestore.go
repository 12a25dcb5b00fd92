package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FileStore is a [LockStore] that keeps the lock in a JSON file of the
// folder: talkifai.lock.json, or talkifai.ENV.lock.json for an
// environment. It writes a temporary file and renames it over the lock, so
// a crash leaves the old lock or the new one, never a mix. While a run
// holds it, a file beside it (the lock's name with ".lock" added) is
// locked, which the system releases when the process ends, however it
// ends.
type FileStore struct {
	path string
}

// LockFileName returns the lock file's name for env: talkifai.lock.json
// when env is "", else talkifai.ENV.lock.json. It fails with an error
// matching [ErrInvalidKey] when env is not "" and not a valid key.
func LockFileName(env string) (string, error) {
	if env == "" {
		return "talkifai.lock.json", nil
	}
	if !ValidKey(env) {
		return "", fmt.Errorf("%w: environment %q", ErrInvalidKey, env)
	}
	return "talkifai." + env + ".lock.json", nil
}

// NewFileStore returns the store of the lock of env ("" for the default
// lock) in dir. It fails as [LockFileName] does. It touches no file.
func NewFileStore(dir, env string) (*FileStore, error) {
	name, err := LockFileName(env)
	if err != nil {
		return nil, err
	}
	return &FileStore{path: filepath.Join(dir, name)}, nil
}

// Path returns the lock file's path.
func (s *FileStore) Path() string { return s.path }

// Acquire locks the file beside the lock, or fails with an error matching
// [ErrLockHeld] when another process has it locked. The file stays after
// release; only its being locked counts. Where the system has no file
// locks the file's existence counts, and release removes it.
func (s *FileStore) Acquire(ctx context.Context) (func() error, error) {
	return acquireFile(s.path + ".lock")
}

// Read returns the lock in the file, or an empty lock when there is no
// file. It fails on a file that does not decode, or whose version is not
// [LockVersion] (an error matching [ErrLockVersion]).
func (s *FileStore) Read(ctx context.Context) (*Lock, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return NewLock(""), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	return decodeLock(s.path, data)
}

// decodeLock decodes a lock file's content; name is for messages.
func decodeLock(name string, data []byte) (*Lock, error) {
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("reconcile: %s: %w", name, err)
	}
	if l.Version != LockVersion {
		return nil, fmt.Errorf("%w: %s has version %d, this program reads %d", ErrLockVersion, name, l.Version, LockVersion)
	}
	if l.Agents == nil {
		l.Agents = map[string]*Entry{}
	}
	return &l, nil
}

// Write stores l as [LockStore] says: the serial check, then a temporary
// file in the same folder, synced, renamed over the lock.
func (s *FileStore) Write(ctx context.Context, l *Lock) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	stored, err := s.Read(ctx)
	if err != nil {
		return err
	}
	if stored.Serial != l.Serial {
		return fmt.Errorf("%w: %s is at serial %d, this run read %d", ErrSerialChanged, s.path, stored.Serial, l.Serial)
	}
	next := *l
	next.Serial++
	data, err := json.MarshalIndent(&next, "", "  ")
	if err != nil {
		return fmt.Errorf("reconcile: encoding the lock: %w", err)
	}
	if err := writeAtomic(s.path, append(data, '\n')); err != nil {
		return err
	}
	l.Serial = next.Serial
	return nil
}

// writeAtomic replaces path by data: a crash leaves the old file or the
// new one.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".talkifai-*.tmp")
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("reconcile: writing %s: %w", path, err)
	}
	return nil
}

package reconcile

import (
	"context"
	"fmt"
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
// [ErrLockHeld] when another process has it locked.
func (s *FileStore) Acquire(ctx context.Context) (func() error, error) {
	return nil, ErrNotImplemented
}

// Read returns the lock in the file, or an empty lock when there is no
// file. It fails on a file that does not decode, or whose version is not
// [LockVersion] (an error matching [ErrLockVersion]).
func (s *FileStore) Read(ctx context.Context) (*Lock, error) {
	return nil, ErrNotImplemented
}

// Write stores l as [LockStore] says, atomically.
func (s *FileStore) Write(ctx context.Context, l *Lock) error {
	return ErrNotImplemented
}

package reconcile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Move renames key from to key to in the folder dir and the lock of store:
// the spec file (keeping its extension) and the lock entry. It sends no
// request, so it needs no client; the agent is not touched, nor is a
// prompt file. It fails with [ErrInvalidKey] for an invalid key, with
// [ErrKeyTaken] when to has a spec or an entry, with [ErrNoEntry] when
// from has neither, and with the store's error when the lock cannot be
// taken ([ErrLockHeld]), read or written. A Move cut short after renaming
// the file and before writing the lock is finished by running it again.
func Move(ctx context.Context, store LockStore, dir, from, to string) error {
	if !ValidKey(to) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, to)
	}
	return withStore(ctx, store, func(l *Lock) error { return move(ctx, store, l, dir, from, to) })
}

// move is Move with the store held and its lock read.
func move(ctx context.Context, store LockStore, l *Lock, dir, from, to string) error {
	fromFile, hasFrom := specFileOf(dir, from)
	toFile, hasTo := specFileOf(dir, to)
	en := l.Agents[from]
	switch {
	case !hasFrom && en == nil: // a mv run twice lands here
		return fmt.Errorf("%w: %q has no spec file and no lock entry", ErrNoEntry, from)
	case l.Agents[to] != nil:
		return fmt.Errorf("%w: %q has a lock entry", ErrKeyTaken, to)
	case hasTo && hasFrom:
		return fmt.Errorf("%w: %s exists", ErrKeyTaken, toFile)
	}
	if hasFrom {
		newName := to + filepath.Ext(fromFile)
		if err := os.Rename(filepath.Join(dir, fromFile), filepath.Join(dir, newName)); err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
	}
	if en == nil {
		return nil
	}
	if err := l.Rename(from, to); err != nil {
		return err
	}
	return store.Write(context.WithoutCancel(ctx), l)
}

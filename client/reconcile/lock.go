package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/talkifai-go/talkifai/agents"
)

// LockVersion is the version of the lock format this package reads and
// writes.
const LockVersion = 1

// Lock records, for each key, what was last applied. It holds no secret.
type Lock struct {
	Version int    `json:"version"`
	BaseURL string `json:"baseURL"`
	// Serial counts the writes of the lock. A [LockStore] refuses to write
	// a lock whose Serial is not the one it holds, so that two writers
	// cannot overwrite each other.
	Serial int64             `json:"serial"`
	Agents map[string]*Entry `json:"agents"`
}

// NewLock returns an empty lock for baseURL, at serial 0.
func NewLock(baseURL string) *Lock {
	return &Lock{Version: LockVersion, BaseURL: baseURL, Agents: map[string]*Entry{}}
}

// Entry is one key of the lock: an agent applied (ID and Applied), or a
// create about to be sent (Pending), or both while a pending create of a
// recreated agent is resolved.
type Entry struct {
	// ID is the agent's id; "" while only a create is pending.
	ID string `json:"id,omitempty"`
	// Applied is the body last applied to the agent.
	Applied *agents.CreateParams `json:"applied,omitempty"`
	// AppliedAt is when Applied was last applied or confirmed.
	AppliedAt time.Time `json:"appliedAt,omitzero"`
	// Pending is a create written ahead of sending it.
	Pending *PendingCreate `json:"pending,omitempty"`
}

// PendingCreate is a create written to the lock before it is sent, so that a
// crash between the create and the write of its id is repaired on the next
// run: see [Engine.Apply].
type PendingCreate struct {
	// IdempotencyKey is random per pending entry and sent with the create.
	IdempotencyKey string `json:"idempotencyKey"`
	// Body is the create body, exactly as sent.
	Body agents.CreateParams `json:"body"`
	// Since is when the entry was written.
	Since time.Time `json:"since"`
}

// Rename moves the entry of key from to key to. It fails with
// [ErrNoEntry] when from has no entry, with [ErrKeyTaken] when to has one,
// and with [ErrInvalidKey] when to is not a valid key; l is then unchanged.
func (l *Lock) Rename(from, to string) error {
	switch {
	case !ValidKey(to):
		return fmt.Errorf("%w: %q", ErrInvalidKey, to)
	case l.Agents[from] == nil:
		return fmt.Errorf("%w: %q", ErrNoEntry, from)
	case l.Agents[to] != nil:
		return fmt.Errorf("%w: %q has a lock entry", ErrKeyTaken, to)
	}
	l.Agents[to] = l.Agents[from]
	delete(l.Agents, from)
	return nil
}

// LockStore reads and writes a lock. [FileStore] keeps it in a file; a
// service may keep it in its own database. The engine calls Acquire once
// per run, then Read, then Write after every completed operation, from one
// goroutine at a time.
type LockStore interface {
	// Acquire takes the store for this process until release is called. It
	// fails with an error matching [ErrLockHeld] when another holds it.
	Acquire(ctx context.Context) (release func() error, err error)
	// Read returns the stored lock, or an empty lock at serial 0 (with an
	// empty BaseURL) when none is stored yet.
	Read(ctx context.Context) (*Lock, error)
	// Write stores l with its Serial increased by one, and increases
	// l.Serial, when the stored serial is still l.Serial; otherwise it
	// stores nothing and fails with an error matching [ErrSerialChanged].
	// A failed Write leaves l unchanged.
	Write(ctx context.Context, l *Lock) error
}

// withStore runs fn with store acquired and its lock read, and releases
// the store after.
func withStore(ctx context.Context, store LockStore, fn func(l *Lock) error) error {
	release, err := store.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	l, err := store.Read(ctx)
	if err != nil {
		return err
	}
	return fn(l)
}

// Errors of the lock, to match with errors.Is.
var (
	// ErrLockHeld: another process holds the lock store.
	ErrLockHeld = errors.New("reconcile: the lock is held by another process")
	// ErrSerialChanged: the stored lock was written by someone else since
	// it was read.
	ErrSerialChanged = errors.New("reconcile: the lock's serial changed since it was read")
	// ErrBaseURL: the lock was written for another base URL. Point the
	// client at that URL, or keep a lock per environment (LockFileName).
	ErrBaseURL = errors.New("reconcile: the lock belongs to another base URL")
	// ErrLockVersion: the lock has a version this package does not read.
	ErrLockVersion = errors.New("reconcile: unknown lock version")
	// ErrNoEntry: the lock has no entry for the key.
	ErrNoEntry = errors.New("reconcile: no lock entry")
	// ErrKeyTaken: the key already has a lock entry or a spec file.
	ErrKeyTaken = errors.New("reconcile: key already in use")
	// ErrInvalidKey: not a valid spec key (see [ValidKey]).
	ErrInvalidKey = errors.New("reconcile: invalid key")
)

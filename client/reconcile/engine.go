package reconcile

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/client"
)

// Defaults of [Config].
const (
	// DefaultConcurrency bounds the writes Apply sends at once.
	DefaultConcurrency = 4
	// DefaultReadConcurrency bounds the reads Plan sends at once. Reads
	// change nothing, so they may run wider than writes.
	DefaultReadConcurrency = 16
	// PendingMargin widens the window in which a pending create's agent is
	// looked for, for clock skew between this machine and the server.
	PendingMargin = time.Minute
)

// Config configures an [Engine]. The zero value of every field but Client
// and Store has a default. [Move], which sends no request, needs no
// Engine: it takes the store alone.
type Config struct {
	// Client sends every request. Required.
	Client *client.Client
	// Store reads and writes the lock. Required.
	Store LockStore
	// BaseURL is the API base URL recorded in the lock: a lock recorded
	// for another base URL is refused. A trailing "/" is not part of it.
	// Default: the client's own ([client.Client.BaseURL]); set it only
	// when the lock should name the API by another address than the one
	// the client dials (a proxy or a tunnel, say).
	BaseURL string
	// Concurrency bounds the writes of Apply (default [DefaultConcurrency]).
	Concurrency int
	// ReadConcurrency bounds the reads of Plan (default
	// [DefaultReadConcurrency]).
	ReadConcurrency int
	// Now is the clock of the lock's times (default time.Now). The lock
	// records them in UTC, in whole seconds.
	Now func() time.Time
	// NewKey makes the Idempotency-Key of each pending create (default: 32
	// random hexadecimal digits). Keys must differ every time.
	NewKey func() string
	// Progress, when set, is called after each operation of Apply, from
	// one goroutine at a time.
	Progress func(Event)
}

// Engine plans and applies a folder of specs against one organization.
// Make one with [New]. An Engine is safe for concurrent use, but runs that
// share a lock store exclude each other through [LockStore.Acquire].
type Engine struct {
	cfg Config
	api api
}

// New returns an engine for cfg. It fails when cfg has no Client or no
// Store, or a negative concurrency.
func New(cfg Config) (*Engine, error) {
	switch {
	case cfg.Client == nil:
		return nil, errors.New("reconcile: New: no Client")
	case cfg.Store == nil:
		return nil, errors.New("reconcile: New: no Store")
	case cfg.Concurrency < 0 || cfg.ReadConcurrency < 0:
		return nil, errors.New("reconcile: New: negative concurrency")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = cfg.Client.BaseURL()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.ReadConcurrency == 0 {
		cfg.ReadConcurrency = DefaultReadConcurrency
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewKey == nil {
		cfg.NewKey = randomKey
	}
	return &Engine{cfg: cfg, api: api{cfg.Client}}, nil
}

// randomKey returns 32 random hexadecimal digits.
func randomKey() string { return rand.Text() }

// withLock runs fn with the lock acquired and read, its base URL checked
// (a new lock gets the engine's).
// now is the time the lock records: UTC, in whole seconds, so that a
// committed lock file diffs by one short value per change.
func (e *Engine) now() time.Time {
	return e.cfg.Now().UTC().Truncate(time.Second)
}

func (e *Engine) withLock(ctx context.Context, fn func(l *Lock) error) error {
	return withStore(ctx, e.cfg.Store, func(l *Lock) error {
		if err := e.checkBaseURL(l); err != nil {
			return err
		}
		return fn(l)
	})
}

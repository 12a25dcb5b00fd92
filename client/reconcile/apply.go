package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ApplyOptions are the switches of [Engine.Apply].
type ApplyOptions struct {
	// DryRun computes what would be sent and sends nothing, and leaves the
	// lock alone.
	DryRun bool
	// Prune deletes the agents of orphaned entries.
	Prune bool
	// FailOnDrift stops before any write when a change has drift.
	FailOnDrift bool
	// RecreateMissing creates again the agents of missing entries.
	RecreateMissing bool
	// Saved is a plan saved earlier ([ReadPlan]): Apply refuses it, with
	// [ErrPlanStale], when what it was made from changed since (see
	// [Plan].Digest).
	Saved *Plan
}

// Errors of Apply, to match with errors.Is.
var (
	// ErrPlanStale: a saved plan no longer matches what it was made from.
	ErrPlanStale = errors.New("reconcile: the saved plan is stale")
	// ErrDrift: FailOnDrift found drift; nothing was written.
	ErrDrift = errors.New("reconcile: live agents drifted from the lock")
	// ErrMissing: a locked agent is gone and RecreateMissing is off.
	ErrMissing = errors.New("reconcile: agent missing")
	// ErrPendingAmbiguous: several live agents could be a pending create's.
	ErrPendingAmbiguous = errors.New("reconcile: several agents match a pending create")
)

// Op is what Apply did, or would do, for one key.
type Op string

// The operations of Apply.
const (
	OpCreate    Op = "create"
	OpUpdate    Op = "update"
	OpDelete    Op = "delete"
	OpAdopt     Op = "adopt"      // a pending create's agent was found
	OpReplay    Op = "replay"     // a pending create was sent again with its key
	OpRefresh   Op = "refresh"    // the lock recorded the live agent
	OpDropEntry Op = "drop-entry" // the lock entry of a gone agent was dropped
	OpKeep      Op = "keep"       // an orphan was kept (no Prune)
	OpNone      Op = "none"
)

// Outcome is the result of one key.
type Outcome struct {
	Key string
	// Ops are what was done (or, in a dry run, would be), in order. When
	// Err is not nil, the last of them is the one that failed.
	Ops []Op
	// ID is the agent's id afterwards, "" when there is none.
	ID string
	// Sent are the bodies sent (or, in a dry run, that would be): an
	// *agents.CreateParams or an *agents.UpdateParams per write.
	Sent []any
	// Err is the key's failure: the API's error, or ErrMissing,
	// ErrPendingAmbiguous; nil on success.
	Err error
}

// Result is what Apply did: one outcome per key of the plan, in key order.
type Result struct {
	Outcomes []Outcome
}

// Err returns nil when every key succeeded, or an error listing each
// failing key with its error.
func (r *Result) Err() error {
	var errs []error
	for _, o := range r.Outcomes {
		if o.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Key, o.Err))
		}
	}
	return errors.Join(errs...)
}

// Event reports progress: the key whose operation just ended, how many of
// Total keys are done, and the key's outcome.
type Event struct {
	Done, Total int
	Outcome     Outcome
}

// Apply carries out a fresh plan of f (or opts.Saved, once checked against
// a fresh one), writing the lock after every completed operation.
// Independent keys run concurrently, at most [Config.Concurrency] at once.
//
// It returns the result and nil when it ran, even when keys failed (see
// [Result.Err]). It fails with no result, and writes nothing, when the
// lock cannot be acquired ([ErrLockHeld]) or read, belongs to another base
// URL ([ErrBaseURL]), the saved plan is stale ([ErrPlanStale]), or
// FailOnDrift finds drift ([ErrDrift]). A lock whose serial changed under
// the run ([ErrSerialChanged]) stops it at the next write.
func (e *Engine) Apply(ctx context.Context, f *Folder, opts ApplyOptions) (*Result, error) {
	var res *Result
	err := e.withLock(ctx, func(l *Lock) error {
		var err error
		res, err = e.apply(ctx, f, l, opts)
		return err
	})
	return res, err
}

// apply is Apply with the lock held and read.
func (e *Engine) apply(ctx context.Context, f *Folder, l *Lock, opts ApplyOptions) (*Result, error) {
	p, err := e.plan(ctx, f, l)
	if err != nil {
		return nil, err
	}
	if opts.Saved != nil && opts.Saved.Digest != p.Digest {
		return nil, fmt.Errorf("%w: the specs, the lock or a live agent changed since it was made; plan again", ErrPlanStale)
	}
	if opts.FailOnDrift {
		var drifted []string
		for _, c := range p.Changes {
			if c.Drift() {
				drifted = append(drifted, c.Key)
			}
		}
		if len(drifted) > 0 {
			return nil, fmt.Errorf("%w: %s; nothing was written", ErrDrift, strings.Join(drifted, ", "))
		}
	}
	r := &run{e: e, opts: opts, lock: l, list: p.list, total: len(p.steps)}
	return r.all(ctx, p.steps), nil
}

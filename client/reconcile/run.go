package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/talkifai-go/talkifai/agents"
)

// run is one Apply: the lock it keeps up to date and what it has done.
type run struct {
	e    *Engine
	opts ApplyOptions
	list []agents.Summary

	mu      sync.Mutex // guards what follows
	lock    *Lock
	stopped error // a lock write failed: no more writes
	done    int
	total   int
}

// all runs the steps, at most Concurrency at once, and returns their
// outcomes in key order.
func (r *run) all(ctx context.Context, steps []step) *Result {
	res := &Result{Outcomes: make([]Outcome, len(steps))}
	eachBounded(len(steps), r.e.cfg.Concurrency, func(i int) {
		st := steps[i]
		o := Outcome{Key: st.change.Key, ID: st.change.ID}
		o.Err = r.step(ctx, st, &o)
		if len(o.Ops) == 0 {
			o.Ops = []Op{OpNone}
		}
		res.Outcomes[i] = o
		r.progress(o)
	})
	return res
}

// eachBounded calls fn(i) for every i from 0 to n-1, at most limit calls
// at once, each in its own goroutine, and returns when all have returned.
func eachBounded(n, limit int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}

// progress reports one finished key.
func (r *run) progress(o Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	if r.e.cfg.Progress != nil {
		r.e.cfg.Progress(Event{Done: r.done, Total: r.total, Outcome: o})
	}
}

// step carries out one key's change.
func (r *run) step(ctx context.Context, st step, o *Outcome) error {
	c := st.change
	switch c.Action {
	case Create:
		return r.create(ctx, c.Key, st.spec.Params, o)
	case NoChange:
		if c.LockRefreshed {
			o.Ops = append(o.Ops, OpRefresh)
			return r.record(ctx, c.Key, st.live.ID, st.spec.Params)
		}
		return nil
	case Update:
		return r.update(ctx, c.Key, *st.live, st.spec.Params, o)
	case Missing:
		if !r.opts.RecreateMissing {
			return fmt.Errorf("%w: %s is gone (deleted outside, or the wrong key or environment); recreate it on purpose", ErrMissing, c.ID)
		}
		return r.create(ctx, c.Key, st.spec.Params, o)
	case Pending:
		return r.pending(ctx, st, o)
	case Orphaned:
		return r.orphan(ctx, c.Key, c.ID, o)
	case Gone:
		o.Ops, o.ID = append(o.Ops, OpDropEntry), ""
		return r.commit(ctx, func(l *Lock) { delete(l.Agents, c.Key) })
	case Failed:
		return st.err
	}
	return fmt.Errorf("reconcile: unknown action %q", c.Action)
}

// create writes a pending entry with a fresh key, then sends the create.
func (r *run) create(ctx context.Context, key string, body agents.CreateParams, o *Outcome) error {
	o.Ops, o.Sent = append(o.Ops, OpCreate), append(o.Sent, &body)
	if r.opts.DryRun {
		o.ID = ""
		return nil
	}
	pc := &PendingCreate{IdempotencyKey: r.e.cfg.NewKey(), Body: body, Since: r.e.now()}
	if err := r.commit(ctx, func(l *Lock) { l.Agents[key] = &Entry{Pending: pc} }); err != nil {
		return err
	}
	return r.send(ctx, key, pc, o)
}

// send sends a pending create and records its agent; on a refusal that
// says no agent was made, it drops the pending entry.
func (r *run) send(ctx context.Context, key string, pc *PendingCreate, o *Outcome) error {
	a, err := r.e.api.create(ctx, pc.Body, pc.IdempotencyKey)
	if err != nil {
		if refused(err) {
			if werr := r.commit(ctx, func(l *Lock) { delete(l.Agents, key) }); werr != nil {
				return errors.Join(err, werr)
			}
		}
		return err
	}
	o.ID = a.ID
	return r.record(ctx, key, a.ID, pc.Body)
}

// record writes that body is applied to the agent id under key.
func (r *run) record(ctx context.Context, key, id string, body agents.CreateParams) error {
	now := r.e.now()
	return r.commit(ctx, func(l *Lock) {
		l.Agents[key] = &Entry{ID: id, Applied: &body, AppliedAt: now}
	})
}

// recorded reports whether the lock already records want as applied to
// the agent id under key.
func (r *run) recorded(key, id string, want agents.CreateParams) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	en := r.lock.Agents[key]
	return en != nil && en.ID == id && en.Applied != nil && sameJSON(*en.Applied, want)
}

// update patches live to the spec.
func (r *run) update(ctx context.Context, key string, live agents.Agent, want agents.CreateParams, o *Outcome) error {
	patch := agents.Diff(live, want)
	if len(patchFields(patch).names) == 0 {
		if r.recorded(key, live.ID, want) {
			return nil
		}
		o.Ops = append(o.Ops, OpRefresh)
		if r.opts.DryRun {
			return nil
		}
		return r.record(ctx, key, live.ID, want)
	}
	o.Ops, o.Sent = append(o.Ops, OpUpdate), append(o.Sent, &patch)
	if r.opts.DryRun {
		return nil
	}
	if _, err := r.e.api.update(ctx, live.ID, patch); err != nil {
		return err
	}
	return r.record(ctx, key, live.ID, want)
}

// orphan deletes an orphan's agent with Prune, and keeps it otherwise.
func (r *run) orphan(ctx context.Context, key, id string, o *Outcome) error {
	if !r.opts.Prune {
		o.Ops = append(o.Ops, OpKeep)
		return nil
	}
	o.Ops = append(o.Ops, OpDelete)
	if r.opts.DryRun {
		return nil
	}
	if err := r.e.api.delete(ctx, id); err != nil {
		return err
	}
	o.ID = ""
	return r.commit(ctx, func(l *Lock) { delete(l.Agents, key) })
}

// commit changes the lock with fn and writes it. After a failed write the
// run writes nothing more: another writer may own the lock.
func (r *run) commit(ctx context.Context, fn func(l *Lock)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped != nil {
		return fmt.Errorf("reconcile: not recorded: %w", r.stopped)
	}
	fn(r.lock)
	// What happened must be recorded even when the caller is giving up.
	if err := r.e.cfg.Store.Write(context.WithoutCancel(ctx), r.lock); err != nil {
		r.stopped = err
		return err
	}
	return nil
}

// names joins ids for messages.
func names(ids []string) string { return strings.Join(ids, ", ") }

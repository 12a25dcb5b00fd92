package reconcile

import (
	"context"
	"fmt"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// pending resolves a pending create, then goes on as for the spec, or, when
// the spec is gone, as for an orphan.
//
// The agent of a pending create is looked for among the agents listed: its
// name, architecture, mode and active as the body has them, created since
// the entry was written (less [PendingMargin] for clock skew), and held by
// no lock entry. Exactly one: it is adopted. None: the create is sent again
// with the entry's own key and body, which a server that honours keys
// answers with the first create's agent. Several: the run stops for that
// key and names them.
func (r *run) pending(ctx context.Context, st step, o *Outcome) error {
	key, pc := st.change.Key, st.entry.Pending
	found, err := r.candidates(ctx, pc)
	if err != nil {
		return err
	}
	var live *agents.Agent
	switch len(found) {
	case 0:
		o.Ops, o.Sent = append(o.Ops, OpReplay), append(o.Sent, &pc.Body)
		if r.opts.DryRun {
			a := domain.NewAgent(pc.Body, "", pc.Since)
			live = &a
			break
		}
		a, err := r.e.api.create(ctx, pc.Body, pc.IdempotencyKey)
		if err != nil && refused(err) && st.spec != nil {
			// No agent was made: start again from the spec, with a new key.
			if err := r.commit(ctx, func(l *Lock) { delete(l.Agents, key) }); err != nil {
				return err
			}
			return r.create(ctx, key, st.spec.Params, o)
		}
		if err != nil {
			return err
		}
		if err := r.record(ctx, key, a.ID, pc.Body); err != nil {
			return err
		}
		o.ID = a.ID
		live = a
	case 1:
		o.Ops, o.ID = append(o.Ops, OpAdopt), found[0].ID
		if !r.opts.DryRun {
			if err := r.record(ctx, key, found[0].ID, pc.Body); err != nil {
				return err
			}
		}
		live = &found[0]
	default:
		ids := make([]string, len(found))
		for i, a := range found {
			ids[i] = a.ID
		}
		return fmt.Errorf("%w: %s; import the right one under %s (it replaces the pending create) and delete the others", ErrPendingAmbiguous, names(ids), key)
	}
	if st.spec == nil {
		return r.orphan(ctx, key, o.ID, o)
	}
	if !r.opts.DryRun && len(o.Ops) > 0 && o.Ops[0] == OpReplay {
		// The create's answer holds only part of the agent: read it whole.
		a, err := r.e.api.get(ctx, o.ID)
		if err != nil {
			return err
		}
		live = a
	}
	return r.update(ctx, key, *live, st.spec.Params, o)
}

// pendingMatches returns the ids of the listed agents that may be pc's by
// their listing: its name, architecture, mode and active, created since
// the entry was written (less PendingMargin), and held by no entry of l.
func pendingMatches(list []agents.Summary, pc *PendingCreate, l *Lock) []string {
	since := pc.Since.Add(-PendingMargin)
	want := domain.NewAgent(pc.Body, "", pc.Since)
	var ids []string
	for _, s := range list {
		if s.Name == want.Name && s.Architecture == want.Architecture && s.Mode == want.Mode &&
			s.Active == want.Active && !s.CreatedAt.Before(since) && !l.holds(s.ID) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// candidates returns the live agents that may be pc's, read in full.
func (r *run) candidates(ctx context.Context, pc *PendingCreate) ([]agents.Agent, error) {
	want := domain.NewAgent(pc.Body, "", pc.Since)
	r.mu.Lock()
	ids := pendingMatches(r.list, pc, r.lock)
	r.mu.Unlock()
	var found []agents.Agent
	for _, id := range ids {
		a, err := r.e.api.get(ctx, id)
		if isNotFound(err) {
			continue // deleted since the listing
		}
		if err != nil {
			return nil, err
		}
		found = append(found, *a)
	}
	if len(found) > 1 {
		// Several of one name: keep those whose content is the body's.
		var same []agents.Agent
		for _, a := range found {
			w := want
			w.ID = a.ID
			if domain.SameContent(a, w) {
				same = append(same, a)
			}
		}
		if len(same) > 0 {
			found = same
		}
	}
	return found, nil
}

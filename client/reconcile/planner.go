package reconcile

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// step is one key of a plan with what Apply needs to carry it out.
type step struct {
	change Change
	spec   *Spec
	entry  *Entry
	live   *agents.Agent // the agent read, when there is one
	err    error         // the read's error, for Failed
}

// reading is what a plan read from the API.
type reading struct {
	live map[string]*agents.Agent // by id
	errs map[string]error         // by id
	list []agents.Summary         // every visible agent, when read
}

// Plan compares, for every key of the folder and of the lock, the spec, the
// lock and the live agent, and returns the plan. It sends reads only: a GET
// per locked agent, at most [Config.ReadConcurrency] at once, and one
// listing of the agents when a create or a pending entry needs it. It
// fails, with no plan, when the lock cannot be read, was recorded for
// another base URL ([ErrBaseURL]), or the listing fails; a key whose agent
// cannot be read is a Failed change, not an error of Plan (see
// [Plan.Err]).
func (e *Engine) Plan(ctx context.Context, f *Folder) (*Plan, error) {
	l, err := e.cfg.Store.Read(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.checkBaseURL(l); err != nil {
		return nil, err
	}
	return e.plan(ctx, f, l)
}

// checkBaseURL refuses a lock written for another base URL, and gives a
// new lock (none written yet) the engine's.
func (e *Engine) checkBaseURL(l *Lock) error {
	if l.BaseURL == "" {
		l.BaseURL = e.cfg.BaseURL
	}
	if strings.TrimRight(l.BaseURL, "/") != e.cfg.BaseURL {
		return fmt.Errorf("%w: it was written for %s, this run speaks to %s", ErrBaseURL, l.BaseURL, e.cfg.BaseURL)
	}
	return nil
}

// plan makes the plan of f against the lock l.
func (e *Engine) plan(ctx context.Context, f *Folder, l *Lock) (*Plan, error) {
	specs := map[string]*Spec{}
	for i := range f.Specs {
		specs[f.Specs[i].Key] = &f.Specs[i]
	}
	keys := make([]string, 0, len(specs)+len(l.Agents))
	for k := range specs {
		keys = append(keys, k)
	}
	for k := range l.Agents {
		if specs[k] == nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)

	r, err := e.read(ctx, l, specs)
	if err != nil {
		return nil, err
	}
	p := &Plan{Version: LockVersion, BaseURL: e.cfg.BaseURL, Serial: l.Serial, list: r.list}
	for _, k := range keys {
		st := plannedStep(k, specs[k], l.Agents[k], r, l)
		p.steps = append(p.steps, st)
		p.Changes = append(p.Changes, st.change)
	}
	p.Digest, err = digest(f, l, r)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// read GETs every locked agent, and lists the agents when a create or a
// pending entry needs them.
func (e *Engine) read(ctx context.Context, l *Lock, specs map[string]*Spec) (*reading, error) {
	r := &reading{live: map[string]*agents.Agent{}, errs: map[string]error{}}
	var ids []string
	needList := false
	for _, en := range l.Agents {
		if en.ID != "" {
			ids = append(ids, en.ID)
		}
		needList = needList || en.Pending != nil
	}
	for k := range specs {
		needList = needList || l.Agents[k] == nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)

	var mu sync.Mutex
	eachBounded(len(ids), e.cfg.ReadConcurrency, func(i int) {
		a, err := e.api.get(ctx, ids[i])
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			r.errs[ids[i]] = err
			return
		}
		r.live[ids[i]] = a
	})
	if needList {
		list, err := e.api.list(ctx)
		if err != nil {
			return nil, fmt.Errorf("reconcile: listing the agents: %w", err)
		}
		r.list = list
	}
	return r, nil
}

// plannedStep decides the change of one key.
func plannedStep(key string, spec *Spec, en *Entry, r *reading, l *Lock) step {
	st := step{spec: spec, entry: en}
	c := Change{Key: key, HasSpec: spec != nil}
	if spec != nil {
		c.File = spec.File
	}
	switch {
	case en == nil:
		c.Action = Create
		c.Body = &spec.Params
		c.Fields = bodyFields(spec.Params)
		c.Adopt = sameName(r.list, spec.Params.Name.Or(""), l)
	case en.Pending != nil:
		c.Action = Pending
		c.Body = &en.Pending.Body
		c.Adopt = pendingMatches(r.list, en.Pending, l)
		if spec != nil {
			// What the update after the resolution changes: the pending
			// create's agent has its body.
			made := domain.NewAgent(en.Pending.Body, "", en.Pending.Since)
			c.Fields, _ = changedFields(made, spec.Params)
		}
	default:
		c.ID = en.ID
		st.live, st.err = r.live[en.ID], r.errs[en.ID]
		switch {
		case st.err != nil && isNotFound(st.err) && spec != nil:
			c.Action = Missing
		case st.err != nil && isNotFound(st.err):
			c.Action = Gone
		case st.err != nil:
			c.Action, c.Error, c.err = Failed, st.err.Error(), st.err
		case spec == nil:
			c.Action = Orphaned
		default:
			c = compare(c, spec.Params, en, *st.live)
		}
	}
	st.change = c
	return st
}

// compare plans a spec against its live agent: no change, or the update.
func compare(c Change, want agents.CreateParams, en *Entry, live agents.Agent) Change {
	fields, patch := changedFields(live, want)
	if len(fields) == 0 {
		c.Action = NoChange
		c.LockRefreshed = en.Applied == nil || !sameJSON(*en.Applied, want)
		return c
	}
	c.Action = Update
	c.Patch = &patch
	if en.Applied != nil {
		applied := agentFields(domain.NewAgent(*en.Applied, live.ID, live.CreatedAt))
		for i, f := range fields {
			fields[i].Drift = string(applied[f.Field]) != string(f.Old)
		}
	}
	c.Fields = fields
	return c
}

// changedFields returns the fields of the patch from live to want, each
// with its value on live, and the patch.
func changedFields(live agents.Agent, want agents.CreateParams) ([]FieldChange, agents.UpdateParams) {
	patch := agents.Diff(live, want)
	fields := patchFields(patch)
	have := agentFields(live)
	var out []FieldChange
	for _, name := range fields.names {
		out = append(out, FieldChange{Field: name, Old: have[name], New: fields.values[name]})
	}
	return out, patch
}

// sameName returns the ids of listed agents named name that no lock entry
// holds.
func sameName(list []agents.Summary, name string, l *Lock) []string {
	var ids []string
	for _, s := range list {
		if s.Name == name && !l.holds(s.ID) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// holds reports whether an entry of l has the agent id.
func (l *Lock) holds(id string) bool {
	for _, en := range l.Agents {
		if en.ID == id {
			return true
		}
	}
	return false
}

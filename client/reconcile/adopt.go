package reconcile

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
)

// Adopted is one live agent that [Engine.Import] or [Engine.Pull] locked
// under a key.
type Adopted struct {
	Key string
	ID  string
	// SpecFile is the key's spec file: the folder joined to its name.
	SpecFile string
	// Written are the files written, the folder joined to their names:
	// the prompt file, if one was written, then the spec file. It is
	// empty when the key's spec file was there already and was kept.
	Written []string
}

// Import locks the live agent id under key and, when key has no spec file
// yet, writes its spec into dir (see [WriteSpec]). When key has a spec
// file (a spec whose plan says create, and a live agent of its name that
// it should adopt instead), the file is kept as it is, and the next plan
// shows what applying it would change on the agent; [Adopted].Written
// then is empty. Import fails with an error matching [ErrKeyTaken] when
// key has a lock entry or the agent is locked under another key; with
// [ErrInvalidKey] for an invalid key; with the API's error when the agent
// cannot be read; and as [Engine.Apply] does when the lock cannot be taken
// or read. A key whose entry is only a pending create is not taken: the
// import replaces the pending create, which is how a person settles one
// that several agents could be ([ErrPendingAmbiguous]).
func (e *Engine) Import(ctx context.Context, dir, key, id string) (Adopted, error) {
	if !ValidKey(key) {
		return Adopted{}, fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	var ad Adopted
	err := e.withLock(ctx, func(l *Lock) error {
		if en := l.Agents[key]; en != nil && (en.ID != "" || en.Pending == nil) {
			return fmt.Errorf("%w: %q has a lock entry", ErrKeyTaken, key)
		}
		if l.holds(id) {
			return fmt.Errorf("%w: %s is already locked under another key", ErrKeyTaken, id)
		}
		a, err := e.api.get(ctx, id)
		if err != nil {
			return err
		}
		ad = Adopted{Key: key, ID: a.ID}
		if name, exists := specFileOf(dir, key); exists {
			ad.SpecFile = filepath.Join(dir, name)
		} else {
			if ad.Written, err = WriteSpec(dir, key, *a); err != nil {
				return err
			}
			ad.SpecFile = ad.Written[len(ad.Written)-1]
		}
		return e.lockAgent(ctx, l, key, *a)
	})
	if err != nil {
		return Adopted{}, err
	}
	return ad, nil
}

// Pull locks every live agent that no lock entry holds. A spec file of the
// folder whose key has no lock entry and that already describes the agent
// exactly (its plan would say no change) is kept and locked: that is what
// a pull cut short between writing a spec and locking it leaves, and a
// second pull finishes the job. The other agents get a spec written, with
// keys from [AssignKeys] (a key with a spec file or an entry is taken),
// and are locked after it. It returns what it adopted, in key order. It
// fails as [Engine.Import] does; agents adopted before a failure stay
// locked.
func (e *Engine) Pull(ctx context.Context, dir string) ([]Adopted, error) {
	var out []Adopted
	err := e.withLock(ctx, func(l *Lock) error {
		list, live, err := e.unlockedAgents(ctx, l)
		if err != nil {
			return err
		}
		specs, _, err := readSpecs(dir)
		if err != nil {
			return err
		}
		specs = slices.DeleteFunc(specs, func(s Spec) bool { return l.Agents[s.Key] != nil })
		for _, s := range oldestFirst(list) {
			i := slices.IndexFunc(specs, func(sp Spec) bool { return describes(sp.Params, live[s.ID]) })
			if i < 0 {
				continue
			}
			if err := e.lockAgent(ctx, l, specs[i].Key, live[s.ID]); err != nil {
				return err
			}
			out = append(out, Adopted{Key: specs[i].Key, ID: s.ID, SpecFile: filepath.Join(dir, specs[i].File)})
			specs = slices.Delete(specs, i, i+1)
		}
		// The rest, still in the API's order, which AssignKeys expects.
		rest := slices.DeleteFunc(list, func(s agents.Summary) bool { return l.holds(s.ID) })
		assigned := AssignKeys(rest, func(k string) bool {
			_, file := specFileOf(dir, k)
			return file || l.Agents[k] != nil
		})
		for _, s := range oldestFirst(rest) {
			key := assigned[s.ID]
			written, err := WriteSpec(dir, key, live[s.ID])
			if err != nil {
				return err
			}
			if err := e.lockAgent(ctx, l, key, live[s.ID]); err != nil {
				return err
			}
			out = append(out, Adopted{Key: key, ID: s.ID, SpecFile: written[len(written)-1], Written: written})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Adopted) int { return strings.Compare(a.Key, b.Key) })
	return out, err
}

// unlockedAgents lists the live agents that no entry of l holds, and reads
// each in full; an agent deleted since the listing is left out.
func (e *Engine) unlockedAgents(ctx context.Context, l *Lock) ([]agents.Summary, map[string]agents.Agent, error) {
	list, err := e.api.list(ctx)
	if err != nil {
		return nil, nil, err
	}
	live := map[string]agents.Agent{}
	var kept []agents.Summary
	for _, s := range list {
		if l.holds(s.ID) {
			continue
		}
		a, err := e.api.get(ctx, s.ID)
		if isNotFound(err) {
			continue // deleted since the listing
		}
		if err != nil {
			return nil, nil, err
		}
		live[s.ID] = *a
		kept = append(kept, s)
	}
	return kept, live, nil
}

// describes reports whether applying spec to a would change nothing.
func describes(spec agents.CreateParams, a agents.Agent) bool {
	return len(patchFields(agents.Diff(a, spec)).names) == 0
}

// lockAgent records a under key as applied, as its spec says.
func (e *Engine) lockAgent(ctx context.Context, l *Lock, key string, a agents.Agent) error {
	p := SpecFromAgent(a)
	l.Agents[key] = &Entry{ID: a.ID, Applied: &p, AppliedAt: e.now()}
	return e.cfg.Store.Write(context.WithoutCancel(ctx), l)
}

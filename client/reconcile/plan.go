package reconcile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/talkifai-go/talkifai/agents"
)

// Action is what a plan says about one key.
type Action string

// The actions of a plan, one per row of its table.
const (
	// Create: a spec without a lock entry. Apply writes a pending entry,
	// then creates the agent.
	Create Action = "create"
	// NoChange: the live agent equals the spec. Apply refreshes the lock
	// when the live agent differs from what the lock recorded.
	NoChange Action = "no-change"
	// Update: the live agent differs from the spec. Apply sends the patch.
	Update Action = "update"
	// Missing: the lock has an entry whose agent is gone (deleted outside,
	// or a wrong key or environment). Apply recreates it only when told
	// to, and otherwise fails for that key.
	Missing Action = "missing"
	// Pending: a create was written ahead and not confirmed. Apply resolves
	// it first, then goes on as for the spec (or its absence).
	Pending Action = "pending"
	// Orphaned: a lock entry without a spec, whose agent is live. Apply
	// deletes it when told to prune, and otherwise keeps it.
	Orphaned Action = "orphaned"
	// Gone: a lock entry without a spec whose agent is gone. Apply drops
	// the entry.
	Gone Action = "gone"
	// Failed: the live agent could not be read (an error other than 404).
	// Apply does nothing for the key.
	Failed Action = "error"
)

// Plan is what [Engine.Plan] found: one change per key, in key order. It
// encodes as JSON in its documented machine form (the field tags), and
// [ReadPlan] decodes it back.
type Plan struct {
	Version int    `json:"version"`
	BaseURL string `json:"baseURL"`
	// Serial is the lock's serial when the plan was made.
	Serial int64 `json:"serial"`
	// Digest is a digest of the specs, the lock, every agent the plan
	// read by id, and the listed agents it looked at (those named as a
	// create or a pending create is): applying a saved plan is refused
	// when it changed.
	Digest  string   `json:"digest"`
	Changes []Change `json:"changes"`

	steps []step           // what Apply needs beyond Changes; nil in a decoded plan
	list  []agents.Summary // the listing read, when one was
}

// Change is the plan of one key.
type Change struct {
	Key    string `json:"key"`
	Action Action `json:"action"`
	// ID is the agent's id, when the lock or the live agent has one.
	ID string `json:"id,omitempty"`
	// File is the spec file, relative to the folder, or "" without a spec.
	File string `json:"file,omitempty"`
	// HasSpec says whether a spec exists for the key (Pending and Failed
	// changes come with and without one).
	HasSpec bool `json:"hasSpec"`
	// Fields are, for Update, the fields of the patch; for Create, the
	// fields of the body; for Pending with a spec, the fields that the
	// update after the resolution changes (from the pending body to the
	// spec).
	Fields []FieldChange `json:"fields,omitempty"`
	// Patch is the exact body Update sends.
	Patch *agents.UpdateParams `json:"patch,omitempty"`
	// Body is the exact body Create sends (or a pending create holds).
	Body *agents.CreateParams `json:"body,omitempty"`
	// LockRefreshed says, for NoChange, that the live agent differs from
	// what the lock recorded and apply will record it.
	LockRefreshed bool `json:"lockRefreshed,omitempty"`
	// Adopt names, for Create, live agents with the spec's name, which
	// an import (Engine.Import) would adopt instead; for Pending, the live
	// agents that may be the pending create's (by name, architecture,
	// mode, active and creation time): apply adopts one, sends the create
	// again when there is none, and stops when several have its content.
	Adopt []string `json:"adopt,omitempty"`
	// Error is, for Failed, the error the read met.
	Error string `json:"error,omitempty"`
	// err is Error as an error, for errors.Is and errors.As through
	// [Plan.Err]; a saved plan does not keep it.
	err error
}

// Drift reports whether any field of c is marked as drift.
func (c Change) Drift() bool {
	for _, f := range c.Fields {
		if f.Drift {
			return true
		}
	}
	return false
}

// FieldChange is one field of a change: its value on the live agent (Old,
// absent for a create or an unset field) and what the spec wants (New,
// JSON null to clear it).
type FieldChange struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old,omitempty"`
	New   json.RawMessage `json:"new"`
	// Drift says that the live value differs from the one last applied:
	// someone changed it outside, and apply will overwrite it.
	Drift bool `json:"drift,omitempty"`
}

// HasChanges reports whether applying p would send a write or change the
// lock.
func (p *Plan) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != NoChange || c.LockRefreshed {
			return true
		}
	}
	return false
}

// Err returns nil, or an error listing the keys whose agent could not be
// read: a plan with such keys exits 1. Each key's error wraps the error
// of its read (the *client.APIError), except in a plan read from a file.
func (p *Plan) Err() error {
	var errs []error
	for _, c := range p.Changes {
		switch {
		case c.Action == Failed && c.err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", c.Key, c.err))
		case c.Action == Failed:
			errs = append(errs, fmt.Errorf("%s: %s", c.Key, c.Error))
		}
	}
	return errors.Join(errs...)
}

// ReadPlan decodes a plan saved as JSON. It fails on JSON that is not a
// plan of this version. Only [ApplyOptions].Saved uses a decoded plan: it
// holds the digest that a fresh plan must match.
func ReadPlan(r io.Reader) (*Plan, error) {
	var p Plan
	dec := json.NewDecoder(r)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("reconcile: reading a plan: %w", err)
	}
	if p.Version != LockVersion || p.Digest == "" {
		return nil, fmt.Errorf("reconcile: not a saved plan of version %d", LockVersion)
	}
	return &p, nil
}

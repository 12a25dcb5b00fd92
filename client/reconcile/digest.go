package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/talkifai-go/talkifai/agents"
)

// digest returns a digest of what a plan was made from: the specs, the
// lock, every agent read by id (their times included, so any change since
// shows), and the listed agents that the plan looked at: those named as a
// create or a pending create is (its import hint, or the agent a pending
// create adopts). Another agent appearing in the listing changes nothing
// the plan says, so it leaves the digest as it was.
func digest(f *Folder, l *Lock, r *reading) (string, error) {
	type liveRead struct {
		Agent any    `json:"agent,omitempty"`
		Error string `json:"error,omitempty"`
	}
	live := map[string]liveRead{}
	for id, a := range r.live {
		live[id] = liveRead{Agent: a}
	}
	for id, err := range r.errs {
		live[id] = liveRead{Error: err.Error()}
	}
	specs := map[string]any{}
	for _, s := range f.Specs {
		specs[s.Key] = s.Params
	}
	b, err := json.Marshal(struct {
		Specs map[string]any      `json:"specs"`
		Lock  *Lock               `json:"lock"`
		Live  map[string]liveRead `json:"live"`
		List  []agents.Summary    `json:"list"`
	}{specs, l, live, namedIn(r.list, f, l)})
	if err != nil {
		return "", fmt.Errorf("reconcile: digest: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// namedIn returns the agents of list whose name is that of a spec without
// a lock entry or of a pending create: the only ones a plan looks at in
// the listing.
func namedIn(list []agents.Summary, f *Folder, l *Lock) []agents.Summary {
	names := map[string]bool{}
	for _, s := range f.Specs {
		if l.Agents[s.Key] == nil {
			names[s.Params.Name.Or("")] = true
		}
	}
	for _, en := range l.Agents {
		if en.Pending != nil {
			names[en.Pending.Body.Name.Or("")] = true
		}
	}
	var out []agents.Summary
	for _, s := range list {
		if names[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// digest returns a digest of what a plan was made from: the specs, the
// lock and every live agent read (their times included, so any change
// since shows).
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
		List  any                 `json:"list"`
	}{specs, l, live, r.list})
	if err != nil {
		return "", fmt.Errorf("reconcile: digest: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

package reconcile

import (
	"context"

	"github.com/talkifai-go/talkifai/agents"
)

// KeyFromName returns the key a pulled agent named name gets: lowercase
// ASCII letters and digits kept ("_" too), every other run of characters
// one "-", leading and trailing "-" dropped, at most 63 characters; "agent"
// when nothing is left.
func KeyFromName(name string) string {
	return ""
}

// AssignKeys returns a key per summary, from its name by [KeyFromName],
// with "-2", "-3"... added in createdAt order (oldest first) where a key
// repeats or is already taken (taken reports the keys in use: spec files
// and lock entries).
func AssignKeys(list []agents.Summary, taken func(key string) bool) map[string]string {
	return nil
}

// SpecFromAgent returns the create body that a spec of a must hold: a's
// writable fields, leaving out those at their create default.
func SpecFromAgent(a agents.Agent) agents.CreateParams {
	return agents.CreateParams{}
}

// WriteSpec writes the spec file dir/KEY.yaml for a, and, when a's prompt
// has a line break, the prompt to dir/prompts/KEY.md with systemPromptFile
// naming it. It returns the paths written. It never overwrites: when a file
// exists it fails with an error matching [ErrKeyTaken] and writes nothing.
func WriteSpec(dir, key string, a agents.Agent) ([]string, error) {
	return nil, ErrNotImplemented
}

// Import locks the live agent id under key and writes its spec into f's
// folder. It fails with [ErrKeyTaken] when key has a spec or an entry, or
// the agent is locked under another key, and with the API's error when the
// agent cannot be read.
func (e *Engine) Import(ctx context.Context, dir, key, id string) error {
	return ErrNotImplemented
}

// Pull writes a spec for every live agent that no lock entry names, with
// keys from [AssignKeys], and locks them. It returns the keys written, in
// key order.
func (e *Engine) Pull(ctx context.Context, dir string) ([]string, error) {
	return nil, ErrNotImplemented
}

// Move renames key from to key to: the spec file (keeping its extension)
// and the lock entry; the agent is not touched. It fails with [ErrKeyTaken]
// when to has a spec or an entry, and with [ErrNoEntry] when from has
// neither.
func (e *Engine) Move(ctx context.Context, dir, from, to string) error {
	return ErrNotImplemented
}

package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/talkifai-go/talkifai/agents"
)

// maxKeyLength is the longest key ValidKey allows.
const maxKeyLength = 63

// KeyFromName returns the key a pulled agent named name gets: ASCII
// letters lowercased and digits kept, every run of other characters one
// "-", no "-" at either end, at most 63 characters; "agent" when nothing is
// left.
func KeyFromName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		default:
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return fit(b.String(), "")
}

// fit returns base with suffix, cut to the longest key, or "agent" and
// suffix when base is empty.
func fit(base, suffix string) string {
	if base == "" {
		base = "agent"
	}
	base = base[:min(len(base), maxKeyLength-len(suffix))]
	return strings.TrimRight(base, "-") + suffix
}

// AssignKeys returns a key per agent id of list, from its name by
// [KeyFromName], with "-2", "-3"... added in createdAt order (oldest
// first) where a key repeats or taken reports it in use (spec files and
// lock entries).
func AssignKeys(list []agents.Summary, taken func(key string) bool) map[string]string {
	byAge := slices.Clone(list)
	// The API lists newest first, ties newest first: reversed, oldest first.
	slices.Reverse(byAge)
	slices.SortStableFunc(byAge, func(a, b agents.Summary) int { return a.CreatedAt.Compare(b.CreatedAt) })
	used := map[string]bool{}
	keys := map[string]string{}
	for _, s := range byAge {
		base := KeyFromName(s.Name)
		k := base
		for n := 2; used[k] || taken(k); n++ {
			k = fit(base, "-"+strconv.Itoa(n))
		}
		used[k] = true
		keys[s.ID] = k
	}
	return keys
}

// defaults are the create defaults a spec leaves out.
var defaults = map[string]string{
	"language": `"en"`, "mode": `"private"`, "active": "false", "enabledFunctions": "[]", "enabledCustomFunctions": "[]",
}

// SpecFromAgent returns the create body that a spec of a holds: a's
// writable fields, leaving out those at their create default.
func SpecFromAgent(a agents.Agent) agents.CreateParams {
	m := agentFields(a)
	for k, v := range defaults {
		if string(m[k]) == v {
			delete(m, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic("reconcile: " + err.Error()) // raw JSON of an agent always encodes
	}
	var p agents.CreateParams
	if err := json.Unmarshal(b, &p); err != nil {
		panic("reconcile: an agent's fields do not decode: " + err.Error())
	}
	return p
}

// WriteSpec writes the spec file dir/KEY.yaml for a, and, when a's prompt
// has a line break, the prompt to dir/prompts/KEY.md with systemPromptFile
// naming it. It returns the paths written. It never overwrites: when a
// file exists, or key has a spec file of another extension, it fails with
// an error matching [ErrKeyTaken] and writes nothing. An invalid key fails
// with [ErrInvalidKey].
func WriteSpec(dir, key string, a agents.Agent) ([]string, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	if name, ok := specFileOf(dir, key); ok {
		return nil, fmt.Errorf("%w: %s exists", ErrKeyTaken, name)
	}
	p := SpecFromAgent(a)
	m := members(p)
	var promptPath, promptFile string
	if prompt := a.SystemPrompt; strings.Contains(prompt, "\n") && keepsInFile(prompt) {
		promptFile = "prompts/" + key + ".md"
		promptPath = filepath.Join(dir, "prompts", key+".md")
		if _, err := os.Stat(promptPath); err == nil {
			return nil, fmt.Errorf("%w: %s exists", ErrKeyTaken, promptPath)
		}
		delete(m, "systemPrompt")
		m[promptFileField], _ = json.Marshal(promptFile)
	}
	data, err := specYAML(m)
	if err != nil {
		return nil, err
	}
	var written []string
	if promptPath != "" {
		if err := os.MkdirAll(filepath.Dir(promptPath), 0o755); err != nil {
			return nil, fmt.Errorf("reconcile: %w", err)
		}
		if err := createFile(promptPath, []byte(a.SystemPrompt+"\n")); err != nil {
			return nil, err
		}
		written = append(written, promptPath)
	}
	specPath := filepath.Join(dir, key+".yaml")
	if err := createFile(specPath, data); err != nil {
		if promptPath != "" {
			os.Remove(promptPath)
		}
		return nil, err
	}
	return append(written, specPath), nil
}

// keepsInFile reports whether a prompt file reads back as prompt.
func keepsInFile(prompt string) bool {
	got, err := promptText([]byte(prompt + "\n"))
	return err == nil && got == prompt
}

// specYAML writes the members of a spec as YAML, in the create body's
// field order, systemPromptFile in systemPrompt's place.
func specYAML(m map[string]json.RawMessage) ([]byte, error) {
	var ms yaml.MapSlice
	for _, name := range fieldOrder {
		if name == "systemPrompt" {
			if raw, ok := m[promptFileField]; ok {
				ms = append(ms, yaml.MapItem{Key: promptFileField, Value: decodeAny(raw)})
			}
		}
		if raw, ok := m[name]; ok {
			ms = append(ms, yaml.MapItem{Key: name, Value: decodeAny(raw)})
		}
	}
	b, err := yaml.MarshalWithOptions(ms, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("reconcile: writing YAML: %w", err)
	}
	return b, nil
}

// decodeAny decodes JSON that this package encoded.
func decodeAny(raw json.RawMessage) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		panic("reconcile: " + err.Error())
	}
	return v
}

// createFile writes a new file, failing with ErrKeyTaken when it exists.
func createFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w: %s exists", ErrKeyTaken, path)
	}
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("reconcile: %w", err)
	}
	return nil
}

// specFileOf returns the name of key's spec file in dir, if any.
func specFileOf(dir, key string) (string, bool) {
	for _, ext := range specExts {
		name := key + ext
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return name, true
		}
	}
	return "", false
}

// Import locks the live agent id under key and, when key has no spec file
// yet, writes its spec into dir (see [WriteSpec]). When key has a spec
// file (a spec whose plan says create, and a live agent of its name that
// it should adopt instead), the file is kept as it is, and the next plan
// shows what applying it would change on the agent. Import fails with an
// error matching [ErrKeyTaken] when key has a lock entry or the agent is
// locked under another key; with [ErrInvalidKey] for an invalid key; with
// the API's error when the agent cannot be read; and as [Engine.Apply]
// does when the lock cannot be taken or read.
func (e *Engine) Import(ctx context.Context, dir, key, id string) error {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return e.withLock(ctx, func(l *Lock) error {
		if l.Agents[key] != nil {
			return fmt.Errorf("%w: %q has a lock entry", ErrKeyTaken, key)
		}
		if l.holds(id) {
			return fmt.Errorf("%w: %s is already locked under another key", ErrKeyTaken, id)
		}
		a, err := e.api.get(ctx, id)
		if err != nil {
			return err
		}
		if _, exists := specFileOf(dir, key); !exists {
			if _, err := WriteSpec(dir, key, *a); err != nil {
				return err
			}
		}
		return e.lockAgent(ctx, l, key, *a)
	})
}

// Pull writes a spec for every live agent that no lock entry holds, with
// keys from [AssignKeys] (a key with a spec file or an entry is taken), and
// locks each after writing its spec. It returns the keys written, in key
// order. It fails as [Engine.Import] does; keys written before a failure
// stay written and locked.
func (e *Engine) Pull(ctx context.Context, dir string) ([]string, error) {
	var keys []string
	err := e.withLock(ctx, func(l *Lock) error {
		list, err := e.api.list(ctx)
		if err != nil {
			return err
		}
		list = slices.DeleteFunc(list, func(s agents.Summary) bool { return l.holds(s.ID) })
		assigned := AssignKeys(list, func(k string) bool {
			_, file := specFileOf(dir, k)
			return file || l.Agents[k] != nil
		})
		for _, s := range list {
			a, err := e.api.get(ctx, s.ID)
			if isNotFound(err) {
				continue // deleted since the listing
			}
			if err != nil {
				return err
			}
			key := assigned[s.ID]
			if _, err := WriteSpec(dir, key, *a); err != nil {
				return err
			}
			if err := e.lockAgent(ctx, l, key, *a); err != nil {
				return err
			}
			keys = append(keys, key)
		}
		return nil
	})
	slices.Sort(keys)
	return keys, err
}

// lockAgent records a under key as applied, as its spec says.
func (e *Engine) lockAgent(ctx context.Context, l *Lock, key string, a agents.Agent) error {
	p := SpecFromAgent(a)
	l.Agents[key] = &Entry{ID: a.ID, Applied: &p, AppliedAt: e.cfg.Now().UTC()}
	return e.cfg.Store.Write(context.WithoutCancel(ctx), l)
}

// Move renames key from to key to: the spec file (keeping its extension)
// and the lock entry; the agent is not touched, nor is a prompt file. It
// fails with [ErrInvalidKey] for an invalid key, with [ErrKeyTaken] when to
// has a spec or an entry, and with [ErrNoEntry] when from has neither. A
// Move cut short after renaming the file and before writing the lock is
// finished by running it again.
func (e *Engine) Move(ctx context.Context, dir, from, to string) error {
	if !ValidKey(to) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, to)
	}
	return e.withLock(ctx, func(l *Lock) error {
		fromFile, hasFrom := specFileOf(dir, from)
		toFile, hasTo := specFileOf(dir, to)
		en := l.Agents[from]
		switch {
		case l.Agents[to] != nil:
			return fmt.Errorf("%w: %q has a lock entry", ErrKeyTaken, to)
		case hasTo && (hasFrom || en == nil):
			return fmt.Errorf("%w: %s exists", ErrKeyTaken, toFile)
		case !hasFrom && en == nil:
			return fmt.Errorf("%w: %q has no spec file and no lock entry", ErrNoEntry, from)
		}
		if hasFrom {
			newName := to + filepath.Ext(fromFile)
			if err := os.Rename(filepath.Join(dir, fromFile), filepath.Join(dir, newName)); err != nil {
				return fmt.Errorf("reconcile: %w", err)
			}
		}
		if en == nil {
			return nil
		}
		if err := l.Rename(from, to); err != nil {
			return err
		}
		return e.cfg.Store.Write(context.WithoutCancel(ctx), l)
	})
}

// withLock runs fn with the lock acquired and read.
func (e *Engine) withLock(ctx context.Context, fn func(l *Lock) error) error {
	release, err := e.cfg.Store.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	l, err := e.readLock(ctx)
	if err != nil {
		return err
	}
	if l.BaseURL == "" {
		l.BaseURL = e.cfg.BaseURL
	}
	return fn(l)
}

package reconcile

import (
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
	used := map[string]bool{}
	keys := map[string]string{}
	for _, s := range oldestFirst(list) {
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

// oldestFirst returns a copy of list, which the API gives newest first,
// in createdAt order, oldest first (ties too).
func oldestFirst(list []agents.Summary) []agents.Summary {
	byAge := slices.Clone(list)
	slices.Reverse(byAge)
	slices.SortStableFunc(byAge, func(a, b agents.Summary) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return byAge
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
// naming it. It returns the paths written (a prompt file that already
// holds exactly the prompt is kept, not written). It never overwrites:
// when the spec file or a prompt file of other content exists, or key has
// a spec file of another extension, it fails with an error matching
// [ErrKeyTaken] and writes nothing. An invalid key fails with
// [ErrInvalidKey].
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
		// A prompt file that holds this prompt already is kept: a pull cut
		// short between the prompt and the spec left it.
		if have, err := os.ReadFile(promptPath); err == nil {
			if string(have) != a.SystemPrompt+"\n" {
				return nil, fmt.Errorf("%w: %s exists", ErrKeyTaken, promptPath)
			}
			promptPath = ""
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

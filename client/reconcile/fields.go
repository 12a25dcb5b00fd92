package reconcile

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/talkifai-go/talkifai/agents"
)

// fieldOrder is the order in which fields are shown: the create body's.
var fieldOrder = []string{
	"name", "agentArchitecture", "model", "stt", "tts", "realtimeProvider", "voiceId",
	"systemPrompt", "language", "mode", "active", "temperature", "enabledFunctions", "enabledCustomFunctions",
}

// fieldSet is a body's fields as JSON, with their names in fieldOrder.
type fieldSet struct {
	names  []string
	values map[string]json.RawMessage
}

// members returns the top-level members of v's JSON. v is a body or an
// agent of package agents, which always encode.
func members(v any) map[string]json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("reconcile: a body does not encode: " + err.Error()) // Load and the API gave it: a bug
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		panic("reconcile: " + err.Error())
	}
	return m
}

// patchFields returns the fields of a patch.
func patchFields(p agents.UpdateParams) fieldSet {
	m := members(p)
	fs := fieldSet{values: m}
	for _, name := range fieldOrder {
		if _, ok := m[name]; ok {
			fs.names = append(fs.names, name)
		}
	}
	return fs
}

// bodyFields returns the fields of a create body as changes from nothing.
func bodyFields(p agents.CreateParams) []FieldChange {
	fs := patchFields(agents.UpdateParams(p))
	var out []FieldChange
	for _, name := range fs.names {
		if string(fs.values[name]) != "null" {
			out = append(out, FieldChange{Field: name, New: fs.values[name]})
		}
	}
	return out
}

// agentFields returns the writable fields of a as JSON; unset optional
// fields are absent.
func agentFields(a agents.Agent) map[string]json.RawMessage {
	m := members(a)
	for k := range m {
		if !slices.Contains(fieldOrder, k) {
			delete(m, k)
		}
	}
	return m
}

// sameJSON reports whether a and b encode alike.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

package fake

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/agents"
)

// Most create bodies are valid, and judging one with the JSON Schema costs
// several times what the rest of the request does. So a body is first
// tried on a fast path that only accepts: when the body is certainly one
// JSON object in UTF-8, whose keys are all writable fields, each once and
// spelled exactly, whose values decode into agents.CreateParams (so each
// has its type), with no \u escape (which could hide a lone surrogate),
// and which agents accepts, it is valid. Package validate's agreement test
// proves that the schema accepts every such body. Any doubt sends the body
// down the full path, which finds every failing field: the answer is the
// same either way, only its cost differs.

// plainCreate is a create body without null: each field absent (nil) or
// a value. It decodes in one pass, where agents.Optional decodes each
// field on its own; a test holds its fields to those of
// agents.CreateParams, name for name and type for type.
type plainCreate struct {
	Name                   *string              `json:"name"`
	Architecture           *agents.Architecture `json:"agentArchitecture"`
	Model                  *string              `json:"model"`
	STT                    *string              `json:"stt"`
	TTS                    *string              `json:"tts"`
	RealtimeProvider       *string              `json:"realtimeProvider"`
	VoiceID                *string              `json:"voiceId"`
	SystemPrompt           *string              `json:"systemPrompt"`
	Language               *string              `json:"language"`
	Mode                   *agents.Mode         `json:"mode"`
	Active                 *bool                `json:"active"`
	Temperature            *float64             `json:"temperature"`
	EnabledFunctions       *[]string            `json:"enabledFunctions"`
	EnabledCustomFunctions *[]string            `json:"enabledCustomFunctions"`
}

// params returns c as create params.
func (c *plainCreate) params() agents.CreateParams {
	return agents.CreateParams{
		Name: opt(c.Name), Architecture: opt(c.Architecture), Model: opt(c.Model), STT: opt(c.STT), TTS: opt(c.TTS),
		RealtimeProvider: opt(c.RealtimeProvider), VoiceID: opt(c.VoiceID), SystemPrompt: opt(c.SystemPrompt),
		Language: opt(c.Language), Mode: opt(c.Mode), Active: opt(c.Active), Temperature: opt(c.Temperature),
		EnabledFunctions: opt(c.EnabledFunctions), EnabledCustomFunctions: opt(c.EnabledCustomFunctions),
	}
}

// opt returns the value at v, or unset for nil.
func opt[T any](v *T) agents.Optional[T] {
	if v == nil {
		return agents.Optional[T]{}
	}
	return agents.Value(*v)
}

// createFields are the keys of plainCreate, each with its bit.
var createFields = jsonFields(reflect.TypeFor[plainCreate]())

// jsonFields returns the JSON names of the fields of struct t, numbered.
func jsonFields(t reflect.Type) map[string]uint {
	m := make(map[string]uint, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		m[name] = uint(i)
	}
	return m
}

// fastCreate returns the params of body and true when body is a valid
// create body beyond doubt, as above; false means "judge it in full". A
// body that holds null anywhere goes the full way: null is absent in a
// create, and encoding/json would decode a null list item as "".
func fastCreate(body []byte) (agents.CreateParams, bool) {
	if bytes.Contains(body, []byte(`\u`)) || bytes.Contains(body, []byte("null")) || !utf8.Valid(body) || !plainKeys(body) {
		return agents.CreateParams{}, false
	}
	var c plainCreate
	if json.Unmarshal(body, &c) != nil {
		return agents.CreateParams{}, false
	}
	p := c.params()
	return p, p.Validate() == nil
}

// plainKeys reports whether the top-level keys of body, if it is a JSON
// object, are writable create fields, each once, without escapes. It does
// not check the syntax: json.Unmarshal does, and in valid JSON this scan
// finds exactly the keys.
func plainKeys(body []byte) bool {
	var seen uint
	depth, inString, escaped, key := 0, false, false, -1 // key: start of a top-level key
	for i, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			if key >= 0 {
				return false // an escaped key
			}
			escaped = true
		case c == '"' && inString:
			inString = false
			if key >= 0 {
				bit, ok := createFields[string(body[key:i])]
				if !ok || seen&(1<<bit) != 0 {
					return false
				}
				seen |= 1 << bit
				key = -1
			}
		case inString:
		case c == '"':
			inString = true
			if depth == 1 && expectsKey(body[:i]) {
				key = i + 1
			}
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return true
}

// expectsKey reports whether a string that starts after head, at depth 1,
// is a key: the last byte of head other than white space is '{' or ','.
func expectsKey(head []byte) bool {
	head = bytes.TrimRight(head, " \t\r\n")
	return len(head) > 0 && (head[len(head)-1] == '{' || head[len(head)-1] == ',')
}

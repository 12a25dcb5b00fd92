package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// fuzzSeeds are bodies to start from: valid ones of each kind, and each
// family of mistake.
var fuzzSeeds = []string{
	pipelineExample,
	`{` + realtimeBody + `}`,
	`{` + textBody + `,"voiceId":null,"temperature":2}`,
	`{}`, `{"name":null,"mode":null,"active":null}`,
	`{"name":" ","agentArchitecture":"voice","model":"a b","temperature":-1,"language":"en_US","mode":"x"}`,
	`{"enabledFunctions":["a","a",""],"enabledCustomFunctions":"x","id":null,"foo":1}`,
	`{"stt":5,"tts":[],"realtimeProvider":{},"active":"true","temperature":1e400}`,
	`{"name":"a\u0000\u0085\u3000"}`,
	`{"temperature":1e1000100}`, // once a panic in the schema library
	`{"enabledFunctions":[1e1000100,1e1000100]}`,
	`[]`, `null`, ``, `{"a":1}x`, "\xff", `{"a":1,"a":1}`, `{"a\":":{"b":"\\"}}`,
}

// topKeys returns the keys of a JSON object body, and false if the body
// is not one object or repeats a key.
func topKeys(body []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k := tok.(string)
		if slices.Contains(keys, k) {
			return nil, false
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	return keys, true
}

// writableKeysOnly reports whether agents can judge body as validate does:
// one object whose keys are all exactly writable fields, each once
// (encoding/json matches keys without regard to case and lets a later key
// win).
func writableKeysOnly(body []byte) bool {
	keys, ok := topKeys(body)
	return ok && !slices.ContainsFunc(keys, func(k string) bool { return !slices.Contains(knownFields, k) })
}

// fuzzCheck runs the checks both targets share and returns validate's
// answer, nil or a *agents.ValidationError, or ok false when the body is
// not one JSON object.
func fuzzCheck(t *testing.T, check func([]byte) error, body []byte) (verr error, ok bool) {
	err := check(body)
	checkWellFormed(t, err, validate.ErrInvalidJSON)
	if again := check(body); (err == nil) != (again == nil) || (err != nil && err.Error() != again.Error()) {
		t.Fatalf("not deterministic: %v, then %v", err, again)
	}
	// INVALID_JSON exactly when the body is not one JSON object, each key
	// once.
	_, uniqueKeys := topKeys(body)
	object := json.Valid(body) && utf8.Valid(body) && uniqueKeys
	if isInvalid := errors.Is(err, validate.ErrInvalidJSON); isInvalid == object {
		t.Fatalf("one JSON object: %v, but Create/Update answered %v", object, err)
	}
	if _, isVE := err.(*agents.ValidationError); err != nil && !isVE {
		return nil, false
	}
	return err, true
}

func FuzzCreate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		verr, ok := fuzzCheck(t, validate.Create, body)
		if !ok || !writableKeysOnly(body) {
			return
		}
		var p agents.CreateParams
		if !decodeAs(t, body, verr, &p) {
			return // a wrong type or a number beyond float64, which validate reported
		}
		if diff := createDiff(t, verr, p); diff != "" {
			t.Fatalf("validate.Create disagrees with agents (-agents +validate):\n%s", diff)
		}
	})
}

func FuzzUpdate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	stored := storedAgents()
	f.Fuzz(func(t *testing.T, body []byte) {
		verr, ok := fuzzCheck(t, validate.Update, body)
		if !ok || !writableKeysOnly(body) {
			return
		}
		var p agents.UpdateParams
		if !decodeAs(t, body, verr, &p) {
			return
		}
		for _, a := range stored {
			if diff := updateDiff(t, verr, p, a); diff != "" {
				t.Fatalf("on %s: validate.Update disagrees with Apply (-agents +validate):\n%s", a.Architecture, diff)
			}
		}
	})
}

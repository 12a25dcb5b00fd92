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

// comparable reports whether agents can judge body as validate does: one
// object whose keys are all exactly writable fields, each once (encoding/json
// matches keys without regard to case and lets a later key win).
func comparable(body []byte) bool {
	keys, ok := topKeys(body)
	return ok && !slices.ContainsFunc(keys, func(k string) bool { return !slices.Contains(knownFields, k) })
}

// fuzzCheck runs the checks both targets share and returns validate's
// pairs, or ok false when the body is not one JSON object.
func fuzzCheck(t *testing.T, check func([]byte) error, body []byte) (got []fc, ok bool) {
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
	return fieldCodes(t, err), true
}

func FuzzCreate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := fuzzCheck(t, validate.Create, body)
		if !ok || !comparable(body) {
			return
		}
		var p agents.CreateParams
		if err := json.Unmarshal(body, &p); err != nil {
			if got == nil {
				t.Fatalf("valid by validate, but agents cannot decode it: %v", err)
			}
			return // a wrong type, which validate reported
		}
		want := fieldCodes(t, p.Validate())
		skip := func(e fc) bool {
			return slices.ContainsFunc(got, func(g fc) bool { return g.Code == agents.CodeWrongType && baseField(g.Field) == baseField(e.Field) })
		}
		if diff := diffFC(without(want, skip), without(got, skip)); diff != "" {
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
		got, ok := fuzzCheck(t, validate.Update, body)
		if !ok || !comparable(body) {
			return
		}
		var p agents.UpdateParams
		if err := json.Unmarshal(body, &p); err != nil {
			if got == nil {
				t.Fatalf("valid by validate, but agents cannot decode it: %v", err)
			}
			return
		}
		for _, a := range stored {
			_, err := p.Apply(a)
			applied := fieldCodes(t, err)
			wrongTyped := func(e fc) bool {
				return slices.ContainsFunc(got, func(g fc) bool { return g.Code == agents.CodeWrongType && baseField(g.Field) == baseField(e.Field) })
			}
			notApplicable := func(e fc) bool {
				return slices.ContainsFunc(applied, func(n fc) bool { return n.Code == agents.CodeNotApplicable && n.Field == e.Field })
			}
			want := without(applied, func(e fc) bool {
				return wrongTyped(e) || e.Code == agents.CodeNotApplicable || (e.Code == agents.CodeRequired && slices.Contains(tableFields, e.Field))
			})
			if diff := diffFC(want, without(got, func(e fc) bool { return wrongTyped(e) || notApplicable(e) })); diff != "" {
				t.Fatalf("on %s: validate.Update disagrees with Apply (-agents +validate):\n%s", a.Architecture, diff)
			}
		}
	})
}

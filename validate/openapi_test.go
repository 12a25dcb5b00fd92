package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/validate"
)

// openAPISchema compiles components/schemas/NAME out of the OpenAPI
// document, as a tool reading only that document would.
func openAPISchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	if err := c.AddResource("https://example.test/openapi.json", bytes.NewReader(validate.OpenAPI())); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://example.test/openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestOpenAPIAgreesWithValidate checks that the request schemas of the
// OpenAPI document, rendered for code generators (one schema per
// architecture, field rules written out), accept exactly the bodies that
// Create and Update accept: the agreement tests' generated bodies, and
// a few written by hand.
func TestOpenAPIAgreesWithValidate(t *testing.T) {
	t.Parallel()
	handWritten := []string{
		pipelineExample, `{}`, `{"name":null}`, `{"agentArchitecture":"text","stt":"x","name":"n","systemPrompt":"p","model":"m"}`,
		`{"agentArchitecture":"text","stt":null,"voiceId":null,"name":"n","systemPrompt":"p","model":"m"}`,
		`{"agentArchitecture":"realtime","realtimeProvider":"openai","name":" \u3000","systemPrompt":"p"}`,
		`{"agentArchitecture":"realtime","realtimeProvider":"openai","name":"a\u0085b","systemPrompt":"p"}`,
		`{"enabledFunctions":["a","a"]}`, `{"id":"agent_x"}`, `{"temperature":2.5}`, `{"mode":null}`, `{"language":"en_US"}`,
	}
	answers := map[string]map[bool]int{"CreateAgentRequest": {}, "UpdateAgentRequest": {}}
	for _, op := range []struct {
		schema string
		check  func([]byte) error
		gen    func(gen) *genBody
		n      int
	}{
		{"CreateAgentRequest", validate.Create, gen.body, createBodies},
		{"CreateAgentRequest", validate.Create, gen.nearValid, createBodies},
		{"UpdateAgentRequest", validate.Update, gen.patch, updateBodies},
	} {
		s := openAPISchema(t, op.schema)
		bodies := slices.Clone(handWritten)
		g := newGen(7)
		for range op.n {
			bodies = append(bodies, string(encode(op.gen(g).raw)))
		}
		for _, body := range bodies {
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			gotErr := s.Validate(v)
			var ve *jsonschema.ValidationError
			if gotErr != nil && !errors.As(gotErr, &ve) {
				t.Fatal(gotErr)
			}
			wantErr := op.check([]byte(body))
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%s %s:\nthe OpenAPI schema says %v\nvalidate says %v", op.schema, body, gotErr, wantErr)
			}
			answers[op.schema][wantErr == nil]++
		}
	}
	// Both answers must be reached often, or the test proves little.
	for schema, n := range answers {
		if n[true] < 100 || n[false] < 100 {
			t.Errorf("%s: %d bodies accepted, %d refused: too few of one kind to prove agreement", schema, n[true], n[false])
		}
	}
	if !slices.Equal(validate.OpenAPI(), validate.OpenAPI()) {
		t.Error("OpenAPI() is not stable")
	}
}

// nearValid generates a create body that is valid but for, at most, one
// field of any value: the bodies where the shape of the rendered schemas
// (one per architecture) matters most, and that random bodies seldom are.
func (g gen) nearValid() *genBody {
	arch := g.pick("pipeline", "realtime", "text")
	base := map[string]string{"name": `"Bot"`, "agentArchitecture": quote(arch), "systemPrompt": `"Hi"`}
	switch arch {
	case "pipeline":
		base["model"], base["stt"], base["tts"] = `"gpt-4o"`, `"deepgram"`, `"cartesia"`
	case "realtime":
		base["realtimeProvider"] = `"openai"`
	default:
		base["model"] = `"gpt-4o"`
	}
	field := g.pick(knownFields...)
	b := &genBody{}
	for _, k := range slices.Sorted(maps.Keys(base)) {
		if k != field {
			b.add(k, base[k], true)
		}
	}
	g.field(b, field)
	return b
}

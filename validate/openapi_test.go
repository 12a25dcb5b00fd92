package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/validate"
)

// TestOpenAPISchemasWork compiles the create and update schemas out of the
// OpenAPI document, as a tool reading only that document would, and checks
// that they accept and reject what Create and Update do.
func TestOpenAPISchemasWork(t *testing.T) {
	t.Parallel()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://example.test/openapi.json", bytes.NewReader(validate.OpenAPI())); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct {
		name  string
		check func([]byte) error
	}{{"create", validate.Create}, {"update", validate.Update}} {
		s, err := c.Compile("https://example.test/openapi.json#/components/schemas/" + op.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{
			pipelineExample, `{}`, `{"name":null}`, `{"agentArchitecture":"text","stt":"x","name":"n","systemPrompt":"p","model":"m"}`,
			`{"enabledFunctions":["a","a"]}`, `{"id":"agent_x"}`, `{"temperature":2.5}`, `{"mode":null}`, `{"language":"en_US"}`,
		} {
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			var ve *jsonschema.ValidationError
			gotErr := s.Validate(v)
			if gotErr != nil && !errors.As(gotErr, &ve) {
				t.Fatal(gotErr)
			}
			if wantErr := op.check([]byte(body)); (gotErr == nil) != (wantErr == nil) {
				t.Errorf("%s %s: OpenAPI schema says %v, validate says %v", op.name, body, gotErr, wantErr)
			}
		}
	}
	if !slices.Equal(validate.OpenAPI(), validate.OpenAPI()) {
		t.Error("OpenAPI() is not stable")
	}
}

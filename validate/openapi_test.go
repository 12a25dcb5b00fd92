package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/validate"
)

func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	b := validate.OpenAPI()
	if !json.Valid(b) {
		t.Fatal("OpenAPI() is not valid JSON")
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// resolvePointer follows a local reference ("#/components/...") in doc.
func resolvePointer(doc any, ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	v := doc
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// refs returns every $ref in v, with where it was found.
func refs(v any, at string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				out[at] = s
				continue
			}
			refs(e, at+"/"+k, out)
		}
	case []any:
		for i, e := range x {
			refs(e, at+"/"+strconv.Itoa(i), out)
		}
	}
}

func TestOpenAPI(t *testing.T) {
	doc := openAPIDoc(t)
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}

	all := map[string]string{}
	refs(doc, "", all)
	if len(all) < 40 {
		t.Fatalf("only %d references: the walk is broken", len(all))
	}
	for at, ref := range all {
		target, ok := resolvePointer(doc, ref)
		if !ok {
			t.Errorf("%s: $ref %q does not resolve", at, ref)
			continue
		}
		if _, isObject := target.(map[string]any); !isObject {
			t.Errorf("%s: $ref %q is not an object", at, ref)
		}
		// A reference from a schema must land on a schema.
		if strings.Contains(at, "/schema") && !strings.HasPrefix(ref, "#/components/schemas/") {
			t.Errorf("%s: schema $ref %q points outside components/schemas", at, ref)
		}
	}

	for _, op := range []struct{ path, method, id string }{
		{"/v1/agents", "get", "listAgents"},
		{"/v1/agents", "post", "createAgent"},
		{"/v1/agents/{id}", "get", "getAgent"},
		{"/v1/agents/{id}", "patch", "updateAgent"},
		{"/v1/agents/{id}", "delete", "deleteAgent"},
	} {
		got, ok := resolvePointer(doc, "#/paths/"+strings.ReplaceAll(op.path, "/", "~1")+"/"+op.method+"/operationId")
		if !ok || got != op.id {
			t.Errorf("%s %s: operationId %v, want %s", strings.ToUpper(op.method), op.path, got, op.id)
		}
	}

	schemas, _ := resolvePointer(doc, "#/components/schemas")
	for _, name := range schemaNames {
		s, ok := schemas.(map[string]any)[name].(map[string]any)
		if !ok {
			t.Errorf("components/schemas/%s is missing", name)
			continue
		}
		if _, ok := s["$id"]; ok {
			t.Errorf("components/schemas/%s keeps its $id, which would rebase its references", name)
		}
	}
}

// TestOpenAPISchemasWork compiles the create and update schemas out of the
// OpenAPI document, as a tool reading only that document would, and checks
// that they accept and reject what Create and Update do.
func TestOpenAPISchemasWork(t *testing.T) {
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

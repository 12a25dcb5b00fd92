package validate

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// openAPIDoc returns the OpenAPI document, decoded.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	b := OpenAPI()
	if !json.Valid(b) {
		t.Fatal("OpenAPI() is not valid JSON")
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// resolve follows a local reference ("#/components/...") in doc.
func resolve(doc any, ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	return walk(doc, pointerTokens(frag))
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
	t.Parallel()
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
		target, ok := resolve(doc, ref)
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
		got, ok := resolve(doc, "#/paths/"+strings.ReplaceAll(op.path, "/", "~1")+"/"+op.method+"/operationId")
		if !ok || got != op.id {
			t.Errorf("%s %s: operationId %v, want %s", strings.ToUpper(op.method), op.path, got, op.id)
		}
	}

	schemas, _ := resolve(doc, "#/components/schemas")
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

package validate

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/talkifai-go/talkifai/internal/wire"
)

var writeOpenAPI = flag.Bool("write-openapi", false, "write openapi.rendered.json (go generate)")

// TestOpenAPIRendered: the embedded document is what rendering the
// template and the schema documents yields, byte for byte; with
// -write-openapi (go generate) it writes that rendering.
func TestOpenAPIRendered(t *testing.T) {
	want := renderOpenAPI()
	if *writeOpenAPI {
		if err := os.WriteFile("openapi.rendered.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(openAPIRendered, want) {
		t.Error("openapi.rendered.json differs from a fresh rendering: run go generate ./validate")
	}
}

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

	if _, ok := resolve(doc, "#/info/license/url"); !ok {
		t.Error("info.license has no url")
	}
	schemas, _ := resolve(doc, "#/components/schemas")
	var want []string
	for _, c := range components {
		want = append(want, c.name)
		if c.byArchitecture {
			for _, a := range []string{"pipeline", "realtime", "text"} {
				want = append(want, variantName(c.name, a))
			}
		}
	}
	want = append(want, "Architecture", "Mode", "AgentEnvelope", "CreatedAgentEnvelope", "DeletedAgentEnvelope")
	if got := slices.Sorted(maps.Keys(schemas.(map[string]any))); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("components/schemas = %v, want %v", got, want)
	}
}

// TestOpenAPIForGenerators checks every schema of the document for what
// code generators need: a type, or a reference and nothing beside it, or a
// oneOf with a discriminator; additionalProperties a boolean; none of the
// keywords they do not read.
func TestOpenAPIForGenerators(t *testing.T) {
	t.Parallel()
	doc := openAPIDoc(t)
	n := 0
	forEachSchema(doc, "", func(at string, s map[string]any) {
		n++
		_, isRef := s["$ref"]
		_, isOneOf := s["oneOf"]
		_, typed := s["type"]
		switch {
		case isRef && len(s) != 1:
			t.Errorf("%s: keywords beside a $ref: %v", at, slices.Sorted(maps.Keys(s)))
		case isOneOf && s["discriminator"] == nil:
			t.Errorf("%s: a oneOf without a discriminator", at)
		case !isRef && !isOneOf && !typed:
			t.Errorf("%s: no type", at)
		}
		for _, k := range []string{"$defs", "$id", "$schema", "if", "then", "else", "not", "allOf", "anyOf", "const"} {
			if _, ok := s[k]; ok && !(k == "const" && typed) {
				t.Errorf("%s: keyword %s", at, k)
			}
		}
		if a, ok := s["additionalProperties"]; ok && a != false {
			t.Errorf("%s: additionalProperties is %v, want false", at, a)
		}
	})
	if n < 100 {
		t.Fatalf("only %d schemas: the walk is broken", n)
	}
}

// forEachSchema calls f on every schema in v: under a "schema" key, in
// components/schemas, and inside those.
func forEachSchema(v any, at string, f func(at string, s map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			m, isMap := e.(map[string]any)
			switch {
			case isMap && (k == "schema" || k == "items" || strings.HasSuffix(at, "/properties") || strings.HasSuffix(at, "/components/schemas")):
				f(at+"/"+k, m)
			case k == "oneOf":
				for i, s := range e.([]any) {
					f(at+"/oneOf/"+strconv.Itoa(i), s.(map[string]any))
				}
			}
			forEachSchema(e, at+"/"+k, f)
		}
	case []any:
		for i, e := range x {
			forEachSchema(e, at+"/"+strconv.Itoa(i), f)
		}
	}
}

// TestOpenAPIHeaders checks that every response declares the headers the
// API sends with it.
func TestOpenAPIHeaders(t *testing.T) {
	t.Parallel()
	doc := openAPIDoc(t)
	responses, _ := resolve(doc, "#/components/responses")
	for name, r := range responses.(map[string]any) {
		want := []string{wire.HeaderRequestID}
		switch name {
		case "MethodNotAllowed":
			want = append(want, wire.HeaderAllow)
		case "Unauthorized":
		default:
			want = append(want, wire.HeaderRateLimitLimit, wire.HeaderRateLimitRemaining, wire.HeaderRateLimitReset)
		}
		switch name {
		case "RateLimited", "ServerError":
			want = append(want, wire.HeaderRetryAfter)
		case "AgentCreated":
			want = append(want, wire.HeaderIdempotentReplayed)
		}
		headers, _ := r.(map[string]any)["headers"].(map[string]any)
		for _, h := range want {
			ref, _ := headers[h].(map[string]any)["$ref"].(string)
			if _, ok := resolve(doc, ref); !ok {
				t.Errorf("response %s does not declare %s", name, h)
			}
		}
	}
	paths, _ := resolve(doc, "#/paths")
	for path, item := range paths.(map[string]any) {
		for method, op := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			if _, ok := resolve(op, "#/responses/405"); !ok {
				t.Errorf("%s %s: no 405", method, path)
			}
		}
	}
}

// TestOpenAPINamePattern checks the one pattern that the rendering joins:
// name's (no control character) with nonBlank's (one character that is not
// white space), for every code point that is either, alone and among
// others.
func TestOpenAPINamePattern(t *testing.T) {
	t.Parallel()
	doc := openAPIDoc(t)
	p, _ := resolve(doc, "#/components/schemas/UpdateAgentRequest/properties/name/pattern")
	joined := regexp.MustCompile(p.(string))
	b, _ := Schema("fields")
	var fields struct {
		Defs map[string]struct{ Pattern string } `json:"$defs"`
	}
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	noControl, nonBlank := regexp.MustCompile(fields.Defs["name"].Pattern), regexp.MustCompile(fields.Defs["nonBlank"].Pattern)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) && r != 'a' {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r), string(r) + " ", "\u3000" + string(r) + "a"} {
			if got, want := joined.MatchString(s), noControl.MatchString(s) && nonBlank.MatchString(s); got != want {
				t.Errorf("%q: the joined pattern says %v, the two patterns %v", s, got, want)
			}
		}
	}
	if _, err := joinPatterns("^[a]*$", "[b]+"); err == nil {
		t.Error("joinPatterns joins a pattern it does not know")
	}
}

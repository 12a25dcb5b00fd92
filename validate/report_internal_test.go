package validate

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEveryKeywordMapped walks every schema reachable from the request
// documents and checks that each keyword that can fail is mapped to a
// detail code, so that a keyword added to a schema without a mapping fails
// here and not in front of a user.
func TestEveryKeywordMapped(t *testing.T) {
	t.Parallel()
	c, err := load()
	if err != nil {
		t.Fatal(err)
	}
	// Keywords that never fail: annotations, references (their targets are
	// walked), and format, which the compiler does not assert.
	quiet := []string{"$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "default", "examples", "readOnly", "format"}
	// Applicators: they fail only through the schemas they hold.
	applicators := map[string]bool{
		"properties": true, "additionalProperties": true, "items": true, "not": true, "allOf": true,
		"if": true, "then": true, "else": true,
	}
	seen := map[string]bool{}
	var visit func(loc string, s any, inIf bool)
	visit = func(loc string, s any, inIf bool) {
		if seen[loc] {
			return
		}
		seen[loc] = true
		m, ok := s.(map[string]any)
		if !ok {
			t.Errorf("%s: not a schema object", loc)
			return
		}
		for k, v := range m {
			switch {
			case k == "$ref":
				target := resolveRef(loc, v.(string))
				sub, ok := c.lookup(target)
				if !ok {
					t.Errorf("%s: $ref %s does not resolve", loc, v)
					continue
				}
				visit(target, sub, inIf)
			case k == "properties":
				for name, sub := range v.(map[string]any) {
					visit(loc+"/properties/"+name, sub, inIf)
				}
			case k == "allOf":
				for i, sub := range v.([]any) {
					visit(loc+"/allOf/"+strconv.Itoa(i), sub, inIf)
				}
			case applicators[k]:
				visit(loc+"/"+k, v, inIf || k == "if")
			case slices.Contains(quiet, k):
			case inIf:
				// A failing "if" only picks a branch; it is never reported.
			default:
				if _, ok := keywordCodes[k]; !ok {
					t.Errorf("%s: keyword %q has no detail code", loc, k)
				}
			}
		}
	}
	for _, name := range []string{"create", "update"} {
		u := baseURL + name + ".json"
		visit(u+"#", c.docs[u], false)
	}
	for def := range defCodes {
		if !seen[baseURL+"fields.json#/$defs/"+def] {
			t.Errorf("defCodes names $defs/%s, which no request schema uses", def)
		}
	}
}

// resolveRef resolves ref against the document of loc.
func resolveRef(loc, ref string) string {
	doc, _, _ := strings.Cut(loc, "#")
	file, frag, _ := strings.Cut(ref, "#")
	if file != "" {
		doc = baseURL + file
	}
	return doc + "#" + frag
}

func TestFieldName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		loc, want string
	}{
		{"", ""},
		{"/name", "name"},
		{"/enabledFunctions/12", "enabledFunctions[12]"},
		{"/a~1b~0c", "a/b~c"},
		{"/na%20me", "na me"},
		{"/a/b", "a.b"},
	} {
		if got := fieldName(pointerTokens(tc.loc)); got != tc.want {
			t.Errorf("fieldName(%q) = %q, want %q", tc.loc, got, tc.want)
		}
	}
}

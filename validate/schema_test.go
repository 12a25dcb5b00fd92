package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/rules"
	"github.com/talkifai-go/talkifai/internal/wire"
	"github.com/talkifai-go/talkifai/validate"
)

var schemaNames = []string{"create", "update", "agent", "summary", "created", "deleted", "list", "error", "fields"}

func TestSchemaDocuments(t *testing.T) {
	t.Parallel()
	for _, name := range schemaNames {
		b, ok := validate.Schema(name)
		if !ok {
			t.Fatalf("Schema(%q) missing", name)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("Schema(%q) is not JSON: %v", name, err)
		}
		if got, want := doc["$id"], "https://api.talkifai.dev/schemas/v1/"+name+".json"; got != want {
			t.Errorf("Schema(%q) $id = %v, want %s", name, got, want)
		}
		if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("Schema(%q) $schema = %v", name, got)
		}
		b[0] = 'X' // a copy: the next call is unharmed
		if again, _ := validate.Schema(name); again[0] != '{' {
			t.Fatalf("Schema(%q) returned shared bytes", name)
		}
	}
	for _, name := range []string{"", "nope", "../schemas/create", "create.json", "fields/"} {
		if b, ok := validate.Schema(name); ok || b != nil {
			t.Errorf("Schema(%q) = %d bytes, %v; want nothing", name, len(b), ok)
		}
	}
}

// compileAll compiles every document with the schema library, as a user
// in another language would load them all.
func compileAll(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat = true // date-time
	for _, name := range schemaNames {
		b, _ := validate.Schema(name)
		if err := c.AddResource("https://api.talkifai.dev/schemas/v1/"+name+".json", bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range schemaNames {
		s, err := c.Compile("https://api.talkifai.dev/schemas/v1/" + name + ".json")
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

func validJSON(t *testing.T, s *jsonschema.Schema, v any) error {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return s.Validate(doc)
}

// TestResponseSchemas checks the response documents against what this
// module encodes: they must accept it, and reject what the contract
// forbids.
func TestResponseSchemas(t *testing.T) {
	t.Parallel()
	s := compileAll(t)
	for _, a := range storedAgents() {
		if err := validJSON(t, s["agent"], a); err != nil {
			t.Errorf("agent %s: %v", a.ID, err)
		}
		if err := validJSON(t, s["summary"], a.Summary()); err != nil {
			t.Errorf("summary %s: %v", a.ID, err)
		}
		if err := validJSON(t, s["created"], wire.NewCreated(a)); err != nil {
			t.Errorf("created %s: %v", a.ID, err)
		}
	}
	list := wire.ListResponse[agents.Summary]{Success: true, Data: []agents.Summary{storedAgents()[0].Summary()}, Pagination: wire.NewPagination(1, 20, 1)}
	if err := validJSON(t, s["list"], list); err != nil {
		t.Errorf("list: %v", err)
	}
	if err := validJSON(t, s["deleted"], wire.Deleted{Message: wire.DeletedMessage}); err != nil {
		t.Errorf("deleted: %v", err)
	}
	var ve *agents.ValidationError
	if !errors.As(validate.Create([]byte(`{}`)), &ve) {
		t.Fatal("Create({}) is not a ValidationError")
	}
	for _, e := range []wire.ErrorResponse{
		{Error: "bad", Code: wire.CodeValidation, Details: ve.Fields},
		{Error: "gone", Code: wire.CodeNotFound},
		{Error: "injected", Code: wire.CodeInjectedFault},
	} {
		if err := validJSON(t, s["error"], e); err != nil {
			t.Errorf("error %s: %v", e.Code, err)
		}
	}

	bad := map[string]any{
		"agent with stt on a realtime agent": func() any {
			a := storedAgents()[1]
			a.STT = "deepgram"
			return a
		}(),
		"agent without its functions": map[string]any{"id": "agent_x"},
		"agent with a bad id": func() any {
			a := storedAgents()[2]
			a.ID = "agent-1"
			return a
		}(),
		"summary with a timestamp that is not RFC 3339": map[string]any{"id": "agent_x", "name": "n", "mode": "public", "agentArchitecture": "text", "active": true, "createdAt": "2024-01-15 10:30:00"},
		"summary with an extra key":                     map[string]any{"id": "agent_x", "name": "n", "mode": "public", "agentArchitecture": "text", "active": true, "createdAt": "2024-01-15T10:30:00Z", "x": 1},
		"error with details on NOT_FOUND":               wire.ErrorResponse{Error: "gone", Code: wire.CodeNotFound, Details: ve.Fields},
		"error without details on VALIDATION_ERROR":     wire.ErrorResponse{Error: "bad", Code: wire.CodeValidation},
		"list with limit 101":                           wire.ListResponse[agents.Summary]{Success: true, Data: []agents.Summary{}, Pagination: wire.NewPagination(1, 101, 0)},
	}
	for name, v := range bad {
		doc := "agent"
		for _, d := range []string{"summary", "error", "list"} {
			if strings.HasPrefix(name, d) {
				doc = d
			}
		}
		if err := validJSON(t, s[doc], v); err == nil {
			t.Errorf("%s: the %s schema accepts it", name, doc)
		}
	}
}

// fieldsPattern returns the pattern of a definition of fields.json,
// compiled as Go compiles it.
func fieldsPattern(t *testing.T, def string) *regexp.Regexp {
	t.Helper()
	b, _ := validate.Schema("fields")
	var doc struct {
		Defs map[string]struct{ Pattern string } `json:"$defs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	p := doc.Defs[def].Pattern
	if p == "" {
		t.Fatalf("fields.json: no pattern in $defs/%s", def)
	}
	return regexp.MustCompile(p)
}

// TestCharacterClasses proves, for every Unicode code point, that the
// schema's character classes are exactly what agents uses: unicode.IsSpace
// for white space and blankness, unicode.IsControl (Cc) for control
// characters. (JSON Schema patterns have no Unicode property classes that
// every engine shares, and Go's \s is ASCII only, so they are spelled out.)
//
// The code points that are white space or control characters are few and
// judged one by one. All the others are judged at once, in one string per
// pattern, which is as exact (a pattern that refused one of them would
// refuse the string) and keeps the test fast under -race. nonBlank, which
// looks for one such code point anywhere, must be noWhiteSpace's class
// unanchored: then the string judges it too.
func TestCharacterClasses(t *testing.T) {
	t.Parallel()
	noSpace, nonBlank, noControl := fieldsPattern(t, "noWhiteSpace"), fieldsPattern(t, "nonBlank"), fieldsPattern(t, "name")
	var ordinary strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue // surrogates: not in UTF-8 text
		}
		if !unicode.IsSpace(r) && !unicode.IsControl(r) {
			ordinary.WriteRune(r)
			continue
		}
		s := string(r)
		if got, want := !noSpace.MatchString(s), unicode.IsSpace(r); got != want {
			t.Errorf("U+%04X: noWhiteSpace rejects it: %v, unicode.IsSpace: %v", r, got, want)
		}
		if got, want := !nonBlank.MatchString("  "+s+"\u3000"), strings.TrimSpace(s) == ""; got != want {
			t.Errorf("U+%04X: nonBlank rejects it: %v, blank by strings.TrimSpace: %v", r, got, want)
		}
		if got, want := !noControl.MatchString("a"+s), unicode.IsControl(r); got != want {
			t.Errorf("U+%04X: name's pattern rejects it: %v, unicode.IsControl: %v", r, got, want)
		}
	}
	if noSpace.String() != "^"+nonBlank.String()+"*$" {
		t.Errorf("noWhiteSpace %q is not ^nonBlank*$ with nonBlank %q", noSpace, nonBlank)
	}
	all := ordinary.String()
	for def, accepts := range map[string]func(string) bool{
		"noWhiteSpace": noSpace.MatchString,
		"name":         func(s string) bool { return noControl.MatchString("a" + s) },
	} {
		if accepts(all) {
			continue
		}
		for _, r := range all { // only on failure: say which
			if !accepts(string(r)) {
				t.Errorf("U+%04X is neither white space nor Cc, but the pattern of $defs/%s refuses it", r, def)
			}
		}
	}
}

// TestIDPattern checks that the schemas' id (contract section 3) is the id
// of rules.ValidID.
func TestIDPattern(t *testing.T) {
	t.Parallel()
	id := fieldsPattern(t, "id")
	for _, s := range []string{
		"agent_1", "agent_AbC09", "agent_" + strings.Repeat("a", 64), "agent_" + strings.Repeat("a", 65),
		"agent_", "agent-1", "Agent_1", "agent_a_b", "agent_é", "agent_1\n", " agent_1", "",
	} {
		if got, want := id.MatchString(s), rules.ValidID(s); got != want {
			t.Errorf("%q: the schema's id pattern says %v, rules.ValidID %v", s, got, want)
		}
	}
}

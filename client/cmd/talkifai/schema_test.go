package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/talkifai-go/talkifai/validate"
)

// planSchema compiles plan.schema.json, with the API's schemas of package
// validate for the bodies it refers to.
func planSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) { return nil, fmt.Errorf("no schema %s", s) }
	for _, name := range []string{"create", "update", "fields"} {
		b, ok := validate.Schema(name)
		if !ok {
			t.Fatalf("package validate has no schema %s", name)
		}
		if err := c.AddResource("https://api.talkifai.dev/schemas/v1/"+name+".json", bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://api.talkifai.dev/schemas/talkifai/plan.json"
	if err := c.AddResource(id, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkPlanJSON validates out against the schema and returns it decoded.
func checkPlanJSON(t *testing.T, s *jsonschema.Schema, out string) map[string]any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("plan --json printed what is not JSON: %v\n%s", err, out)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("plan --json does not fit plan.schema.json: %#v\n%s", err, out)
	}
	return v.(map[string]any)
}

// TestPlanJSONSchema runs plan --json through every action it can show in
// one folder's life, and checks each output against plan.schema.json.
func TestPlanJSONSchema(t *testing.T) {
	s := planSchema(t)
	_, sec := section(t)
	scene := newReadmeScene(t, specFiles(t, sec))
	t.Chdir(scene.dir)
	plan := func() map[string]any {
		t.Helper()
		code, out := scene.talkifai([]string{"plan", "--json"})
		if code != 0 {
			t.Fatalf("plan --json: exit status %d\n%s", code, out)
		}
		return checkPlanJSON(t, s, out)
	}
	actions := func(p map[string]any) string {
		var a []string
		for _, c := range p["changes"].([]any) {
			c := c.(map[string]any)
			a = append(a, fmt.Sprint(c["key"], "=", c["action"]))
		}
		return strings.Join(a, " ")
	}
	if got, want := actions(plan()), "concierge=create docs=create support=create"; got != want {
		t.Errorf("first plan: %s, want %s", got, want)
	}
	if code, out := scene.talkifai([]string{"apply"}); code != 0 {
		t.Fatalf("apply: %d\n%s", code, out)
	}
	if got, want := actions(plan()), "concierge=no-change docs=no-change support=no-change"; got != want {
		t.Errorf("after apply: %s, want %s", got, want)
	}
	// Drift on one, a deleted agent, a removed spec.
	scene.curl(shellWords(t, scene.expand(`-X PATCH -H 'Authorization: Bearer tk_test_acme_owner' -H 'Content-Type: application/json' -d '{"temperature":1.5}' `+readmeURL+`/v1/agents/$(jq -r .agents.support.id agents/talkifai.lock.json)`)))
	scene.curl(shellWords(t, scene.expand(`-X DELETE -H 'Authorization: Bearer tk_test_acme_owner' `+readmeURL+`/v1/agents/$(jq -r .agents.docs.id agents/talkifai.lock.json)`)))
	if err := os.Remove("agents/concierge.yaml"); err != nil {
		t.Fatal(err)
	}
	p := plan()
	if got, want := actions(p), "concierge=orphaned docs=missing support=update"; got != want {
		t.Errorf("after edits: %s, want %s", got, want)
	}
	support := p["changes"].([]any)[2].(map[string]any)
	fields, _ := json.Marshal(support["fields"])
	if want := `[{"drift":true,"field":"temperature","new":0.4,"old":1.5}]`; string(fields) != want {
		t.Errorf("support's fields = %s, want %s", fields, want)
	}
}

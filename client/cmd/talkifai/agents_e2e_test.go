package main

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// seed creates three agents through the API, in this order.
func seed(e *env) []string {
	e.t.Helper()
	bodies := []string{
		`{"name":"Support Bot","agentArchitecture":"pipeline","model":"gpt-4o","stt":"deepgram","tts":"cartesia","systemPrompt":"You are Acme's support agent.\nBe brief."}`,
		`{"name":"Voice Concierge","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"Greet callers.","mode":"public"}`,
		`{"name":"Docs Helper","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Answer questions about our docs.","temperature":0.3,"enabledFunctions":["web_search"]}`,
	}
	var ids []string
	for _, b := range bodies {
		var a struct{ ID string }
		e.api("POST", "/v1/agents", b, &a)
		ids = append(ids, a.ID)
	}
	return ids
}

func TestE2EAgentsListGetDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := seed(e)
	list := e.expect(0, "agents", "list")
	get := e.expect(0, "agents", "get", ids[0])
	del := e.expect(0, "agents", "delete", ids[1])
	again := e.expect(1, "agents", "delete", ids[1])
	golden(t, "agents", e.transcript(list, get, del, again))

	// -o json is the API's own JSON: the list items, and the agent.
	var items []struct{ ID, Name string }
	if err := json.Unmarshal([]byte(e.expect(0, "agents", "list", "-o", "json").stdout), &items); err != nil {
		t.Fatal(err)
	}
	want := []struct{ ID, Name string }{{ids[2], "Docs Helper"}, {ids[0], "Support Bot"}}
	if diff := cmp.Diff(want, items); diff != "" {
		t.Errorf("agents list -o json (-want +got):\n%s", diff)
	}
	var a map[string]any
	if err := json.Unmarshal([]byte(e.expect(0, "agents", "get", ids[2], "-o", "json").stdout), &a); err != nil {
		t.Fatal(err)
	}
	if a["temperature"] != 0.3 || a["model"] != "gpt-4o-mini" || a["id"] != ids[2] {
		t.Errorf("agents get -o json = %v", a)
	}

	// delete -o json: one outcome per id, in argument order, failures
	// included; the exit status says one failed.
	type outcome struct {
		ID      string
		Deleted bool
		Error   string
	}
	var outcomes []outcome
	if err := json.Unmarshal([]byte(e.expect(1, "agents", "delete", ids[0], ids[1], "-o", "json").stdout), &outcomes); err != nil {
		t.Fatal(err)
	}
	wantOutcomes := []outcome{
		{ID: ids[0], Deleted: true},
		{ID: ids[1], Error: "no agent " + ids[1] + ": it does not exist, or this key may not see it (check the id and TALKIFAI_BASE_URL)"},
	}
	if diff := cmp.Diff(wantOutcomes, outcomes); diff != "" {
		t.Errorf("agents delete -o json (-want +got):\n%s", diff)
	}
}

func TestE2EExitStatusAndAdvice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	usage := e.expect(1, "agents", "get")
	badFlag := e.expect(1, "agents", "list", "--nope")
	badOut := e.expect(1, "agents", "list", "-o", "yaml")
	missing := e.expect(1, "agents", "get", "agent_nope")
	e.key = "tk_test_wrong"
	denied := e.expect(1, "agents", "list")
	e.key = ""
	noKey := e.expect(1, "agents", "list")
	golden(t, "errors", e.transcript(usage, badFlag, badOut, missing, denied, noKey))
}

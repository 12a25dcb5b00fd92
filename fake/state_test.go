package fake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStateRoundTrip: WriteState then ReadState on another server gives
// the same agents, owners (what members see), list order and timestamps.
func TestStateRoundTrip(t *testing.T) {
	f := newSeeded(t)
	f.do(t, call{method: "PATCH", path: "/v1/agents/agent_4", key: member, body: `{"name":"Edited"}`}).expect(t, 200, nil)
	var buf bytes.Buffer
	if err := f.srv.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	g := newFixture(t)
	if err := g.srv.ReadState(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f.snapshot(t), g.snapshot(t)); diff != "" {
		t.Errorf("agents differ after a round trip (-saved +loaded):\n%s", diff)
	}
	for _, key := range []string{member, member2, globex} {
		want := f.do(t, call{method: "GET", path: "/v1/agents", key: key}).body
		g.do(t, call{method: "GET", path: "/v1/agents", key: key}).expect(t, 200, want)
	}
	// Saving the loaded state gives the same document.
	var again bytes.Buffer
	if err := g.srv.WriteState(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Errorf("state changed on a second round trip:\n%s\n%s", buf.String(), again.String())
	}
}

// TestStateRejects: a document that is not a valid state is refused with
// a reason, and the store is left as it was.
func TestStateRejects(t *testing.T) {
	agent := `{"id":"agent_1","name":"T","agentArchitecture":"text","model":"m","systemPrompt":"p","language":"en","mode":"private","active":false,"enabledFunctions":[],"enabledCustomFunctions":[],"createdAt":"2024-01-15T10:30:00.000Z","updatedAt":"2024-01-15T10:30:00.000Z"}`
	doc := func(agents ...string) string {
		return `{"version":1,"agents":[` + strings.Join(agents, ",") + `]}`
	}
	saved := func(a string) string { return `{"org":"org_acme","owner":"usr_acme_owner","agent":` + a + `}` }
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", `{"version":1,`, "fake: state: unexpected EOF"},
		{"trailing data", doc() + ` {}`, "fake: state: data after the document"},
		{"version", `{"version":2,"agents":[]}`, "fake: state: version 2, want 1"},
		{"unknown member", `{"version":1,"agents":[],"keys":[]}`, `fake: state: json: unknown field "keys"`},
		{"no owner", doc(`{"org":"org_acme","agent":` + agent + `}`), "fake: state: agent 0: org and owner must be set"},
		{"unknown agent field", doc(saved(strings.Replace(agent, `"name"`, `"nick":1,"name"`, 1))), `fake: state: agent 0: json: unknown field "nick"`},
		{"bad id", doc(saved(strings.Replace(agent, "agent_1", "agent-1", 1))), `fake: state: agent 0: id "agent-1" is not agent_ and 1-64 letters or digits`},
		{"updated before created", doc(saved(strings.Replace(agent, `"updatedAt":"2024-01-15T10:30`, `"updatedAt":"2024-01-15T10:29`, 1))),
			"fake: state: agent 0: agent_1: createdAt must be set and updatedAt not before it"},
		{"breaks the rules", doc(saved(strings.Replace(agent, `"model":"m",`, `"voiceId":"v",`, 1))),
			"fake: state: agent 0: agent_1: validation failed: 2 invalid fields: model is required for text agents; voiceId is not applicable to text agents"},
		{"duplicate id", doc(saved(agent), saved(agent)), "fake: state: agent 1: id agent_1 is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSeeded(t)
			before := f.snapshot(t)
			err := f.srv.ReadState(strings.NewReader(tc.doc))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if diff := cmp.Diff(before, f.snapshot(t)); diff != "" {
				t.Errorf("a refused state changed the store:\n%s", diff)
			}
		})
	}
}

// TestStateFormat: the state is written one agent at a time, and the
// document is byte for byte what encoding/json makes of the whole state
// with a two-space indent, the format files of earlier versions have.
func TestStateFormat(t *testing.T) {
	for _, f := range []*fixture{newFixture(t), newSeeded(t)} {
		var buf bytes.Buffer
		if err := f.srv.WriteState(&buf); err != nil {
			t.Fatal(err)
		}
		type doc struct {
			Version int          `json:"version"`
			Agents  []savedAgent `json:"agents"`
		}
		want := doc{Version: 1, Agents: []savedAgent{}}
		for _, r := range f.srv.store.Created() {
			want.Agents = append(want.Agents, savedAgent{Org: r.Org, Owner: r.Owner, Agent: r.Full})
		}
		var wantBuf bytes.Buffer
		enc := json.NewEncoder(&wantBuf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantBuf.String(), buf.String()); diff != "" {
			t.Errorf("state document (-want +got):\n%s", diff)
		}
	}
}

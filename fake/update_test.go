package fake

import (
	"testing"
	"time"
)

func TestUpdate(t *testing.T) {
	patch := func(id, body string) call {
		return call{method: "PATCH", path: "/v1/agents/" + id, key: owner, body: body}
	}
	later := ts(time.Hour)
	a1 := wantAgent(1)
	unchanged := func(n int) func(t *testing.T, f *fixture) {
		return func(t *testing.T, f *fixture) {
			f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 200, ok(wantAgent(n)))
		}
	}
	runRows(t, []row{
		{name: "empty patch is a no-op", call: patch("agent_1", `{}`), status: 200, want: ok(a1), then: unchanged(1)},
		{name: "same values are a no-op", call: patch("agent_1", `{"name":"Public Bot","mode":"public","temperature":0.7,"enabledFunctions":["web_search"]}`), status: 200, want: ok(a1), then: unchanged(1)},
		{name: "null on an unset field is a no-op", call: patch("agent_1", `{"realtimeProvider":null}`), status: 200, want: ok(a1)},
		{name: "a change moves updatedAt", call: patch("agent_1", `{"name":"Renamed"}`), status: 200, want: ok(with(a1, "name", "Renamed", "updatedAt", later)),
			then: func(t *testing.T, f *fixture) {
				f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 200, ok(with(a1, "name", "Renamed", "updatedAt", later)))
				f.do(t, call{method: "GET", path: "/v1/agents?limit=1&mode=public&page=2", key: owner}).expect(t, 200, list(2, 1, 2, with(wantSummary(1), "name", "Renamed")))
			}},
		{name: "null clears optional fields and restores defaults", call: patch("agent_1", `{"voiceId":null,"temperature":null,"language":null,"enabledFunctions":null,"model":"gpt-4o-mini"}`), status: 200,
			want: ok(with(a1, "voiceId", nil, "temperature", nil, "language", "en", "enabledFunctions", []any{}, "model", "gpt-4o-mini", "updatedAt", later))},
		{name: "null on a field that always has a value", call: patch("agent_1", `{"name":null,"mode":null,"active":null,"stt":null}`), status: 400,
			want: invalid(4, detail("active", "required", "active cannot be null"), detail("mode", "required", "mode cannot be null"),
				detail("name", "required", "name cannot be null"), detail("stt", "required", "stt is required for pipeline agents")),
			then: unchanged(1)},
		{name: "change architecture, clearing what does not apply", call: patch("agent_1", `{"agentArchitecture":"realtime","realtimeProvider":"openai","stt":null,"tts":null}`), status: 200,
			want: ok(with(a1, "agentArchitecture", "realtime", "realtimeProvider", "openai", "stt", nil, "tts", nil, "updatedAt", later))},
		{name: "change architecture without clearing", call: patch("agent_1", `{"agentArchitecture":"text"}`), status: 400,
			want: invalid(3, detail("stt", "not_applicable", "stt is not applicable to text agents"), detail("tts", "not_applicable", "tts is not applicable to text agents"),
				detail("voiceId", "not_applicable", "voiceId is not applicable to text agents")), then: unchanged(1)},
		{name: "wrong, unknown and read-only fields with the rest", call: patch("agent_1", `{"name":5,"foo":1,"createdAt":"x","enabledFunctions":["a",3],"temperature":9,"realtimeProvider":"openai"}`), status: 400,
			want: invalid(6, detail("createdAt", "read_only", "createdAt is read-only: the server sets it"), detail("enabledFunctions[1]", "wrong_type", "enabledFunctions[1] must be a string"),
				detail("foo", "unknown_field", "foo is not a field of this body"), detail("name", "wrong_type", "name must be a string"),
				detail("realtimeProvider", "not_applicable", "realtimeProvider is not applicable to pipeline agents"),
				detail("temperature", "out_of_range", "temperature must be between 0 and 2"))},
		{name: "wrong-typed architecture counts as unknown", call: patch("agent_1", `{"agentArchitecture":7,"realtimeProvider":"openai"}`), status: 400,
			want: invalid(1, detail("agentArchitecture", "wrong_type", "agentArchitecture must be a string"))},
		{name: "unknown architecture judges the rest only", call: patch("agent_1", `{"agentArchitecture":"robot","realtimeProvider":"openai","name":""}`), status: 400,
			want: invalid(2, detail("agentArchitecture", "invalid_value", "agentArchitecture must be one of pipeline, realtime, text"), detail("name", "too_short", "name must not be empty"))},
		{name: "number too large for a float64", call: patch("agent_1", `{"temperature":1e400}`), status: 400,
			want: invalid(1, detail("temperature", "out_of_range", "temperature must be between 0 and 2"))},
		{name: "unknown agent", call: patch("agent_99", `{}`), status: 404, want: fail("NOT_FOUND", `agent "agent_99" not found`)},
		{name: "other organization's agent", call: patch("agent_7", `{}`), status: 404, want: fail("NOT_FOUND", `agent "agent_7" not found`)},
	})
}

// TestUpdatedAtMovesOnEveryChange: on a clock that never moves, each
// change still moves updatedAt forward, by a millisecond, and a no-op
// leaves it alone; when the clock goes back, updatedAt does not.
func TestUpdatedAtMovesOnEveryChange(t *testing.T) {
	f := newFixture(t, WithClock(func() time.Time { return t0 }))
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}).expect(t, 201, nil)
	patch := func(body string, want time.Duration) {
		t.Helper()
		got := f.do(t, call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: body})
		if at := got.body.(map[string]any)["data"].(map[string]any)["updatedAt"]; at != ts(want) {
			t.Errorf("PATCH %s: updatedAt %v, want %s", body, at, ts(want))
		}
	}
	patch(`{"name":"One"}`, time.Millisecond)
	patch(`{"name":"Two"}`, 2*time.Millisecond)
	patch(`{}`, 2*time.Millisecond)
	patch(`{"name":"Two"}`, 2*time.Millisecond)

	g := newSeeded(t)
	g.clock.Advance(-2 * time.Hour)
	g.do(t, call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: `{"name":"Back"}`}).
		expect(t, 200, ok(with(wantAgent(1), "name", "Back", "updatedAt", ts(time.Millisecond))))
}

func TestDelete(t *testing.T) {
	f := newSeeded(t)
	del := call{method: "DELETE", path: "/v1/agents/agent_1", key: owner}
	f.do(t, del).expect(t, 200, ok(map[string]any{"message": "Agent deleted successfully"}))
	gone := fail("NOT_FOUND", `agent "agent_1" not found`)
	f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 404, gone)
	f.do(t, call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: `{}`}).expect(t, 404, gone)
	f.do(t, del).expect(t, 404, gone)
	f.do(t, call{method: "GET", path: "/v1/agents", key: member}).expect(t, 200, list(1, 20, 2, wantSummary(6), wantSummary(4)))
	if _, found := f.srv.LookupAgent("agent_1"); found {
		t.Error("agent_1 is still stored")
	}
}

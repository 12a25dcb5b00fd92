package fake

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/validate"
)

// The rows of the API contract's tables that the fake serves, through real
// HTTP, each on a fresh seeded fixture (see helpers_test.go), comparing
// whole bodies. The permission matrix is in permissions_test.go; bad input
// in badinput_test.go.

// row is one request and everything its answer must be.
type row struct {
	name   string
	call   call
	status int
	want   any               // the whole body
	header map[string]string // headers that must have exactly these values ("" = absent)
	then   func(t *testing.T, f *fixture)
}

// runRows runs each row on a fresh seeded fixture; a refused request
// (4xx) must leave the store exactly as it was.
func runRows(t *testing.T, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			f := newSeeded(t)
			before := f.snapshot(t)
			got := f.do(t, r.call)
			got.expect(t, r.status, r.want)
			if got.status >= 400 {
				if diff := cmp.Diff(before, f.snapshot(t)); diff != "" {
					t.Errorf("a refused request changed the store (-before +after):\n%s", diff)
				}
			}
			for k, v := range r.header {
				if g := got.header.Get(k); g != v {
					t.Errorf("header %s = %q, want %q", k, g, v)
				}
			}
			if r.then != nil {
				r.then(t, f)
			}
		})
	}
}

// detail is one entry of a VALIDATION_ERROR's details.
func detail(field, code, message string) map[string]any {
	return map[string]any{"field": field, "code": code, "message": message}
}

func invalid(n int, details ...map[string]any) any {
	word := "fields"
	if n == 1 {
		word = "field"
	}
	return norm(map[string]any{"success": false, "code": "VALIDATION_ERROR",
		"error": "validation failed: " + itoa(n) + " invalid " + word, "details": details})
}

func itoa(n int) string { return strconv.Itoa(n) }

// invalidJSONBody is the INVALID_JSON answer for body, with validate's
// reason.
func invalidJSONBody(body string) any {
	err := validate.Create([]byte(body))
	return fail("INVALID_JSON", strings.TrimPrefix(err.Error(), "validate: "))
}

const (
	owner   = KeyAcmeOwner
	admin   = KeyAcmeAdmin
	member  = KeyAcmeMember
	member2 = KeyAcmeMember2
	globex  = KeyGlobexOwner
)

var (
	unauthorizedMissing = fail("UNAUTHORIZED", "missing API key: send Authorization: Bearer <key>")
	created8            = ok(map[string]any{"id": "agent_8", "name": "Support Bot", "agentArchitecture": "pipeline", "active": true, "createdAt": ts(time.Hour)})
	acmeAll             = []any{wantSummary(6), wantSummary(5), wantSummary(4), wantSummary(3), wantSummary(2), wantSummary(1)}
)

func TestTransport(t *testing.T) {
	get1 := func(h map[string]string) call { return call{method: "GET", path: "/v1/agents/agent_1", header: h} }
	runRows(t, []row{
		{name: "bearer scheme in any case", call: get1(map[string]string{"Authorization": "bEaReR " + owner}), status: 200, want: ok(wantAgent(1))},
		{name: "X-API-Key", call: get1(map[string]string{"X-API-Key": owner}), status: 200, want: ok(wantAgent(1))},
		{name: "both headers, same key", call: get1(map[string]string{"Authorization": "Bearer " + owner, "X-API-Key": owner}), status: 200, want: ok(wantAgent(1))},
		{name: "no key", call: get1(nil), status: 401, want: unauthorizedMissing},
		{name: "unknown key", call: get1(map[string]string{"Authorization": "Bearer tk_test_nobody"}), status: 401, want: fail("UNAUTHORIZED", "unknown API key in Authorization")},
		{name: "unknown X-API-Key", call: get1(map[string]string{"X-API-Key": "tk_test_nobody"}), status: 401, want: fail("UNAUTHORIZED", "unknown API key in X-API-Key")},
		{name: "empty X-API-Key", call: get1(map[string]string{"X-API-Key": ""}), status: 401, want: fail("UNAUTHORIZED", "malformed X-API-Key header")},
		{name: "headers name different keys", call: get1(map[string]string{"Authorization": "Bearer " + owner, "X-API-Key": admin}), status: 401, want: fail("UNAUTHORIZED", "credential headers name different API keys")},
		{name: "malformed Authorization beside valid X-API-Key", call: get1(map[string]string{"Authorization": "Token " + owner, "X-API-Key": owner}), status: 401, want: fail("UNAUTHORIZED", "malformed Authorization header")},
		{name: "Bearer without a key", call: get1(map[string]string{"Authorization": "Bearer"}), status: 401, want: fail("UNAUTHORIZED", "malformed Authorization header")},
		{name: "Bearer with two words", call: get1(map[string]string{"Authorization": "Bearer " + owner + " x"}), status: 401, want: fail("UNAUTHORIZED", "malformed Authorization header")},
		{name: "charset parameter", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "application/json; charset=utf-8"}, status: 201, want: created8},
		{name: "merge patch content type on PATCH", call: call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: `{"active":false}`, contentType: "application/merge-patch+json"},
			status: 200, want: ok(with(wantAgent(1), "active", false, "updatedAt", ts(time.Hour)))},
		{name: "merge patch content type on POST", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "application/merge-patch+json"},
			status: 415, want: fail("UNSUPPORTED_MEDIA_TYPE", "Content-Type application/merge-patch+json is not supported: send application/json")},
		{name: "text/plain", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "text/plain"},
			status: 415, want: fail("UNSUPPORTED_MEDIA_TYPE", "Content-Type text/plain is not supported: send application/json")},
		{name: "no Content-Type", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "-"},
			status: 415, want: fail("UNSUPPORTED_MEDIA_TYPE", "missing Content-Type: send application/json")},
		{name: "malformed Content-Type", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "application/json; ="},
			status: 415, want: fail("UNSUPPORTED_MEDIA_TYPE", "malformed Content-Type: send application/json")},
		{name: "body of exactly 1 MiB", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody + strings.Repeat(" ", 1<<20-len(pipelineBody))}, status: 201, want: created8},
		{name: "body of 1 MiB + 1", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody + strings.Repeat(" ", 1<<20+1-len(pipelineBody))},
			status: 413, want: fail("PAYLOAD_TOO_LARGE", "body is over 1048576 bytes")},
		{name: "timestamps in UTC with milliseconds", call: call{method: "GET", path: "/v1/agents/agent_2", key: owner}, status: 200, want: ok(with(wantAgent(2), "createdAt", "2024-01-15T10:31:00.000Z", "updatedAt", "2024-01-15T10:31:00.000Z"))},
	})
}

// TestOrderOfChecks takes each pair of neighbours in the contract's order
// of checks (route, key, content type, size, JSON, see, act, fields) and
// shows that the earlier one answers.
func TestOrderOfChecks(t *testing.T) {
	huge := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
	runRows(t, []row{
		{name: "route before key", call: call{method: "GET", path: "/v1/agent"}, status: 404, want: fail("NOT_FOUND", `no such path "/v1/agent"`)},
		{name: "method before key", call: call{method: "PUT", path: "/v1/agents"}, status: 405,
			want: fail("METHOD_NOT_ALLOWED", "PUT is not allowed on /v1/agents: use GET, POST"), header: map[string]string{"Allow": "GET, POST"}},
		{name: "key before content type", call: call{method: "POST", path: "/v1/agents", body: pipelineBody, contentType: "text/plain"}, status: 401, want: unauthorizedMissing},
		{name: "content type before size", call: call{method: "POST", path: "/v1/agents", key: owner, body: huge, contentType: "text/plain"}, status: 415,
			want: fail("UNSUPPORTED_MEDIA_TYPE", "Content-Type text/plain is not supported: send application/json")},
		{name: "size before JSON", call: call{method: "POST", path: "/v1/agents", key: owner, body: huge[:len(huge)-1]}, status: 413, want: fail("PAYLOAD_TOO_LARGE", "body is over 1048576 bytes")},
		{name: "JSON before see", call: call{method: "PATCH", path: "/v1/agents/agent_99", key: owner, body: `{"name":`}, status: 400, want: invalidJSONBody(`{"name":`)},
		{name: "see before act", call: call{method: "PATCH", path: "/v1/agents/agent_2", key: member, body: `{"mode":"commercial"}`}, status: 404, want: fail("NOT_FOUND", `agent "agent_2" not found`)},
		{name: "act before fields: create", call: call{method: "POST", path: "/v1/agents", key: member, body: `{"mode":"commercial","name":""}`}, status: 403, want: fail("FORBIDDEN", "members cannot create commercial agents")},
		{name: "act before fields: update", call: call{method: "PATCH", path: "/v1/agents/agent_4", key: member, body: `{"mode":"commercial","name":"","stt":5}`}, status: 403, want: fail("FORBIDDEN", "members cannot make agents commercial")},
		{name: "act before fields: public", call: call{method: "PATCH", path: "/v1/agents/agent_6", key: member, body: `{"name":""}`}, status: 403, want: fail("FORBIDDEN", "members cannot update public agents")},
		{name: "fields last", call: call{method: "PATCH", path: "/v1/agents/agent_4", key: member, body: `{"mode":"secret"}`}, status: 400,
			want: invalid(1, detail("mode", "invalid_value", "mode must be one of public, private, commercial"))},
	})
}

func TestStatusCodes(t *testing.T) {
	emptyJSON := func(method, path string) call {
		return call{method: method, path: path, key: owner, contentType: "application/json"}
	}
	rows := []row{
		{name: "200 list", call: call{method: "GET", path: "/v1/agents", key: owner}, status: 200, want: list(1, 20, 6, acmeAll...)},
		{name: "200 get", call: call{method: "GET", path: "/v1/agents/agent_3", key: admin}, status: 200, want: ok(wantAgent(3))},
		{name: "201 create", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}, status: 201, want: created8,
			then: func(t *testing.T, f *fixture) {
				f.do(t, call{method: "GET", path: "/v1/agents/agent_8", key: owner}).expect(t, 200, ok(map[string]any{
					"id": "agent_8", "name": "Support Bot", "agentArchitecture": "pipeline", "model": "gpt-4o", "stt": "deepgram", "tts": "cartesia",
					"voiceId": "sonic-english-female", "systemPrompt": "You are a helpful support agent for Acme.", "language": "en-US",
					"mode": "private", "active": true, "temperature": 0.7, "enabledFunctions": []any{"web_search"}, "enabledCustomFunctions": []any{},
					"createdAt": ts(time.Hour), "updatedAt": ts(time.Hour),
				}))
			}},
		{name: "200 delete", call: call{method: "DELETE", path: "/v1/agents/agent_1", key: owner}, status: 200, want: ok(map[string]any{"message": "Agent deleted successfully"})},
		{name: "400 VALIDATION_ERROR, every field at once", call: call{method: "POST", path: "/v1/agents", key: owner,
			body: `{"name":"  ","agentArchitecture":"pipeline","systemPrompt":"p","realtimeProvider":"openai","temperature":3,"id":"x","systemprompt":"y"}`},
			status: 400, want: invalid(8,
				detail("id", "read_only", "id is read-only: the server sets it"),
				detail("model", "required", "model is required for pipeline agents"),
				detail("name", "too_short", "name must not be blank"),
				detail("realtimeProvider", "not_applicable", "realtimeProvider is not applicable to pipeline agents"),
				detail("stt", "required", "stt is required for pipeline agents"),
				detail("systemprompt", "unknown_field", "systemprompt is not a field of this body"),
				detail("temperature", "out_of_range", "temperature must be between 0 and 2"),
				detail("tts", "required", "tts is required for pipeline agents"))},
		{name: "400 INVALID_PARAMETER", call: call{method: "GET", path: "/v1/agents?page=0", key: owner}, status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "401", call: call{method: "GET", path: "/v1/agents"}, status: 401, want: unauthorizedMissing},
		{name: "403", call: call{method: "DELETE", path: "/v1/agents/agent_4", key: member}, status: 403, want: fail("FORBIDDEN", "members cannot delete agents")},
		{name: "404 agent", call: call{method: "GET", path: "/v1/agents/agent_99", key: owner}, status: 404, want: fail("NOT_FOUND", `agent "agent_99" not found`)},
		{name: "404 path", call: call{method: "GET", path: "/v2/agents", key: owner}, status: 404, want: fail("NOT_FOUND", `no such path "/v2/agents"`)},
		{name: "404 root", call: call{method: "GET", path: "/", key: owner}, status: 404, want: fail("NOT_FOUND", `no such path "/"`)},
		{name: "404 empty id", call: call{method: "GET", path: "/v1/agents/", key: owner}, status: 404, want: fail("NOT_FOUND", `no such path "/v1/agents/"`)},
		{name: "404 below an agent", call: call{method: "GET", path: "/v1/agents/agent_1/x", key: owner}, status: 404, want: fail("NOT_FOUND", `no such path "/v1/agents/agent_1/x"`)},
		{name: "405 agent", call: call{method: "POST", path: "/v1/agents/agent_1", key: owner, body: pipelineBody}, status: 405,
			want: fail("METHOD_NOT_ALLOWED", "POST is not allowed on /v1/agents/agent_1: use GET, PATCH, DELETE"), header: map[string]string{"Allow": "GET, PATCH, DELETE"}},
		{name: "405 collection", call: call{method: "DELETE", path: "/v1/agents", key: owner}, status: 405,
			want: fail("METHOD_NOT_ALLOWED", "DELETE is not allowed on /v1/agents: use GET, POST"), header: map[string]string{"Allow": "GET, POST"}},
		{name: "405 openapi", call: call{method: "POST", path: "/openapi.json"}, status: 405,
			want: fail("METHOD_NOT_ALLOWED", "POST is not allowed on /openapi.json: use GET"), header: map[string]string{"Allow": "GET"}},
		{name: "400 INVALID_JSON empty PATCH", call: emptyJSON("PATCH", "/v1/agents/agent_1"), status: 400, want: invalidJSONBody("")},
		{name: "400 INVALID_JSON empty POST", call: emptyJSON("POST", "/v1/agents"), status: 400, want: invalidJSONBody("")},
	}
	for _, body := range []string{`{"name":`, `{} {}`, `{}}`, `[]`, `[{}]`, `"agent"`, `null`, `7`, "{\"name\":\"\xff\"}"} {
		rows = append(rows, row{name: "400 INVALID_JSON " + body, call: call{method: "POST", path: "/v1/agents", key: owner, body: body}, status: 400, want: invalidJSONBody(body)})
	}
	runRows(t, rows)
}

// TestAgentFields covers the agent table (section 3) and the architecture
// table (section 4): create defaults, omitted optional fields, and the
// rules that need the architecture.
func TestAgentFields(t *testing.T) {
	post := func(body string) call { return call{method: "POST", path: "/v1/agents", key: owner, body: body} }
	get8 := func(want map[string]any) func(t *testing.T, f *fixture) {
		return func(t *testing.T, f *fixture) {
			f.do(t, call{method: "GET", path: "/v1/agents/agent_8", key: owner}).expect(t, 200, ok(want))
		}
	}
	now := ts(time.Hour)
	runRows(t, []row{
		{name: "text agent with the defaults", call: post(`{"name":"T","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p"}`), status: 201,
			want: ok(map[string]any{"id": "agent_8", "name": "T", "agentArchitecture": "text", "active": false, "createdAt": now}),
			then: get8(map[string]any{"id": "agent_8", "name": "T", "agentArchitecture": "text", "model": "gpt-4o", "systemPrompt": "p",
				"language": "en", "mode": "private", "active": false, "enabledFunctions": []any{}, "enabledCustomFunctions": []any{}, "createdAt": now, "updatedAt": now})},
		{name: "realtime agent without model, temperature 0", call: post(`{"name":"R","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"p","temperature":0,"mode":"public"}`), status: 201,
			want: ok(map[string]any{"id": "agent_8", "name": "R", "agentArchitecture": "realtime", "active": false, "createdAt": now}),
			then: get8(map[string]any{"id": "agent_8", "name": "R", "agentArchitecture": "realtime", "realtimeProvider": "openai", "systemPrompt": "p", "temperature": 0,
				"language": "en", "mode": "public", "active": false, "enabledFunctions": []any{}, "enabledCustomFunctions": []any{}, "createdAt": now, "updatedAt": now})},
		{name: "null is absent in a create", call: post(`{"name":"T","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p","voiceId":null,"language":null,"active":null}`), status: 201,
			want: ok(map[string]any{"id": "agent_8", "name": "T", "agentArchitecture": "text", "active": false, "createdAt": now})},
		{name: "pipeline needs model, stt, tts", call: post(`{"name":"P","agentArchitecture":"pipeline","systemPrompt":"p"}`), status: 400,
			want: invalid(3, detail("model", "required", "model is required for pipeline agents"), detail("stt", "required", "stt is required for pipeline agents"),
				detail("tts", "required", "tts is required for pipeline agents"))},
		{name: "text has no voice", call: post(`{"name":"T","agentArchitecture":"text","model":"m","systemPrompt":"p","voiceId":"v","stt":"s"}`), status: 400,
			want: invalid(2, detail("stt", "not_applicable", "stt is not applicable to text agents"), detail("voiceId", "not_applicable", "voiceId is not applicable to text agents"))},
		{name: "unknown architecture judges the rest only", call: post(`{"name":"","agentArchitecture":"robot","systemPrompt":"p","stt":"s"}`), status: 400,
			want: invalid(2, detail("agentArchitecture", "invalid_value", "agentArchitecture must be one of pipeline, realtime, text"), detail("name", "too_short", "name must not be empty"))},
	})
}

func TestOpenAPI(t *testing.T) {
	f := newFixture(t)
	got := f.do(t, call{method: "GET", path: "/openapi.json"})
	if got.status != 200 || string(got.raw) != string(validate.OpenAPI()) {
		t.Errorf("GET /openapi.json: %d, body is not validate.OpenAPI()", got.status)
	}
}

// TestDefaultIDs: without WithIDs, ids are agent_ and 16 random lowercase
// letters and digits, and the clock is the real one.
func TestDefaultIDs(t *testing.T) {
	srv := NewServer(t)
	f := &fixture{srv: srv}
	seen := map[string]bool{}
	for range 20 {
		before := time.Now().Truncate(time.Millisecond)
		got := f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody})
		after := time.Now()
		data := got.body.(map[string]any)["data"].(map[string]any)
		id := data["id"].(string)
		if !regexp.MustCompile(`^agent_[a-z0-9]{16}$`).MatchString(id) || seen[id] {
			t.Errorf("id %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
		created, err := time.Parse(time.RFC3339, data["createdAt"].(string))
		if err != nil || created.Before(before) || created.After(after) {
			t.Errorf("createdAt %v is not between %v and %v: %v", data["createdAt"], before, after, err)
		}
	}
}

// TestBadIDSource: an id source that repeats itself or breaks the id
// format makes the create fail with a 500, and stores nothing more.
func TestBadIDSource(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  func() string
		want string
	}{
		{"repeats", func() string { return "agent_same" }, "fake: internal error: the id source keeps making ids that are taken"},
		{"bad format", func() string { return "agent-1" }, `fake: internal error: the id source made "agent-1", which is not agent_ and 1-64 letters or digits`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, WithIDs(tc.ids))
			first := 201
			if tc.name == "bad format" {
				first = 500
			}
			f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}).expect(t, first, nil)
			f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}).expect(t, 500, fail("INTERNAL_ERROR", tc.want))
			if n, want := f.srv.store.Len(), 201/first; n != want {
				t.Errorf("%d agents stored, want %d", n, want)
			}
		})
	}
}

// TestNilOptions: a nil clock, id source or logger keeps the default
// instead of making the first request panic.
func TestNilOptions(t *testing.T) {
	s := NewHandler(WithClock(nil), WithIDs(nil), WithLogger(nil))
	if w := serveDirect(s, "POST", "/v1/agents", owner, []byte(pipelineBody)); w.Code != 201 {
		t.Errorf("create: %d %s", w.Code, w.Body)
	}
}

package fake

import (
	"fmt"
	"strings"
	"testing"
)

// TestBadInput sends the list of bad input; each answer is its
// contract error, and runRows shows that the store is unchanged.
func TestBadInput(t *testing.T) {
	long := "agent_" + strings.Repeat("a", 10<<10)
	huge := pipelineBody + strings.Repeat(" ", 1<<20+1-len(pipelineBody))
	post := func(body string) call { return call{method: "POST", path: "/v1/agents", key: owner, body: body} }
	patch := func(body string) call {
		return call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: body}
	}
	rows := []row{
		{name: "malformed JSON", call: post(`{"name":"x",}`), status: 400, want: invalidJSONBody(`{"name":"x",}`)},
		{name: "malformed JSON patch", call: patch(`{name:1}`), status: 400, want: invalidJSONBody(`{name:1}`)},
		{name: "JSON array", call: post(`[` + pipelineBody + `]`), status: 400, want: invalidJSONBody(`[]`)},
		{name: "JSON array patch", call: patch(`[]`), status: 400, want: invalidJSONBody(`[]`)},
		{name: "wrong types", call: post(`{"name":1,"agentArchitecture":"text","model":"m","systemPrompt":"p","active":"yes","enabledFunctions":"web_search"}`), status: 400,
			want: invalid(3, detail("active", "wrong_type", "active must be a boolean"), detail("enabledFunctions", "wrong_type", "enabledFunctions must be an array"),
				detail("name", "wrong_type", "name must be a string"))},
		{name: "wrong types patch", call: patch(`{"temperature":"hot","mode":1}`), status: 400,
			want: invalid(2, detail("mode", "wrong_type", "mode must be a string"), detail("temperature", "wrong_type", "temperature must be a number"))},
		{name: "unknown and read-only fields", call: post(`{"name":"n","agentArchitecture":"text","model":"m","systemPrompt":"p","systemprompt":"q","updatedAt":null}`), status: 400,
			want: invalid(2, detail("systemprompt", "unknown_field", "systemprompt is not a field of this body"), detail("updatedAt", "read_only", "updatedAt is read-only: the server sets it"))},
		{name: "unknown and read-only fields patch", call: patch(`{"Name":"q","id":"agent_2"}`), status: 400,
			want: invalid(2, detail("Name", "unknown_field", "Name is not a field of this body"), detail("id", "read_only", "id is read-only: the server sets it"))},
		{name: "lone surrogate", call: post(`{"name":"\ud800","agentArchitecture":"text","model":"m","systemPrompt":"p","enabledFunctions":["\udc00x"]}`), status: 400,
			want: invalid(2, detail("enabledFunctions[0]", "invalid_format", `enabledFunctions[0] must not contain a lone UTF-16 surrogate (a \ud800-\udfff escape without its pair)`),
				detail("name", "invalid_format", `name must not contain a lone UTF-16 surrogate (a \ud800-\udfff escape without its pair)`))},
		{name: "lone surrogate patch", call: patch(`{"systemPrompt":"p \uDBFF"}`), status: 400,
			want: invalid(1, detail("systemPrompt", "invalid_format", `systemPrompt must not contain a lone UTF-16 surrogate (a \ud800-\udfff escape without its pair)`))},
		{name: "page=0", call: call{method: "GET", path: "/v1/agents?page=0", key: owner}, status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "limit=abc", call: call{method: "GET", path: "/v1/agents?limit=abc", key: owner}, status: 400, want: fail("INVALID_PARAMETER", "limit must be an integer of at least 1")},
		{name: "mode=secret", call: call{method: "GET", path: "/v1/agents?mode=secret", key: owner}, status: 400, want: fail("INVALID_PARAMETER", "mode must be one of public, private, commercial")},
		{name: "body of 1 MiB + 1", call: post(huge), status: 413, want: fail("PAYLOAD_TOO_LARGE", "body is over 1048576 bytes")},
		{name: "body of 1 MiB + 1 patch", call: patch(huge), status: 413, want: fail("PAYLOAD_TOO_LARGE", "body is over 1048576 bytes")},
		{name: "POST without Content-Type", call: call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "-"}, status: 415,
			want: fail("UNSUPPORTED_MEDIA_TYPE", "missing Content-Type: send application/json")},
	}
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		body := ""
		if m == "PATCH" {
			body = `{"name":"x"}`
		}
		rows = append(rows,
			row{name: m + " id with /", call: call{method: m, path: "/v1/agents/agent_1/agent_2", key: owner, body: body}, status: 404, want: fail("NOT_FOUND", `no such path "/v1/agents/agent_1/agent_2"`)},
			row{name: m + " id with %2F", call: call{method: m, path: "/v1/agents/agent_1%2Fagent_2", key: owner, body: body}, status: 404, want: fail("NOT_FOUND", `no such path "/v1/agents/agent_1/agent_2"`)},
			row{name: m + " id with %00", call: call{method: m, path: "/v1/agents/agent_1%00", key: owner, body: body}, status: 404, want: fail("NOT_FOUND", `agent "agent_1\x00" not found`)},
			row{name: m + " id of 10 KB", call: call{method: m, path: "/v1/agents/" + long, key: owner, body: body}, status: 404, want: fail("NOT_FOUND", fmt.Sprintf("agent %q not found", long[:80]+"..."))},
		)
	}
	runRows(t, rows)
}

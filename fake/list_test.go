package fake

import (
	"fmt"
	"testing"
	"time"
)

func TestList(t *testing.T) {
	get := func(key, query string) call { return call{method: "GET", path: "/v1/agents" + query, key: key} }
	s := wantSummary
	runRows(t, []row{
		{name: "owner sees the organization, newest first", call: get(owner, ""), status: 200, want: list(1, 20, 6, acmeAll...)},
		{name: "admin likewise", call: get(admin, ""), status: 200, want: list(1, 20, 6, acmeAll...)},
		{name: "member sees public and own private", call: get(member, ""), status: 200, want: list(1, 20, 3, s(6), s(4), s(1))},
		{name: "second member", call: get(member2, ""), status: 200, want: list(1, 20, 3, s(6), s(5), s(1))},
		{name: "other organization", call: get(globex, ""), status: 200, want: list(1, 20, 1, s(7))},
		{name: "page 2 of 3", call: get(owner, "?page=2&limit=2"), status: 200, want: list(2, 2, 6, s(4), s(3))},
		{name: "last page", call: get(owner, "?page=3&limit=2"), status: 200, want: list(3, 2, 6, s(2), s(1))},
		{name: "past the end", call: get(owner, "?page=4&limit=2"), status: 200, want: list(4, 2, 6)},
		{name: "far past the end", call: get(owner, "?page=99999999999999999999999"), status: 200, want: norm(map[string]any{
			"success": true, "data": []any{}, "pagination": map[string]any{"page": int64(1<<63 - 1), "limit": 20, "total": 6, "hasNext": false, "hasPrev": true}})},
		{name: "limit above 100 is 100", call: get(owner, "?limit=1000"), status: 200, want: list(1, 100, 6, acmeAll...)},
		{name: "huge limit is 100", call: get(owner, "?limit=99999999999999999999999"), status: 200, want: list(1, 100, 6, acmeAll...)},
		{name: "leading zeros", call: get(owner, "?page=02&limit=05"), status: 200, want: list(2, 5, 6, s(1))},
		{name: "owner, mode private", call: get(owner, "?mode=private"), status: 200, want: list(1, 20, 3, s(5), s(4), s(2))},
		{name: "owner, mode public", call: get(owner, "?mode=public"), status: 200, want: list(1, 20, 2, s(6), s(1))},
		{name: "owner, mode commercial", call: get(owner, "?mode=commercial"), status: 200, want: list(1, 20, 1, s(3))},
		{name: "member, mode private", call: get(member, "?mode=private"), status: 200, want: list(1, 20, 1, s(4))},
		{name: "member, mode public", call: get(member, "?mode=public"), status: 200, want: list(1, 20, 2, s(6), s(1))},
		{name: "member, mode commercial", call: get(member, "?mode=commercial"), status: 200, want: list(1, 20, 0)},
		{name: "member, paged union", call: get(member, "?page=2&limit=2"), status: 200, want: list(2, 2, 3, s(1))},
		{name: "unknown parameters ignored", call: get(owner, "?foo=bar&sort=asc"), status: 200, want: list(1, 20, 6, acmeAll...)},
		{name: "page=0", call: get(owner, "?page=0"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "page=-1", call: get(owner, "?page=-1"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "page=+1", call: get(owner, "?page=%2B1"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "page empty", call: get(owner, "?page="), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "limit=abc", call: get(owner, "?limit=abc"), status: 400, want: fail("INVALID_PARAMETER", "limit must be an integer of at least 1")},
		{name: "limit=1.5", call: get(owner, "?limit=1.5"), status: 400, want: fail("INVALID_PARAMETER", "limit must be an integer of at least 1")},
		{name: "limit=0", call: get(owner, "?limit=0"), status: 400, want: fail("INVALID_PARAMETER", "limit must be an integer of at least 1")},
		{name: "mode=secret", call: get(owner, "?mode=secret"), status: 400, want: fail("INVALID_PARAMETER", "mode must be one of public, private, commercial")},
		{name: "mode empty", call: get(owner, "?mode="), status: 400, want: fail("INVALID_PARAMETER", "mode must be one of public, private, commercial")},
		{name: "mode in capitals", call: get(owner, "?mode=PUBLIC"), status: 400, want: fail("INVALID_PARAMETER", "mode must be one of public, private, commercial")},
		// url.ParseQuery drops these pairs; the fake must not serve the defaults.
		{name: "mode badly escaped", call: get(owner, "?mode=secret%"), status: 400, want: fail("INVALID_PARAMETER", "mode is not percent-encoded correctly")},
		{name: "limit badly escaped", call: get(owner, "?limit=0%zz"), status: 400, want: fail("INVALID_PARAMETER", "limit is not percent-encoded correctly")},
		{name: "limit=abc%", call: get(owner, "?limit=abc%"), status: 400, want: fail("INVALID_PARAMETER", "limit is not percent-encoded correctly")},
		{name: "semicolon in page", call: get(owner, "?page=0;x"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "semicolon after a valid page", call: get(owner, "?page=1;x"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
		{name: "semicolon in mode", call: get(owner, "?mode=public;x"), status: 400, want: fail("INVALID_PARAMETER", "mode must be one of public, private, commercial")},
		{name: "escaped name and value", call: get(owner, "?%70age=2&limit=2&mode=p%75blic"), status: 200, want: list(2, 2, 2)},
		{name: "malformed unknown parameters ignored", call: get(owner, "?x=%zz&b%zz=1&page;=0&&=&limit=1"), status: 200, want: list(1, 1, 6, s(6))},
		{name: "repeated: the first value counts", call: get(owner, "?page=2&limit=2&page=3&limit=50"), status: 200, want: list(2, 2, 6, s(4), s(3))},
		{name: "repeated: every value is judged", call: get(owner, "?page=2&page=abc"), status: 400, want: fail("INVALID_PARAMETER", "page must be an integer of at least 1")},
	})
}

// TestListTiesAndClockJumps shows the order when createdAt ties (the later
// creation first) and when the clock goes back (createdAt decides, not
// creation order).
func TestListTiesAndClockJumps(t *testing.T) {
	f := newFixture(t)
	post := func(name string) {
		f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: fmt.Sprintf(`{"name":%q,"agentArchitecture":"text","model":"m","systemPrompt":"p"}`, name)}).expect(t, 201, nil)
	}
	post("a") // agent_1 at t0
	post("b") // agent_2 at t0
	f.clock.Advance(-time.Second)
	post("c") // agent_3 at t0-1s
	f.clock.Advance(time.Hour)
	post("d") // agent_4 at t0+59m59s
	item := func(n int, name string, d time.Duration) any {
		return map[string]any{"id": fmt.Sprintf("agent_%d", n), "name": name, "mode": "private", "agentArchitecture": "text", "active": false, "createdAt": ts(d)}
	}
	f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, 200, list(1, 20, 4,
		item(4, "d", time.Hour-time.Second), item(2, "b", 0), item(1, "a", 0), item(3, "c", -time.Second)))
}

package fake

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPermissionMatrix is the API contract's section 6 as one table: every
// role against every kind of agent (mode, and whether the caller made it),
// for every action, plus another organization's key. Refused requests must
// leave the store exactly as it was.
func TestPermissionMatrix(t *testing.T) {
	// Columns: the seeded agents, from the member's point of view.
	targets := []struct {
		n    int
		desc string
	}{
		{1, "public by owner"}, {6, "public by member (own)"}, {2, "private by owner"}, {4, "private by member (own)"},
		{5, "private by member2"}, {3, "commercial by owner"}, {7, "private in org_globex"},
	}
	actions := []struct {
		name, method, body string
	}{
		{"get", "GET", ""},
		{"rename", "PATCH", `{"name":"Renamed"}`},
		{"mode to public", "PATCH", `{"mode":"public"}`},
		{"mode to private", "PATCH", `{"mode":"private"}`},
		{"mode to commercial", "PATCH", `{"mode":"commercial"}`},
		{"delete", "DELETE", ""},
	}
	elevated := strings.Repeat("200 200 200 200 200 200 404\n", len(actions))
	matrix := map[string]string{ // rows: actions; columns: targets
		owner: elevated,
		admin: elevated,
		member: `
			200 200 404 200 404 404 404
			403 403 404 200 404 404 404
			403 403 404 200 404 404 404
			403 403 404 200 404 404 404
			403 403 404 403 404 404 404
			403 403 404 403 404 404 404`,
		globex: strings.Repeat("404 404 404 404 404 404 200\n", len(actions)),
	}
	for _, key := range []string{owner, admin, member, globex} {
		rows := strings.Fields(matrix[key])
		for i, a := range actions {
			for j, tg := range targets {
				want := 0
				fmt.Sscan(rows[i*len(targets)+j], &want)
				name := fmt.Sprintf("%s/%s/%s", strings.TrimPrefix(key, "tk_test_"), a.name, tg.desc)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					checkCell(t, key, a.method, a.body, tg.n, want)
				})
			}
		}
	}
}

// checkCell sends one action and checks its status, code and effect.
func checkCell(t *testing.T, key, method, body string, n, want int) {
	f := newSeeded(t)
	before := f.snapshot(t)
	id := fmt.Sprintf("agent_%d", n)
	got := f.do(t, call{method: method, path: "/v1/agents/" + id, key: key, body: body})
	if got.status != want {
		t.Fatalf("status %d, want %d: %s", got.status, want, got.raw)
	}
	if want != 200 {
		code := map[int]string{403: "FORBIDDEN", 404: "NOT_FOUND"}[want]
		if c := got.body.(map[string]any)["code"]; c != code {
			t.Errorf("code %v, want %s", c, code)
		}
		if diff := cmp.Diff(before, f.snapshot(t)); diff != "" {
			t.Errorf("a refused request changed the store (-before +after):\n%s", diff)
		}
		return
	}
	_, stored := f.srv.LookupAgent(id)
	switch {
	case method == "DELETE" && stored:
		t.Error("deleted agent is still stored")
	case method == "PATCH" && strings.Contains(body, "Renamed") && f.srv.Agent(t, id).Name != "Renamed":
		t.Error("rename not stored")
	case method == "PATCH" && strings.Contains(body, "mode"):
		mode := strings.Split(body, `"`)[3]
		if got := string(f.srv.Agent(t, id).Mode); got != mode {
			t.Errorf("mode %s, want %s", got, mode)
		}
	}
}

// TestListVisibility shows that a list shows exactly the agents that GET
// shows, for every key and every mode filter.
func TestListVisibility(t *testing.T) {
	f := newSeeded(t)
	for _, key := range []string{owner, admin, member, member2, globex} {
		for _, mode := range []string{"", "public", "private", "commercial"} {
			var visible []string
			for n := 7; n >= 1; n-- {
				id := fmt.Sprintf("agent_%d", n)
				if f.do(t, call{method: "GET", path: "/v1/agents/" + id, key: key}).status == 200 && (mode == "" || seeds[n-1].mode == mode) {
					visible = append(visible, id)
				}
			}
			q := "/v1/agents"
			if mode != "" {
				q += "?mode=" + mode
			}
			var listed []string
			for _, it := range f.do(t, call{method: "GET", path: q, key: key}).body.(map[string]any)["data"].([]any) {
				listed = append(listed, it.(map[string]any)["id"].(string))
			}
			if !slices.Equal(listed, visible) {
				t.Errorf("%s %s: list %v, get %v", key, q, listed, visible)
			}
		}
	}
}

// TestCreatePermissions: every role creates in every mode, except a member
// in commercial.
func TestCreatePermissions(t *testing.T) {
	for _, key := range []string{owner, admin, member} {
		for _, mode := range []string{"public", "private", "commercial", ""} {
			t.Run(key+"/"+mode, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				body := `{"name":"N","agentArchitecture":"text","model":"m","systemPrompt":"p"`
				if mode != "" {
					body += `,"mode":"` + mode + `"`
				}
				got := f.do(t, call{method: "POST", path: "/v1/agents", key: key, body: body + "}"})
				if key == member && mode == "commercial" {
					got.expect(t, 403, fail("FORBIDDEN", "members cannot create commercial agents"))
					if n := f.srv.store.Len(); n != 0 {
						t.Errorf("%d agents stored", n)
					}
					return
				}
				got.expect(t, 201, nil)
				want := mode
				if want == "" {
					want = "private"
				}
				if a := f.srv.Agent(t, "agent_1"); string(a.Mode) != want {
					t.Errorf("mode %s, want %s", a.Mode, want)
				}
			})
		}
	}
}

package fake

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

// TestRemote drives a started server through Remote, as a test process
// drives a shared talkifai-fake: a tenant, its client, a scoped fault,
// its journal and its reset, and the tenant's removal when the test ends.
func TestRemote(t *testing.T) {
	srv := NewServer(t)
	r := NewRemote(srv.URL() + "/")
	if r.URL() != srv.URL() {
		t.Errorf("URL %q, want %q", r.URL(), srv.URL())
	}
	var tn Tenant
	t.Run("a test", func(t *testing.T) {
		tn = r.NewTenant(t, TierPro)
		if tn.Tier != TierPro || !tenantOrgRE.MatchString(tn.Org) {
			t.Errorf("NewTenant: %+v", tn)
		}
		c := r.Client(t, client.WithAPIKey(tn.Keys.Owner))
		if _, err := c.Agents.Create(t.Context(), agents.CreateParams{
			Name: agents.Value("Mine"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o"), SystemPrompt: agents.Value("Hi"),
		}); err != nil {
			t.Fatal(err)
		}
		r.AddFault(t, Fault{Org: tn.Org, Method: "GET", Path: "/v1/agents", Status: 404, Times: 1})
		_, err := c.Agents.List(t.Context(), client.AgentListParams{})
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
			t.Fatalf("List under the tenant's fault: %v", err)
		}
		if _, err := r.Client(t).Agents.List(t.Context(), client.AgentListParams{}); err != nil {
			t.Errorf("org_acme under another tenant's fault: %v", err)
		}
		j := r.Journal(t, tn.Org)
		if diff := cmp.Diff(srv.Journal(t, tn.Org), j); diff != "" || len(j) != 2 {
			t.Errorf("Journal (-Server +Remote):\n%s", diff)
		}
		if q, ok := j.ByRequestID(apiErr.RequestID); !ok || q.Status != 404 {
			t.Errorf("the journal has no 404 with the error's request id %q: %v", apiErr.RequestID, j)
		}
		if n := len(r.Journal(t, "")); n != 3 {
			t.Errorf("the whole journal holds %d requests, want 3", n)
		}
		r.ResetOrg(t, tn.Org)
		if got := srv.Agents(t, tn.Org); len(got) != 0 {
			t.Errorf("%d agents after ResetOrg", len(got))
		}
	})
	if srv.keys.lookup(tn.Keys.Owner) != nil {
		t.Error("the tenant outlived the test that made it")
	}
	// ClearFaults removes every rule, scoped or not.
	r.AddFault(t, Fault{Status: 503, Times: 1})
	r.AddFault(t, Fault{Org: OrgGlobex, Status: 500})
	if n := len(r.Faults(t)); n != 2 {
		t.Fatalf("Faults lists %d rules, want 2", n)
	}
	r.ClearFaults(t)
	if rules := srv.Faults(t); len(rules) != 0 {
		t.Errorf("after ClearFaults: %v", rules)
	}
	gone := NewRemote("http://127.0.0.1:1")
	for _, tc := range []struct {
		fn   func(tb testing.TB)
		want string
	}{
		{func(tb testing.TB) { r.ResetOrg(tb, tn.Org) }, `fake: Remote.ResetOrg: POST /_fake/reset?org=` + tn.Org + ` answered 404 NOT_FOUND: no organization "` + tn.Org + `": no key belongs to it`},
		{func(tb testing.TB) { r.Journal(tb, "org_x") }, `fake: Remote.Journal: GET /_fake/requests?org=org_x answered 404 NOT_FOUND`},
		{func(tb testing.TB) { r.AddFault(tb, Fault{Status: 200}) }, `fake: Remote.AddFault: POST /_fake/faults answered 400 VALIDATION_ERROR: validation failed: 1 invalid field`},
		{func(tb testing.TB) { r.NewTenant(tb, "gold") }, `fake: Remote.NewTenant: POST /_fake/tenants answered 400 VALIDATION_ERROR`},
		{func(tb testing.TB) { NewRemote("http://127.0.0.1:1").NewTenant(tb, "") }, `fake: Remote.NewTenant: Post "http://127.0.0.1:1/_fake/tenants"`},
		{func(tb testing.TB) { r.Client(tb, client.WithBaseURL("ftp://x")) }, `fake: Remote.Client: `},
		{func(tb testing.TB) { gone.Faults(tb) }, `fake: Remote.Faults: Get "http://127.0.0.1:1/_fake/faults"`},
		{func(tb testing.TB) { gone.ClearFaults(tb) }, `fake: Remote.ClearFaults: Delete "http://127.0.0.1:1/_fake/faults"`},
	} {
		if got := fatalOf(t, tc.fn); !strings.HasPrefix(got, tc.want) {
			t.Errorf("failed with %q, want it to start with %q", got, tc.want)
		}
	}
}

// TestTestKit runs one test body through the TestKit interface against a
// server in process and against a Remote fake, and gets the same
// answers from both.
func TestTestKit(t *testing.T) {
	kits := map[string]func(t *testing.T) TestKit{
		"Server": func(t *testing.T) TestKit { return NewServer(t) },
		"Remote": func(t *testing.T) TestKit { return NewRemote(NewServer(t).URL()) },
	}
	for name, newKit := range kits {
		t.Run(name, func(t *testing.T) {
			kit := newKit(t)
			tn := kit.NewTenant(t, TierPro)
			c := kit.Client(t, client.WithAPIKey(tn.Keys.Owner))
			kit.AddFault(t, Fault{Org: tn.Org, Method: "GET", Path: "/v1/agents", Status: 404, Times: 1})
			kept := []FaultRule{
				{Fault: Fault{Org: tn.Org, Method: "DELETE", Path: "/v1/agents/*", Status: 503, RetryAfter: agents.Value(time.Duration(0)), Times: 2}, Remaining: 2},
				{Fault: Fault{Org: tn.Org, Method: "PATCH", Path: "/v1/agents/*", Delay: time.Millisecond}},
			}
			for _, r := range kept {
				kit.AddFault(t, r.Fault)
			}
			if _, err := c.Agents.List(t.Context(), client.AgentListParams{}); !errors.Is(err, client.ErrNotFound) {
				t.Fatalf("List under the tenant's fault: %v", err)
			}
			// The GET rule is spent and gone; the others wait, with their uses.
			if diff := cmp.Diff(kept, kit.Faults(t), cmp.AllowUnexported(agents.Optional[time.Duration]{})); diff != "" {
				t.Errorf("Faults (-want +got):\n%s", diff)
			}
			if _, err := c.Agents.Create(t.Context(), agents.CreateParams{
				Name: agents.Value("Mine"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o"), SystemPrompt: agents.Value("Hi"),
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := kit.Client(t).Agents.List(t.Context(), client.AgentListParams{}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range kit.Journal(t, tn.Org) {
				got = append(got, fmt.Sprintf("%s %s %d %t", q.Method, q.Path, q.Status, q.Org == tn.Org))
			}
			want := []string{"GET /v1/agents 404 true", "POST /v1/agents 201 true"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the tenant's journal (-want +got):\n%s", diff)
			}
			if n := len(kit.Journal(t, "")); n != 3 {
				t.Errorf("the whole journal holds %d requests, want 3", n)
			}
			kit.ResetOrg(t, tn.Org)
			if j := kit.Journal(t, tn.Org); len(j) != 0 {
				t.Errorf("after ResetOrg the tenant's journal holds %v", j)
			}
			if rules := kit.Faults(t); len(rules) != 0 {
				t.Errorf("after ResetOrg the tenant's rules are in force: %v", rules)
			}
			if page, err := c.Agents.List(t.Context(), client.AgentListParams{}); err != nil || page.Total != 0 {
				t.Errorf("after ResetOrg: %v, %v", page, err)
			}
			for _, fn := range []func(testing.TB){
				func(tb testing.TB) { kit.Journal(tb, "org_x") },
				func(tb testing.TB) { kit.ResetOrg(tb, "org_x") },
			} {
				if msg := fatalOf(t, fn); !strings.Contains(msg, `no organization "org_x"`) {
					t.Errorf("on an unknown organization: %q", msg)
				}
			}
		})
	}
}

package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
)

var (
	tenantOrgRE = regexp.MustCompile(`^org_t_[a-z2-7]{16}$`)
	tenantKeyRE = regexp.MustCompile(`^tk_test_t_[a-z2-7]{26}$`)
)

// newTenantHTTP makes a tenant with POST /_fake/tenants and body, and
// checks the 201's shape.
func (f *fixture) newTenantHTTP(t *testing.T, body string) Tenant {
	t.Helper()
	r := f.do(t, call{method: "POST", path: "/_fake/tenants", body: body})
	if r.status != 201 {
		t.Fatalf("POST /_fake/tenants %s: %d %s", body, r.status, r.raw)
	}
	var env struct {
		Success bool
		Data    Tenant
	}
	dec := json.NewDecoder(bytes.NewReader(r.raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || !env.Success {
		t.Fatalf("POST /_fake/tenants: %v %s", err, r.raw)
	}
	tn := env.Data
	keys := []string{tn.Keys.Owner, tn.Keys.Admin, tn.Keys.Member, tn.Keys.Member2}
	for _, k := range keys {
		if !tenantKeyRE.MatchString(k) {
			t.Errorf("tenant key %q", k)
		}
	}
	if !tenantOrgRE.MatchString(tn.Org) || len(map[string]bool{keys[0]: true, keys[1]: true, keys[2]: true, keys[3]: true}) != 4 {
		t.Errorf("tenant %+v: want an org_t_ id and four different keys", tn)
	}
	return tn
}

// textBody is a create body of a text agent named name in mode.
func textBody(name, mode string) string {
	return fmt.Sprintf(`{"name":%q,"agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Be brief.","mode":%q}`, name, mode)
}

// names lists the names of the agents key sees, in list order.
func (f *fixture) names(t *testing.T, key string) []string {
	t.Helper()
	r := f.do(t, call{method: "GET", path: "/v1/agents", key: key})
	if r.status != 200 {
		t.Fatalf("GET /v1/agents: %d %s", r.status, r.raw)
	}
	out := []string{}
	for _, a := range r.body.(map[string]any)["data"].([]any) {
		out = append(out, a.(map[string]any)["name"].(string))
	}
	return out
}

// TestTenantKeysAndRoles: a tenant's keys work at once, each as its own
// user with the role its name says, and its tier is the one asked for.
func TestTenantKeysAndRoles(t *testing.T) {
	f := newFixture(t, WithRateLimits(nil))
	tn := f.newTenantHTTP(t, "")
	if tn.Tier != TierEnterprise {
		t.Errorf("default tier %q, want enterprise", tn.Tier)
	}
	f.do(t, call{method: "POST", path: "/v1/agents", key: tn.Keys.Owner, body: textBody("Playbook", "commercial")}).expect(t, 201, nil)
	f.do(t, call{method: "POST", path: "/v1/agents", key: tn.Keys.Member, body: textBody("Draft", "private")}).expect(t, 201, nil)
	f.do(t, call{method: "POST", path: "/v1/agents", key: tn.Keys.Member, body: textBody("Mine", "commercial")}).expect(t, 403, nil)
	for key, want := range map[string][]string{
		tn.Keys.Owner: {"Draft", "Playbook"}, tn.Keys.Admin: {"Draft", "Playbook"},
		tn.Keys.Member: {"Draft"}, tn.Keys.Member2: {}, owner: {},
	} {
		if got := f.names(t, key); !cmp.Equal(got, want) {
			t.Errorf("%s sees %v, want %v", key[:12], got, want)
		}
	}
	users := map[string]bool{}
	for _, q := range f.srv.Requests().Org(tn.Org) {
		users[q.User] = true
	}
	stem := "usr_t_" + strings.TrimPrefix(tn.Org, "org_t_") + "_"
	if want := map[string]bool{stem + "owner": true, stem + "admin": true, stem + "member": true, stem + "member2": true}; !cmp.Equal(users, want) {
		t.Errorf("the journal's users %v, want %v", users, want)
	}
	pro := f.newTenantHTTP(t, `{"tier":"pro"}`)
	r := f.do(t, call{method: "GET", path: "/v1/agents", key: pro.Keys.Member2})
	if pro.Tier != TierPro || r.header.Get("X-RateLimit-Limit") != "300" {
		t.Errorf("a pro tenant: tier %q, X-RateLimit-Limit %q", pro.Tier, r.header.Get("X-RateLimit-Limit"))
	}
}

// TestTenantBadRequests: bad bodies, methods and organizations get the
// contract's errors and change nothing.
func TestTenantBadRequests(t *testing.T) {
	f := newFixture(t)
	post := func(body string) reply { return f.do(t, call{method: "POST", path: "/_fake/tenants", body: body}) }
	post(`{"tier":"gold"}`).expect(t, 400, invalid(1, detail("tier", "invalid_value", "tier must be one of free, pro, enterprise")))
	post(`{"tier":5,"plan":"x"}`).expect(t, 400, invalid(2, detail("plan", "unknown_field", "plan is not a field of a tenant"), detail("tier", "wrong_type", "tier must be a string")))
	post(`{"tier":`).expect(t, 400, fail("INVALID_JSON", "body is not one JSON object"))
	post(`null`).expect(t, 400, fail("INVALID_JSON", "body is not one JSON object"))
	r := f.do(t, call{method: "GET", path: "/_fake/tenants"})
	r.expect(t, 405, fail("METHOD_NOT_ALLOWED", "GET is not allowed on /_fake/tenants: use POST"))
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	f.do(t, call{method: "POST", path: "/_fake/tenants/org_t_x"}).expect(t, 405, fail("METHOD_NOT_ALLOWED", "POST is not allowed on /_fake/tenants/org_t_x: use DELETE"))
	f.do(t, call{method: "DELETE", path: "/_fake/tenants/org_t_nobody"}).expect(t, 404, fail("NOT_FOUND", `no tenant "org_t_nobody"`))
	f.do(t, call{method: "DELETE", path: "/_fake/tenants/org_acme"}).expect(t, 404,
		fail("NOT_FOUND", `"org_acme" is not a tenant: the organizations the fake started with cannot be removed`))
	unknown := fail("NOT_FOUND", `no organization "org_nope": no key belongs to it`)
	f.do(t, call{method: "POST", path: "/_fake/reset?org=org_nope"}).expect(t, 404, unknown)
	f.do(t, call{method: "GET", path: "/_fake/requests?org=org_nope"}).expect(t, 404, unknown)
	f.do(t, call{method: "POST", path: "/_fake/faults", body: `{"org":"org_nope","status":503}`}).expect(t, 404, unknown)
	if n := f.srv.keys.tenants; n != 0 {
		t.Errorf("%d tenants after bad requests", n)
	}
	if rules := f.srv.Faults(t); len(rules) != 0 {
		t.Errorf("rules %v after a refused one", rules)
	}
}

// TestTenantIsolation: two tenants and org_acme share one server. Each
// one's agents, journal entries, scoped faults and scoped reset touch no
// other.
func TestTenantIsolation(t *testing.T) {
	f := newFixture(t)
	a, b := f.newTenantHTTP(t, ""), f.newTenantHTTP(t, "")
	for _, c := range []struct{ key, name string }{{a.Keys.Owner, "A1"}, {a.Keys.Owner, "A2"}, {b.Keys.Owner, "B1"}, {owner, "Acme"}} {
		f.do(t, idem(c.key, "k-"+c.name, textBody(c.name, "public"))).expect(t, 201, nil)
	}
	// A fault scoped to a, added over HTTP, and one to b in Go.
	f.do(t, call{method: "POST", path: "/_fake/faults", body: `{"org":"` + a.Org + `","method":"GET","path":"/v1/agents","status":503,"retryAfter":0,"times":2}`}).expect(t, 201,
		ok(map[string]any{"org": a.Org, "method": "GET", "path": "/v1/agents", "status": 503, "retryAfter": 0, "delayMs": 0, "disconnect": false, "after": false, "times": 2}))
	f.srv.AddFault(t, Fault{Org: b.Org, Path: "/v1/agents/*", Status: 500})
	f.do(t, call{method: "GET", path: "/_fake/faults"}).expect(t, 200, ok([]any{
		map[string]any{"org": a.Org, "method": "GET", "path": "/v1/agents", "status": 503, "retryAfter": 0, "delayMs": 0, "disconnect": false, "after": false, "times": 2, "remaining": 2},
		map[string]any{"org": b.Org, "method": "", "path": "/v1/agents/*", "status": 500, "delayMs": 0, "disconnect": false, "after": false, "times": 0, "remaining": nil},
	}))
	got := f.do(t, call{method: "GET", path: "/v1/agents", key: a.Keys.Member})
	got.expect(t, 503, fail("SERVICE_UNAVAILABLE", "injected fault"))
	if ra, ok := got.header["Retry-After"]; !ok || ra[0] != "0" {
		t.Errorf("retryAfter 0 sent Retry-After %q (present %v), want 0", ra, ok)
	}
	if names := f.names(t, b.Keys.Owner); !cmp.Equal(names, []string{"B1"}) { // a's fault: not b's
		t.Errorf("b sees %v", names)
	}
	if names := f.names(t, owner); !cmp.Equal(names, []string{"Acme"}) {
		t.Errorf("org_acme sees %v", names)
	}
	f.do(t, call{method: "GET", path: "/v1/agents"}).expect(t, 401, nil) // no key: no scoped rule
	f.do(t, call{method: "GET", path: "/v1/agents", key: a.Keys.Admin}).expect(t, 503, nil)
	if names := f.names(t, a.Keys.Owner); !cmp.Equal(names, []string{"A2", "A1"}) {
		t.Errorf("a sees %v after its fault's two uses", names)
	}
	if rules := f.srv.Faults(t); len(rules) != 1 || rules[0].Org != b.Org || rules[0].Remaining != 0 {
		t.Errorf("rules in force %+v, want only b's", rules)
	}

	// The journal, scoped.
	for _, tn := range []Tenant{a, b} {
		var env struct{ Data Journal }
		if err := json.Unmarshal(f.do(t, call{method: "GET", path: "/_fake/requests?org=" + tn.Org}).raw, &env); err != nil {
			t.Fatal(err)
		}
		for i := range env.Data {
			if string(env.Data[i].Body) == "null" {
				env.Data[i].Body = nil // what JSON's null decodes to
			}
		}
		if diff := cmp.Diff(f.srv.Requests().Org(tn.Org), env.Data); diff != "" || len(env.Data) == 0 {
			t.Errorf("GET /_fake/requests?org=%s (-Go +HTTP):\n%s", tn.Org, diff)
		}
		for _, q := range env.Data {
			if q.Org != tn.Org {
				t.Errorf("%s's journal holds %v", tn.Org, q)
			}
		}
	}

	// Reset a: its agents, journal, idempotency memory and faults go.
	bJournal := f.srv.Requests().Org(b.Org)
	f.do(t, call{method: "POST", path: "/_fake/reset?org=" + a.Org}).expect(t, 200, ok(map[string]string{"message": "fake reset"}))
	if n, bytes := f.srv.idempotency.remembered(a.Org); n != 0 || bytes != 0 {
		t.Errorf("a's idempotency budget after its reset: %d answers, %d bytes", n, bytes)
	}
	if n, _ := f.srv.idempotency.remembered(b.Org); n != 1 {
		t.Errorf("b's idempotency memory after a's reset: %d answers, want 1", n)
	}
	if got := f.srv.Agents(t, a.Org); len(got) != 0 {
		t.Errorf("a holds %d agents after its reset", len(got))
	}
	if j := f.srv.Requests().Org(a.Org); len(j) != 0 {
		t.Errorf("a's journal after its reset: %v", j)
	}
	r := f.do(t, idem(a.Keys.Owner, "k-A1", textBody("A1", "public"))) // forgotten: creates again
	r.expect(t, 201, nil)
	r.replayed(t, false)
	if r := f.do(t, idem(b.Keys.Owner, "k-B1", textBody("B1", "public"))); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("b's idempotency memory after a's reset: %d replayed %q", r.status, r.header.Get("Idempotent-Replayed"))
	}
	if diff := cmp.Diff(bJournal, f.srv.Requests().Org(b.Org)[:len(bJournal)]); diff != "" {
		t.Errorf("a's reset changed b's journal:\n%s", diff)
	}
	if names := f.names(t, b.Keys.Owner); !cmp.Equal(names, []string{"B1"}) {
		t.Errorf("b sees %v after a's reset", names)
	}

	// Remove b: its keys stop, its fault and agents go; a is untouched.
	f.do(t, call{method: "DELETE", path: "/_fake/tenants/" + b.Org}).expect(t, 200, ok(map[string]string{"message": "tenant removed"}))
	f.do(t, call{method: "GET", path: "/v1/agents", key: b.Keys.Owner}).expect(t, 401, fail("UNAUTHORIZED", "unknown API key in Authorization"))
	f.do(t, call{method: "DELETE", path: "/_fake/tenants/" + b.Org}).expect(t, 404, nil)
	f.do(t, call{method: "GET", path: "/_fake/requests?org=" + b.Org}).expect(t, 404, nil)
	if rules := f.srv.Faults(t); len(rules) != 0 {
		t.Errorf("b's fault outlived b: %v", rules)
	}
	if n := f.srv.store.Len(); n != 2 {
		t.Errorf("%d agents in all, want a's new one and org_acme's", n)
	}
	if names := f.names(t, a.Keys.Owner); !cmp.Equal(names, []string{"A1"}) {
		t.Errorf("a sees %v after b's removal", names)
	}
}

// TestResetRemovesTenants: an unscoped reset removes every tenant and
// keeps the keys the server started with.
func TestResetRemovesTenants(t *testing.T) {
	f := newFixture(t)
	tn := f.newTenantHTTP(t, "")
	f.do(t, call{method: "POST", path: "/_fake/reset"}).expect(t, 200, nil)
	f.do(t, call{method: "GET", path: "/v1/agents", key: tn.Keys.Owner}).expect(t, 401, nil)
	f.do(t, call{method: "GET", path: "/v1/agents", key: member}).expect(t, 200, nil)
	f.do(t, call{method: "POST", path: "/_fake/reset?org=" + tn.Org}).expect(t, 404, nil)
	f.newTenantHTTP(t, "") // the count went back to 0
}

// TestTenantCap: the server holds at most WithMaxTenants tenants; one more
// is refused with a message saying what to do, until one is removed.
func TestTenantCap(t *testing.T) {
	f := newFixture(t, WithMaxTenants(2))
	first := f.newTenantHTTP(t, "")
	f.newTenantHTTP(t, "")
	f.do(t, call{method: "POST", path: "/_fake/tenants"}).expect(t, 403, fail("FORBIDDEN",
		"the fake already holds 2 tenants, its most: remove those you are done with (DELETE /_fake/tenants/{org}) or raise the limit"))
	if err := f.srv.RemoveTenant(first.Org); err != nil {
		t.Fatal(err)
	}
	f.newTenantHTTP(t, "")
	if msg := fatalOf(t, func(tb testing.TB) { f.srv.NewTenant(tb, "") }); !strings.Contains(msg, "fake: NewTenant: the fake already holds 2 tenants") {
		t.Errorf("NewTenant over the cap: %q", msg)
	}
}

// TestTenantGoAPI: NewTenant, RemoveTenant, ResetOrg, Agents, Journal and AddFault
// in Go, as over HTTP; a tenant made with NewTenant goes when its test
// ends.
func TestTenantGoAPI(t *testing.T) {
	srv := NewServer(t)
	var tn Tenant
	t.Run("inner", func(t *testing.T) {
		tn = srv.NewTenant(t, TierFree)
		if tn.Tier != TierFree || !tenantOrgRE.MatchString(tn.Org) || !tenantKeyRE.MatchString(tn.Keys.Member2) {
			t.Errorf("NewTenant: %+v", tn)
		}
		a := srv.CreateAgent(t, tn.Keys.Member, agents.CreateParams{
			Name: agents.Value("Mine"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o"), SystemPrompt: agents.Value("Hi"),
		})
		if got := srv.Agents(t, tn.Org); len(got) != 1 || got[0].ID != a.ID {
			t.Errorf("Agents(%s) = %v", tn.Org, got)
		}
		srv.AddFault(t, Fault{Org: tn.Org, Status: 502, Times: 1})
		srv.ResetOrg(t, tn.Org)
		if got := srv.Agents(t, tn.Org); len(got) != 0 || len(srv.Faults(t)) != 0 {
			t.Errorf("after ResetOrg: %v agents, %v faults", got, srv.Faults(t))
		}
	})
	if srv.keys.lookup(tn.Keys.Owner) != nil {
		t.Error("the tenant outlived the test that made it")
	}
	if err := srv.RemoveTenant(tn.Org); err == nil || !strings.Contains(err.Error(), tn.Org) {
		t.Errorf("RemoveTenant on a removed tenant: %v", err)
	}
	if err := srv.RemoveTenant(OrgAcme); err == nil {
		t.Error("RemoveTenant(org_acme) succeeded")
	}
	for _, org := range []string{"org_acmee", tn.Org} {
		for name, fn := range map[string]func(testing.TB){
			"Agents":   func(tb testing.TB) { srv.Agents(tb, org) },
			"ResetOrg": func(tb testing.TB) { srv.ResetOrg(tb, org) },
			"Journal":  func(tb testing.TB) { srv.Journal(tb, org) },
		} {
			want := fmt.Sprintf("fake: %s: no organization %q: no key belongs to it", name, org)
			if got := fatalOf(t, fn); got != want {
				t.Errorf("%s(%q) failed with %q, want %q", name, org, got, want)
			}
		}
	}
}

// TestTenantIDsNeverReused: every key made gets a principal id never
// given before, so that idempotency memory and rate-limit buckets (kept
// by id) can never pass from a removed tenant to a new one.
func TestTenantIDsNeverReused(t *testing.T) {
	srv := NewHandler()
	seen := map[int]bool{}
	for _, k := range DefaultKeys() {
		seen[srv.keys.lookup(k.Key).id] = true
	}
	for range 3 {
		tn, err := srv.keys.newTenant("")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{tn.Keys.Owner, tn.Keys.Admin, tn.Keys.Member, tn.Keys.Member2} {
			id := srv.keys.lookup(k).id
			if seen[id] {
				t.Fatalf("principal id %d given twice", id)
			}
			seen[id] = true
		}
		srv.RemoveTenant(tn.Org)
		srv.Reset()
	}
}

// TestTenantsNotSaved: the state file holds the agents of the keys the
// server started with, never a tenant's.
func TestTenantsNotSaved(t *testing.T) {
	f := newFixture(t)
	tn := f.srv.NewTenant(t, "")
	f.do(t, call{method: "POST", path: "/v1/agents", key: tn.Keys.Owner, body: textBody("Tenant", "public")}).expect(t, 201, nil)
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: textBody("Acme", "public")}).expect(t, 201, nil)
	var buf bytes.Buffer
	if err := f.srv.WriteState(&buf); err != nil {
		t.Fatal(err)
	}
	g := NewHandler()
	if err := g.ReadState(&buf); err != nil {
		t.Fatal(err)
	}
	if n := g.store.Len(); n != 1 || len(g.Agents(t, OrgAcme)) != 1 {
		t.Errorf("%d agents loaded, want org_acme's one", n)
	}
}

// TestTenantsConcurrently makes and removes tenants while their keys are
// in use, under the race detector: no request of a removed tenant leaves
// an agent behind, and the default keys work throughout.
func TestTenantsConcurrently(t *testing.T) {
	srv := NewHandler(WithMaxTenants(64))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				tn, err := srv.keys.newTenant("")
				if err != nil {
					t.Error(err)
					return
				}
				var inner sync.WaitGroup
				inner.Go(func() {
					for range 5 {
						serveDirect(srv, "POST", "/v1/agents", tn.Keys.Owner, []byte(textBody("x", "public")))
					}
				})
				if err := srv.RemoveTenant(tn.Org); err != nil {
					t.Error(err)
				}
				inner.Wait()
				if w := serveDirect(srv, "GET", "/v1/agents", owner, nil); w.Code != 200 {
					t.Errorf("the owner key: %d", w.Code)
				}
			}
		})
	}
	wg.Wait()
	if n := srv.store.Len(); n != 0 {
		t.Errorf("%d agents of removed tenants left behind", n)
	}
	if n := srv.keys.tenants; n != 0 {
		t.Errorf("%d tenants left", n)
	}
}

// TestScopedFaultBeforeOtherChecks: a rule scoped to an organization
// applies to a request with its key before the route and the rate limit
// are judged, as an unscoped rule does; the same request with another
// organization's key, or a removed tenant's, gets the usual answer.
func TestScopedFaultBeforeOtherChecks(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 1}))
	tn := f.srv.NewTenant(t, TierEnterprise)
	f.srv.AddFault(t, Fault{Org: tn.Org, Status: 502})
	f.do(t, call{method: "GET", path: "/v1/agents", key: tn.Keys.Owner}).expect(t, 502, fail("BAD_GATEWAY", "injected fault"))
	f.do(t, call{method: "GET", path: "/v1/agents", key: tn.Keys.Owner}).expect(t, 502, nil) // no token spent: still not 429
	f.do(t, call{method: "GET", path: "/v1/nowhere", key: tn.Keys.Member}).expect(t, 502, nil)
	f.do(t, call{method: "GET", path: "/v1/nowhere", key: owner}).expect(t, 404, nil)
	other := f.srv.NewTenant(t, TierEnterprise)
	f.do(t, call{method: "GET", path: "/v1/agents", key: other.Keys.Owner}).expect(t, 200, nil)
	if err := f.srv.RemoveTenant(tn.Org); err != nil {
		t.Fatal(err)
	}
	f.do(t, call{method: "GET", path: "/v1/agents", key: tn.Keys.Owner}).expect(t, 401, nil)
}

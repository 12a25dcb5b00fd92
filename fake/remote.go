package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/client"
)

// Remote is a fake served by another process, such as one talkifai-fake
// shared by every test process of a CI run. Its methods are the test kit
// of [Server], over the control endpoints: each takes the test and fails
// it when the fake answers otherwise than it should. It is safe for
// concurrent use. A [Server] has the same methods: both are a [TestKit].
//
// Remote has no Agents or CreateAgent: the control endpoints do not read
// or write agents. A test reads and seeds them through Client, with a key
// of the organization; those requests are journaled like any other.
//
// Tests that share a fake should each work in a tenant of their own:
//
//	shared := fake.NewRemote(os.Getenv("TALKIFAI_FAKE_URL"))
//	tn := shared.NewTenant(t, fake.TierEnterprise) // removed when the test ends
//	c := shared.Client(t, client.WithAPIKey(tn.Keys.Owner))
type Remote struct {
	base string
	hc   *http.Client
}

// NewRemote returns the fake whose base URL is baseURL
// ("http://127.0.0.1:8080", as talkifai-fake prints it). It sends nothing
// until a method is called.
func NewRemote(baseURL string) *Remote {
	return &Remote{base: strings.TrimSuffix(baseURL, "/"), hc: &http.Client{}}
}

// URL returns the fake's base URL, without /v1.
func (r *Remote) URL() string { return r.base }

// Client returns a client of the fake acting as [KeyAcmeOwner], or as the
// key that opts give, like [Server.Client]. It fails the test when an
// option makes client.New fail.
func (r *Remote) Client(tb testing.TB, opts ...client.Option) *client.Client {
	tb.Helper()
	return testClient(tb, "Remote.Client", r.base, r.hc, opts)
}

// NewTenant makes a tenant of tier ("" for enterprise) with POST
// /_fake/tenants, and removes it when the test ends. It fails the test
// when the fake refuses (an unknown tier, too many tenants) or cannot be
// reached.
func (r *Remote) NewTenant(tb testing.TB, tier Tier) Tenant {
	tb.Helper()
	body := "{}"
	if tier != "" {
		body = `{"tier":"` + string(tier) + `"}`
	}
	var tn Tenant
	r.do(tb, "NewTenant", http.MethodPost, "/_fake/tenants", body, http.StatusCreated, &tn)
	tb.Cleanup(func() {
		// The test may have removed it, or reset the whole fake: either
		// way it is gone, which is all that matters here.
		r.send(http.MethodDelete, "/_fake/tenants/"+url.PathEscape(tn.Org), "")
	})
	return tn
}

// AddFault adds a fault rule with POST /_fake/faults, like
// [Server.AddFault]. It fails the test when the fake refuses the rule.
func (r *Remote) AddFault(tb testing.TB, f Fault) {
	tb.Helper()
	body, err := json.Marshal(f)
	if err != nil {
		tb.Fatalf("fake: AddFault: %v", err)
	}
	r.do(tb, "AddFault", http.MethodPost, "/_fake/faults", string(body), http.StatusCreated, nil)
}

// Faults returns the fault rules in force with GET /_fake/faults, like
// [Server.Faults]: every organization's, in the order they are tried,
// with the uses each has left. A test that shares the fake finds its own
// by their Org. It fails the test when the fake cannot be reached.
func (r *Remote) Faults(tb testing.TB) []FaultRule {
	tb.Helper()
	rules := []FaultRule{}
	r.do(tb, "Faults", http.MethodGet, "/_fake/faults", "", http.StatusOK, &rules)
	return rules
}

// ClearFaults removes every fault rule with DELETE /_fake/faults, like
// [Server.ClearFaults]: every organization's, those of other test
// processes sharing the fake included. A test that shares the fake
// removes only its own scoped rules by resetting its tenant
// ([Remote.ResetOrg]). It fails the test when the fake cannot be reached.
func (r *Remote) ClearFaults(tb testing.TB) {
	tb.Helper()
	r.do(tb, "ClearFaults", http.MethodDelete, "/_fake/faults", "", http.StatusOK, nil)
}

// Journal returns the journal of the organization org with GET
// /_fake/requests?org=, or the whole journal when org is "", like
// [Server.Journal]. It fails the test when no key belongs to org.
func (r *Remote) Journal(tb testing.TB, org string) Journal {
	tb.Helper()
	path := "/_fake/requests"
	if org != "" {
		path += "?org=" + url.QueryEscape(org)
	}
	var j Journal
	r.do(tb, "Journal", http.MethodGet, path, "", http.StatusOK, &j)
	for i := range j {
		if string(j[i].Body) == "null" {
			j[i].Body = nil // as Server.Requests has it
		}
	}
	return j
}

// ResetOrg empties the organization org with POST /_fake/reset?org=, like
// [Server.ResetOrg]. It fails the test when no key belongs to org.
func (r *Remote) ResetOrg(tb testing.TB, org string) {
	tb.Helper()
	r.do(tb, "ResetOrg", http.MethodPost, "/_fake/reset?org="+url.QueryEscape(org), "", http.StatusOK, nil)
}

// do sends one control request and decodes the data of its answer into
// out, if not nil, failing the test unless the answer has status want.
func (r *Remote) do(tb testing.TB, caller, method, path, body string, want int, out any) {
	tb.Helper()
	status, raw, err := r.send(method, path, body)
	if err != nil {
		tb.Fatalf("fake: Remote.%s: %v", caller, err)
	}
	if status != want {
		var e struct{ Error, Code string }
		json.Unmarshal(raw, &e)
		tb.Fatalf("fake: Remote.%s: %s %s answered %d %s: %s", caller, method, path, status, e.Code, e.Error)
	}
	if out == nil {
		return
	}
	env := struct{ Data any }{out}
	if err := json.Unmarshal(raw, &env); err != nil {
		tb.Fatalf("fake: Remote.%s: %s %s: %v", caller, method, path, err)
	}
}

// send sends one control request and returns the answer's status and
// body.
func (r *Remote) send(method, path, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, r.base+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return resp.StatusCode, raw, nil
}

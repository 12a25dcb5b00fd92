package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
)

// addFaultHTTP adds f through POST /_fake/faults and checks the 201.
func (f *fixture) addFaultHTTP(t *testing.T, rule Fault) {
	t.Helper()
	b, err := json.Marshal(rule)
	if err != nil {
		t.Fatal(err)
	}
	got := f.do(t, call{method: "POST", path: "/_fake/faults", body: string(b)})
	rule.Method = strings.ToUpper(rule.Method)
	got.expect(t, 201, ok(rule))
}

func TestFaultStatus(t *testing.T) {
	f := newSeeded(t)
	f.srv.AddFault(t, Fault{Method: "GET", Path: "/v1/agents/*", Status: 503, RetryAfter: agents.Value(2 * time.Second)})
	got := f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner})
	got.expect(t, 503, fail("SERVICE_UNAVAILABLE", "injected fault"))
	if ra := got.header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2", ra)
	}
	// The prefix does not match the collection; other methods pass.
	f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, 200, nil)
	f.do(t, call{method: "DELETE", path: "/v1/agents/agent_1", key: owner}).expect(t, 200, nil)
	// Before route and key: an unknown path without a key gets the fault.
	f.do(t, call{method: "GET", path: "/v1/agents/x/y"}).expect(t, 503, fail("SERVICE_UNAVAILABLE", "injected fault"))
}

// TestFaultCodes: a status with a code of its own answers with it; any
// other status answers INJECTED_FAULT.
func TestFaultCodes(t *testing.T) {
	for status, code := range map[int]string{500: "INTERNAL_ERROR", 502: "BAD_GATEWAY", 504: "GATEWAY_TIMEOUT", 429: "RATE_LIMITED",
		401: "UNAUTHORIZED", 409: "IDEMPOTENCY_CONFLICT", 400: "INJECTED_FAULT", 418: "INJECTED_FAULT", 599: "INJECTED_FAULT"} {
		f := newFixture(t)
		f.srv.AddFault(t, Fault{Status: status})
		f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, status, fail(code, "injected fault"))
	}
}

// TestFaultTimesAndOrder: a times: 2 rule fails exactly two matching
// requests, and rules are tried in the order added.
func TestFaultTimesAndOrder(t *testing.T) {
	for _, over := range []string{"Go", "HTTP"} {
		t.Run(over, func(t *testing.T) {
			f := newSeeded(t)
			add := func(r Fault) { f.srv.AddFault(t, r) }
			if over == "HTTP" {
				add = func(r Fault) { f.addFaultHTTP(t, r) }
			}
			add(Fault{Method: "post", Path: "/v1/agents", Status: 500, Times: 2})
			add(Fault{Method: "POST", Path: "/v1/agents", Status: 502, Times: 1})
			add(Fault{Path: "/v1/agents/agent_1", Status: 504})
			post := call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}
			var statuses []int
			for range 5 {
				statuses = append(statuses, f.do(t, post).status)
			}
			if want := []int{500, 500, 502, 201, 201}; !cmp.Equal(statuses, want) {
				t.Errorf("statuses %v, want %v", statuses, want)
			}
			for range 3 { // times 0: until removed
				f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 504, nil)
			}
			if over == "HTTP" {
				f.do(t, call{method: "DELETE", path: "/_fake/faults"}).expect(t, 200, ok(map[string]string{"message": "faults removed"}))
			} else {
				f.srv.ClearFaults()
			}
			f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 200, ok(wantAgent(1)))
			if n := len(f.srv.Agents(t, OrgAcme)); n != 8 {
				t.Errorf("%d agents, want 8: faulted creates must create nothing", n)
			}
		})
	}
}

// TestFaultsOverHTTPAsInGo runs one script of rules and requests twice,
// adding the rules in Go and over HTTP: the answers, the journal and the
// store must be the same.
func TestFaultsOverHTTPAsInGo(t *testing.T) {
	rules := []Fault{
		{Method: "GET", Path: "/v1/agents/*", Status: 503, RetryAfter: agents.Value(1 * time.Second), Times: 1},
		{Method: "POST", Path: "/v1/agents", Status: 500, After: true, Times: 1},
		{Path: "/v1/agents", Status: 429, RetryAfter: agents.Value(7 * time.Second), Times: 2},
		{Method: "DELETE", Status: 418},
	}
	calls := []call{
		{method: "GET", path: "/v1/agents/agent_1", key: owner},
		{method: "GET", path: "/v1/agents/agent_1", key: owner},
		{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody},
		{method: "GET", path: "/v1/agents", key: member},
		{method: "GET", path: "/v1/agents", key: member},
		{method: "GET", path: "/v1/agents", key: member},
		{method: "DELETE", path: "/v1/agents/agent_1", key: owner},
	}
	type outcome struct {
		Status             int
		RetryAfter         string
		Body               any
		Journal            []Request
		Agents             any
		StatusesForJournal []int
	}
	run := func(overHTTP bool) outcome {
		f := newSeeded(t)
		for _, r := range rules {
			if overHTTP {
				f.addFaultHTTP(t, r)
			} else {
				f.srv.AddFault(t, r)
			}
		}
		var out outcome
		var bodies []any
		for _, c := range calls {
			got := f.do(t, c)
			bodies = append(bodies, got.status, got.header.Get("Retry-After"), got.body)
		}
		out.Body = bodies
		out.Journal = f.srv.Requests()
		for i := range out.Journal {
			out.Journal[i].RequestID = "" // random: different in each run
		}
		out.Agents = f.snapshot(t)
		return out
	}
	inGo, overHTTP := run(false), run(true)
	if diff := cmp.Diff(inGo, overHTTP); diff != "" {
		t.Errorf("Go (-) and HTTP (+) rules differ:\n%s", diff)
	}
	wantStatuses := []int{503, 200, 500, 429, 429, 200, 418}
	var got []int
	for _, q := range inGo.Journal {
		got = append(got, q.Status)
	}
	if !cmp.Equal(got, wantStatuses) {
		t.Errorf("journal statuses %v, want %v", got, wantStatuses)
	}
}

// TestFaultAfterWithIdempotentRetry: the after fault loses the answer of
// a create that happened; the retry with the same Idempotency-Key replays
// the real 201, and there is exactly one new agent.
func TestFaultAfterWithIdempotentRetry(t *testing.T) {
	f := newFixture(t)
	f.srv.AddFault(t, Fault{Method: "POST", Path: "/v1/agents", Status: 503, After: true, Times: 1})
	post := call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, header: map[string]string{"Idempotency-Key": "create-support-bot"}}
	f.do(t, post).expect(t, 503, fail("SERVICE_UNAVAILABLE", "injected fault"))
	if n := len(f.srv.Agents(t, OrgAcme)); n != 1 {
		t.Fatalf("%d agents after the lost answer, want 1: the write must happen", n)
	}
	retry := f.do(t, post)
	retry.expect(t, 201, ok(map[string]any{"id": "agent_1", "name": "Support Bot", "agentArchitecture": "pipeline", "active": true, "createdAt": ts(0)}))
	if h := retry.header.Get("Idempotent-Replayed"); h != "true" {
		t.Errorf("Idempotent-Replayed %q, want true", h)
	}
	if n := len(f.srv.Agents(t, OrgAcme)); n != 1 {
		t.Errorf("%d agents after the retry, want exactly 1", n)
	}
}

// TestFaultDisconnect: a disconnect is a transport error for a plain
// http.Client, the store is unchanged, and the journal says status 0. With
// after, the write happens and the caller still hears nothing.
func TestFaultDisconnect(t *testing.T) {
	for _, after := range []bool{false, true} {
		f := newSeeded(t)
		before := f.snapshot(t)
		f.srv.AddFault(t, Fault{Method: "POST", Path: "/v1/agents", Disconnect: true, After: after, Times: 1})
		c := &http.Client{Transport: &http.Transport{}} // a fresh connection
		req, _ := http.NewRequest("POST", f.srv.URL()+"/v1/agents", strings.NewReader(pipelineBody))
		req.Header.Set("Authorization", "Bearer "+owner)
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("after=%v: status %d, want a transport error", after, resp.StatusCode)
		}
		n := len(f.srv.Agents(t, OrgAcme))
		switch {
		case !after && !cmp.Equal(before, f.snapshot(t)):
			t.Errorf("the store changed under a disconnect")
		case after && n != 7:
			t.Errorf("after=true: %d agents, want 7 (the write happens)", n)
		}
		j := f.srv.Requests()
		if len(j) != 1 || j[0].Status != 0 || j[0].User != "usr_acme_owner" {
			t.Errorf("journal %+v, want one request with status 0", j)
		}
	}
}

// TestFaultDisconnectWithoutHijack: a handler that cannot hijack (a
// recorder) aborts with http.ErrAbortHandler, as net/http expects.
func TestFaultDisconnectWithoutHijack(t *testing.T) {
	s := NewHandler()
	s.AddFault(t, Fault{Disconnect: true})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	serveDirect(s, "GET", "/v1/agents", owner, nil)
}

// TestFaultDelay runs in a synctest bubble, where time is exact: a delay
// rule holds the request for exactly delayMs and lets it through; one with
// a status answers after the delay; a caller that gives up ends the wait.
func TestFaultDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewHandler()
		s.AddFault(t, Fault{Path: "/v1/agents", Delay: 1500 * time.Millisecond, Times: 1})
		s.AddFault(t, Fault{Path: "/v1/agents", Delay: 250 * time.Millisecond, Status: 502, Times: 1})
		for _, want := range []struct {
			status int
			delay  time.Duration
		}{{200, 1500 * time.Millisecond}, {502, 250 * time.Millisecond}, {200, 0}} {
			due := time.Now().Add(want.delay) // the bubble's clock: exact
			w := serveDirect(s, "GET", "/v1/agents", owner, nil)
			if now := time.Now(); w.Code != want.status || !now.Equal(due) {
				t.Errorf("status %d at %v, want %d at %v", w.Code, now, want.status, due)
			}
		}

		s.AddFault(t, Fault{Delay: 60000 * time.Millisecond})
		ctx, cancel := context.WithCancel(t.Context())
		req := httptest.NewRequestWithContext(ctx, "GET", "/v1/agents", nil)
		req.Header.Set("Authorization", "Bearer "+owner)
		done := make(chan struct{})
		go func() {
			s.ServeHTTP(httptest.NewRecorder(), req)
			close(done)
		}()
		synctest.Wait() // the request is waiting out its delay
		cancel()
		<-done
		if j := s.Requests(); j[len(j)-1].Status != 0 {
			t.Errorf("journal status %d for a caller that gave up, want 0", j[len(j)-1].Status)
		}
	})
}

// TestFaultRulesOverHTTP: the rule endpoint's answers, and that control
// endpoints are never faulted.
func TestFaultRulesOverHTTP(t *testing.T) {
	f := newFixture(t)
	post := func(body string) reply { return f.do(t, call{method: "POST", path: "/_fake/faults", body: body}) }
	post(`{"method":"get","path":"/v1/*","status":503,"retryAfter":1,"times":2}`).expect(t, 201, ok(map[string]any{
		"method": "GET", "path": "/v1/*", "status": 503, "retryAfter": 1, "delayMs": 0, "disconnect": false, "after": false, "times": 2}))
	post(`{"status":500`).expect(t, 400, fail("INVALID_JSON", "body is not one JSON object"))
	post(`[]`).expect(t, 400, fail("INVALID_JSON", "body is not one JSON object"))
	post(`{"status":"503","when":"now"}`).expect(t, 400, invalid(2,
		detail("status", "wrong_type", "status has the wrong type"), detail("when", "unknown_field", "when is not a field of a fault rule")))
	post(`{"status":200,"times":-1,"delayMs":-5,"path":"v1"}`).expect(t, 400, invalid(4,
		detail("delayMs", "out_of_range", "delayMs must be between 0 and 600000"), detail("path", "invalid_format", `path must start with "/", or be empty for any`),
		detail("status", "out_of_range", "status must be between 400 and 599, or 0 for none"), detail("times", "out_of_range", "times must not be negative")))
	post(`{"status":503,"disconnect":true}`).expect(t, 400, invalid(1, detail("disconnect", "invalid_value", "a rule either answers a status or disconnects, not both")))
	post(`{"after":true,"retryAfter":3}`).expect(t, 400, invalid(2, detail("after", "invalid_value", "after needs a status or disconnect to replace the answer with"),
		detail("retryAfter", "not_applicable", "retryAfter needs a status")))
	post(`{}`).expect(t, 400, invalid(1, detail("status", "required", "a rule needs a status, disconnect or delayMs")))
	// A rule matching everything leaves the control endpoints alone.
	post(`{"status":500}`).expect(t, 201, nil)
	f.do(t, call{method: "GET", path: "/_fake/requests"}).expect(t, 200, nil)
	f.do(t, call{method: "GET", path: "/openapi.json"}).expect(t, 500, nil) // not under /v1/: the catch-all rule
	f.do(t, call{method: "DELETE", path: "/_fake/faults"}).expect(t, 200, nil)
	f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, 200, nil)
}

// TestAddFaultFailsTheTest: an invalid rule, or one scoped to an
// organization that does not exist, fails the test with what is wrong,
// and adds nothing.
func TestAddFaultFailsTheTest(t *testing.T) {
	s := NewHandler()
	for _, tc := range []struct {
		f    Fault
		want string
	}{
		{Fault{Status: 302}, "fake: AddFault: validation failed: 1 invalid field; status must be between 400 and 599, or 0 for none"},
		{Fault{Status: 503, RetryAfter: agents.Value(1500 * time.Millisecond), Delay: time.Microsecond},
			"fake: AddFault: validation failed: 2 invalid fields; delayMs must be whole milliseconds; retryAfter must be whole seconds"},
		{Fault{Status: 503, Org: "org_acmee"}, `fake: AddFault: no organization "org_acmee": no key belongs to it`},
	} {
		if got := fatalOf(t, func(tb testing.TB) { s.AddFault(tb, tc.f) }); got != tc.want {
			t.Errorf("AddFault(%+v) failed with %q, want %q", tc.f, got, tc.want)
		}
	}
	if rules := s.Faults(t); len(rules) != 0 {
		t.Errorf("rules %v after failed adds, want none", rules)
	}
}

// TestFaultsSpendNoToken: with rate limits on, a fault answers without
// spending the key's tokens, and without rate-limit headers.
func TestFaultsSpendNoToken(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 5}))
	f.srv.AddFault(t, Fault{Status: 503, Times: 3})
	for range 3 {
		got := f.do(t, call{method: "GET", path: "/v1/agents", key: owner})
		if got.status != 503 || got.header.Get("X-RateLimit-Remaining") != "" {
			t.Fatalf("status %d, X-RateLimit-Remaining %q", got.status, got.header.Get("X-RateLimit-Remaining"))
		}
	}
	if r := f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).header.Get("X-RateLimit-Remaining"); r != "4" {
		t.Errorf("X-RateLimit-Remaining %q after three faults, want 4", r)
	}
}

// TestFaultRetryAfterAbsentOrZero: an unset RetryAfter sends no header,
// agents.Value(0) sends "Retry-After: 0", in Go and over HTTP (where a
// null is absent too); Faults and GET /_fake/faults list the rules with
// the uses they have left.
func TestFaultRetryAfterAbsentOrZero(t *testing.T) {
	f := newFixture(t)
	f.srv.AddFault(t, Fault{Path: "/v1/agents", Status: 429, Times: 1})
	f.srv.AddFault(t, Fault{Path: "/v1/agents", Status: 429, RetryAfter: agents.Value(time.Duration(0)), Times: 2})
	f.do(t, call{method: "POST", path: "/_fake/faults", body: `{"path":"/v1/agents","status":503,"retryAfter":null,"delay":null,"times":1}`}).expect(t, 400, nil)
	f.do(t, call{method: "POST", path: "/_fake/faults", body: `{"path":"/v1/agents","status":503,"retryAfter":null,"delayMs":1,"times":1}`}).expect(t, 201,
		ok(map[string]any{"method": "", "path": "/v1/agents", "status": 503, "delayMs": 1, "disconnect": false, "after": false, "times": 1}))
	want := []FaultRule{
		{Fault: Fault{Path: "/v1/agents", Status: 429, Times: 1}, Remaining: 1},
		{Fault: Fault{Path: "/v1/agents", Status: 429, RetryAfter: agents.Value(time.Duration(0)), Times: 2}, Remaining: 2},
		{Fault: Fault{Path: "/v1/agents", Status: 503, Delay: time.Millisecond, Times: 1}, Remaining: 1},
	}
	if diff := cmp.Diff(want, f.srv.Faults(t), cmp.AllowUnexported(agents.Optional[time.Duration]{})); diff != "" {
		t.Errorf("Faults() (-want +got):\n%s", diff)
	}
	var retryAfter []string
	for range 4 {
		r := f.do(t, call{method: "GET", path: "/v1/agents", key: owner})
		v, ok := r.header["Retry-After"]
		retryAfter = append(retryAfter, fmt.Sprint(r.status, ok, v))
	}
	if want := []string{"429 false []", "429 true [0]", "429 true [0]", "503 false []"}; !cmp.Equal(retryAfter, want) {
		t.Errorf("answers %q, want %q", retryAfter, want)
	}
	f.do(t, call{method: "GET", path: "/_fake/faults"}).expect(t, 200, ok([]any{}))
}

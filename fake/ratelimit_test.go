package fake

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// limitHeaders returns the three X-RateLimit-* headers of r.
func limitHeaders(r reply) [3]string {
	return [3]string{r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"), r.header.Get("X-RateLimit-Reset")}
}

func unix(d time.Duration) string { return strconv.FormatInt(t0.Add(d).Unix(), 10) }

// TestRateLimitFreeTier: on the free tier (60 a minute, org_globex) the
// headers count down, the 61st request in the minute is 429 with
// Retry-After, and the bucket refills continuously on the server's clock.
func TestRateLimitFreeTier(t *testing.T) {
	f := newFixture(t, WithRateLimits(nil))
	list := call{method: "GET", path: "/v1/agents", key: globex}
	for i := 1; i <= 60; i++ {
		r := f.do(t, list)
		// After i requests, i tokens are gone; each comes back in a second.
		want := [3]string{"60", strconv.Itoa(60 - i), unix(time.Duration(i) * time.Second)}
		if r.status != 200 || limitHeaders(r) != want {
			t.Fatalf("request %d: %d %v, want 200 %v", i, r.status, limitHeaders(r), want)
		}
	}
	r := f.do(t, list)
	r.expect(t, 429, fail("RATE_LIMITED", "rate limit of 60 requests a minute exceeded"))
	if ra, h := r.header.Get("Retry-After"), limitHeaders(r); ra != "1" || h != [3]string{"60", "0", unix(time.Minute)} {
		t.Errorf("429: Retry-After %q, headers %v", ra, h)
	}
	f.clock.Advance(500 * time.Millisecond)
	if r := f.do(t, list); r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Errorf("half a token: %d, Retry-After %q; want 429, 1 (rounded up)", r.status, r.header.Get("Retry-After"))
	}
	f.clock.Advance(500 * time.Millisecond)
	r = f.do(t, list)
	if want := [3]string{"60", "0", unix(time.Minute + time.Second)}; r.status != 200 || limitHeaders(r) != want {
		t.Errorf("after a second: %d %v, want 200 %v", r.status, limitHeaders(r), want)
	}
	f.clock.Advance(10 * time.Minute) // a full bucket holds one minute's worth, no more
	if r := f.do(t, list); limitHeaders(r)[1] != "59" {
		t.Errorf("after a long pause: remaining %s, want 59", limitHeaders(r)[1])
	}
}

// TestRateLimitScope: every authenticated /v1 answer carries the headers,
// errors included; 401s, unknown paths and unlimited servers do not. Each
// key has its own bucket; custom limits and Reset apply.
func TestRateLimitScope(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 2}))
	headers := func(c call) string { return f.do(t, c).header.Get("X-RateLimit-Remaining") }
	if h := headers(call{method: "GET", path: "/v1/agents/agent_9", key: owner}); h != "1" {
		t.Errorf("404 for an agent: remaining %q, want 1", h)
	}
	if h := headers(call{method: "GET", path: "/v1/agents", key: "tk_nobody"}); h != "" {
		t.Errorf("401: remaining %q, want none", h)
	}
	if h := headers(call{method: "GET", path: "/v1/nowhere", key: owner}); h != "" {
		t.Errorf("unknown path: remaining %q, want none", h)
	}
	if h := headers(call{method: "GET", path: "/v1/agents", key: owner}); h != "0" {
		t.Errorf("second request: remaining %q, want 0", h)
	}
	f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, 429, nil)
	if h := headers(call{method: "GET", path: "/v1/agents", key: admin}); h != "1" {
		t.Errorf("another key: remaining %q, want 1", h)
	}
	if h := headers(call{method: "GET", path: "/v1/agents", key: globex}); h != "59" {
		t.Errorf("free tier keeps its contract figure: remaining %q, want 59", h)
	}
	f.srv.Reset()
	if h := headers(call{method: "GET", path: "/v1/agents", key: owner}); h != "1" {
		t.Errorf("after Reset: remaining %q, want 1", h)
	}

	off := newFixture(t)
	if h := limitHeaders(off.do(t, call{method: "GET", path: "/v1/agents", key: globex})); h != [3]string{} {
		t.Errorf("limits off by default, but headers %v", h)
	}
	unlimited := newFixture(t, WithRateLimits(map[Tier]int{TierFree: 0}))
	if h := limitHeaders(unlimited.do(t, call{method: "GET", path: "/v1/agents", key: globex})); h != [3]string{} {
		t.Errorf("a tier at 0 is unlimited, but headers %v", h)
	}
}

// TestRateLimitArithmetic checks the figures of contract section 7 at
// fractional times, on a tier of 20 a minute (a token every 3 seconds):
// X-RateLimit-Remaining is the whole tokens left, rounded down;
// X-RateLimit-Reset the Unix second at which the bucket is full again,
// rounded up; Retry-After the whole seconds until the next token, rounded
// up. t0 is a whole second.
func TestRateLimitArithmetic(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 20}))
	list := call{method: "GET", path: "/v1/agents", key: owner}
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	// check sends a request and compares its status, Remaining, Reset
	// (whole seconds after t0) and Retry-After.
	check := func(step string, status int, remaining string, reset int, retryAfter string) {
		t.Helper()
		r := f.do(t, list)
		got := [5]string{strconv.Itoa(r.status), r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"), r.header.Get("X-RateLimit-Reset"), r.header.Get("Retry-After")}
		want := [5]string{strconv.Itoa(status), "20", remaining, unix(time.Duration(reset) * time.Second), retryAfter}
		if got != want {
			t.Errorf("%s: status, limit, remaining, reset, Retry-After = %q, want %q", step, got, want)
		}
	}
	f.clock.Advance(sec(0.5))
	// Each request at 0.5 s takes 3 s of refill: full again at 0.5 + 3i s,
	// rounded up to 3i + 1.
	for i := 1; i <= 20; i++ {
		check(fmt.Sprintf("request %d", i), 200, strconv.Itoa(20-i), 3*i+1, "")
	}
	// Empty: the next token is 3 s away; full at 60.5 s.
	check("empty", 429, "0", 61, "3")
	// Half a second later a sixth of a token is back: 2.5 s to go.
	f.clock.Advance(sec(0.5))
	check("0.5 s after emptying", 429, "0", 61, "3")
	// At 5.5 s, 5/3 tokens: one is taken, 2/3 left (0 whole); full at 63.5 s.
	f.clock.Advance(sec(4.5))
	check("5.5 s", 200, "0", 64, "")
	// At 7 s, 2/3 + 1/2 tokens: one is taken, 1/6 left; full at 66.5 s.
	f.clock.Advance(sec(1.5))
	check("7 s", 200, "0", 67, "")
	check("7 s, empty", 429, "0", 67, "3")
	// At 9.25 s, 1/6 + 3/4 = 11/12 of a token: a quarter second to go.
	f.clock.Advance(sec(2.25))
	check("9.25 s", 429, "0", 67, "1")
	// At 17.5 s, 1/6 + 3.5 = 11/3 tokens: 8/3 after this one, 2 whole;
	// full at 69.5 s.
	f.clock.Advance(sec(8.25))
	check("17.5 s", 200, "2", 70, "")
}

// TestRateLimitResetOrg: POST /_fake/reset?org= refills the buckets of
// that organization's keys only, and removing a tenant drops its keys'
// buckets.
func TestRateLimitResetOrg(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 1, TierFree: 1}))
	list := func(key string) reply { return f.do(t, call{method: "GET", path: "/v1/agents", key: key}) }
	tn := f.srv.NewTenant(t, TierEnterprise)
	for _, key := range []string{owner, globex, tn.Keys.Owner} {
		if r := list(key); r.status != 200 {
			t.Fatalf("first request: %d", r.status)
		}
		if r := list(key); r.status != 429 {
			t.Fatalf("second request: %d, want 429", r.status)
		}
	}
	f.do(t, call{method: "POST", path: "/_fake/reset?org=" + OrgAcme}).expect(t, 200, ok(map[string]string{"message": "fake reset"}))
	if r := list(owner); r.status != 200 || r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("org_acme after its reset: %d, remaining %q; want 200, 0", r.status, r.header.Get("X-RateLimit-Remaining"))
	}
	for _, key := range []string{globex, tn.Keys.Owner} {
		if r := list(key); r.status != 429 {
			t.Errorf("another organization after org_acme's reset: %d, want 429", r.status)
		}
	}
	ids, _ := f.srv.knownOrg(tn.Org)
	if err := f.srv.RemoveTenant(tn.Org); err != nil {
		t.Fatal(err)
	}
	f.srv.limits.mu.Lock()
	defer f.srv.limits.mu.Unlock()
	for _, id := range ids {
		if _, kept := f.srv.limits.buckets[id]; kept {
			t.Errorf("the bucket of the removed tenant's key %d is kept", id)
		}
	}
}

package fake

import (
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

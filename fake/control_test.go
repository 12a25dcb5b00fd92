package fake

import (
	"testing"
)

// TestReset: POST /_fake/reset (and Server.Reset) empties the store, the
// journal, the idempotency memory and the rate-limit buckets, removes the
// faults, and keeps the keys.
func TestReset(t *testing.T) {
	for _, overHTTP := range []bool{false, true} {
		f := newSeeded(t, WithRateLimits(map[Tier]int{TierEnterprise: 100}))
		f.do(t, idem(owner, "k", pipelineBody)).expect(t, 201, nil)
		f.srv.AddFault(t, Fault{Path: "/v1/agents/agent_1", Status: 500})
		f.do(t, call{method: "GET", path: "/v1/agents", key: owner})
		if overHTTP {
			f.do(t, call{method: "POST", path: "/_fake/reset"}).expect(t, 200, ok(map[string]string{"message": "fake reset"}))
		} else {
			f.srv.Reset()
		}
		if n := f.srv.store.Len(); n != 0 {
			t.Errorf("%d agents after reset", n)
		}
		if j := f.srv.Requests(); len(j) != 0 {
			t.Errorf("journal after reset: %v", j)
		}
		f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner}).expect(t, 404, nil) // no fault: a plain 404
		r := f.do(t, idem(owner, "k", pipelineBody))                                             // forgotten: creates again
		r.expect(t, 201, nil)
		r.replayed(t, false)
		if rem := r.header.Get("X-RateLimit-Remaining"); rem != "98" {
			t.Errorf("X-RateLimit-Remaining %q after reset and two requests, want 98", rem)
		}
		f.do(t, call{method: "GET", path: "/v1/agents", key: member}).expect(t, 200, nil) // keys stay
	}
}

func TestControlRoutes(t *testing.T) {
	f := newFixture(t)
	f.do(t, call{method: "GET", path: "/_fake/reset"}).expect(t, 405, fail("METHOD_NOT_ALLOWED", "GET is not allowed on /_fake/reset: use POST"))
	f.do(t, call{method: "POST", path: "/_fake/requests"}).expect(t, 405, fail("METHOD_NOT_ALLOWED", "POST is not allowed on /_fake/requests: use GET"))
	r := f.do(t, call{method: "PUT", path: "/_fake/faults"})
	r.expect(t, 405, fail("METHOD_NOT_ALLOWED", "PUT is not allowed on /_fake/faults: use GET, POST, DELETE"))
	if r.header.Get("Allow") != "GET, POST, DELETE" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	f.do(t, call{method: "GET", path: "/_fake/other"}).expect(t, 404, fail("NOT_FOUND", `no such path "/_fake/other"`))
	f.do(t, call{method: "GET", path: "/_fake/requests"}).expect(t, 200, ok([]any{}))
}

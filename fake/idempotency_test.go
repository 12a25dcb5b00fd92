package fake

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// idem returns a create of body with Idempotency-Key key as apiKey.
func idem(apiKey, key, body string) call {
	return call{method: "POST", path: "/v1/agents", key: apiKey, body: body, header: map[string]string{"Idempotency-Key": key}}
}

func created(n int, d time.Duration) any {
	return ok(map[string]any{"id": fmt.Sprintf("agent_%d", n), "name": "Support Bot", "agentArchitecture": "pipeline", "active": true, "createdAt": ts(d)})
}

func (r reply) replayed(t *testing.T, want bool) {
	t.Helper()
	if got := r.header.Get("Idempotent-Replayed") == "true"; got != want {
		t.Errorf("Idempotent-Replayed %q, want replayed=%v", r.header.Get("Idempotent-Replayed"), want)
	}
}

func TestIdempotency(t *testing.T) {
	f := newFixture(t)
	first := f.do(t, idem(owner, "a", pipelineBody))
	first.expect(t, 201, created(1, 0))
	first.replayed(t, false)

	f.clock.Advance(time.Minute)
	again := f.do(t, idem(owner, "a", pipelineBody))
	again.expect(t, 201, created(1, 0))
	again.replayed(t, true)

	other := strings.Replace(pipelineBody, "Support Bot", "Other Bot", 1)
	f.do(t, idem(owner, "a", other)).expect(t, 409, fail("IDEMPOTENCY_CONFLICT", "Idempotency-Key was used with another body"))
	// Replayed before the content-type, size and JSON checks.
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, contentType: "text/plain",
		header: map[string]string{"Idempotency-Key": "a"}}).expect(t, 201, created(1, 0))
	f.do(t, idem(owner, "a", `{"broken`)).expect(t, 409, nil)

	// Per API key: the admin's "a" is another key.
	f.do(t, idem(admin, "a", pipelineBody)).expect(t, 201, created(2, time.Minute))
	// Without the header, or on another method, nothing is remembered.
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody}).expect(t, 201, created(3, time.Minute))
	for range 2 {
		r := f.do(t, call{method: "PATCH", path: "/v1/agents/agent_1", key: owner, body: `{"active":false}`, header: map[string]string{"Idempotency-Key": "a"}})
		r.expect(t, 200, nil)
		r.replayed(t, false)
	}
	if n := len(f.srv.Agents(t, OrgAcme)); n != 3 {
		t.Errorf("%d agents, want 3", n)
	}
}

// TestIdempotencyRemembersErrors: every answer produced after the key
// check is remembered, 4xx included; a 401 is not.
func TestIdempotencyRemembersErrors(t *testing.T) {
	f := newFixture(t)
	bad := `{"name":""}`
	first := f.do(t, idem(owner, "b", bad))
	first.expect(t, 400, nil)
	again := f.do(t, idem(owner, "b", bad))
	again.expect(t, 400, first.body)
	again.replayed(t, true)

	f.do(t, idem(member, "c", `{"mode":"commercial"}`)).expect(t, 403, nil)
	f.do(t, idem(member, "c", `{"mode":"commercial"}`)).replayed(t, true)

	noKey := call{method: "POST", path: "/v1/agents", body: pipelineBody, header: map[string]string{"Idempotency-Key": "d"}}
	f.do(t, noKey).expect(t, 401, nil)
	f.do(t, idem(owner, "d", pipelineBody)).expect(t, 201, created(1, 0))
}

// TestIdempotencyNotAfterRateLimit: a 429 refuses before the key check and
// is not remembered.
func TestIdempotencyNotAfterRateLimit(t *testing.T) {
	f := newFixture(t, WithRateLimits(map[Tier]int{TierEnterprise: 1}))
	f.do(t, call{method: "GET", path: "/v1/agents", key: owner}).expect(t, 200, nil)
	f.do(t, idem(owner, "e", pipelineBody)).expect(t, 429, nil)
	f.clock.Advance(time.Minute)
	f.do(t, idem(owner, "e", pipelineBody)).expect(t, 201, created(1, time.Minute))
}

func TestIdempotencyExpiry(t *testing.T) {
	f := newFixture(t)
	f.do(t, idem(owner, "x", pipelineBody)).expect(t, 201, created(1, 0))
	f.clock.Advance(24*time.Hour - time.Millisecond)
	f.do(t, idem(owner, "x", pipelineBody)).replayed(t, true)
	f.clock.Advance(time.Millisecond)
	r := f.do(t, idem(owner, "x", pipelineBody))
	r.expect(t, 201, created(2, 24*time.Hour))
	r.replayed(t, false)
	// The new answer is remembered for another 24 hours; expired ones are
	// pruned.
	f.do(t, idem(owner, "x", pipelineBody)).replayed(t, true)
	f.clock.Advance(48 * time.Hour)
	f.do(t, idem(owner, "y", pipelineBody)).expect(t, 201, nil)
	if n := len(f.srv.idempotency.entries); n != 1 {
		t.Errorf("%d remembered answers after expiry, want 1", n)
	}
}

func TestIdempotencyKeyFormat(t *testing.T) {
	f := newFixture(t)
	bad := fail("INVALID_PARAMETER", "Idempotency-Key must be 1 to 255 printable ASCII characters")
	for _, key := range []string{strings.Repeat("k", 256), "caf\u00e9", "tab\there"} {
		f.do(t, idem(owner, key, pipelineBody)).expect(t, 400, bad)
	}
	f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, header: map[string]string{"Idempotency-Key": ""}}).expect(t, 400, bad)
	f.do(t, idem(owner, strings.Repeat("k", 255), pipelineBody)).expect(t, 201, nil)
	f.do(t, idem(owner, " ~!", pipelineBody)).expect(t, 201, nil)
	if n := f.srv.store.Len(); n != 2 {
		t.Errorf("%d agents, want 2", n)
	}
}

// TestIdempotencyConcurrent: 16 concurrent POSTs with one key create one
// agent; every caller gets its 201.
func TestIdempotencyConcurrent(t *testing.T) {
	f := newFixture(t, WithIDs(randomID))
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	t.Cleanup(httpc.CloseIdleConnections)
	ids := make([]string, 16)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", f.srv.URL()+"/v1/agents", strings.NewReader(pipelineBody))
			req.Header.Set("Authorization", "Bearer "+owner)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "same")
			raw, err := sendReq(httpc, req, 201)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = raw
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("different answers: %v", ids)
		}
	}
	if n := f.srv.store.Len(); n != 1 {
		t.Errorf("%d agents, want 1", n)
	}
}

// sendReq sends req and returns its body, checking the status.
func sendReq(c *http.Client, req *http.Request, want int) (string, error) {
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != want {
		err = fmt.Errorf("status %d, want %d: %s", resp.StatusCode, want, b)
	}
	return string(b), err
}

// serveKey serves, through m at t0 and in ctx, one POST of body with
// Idempotency-Key key as p, whose handler is next, and returns the answer.
func serveKey(ctx context.Context, m *idempotency, p *principal, key, body string, next func(http.ResponseWriter)) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(ctx, "POST", "/v1/agents", nil)
	m.serve(w, r, func() time.Time { return t0 }, p, key, []byte(body), next)
	return w
}

// answering returns a handler that answers status and body.
func answering(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { writeJSON(w, status, []byte(body)) }
}

// TestIdempotencyWaitsForInFlight holds the first request inside its
// handler and shows, in a synctest bubble, that a second one with the same
// key and body waits for it and replays its answer, that one with another
// body is refused at once, and that a waiter whose caller gives up stops
// waiting.
func TestIdempotencyWaitsForInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newIdempotency(DefaultIdempotencyEntries, DefaultIdempotencyBytes)
		p := &principal{id: 1}
		release := make(chan struct{})
		runs := 0
		handler := func(w http.ResponseWriter) {
			runs++
			<-release
			writeJSON(w, 201, []byte(`{"success":true}`))
		}
		serve := func(ctx context.Context, body string) *httptest.ResponseRecorder {
			return serveKey(ctx, m, p, "k", body, handler)
		}
		results := make(chan *httptest.ResponseRecorder, 2)
		go func() { results <- serve(t.Context(), "same") }()
		synctest.Wait() // the first is inside the handler
		go func() { results <- serve(t.Context(), "same") }()
		ctx, cancel := context.WithCancel(t.Context())
		gaveUp := make(chan *httptest.ResponseRecorder, 1)
		go func() { gaveUp <- serve(ctx, "same") }()
		synctest.Wait() // both wait
		if len(results) != 0 {
			t.Fatal("a request with the same key did not wait for the first")
		}
		if w := serve(t.Context(), "other"); w.Code != 409 {
			t.Errorf("another body in flight: %d, want 409", w.Code)
		}
		cancel()
		if w := <-gaveUp; w.Body.Len() != 0 {
			t.Errorf("a waiter that gave up answered %d", w.Code)
		}
		close(release)
		a, b := <-results, <-results
		if a.Code != 201 || b.Code != 201 || runs != 1 {
			t.Errorf("answers %d and %d, handler ran %d times; want 201, 201, once", a.Code, b.Code, runs)
		}
		if a.Header().Get("Idempotent-Replayed")+b.Header().Get("Idempotent-Replayed") != "true" {
			t.Error("want exactly one of the two replayed")
		}
	})
}

// TestIdempotencyForgetsAbortedRequest: when the first request's handler
// aborts, the key is forgotten and a retry runs the handler itself.
func TestIdempotencyForgetsAbortedRequest(t *testing.T) {
	m := newIdempotency(DefaultIdempotencyEntries, DefaultIdempotencyBytes)
	p := &principal{id: 1}
	func() {
		defer func() { recover() }()
		serveKey(t.Context(), m, p, "k", "", func(http.ResponseWriter) { panic(http.ErrAbortHandler) })
	}()
	w := serveKey(t.Context(), m, p, "k", "", answering(201, `{}`))
	if w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "" {
		t.Errorf("retry after an abort: %d, replayed %q", w.Code, w.Header().Get("Idempotent-Replayed"))
	}
}

// TestIdempotencyMemoryBounded: answers are forgotten 24 hours after they
// were given, on the server's clock, even when a key comes back after its
// answer expired: one key reused daily plus 100 others a day for 30 days
// leaves one day's worth, 101 answers.
func TestIdempotencyMemoryBounded(t *testing.T) {
	m := newIdempotency(DefaultIdempotencyEntries, DefaultIdempotencyBytes)
	p := &principal{id: 1}
	clock := NewClock(t0)
	handler := func(w http.ResponseWriter) { writeJSON(w, 201, []byte(`{}`)) }
	r := httptest.NewRequest("POST", "/v1/agents", nil)
	for day := range 30 {
		// At the start of each day "daily" has just expired; the others
		// follow a minute apart.
		m.serve(httptest.NewRecorder(), r, clock.Now, p, "daily", nil, handler)
		for i := range 100 {
			clock.Advance(time.Minute)
			m.serve(httptest.NewRecorder(), r, clock.Now, p, fmt.Sprintf("day%d-%d", day, i), nil, handler)
		}
		clock.Advance(24*time.Hour - 100*time.Minute)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if o := m.orgs[p.org]; len(m.entries) != 101 || o.items.len() != 101 {
		t.Errorf("%d remembered answers, %d in order after 30 days; want 101, 101", len(m.entries), o.items.len())
	}
}

// TestIdempotencyBudget: the memory is bounded by count and bytes for
// all organizations together. A flood of unique keys (failing requests
// included) evicts the flooder's oldest answers, whose keys are then new
// again, and never the answers of an organization using less, or a
// request still in flight.
func TestIdempotencyBudget(t *testing.T) {
	f := newFixture(t, WithIdempotencyLimits(50, 1<<20))
	f.do(t, idem(globex, "g", pipelineBody)).expect(t, 201, nil)
	f.do(t, idem(owner, "first", pipelineBody)).expect(t, 201, nil)
	for i := range 300 {
		f.do(t, idem(member, fmt.Sprintf("bad-%d", i), `{"name":""}`)).expect(t, 400, nil)
	}
	if n, _ := f.srv.idempotency.remembered("org_acme"); n != 49 {
		t.Errorf("org_acme remembers %d answers, want the 49 that globex leaves of 50", n)
	}
	// The oldest acme keys were forgotten: "first" is new, and creates.
	r := f.do(t, idem(owner, "first", pipelineBody))
	r.expect(t, 201, nil)
	r.replayed(t, false)
	// The newest are remembered, and globex's key survived acme's flood.
	f.do(t, idem(member, "bad-299", `{"name":""}`)).replayed(t, true)
	f.do(t, idem(globex, "g", pipelineBody)).replayed(t, true)

	// By bytes: answers of about 1 KiB each in a budget of 8 KiB.
	m := newIdempotency(1000, 8<<10)
	p := &principal{id: 1, org: "o"}
	for i := range 100 {
		serveKey(t.Context(), m, p, fmt.Sprint(i), "", answering(400, strings.Repeat("x", 600)))
	}
	// Each costs the overhead, its key and its body's allocation (600
	// bytes, rounded up to the allocator's size class).
	if n, bytes := m.remembered("o"); bytes > 8<<10 || n < (8<<10)/(idemOverhead+2+700) || n > (8<<10)/(idemOverhead+2+600) {
		t.Errorf("%d answers in %d bytes, want as many as fit in 8 KiB", n, bytes)
	}
}

// TestIdempotencyBudgetSparesInFlight: a flood that fills the memory
// while a request is in flight does not forget it: a retry with its key
// waits for it and replays its answer.
func TestIdempotencyBudgetSparesInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newIdempotency(1, 1<<20)
		p := &principal{id: 1, org: "o"}
		release := make(chan struct{})
		runs := 0
		slow := func(w http.ResponseWriter) {
			runs++
			<-release
			writeJSON(w, 201, []byte(`{"slow":true}`))
		}
		serve := func(key string, next func(http.ResponseWriter)) *httptest.ResponseRecorder {
			return serveKey(t.Context(), m, p, key, "", next)
		}
		done := make(chan *httptest.ResponseRecorder, 1)
		go func() { done <- serve("held", slow) }()
		synctest.Wait()
		for i := range 10 {
			serve(fmt.Sprint(i), answering(400, `{}`))
		}
		retry := make(chan *httptest.ResponseRecorder, 1)
		go func() { retry <- serve("held", slow) }()
		synctest.Wait()
		close(release)
		first, again := <-done, <-retry
		if runs != 1 || first.Code != 201 || again.Code != 201 || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("handler ran %d times; answers %d, %d (replayed %q); want once, 201, replayed 201",
				runs, first.Code, again.Code, again.Header().Get("Idempotent-Replayed"))
		}
	})
}

// TestIdempotencyDefaultBudget: by default the whole memory stays within
// its bound of bytes, however many organizations send however many keys
// (answers of 1 KB fill it before its count).
func TestIdempotencyDefaultBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("60,000 answers")
	}
	m := newIdempotency(DefaultIdempotencyEntries, DefaultIdempotencyBytes)
	answer := answering(400, strings.Repeat("e", 1000))
	for i := range 60_000 {
		p := &principal{id: i % 3, org: fmt.Sprint(i % 3)}
		serveKey(t.Context(), m, p, fmt.Sprint(i), "", answer)
	}
	n, bytes := m.total()
	if n > DefaultIdempotencyEntries || bytes > DefaultIdempotencyBytes || len(m.entries) != n {
		t.Errorf("%d answers (%d in the map) in %d bytes; want at most %d and %d", n, len(m.entries), bytes, DefaultIdempotencyEntries, DefaultIdempotencyBytes)
	}
	if bytes > 64<<20 {
		t.Errorf("%d bytes by default, want at most 64 MiB", bytes)
	}
}

// TestIdempotencyBudgetIsGlobal: the bounds are for all organizations
// together, and when they are reached the organization using the most
// loses its oldest answers: a quiet organization keeps all of its own
// while it uses less than the flooder, and a busy one is cut down to an
// even share, never below it.
func TestIdempotencyBudgetIsGlobal(t *testing.T) {
	answer := answering(400, `{}`)
	tests := []struct {
		name                 string
		quiet                int // answers of the quiet org, given first
		maxEntries, maxBytes int
		wantQuiet, wantFlood int
	}{
		{"count: quiet keeps all", 30, 100, 1 << 30, 30, 70},
		{"count: even shares", 80, 100, 1 << 30, 50, 50},
		// Each answer costs the overhead, a key of 1-3 bytes and a body of 2
		// (allocated as 8): between 411 and 413 bytes.
		{"bytes: quiet keeps all", 30, 1 << 30, 100 * 413, 30, 70},
		{"bytes: even shares", 80, 1 << 30, 100 * 413, 50, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newIdempotency(tt.maxEntries, tt.maxBytes)
			quiet, flood := &principal{id: 1, org: "quiet"}, &principal{id: 2, org: "flood"}
			for i := range tt.quiet {
				serveKey(t.Context(), m, quiet, fmt.Sprint(i), "", answer)
			}
			for i := range 1000 {
				serveKey(t.Context(), m, flood, fmt.Sprint(i), "", answer)
			}
			q, _ := m.remembered("quiet")
			fl, _ := m.remembered("flood")
			n, bytes := m.total()
			if q < tt.wantQuiet-1 || q > tt.wantQuiet || fl < tt.wantFlood-1 || fl > tt.wantFlood ||
				n > tt.maxEntries || bytes > tt.maxBytes || len(m.entries) != n {
				t.Errorf("quiet %d, flood %d, total %d (%d in the map) in %d bytes; want about %d, %d, within %d and %d",
					q, fl, n, len(m.entries), bytes, tt.wantQuiet, tt.wantFlood, tt.maxEntries, tt.maxBytes)
			}
			// The quiet org's newest answer is remembered.
			w := serveKey(t.Context(), m, quiet, fmt.Sprint(tt.quiet-1), "", answer)
			if w.Header().Get("Idempotent-Replayed") != "true" {
				t.Error("the quiet organization's newest key was forgotten")
			}
		})
	}
}

// TestIdempotencyForgetTenant: a removed tenant's answers no longer
// count against the memory's bounds.
func TestIdempotencyForgetTenant(t *testing.T) {
	m := newIdempotency(10, 1<<20)
	answer := answering(400, `{}`)
	gone, kept := &principal{id: 1, org: "gone"}, &principal{id: 2, org: "kept"}
	for i := range 6 {
		serveKey(t.Context(), m, gone, fmt.Sprint(i), "", answer)
	}
	m.forget("gone", []int{1})
	for i := range 10 {
		serveKey(t.Context(), m, kept, fmt.Sprint(i), "", answer)
	}
	if n, _ := m.remembered("kept"); n != 10 {
		t.Errorf("kept remembers %d answers, want 10", n)
	}
	if n, _ := m.total(); n != 10 || len(m.entries) != 10 || len(m.heavy.orgs) != 1 {
		t.Errorf("%d answers, %d in the map, %d organizations; want 10, 10, 1", n, len(m.entries), len(m.heavy.orgs))
	}
}

// TestIdempotencyExpiredGoFirst: before the memory evicts a live answer
// to stay within its bounds, it forgets every expired one, in whichever
// organization: an idle organization's stale answers never cost a busy
// one its live answers, even while the idle one is not the largest user.
func TestIdempotencyExpiredGoFirst(t *testing.T) {
	f := newFixture(t, WithIdempotencyLimits(4, 1<<20))
	for _, k := range []string{"g1", "g2"} {
		f.do(t, idem(globex, k, pipelineBody)).expect(t, 201, nil)
	}
	f.clock.Advance(idempotencyTTL + time.Hour) // globex's answers expire; globex sends nothing more
	for _, k := range []string{"b1", "b2", "b3"} {
		f.do(t, idem(owner, k, pipelineBody)).expect(t, 201, nil)
	}
	if n, _ := f.srv.idempotency.remembered(OrgGlobex); n != 0 {
		t.Errorf("org_globex still counts %d expired answers", n)
	}
	if n, _ := f.srv.idempotency.total(); n != 3 {
		t.Errorf("%d answers remembered, want acme's 3", n)
	}
	// Three live answers and a bound of four: none of acme's was evicted.
	r := f.do(t, idem(owner, "b1", pipelineBody))
	r.expect(t, 201, nil)
	r.replayed(t, true)
	if n := len(f.srv.Agents(t, OrgAcme)); n != 3 {
		t.Errorf("org_acme has %d agents, want 3", n)
	}
}

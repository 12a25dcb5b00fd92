package fake

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var soakFor = flag.Duration("soak", 0, "how long TestSoak drives traffic (default: a short form of 2s, 500ms with -short)")

// The soak's budgets, small so that even the short form fills them.
const (
	soakJournalBytes = 2 << 20
	soakIdemEntries  = 5000
	soakIdemBytes    = 2 << 20
)

// soakLedger is what the soak's clients know they created, per
// organization: the ids that must exist at the end.
type soakLedger struct {
	mu  sync.Mutex
	ids map[string]map[string]bool // org -> id -> exists
}

func (l *soakLedger) add(org, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ids[org][id] = true
}

// pick returns a random id of org, and "" when it has none; remove
// deletes it from the ledger.
func (l *soakLedger) pick(rng *rand.Rand, org string, remove bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.ids[org] { // map order is random enough
		if rng.IntN(4) == 0 || len(l.ids[org]) < 4 {
			if remove {
				delete(l.ids[org], id)
			}
			return id
		}
	}
	return ""
}

// soakKeys are the keys the soak uses, by organization.
var soakKeys = map[string]string{"org_acme": owner, "org_globex": globex}

// TestSoak drives mixed traffic, hostile bodies and unique idempotency
// keys from several goroutines for a bounded time (go test ./fake/ -run
// Soak -soak=60s for a long run: the package comes before -soak, or go
// test hands it to the test binary), and then checks that the Go heap
// stayed under a stated bound (the agents it holds at 1 KiB each, plus the journal's and the idempotency
// memory's budgets, plus 48 MiB for the runtime and the garbage of one
// collection cycle) and that every invariant holds: no 5xx, every agent a
// client created and did not delete is there and no other, each list's
// total is what its caller may see, no agent is visible from another
// organization, and the journal and idempotency memory are within their
// budgets.
func TestSoak(t *testing.T) {
	d := *soakFor
	switch {
	case d == 0 && testing.Short():
		d = 500 * time.Millisecond
	case d == 0:
		d = 2 * time.Second
	}
	s := NewHandler(WithJournalBytes(soakJournalBytes), WithIdempotencyLimits(soakIdemEntries, soakIdemBytes), WithBodyTimeout(0))
	ledger := &soakLedger{ids: map[string]map[string]bool{"org_acme": {}, "org_globex": {}}}
	var m0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)

	var requests, fiveXX atomic.Int64
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
	deadline := time.Now().Add(d)
	var workers sync.WaitGroup
	for w := range 4 {
		workers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := 0; time.Now().Before(deadline); i++ {
				code := soakStep(t, s, ledger, rng, fmt.Sprintf("w%d-%d", w, i))
				requests.Add(1)
				if code >= 500 {
					fiveXX.Add(1)
				}
			}
		})
	}
	workers.Wait()
	close(stop)
	sampler.Wait()

	if n := fiveXX.Load(); n > 0 {
		t.Errorf("%d answers of 5xx", n)
	}
	checkSoakInvariants(t, s, ledger)
	runtime.GC()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	stored := int64(s.store.Len())
	bound := stored*1024 + soakJournalBytes + soakIdemBytes + 48<<20
	live := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("%v: %d requests, %d agents stored; heap: %d MiB live after GC, %d MiB at peak, bound %d MiB",
		d, requests.Load(), stored, live>>20, (int64(peak.Load())-int64(m0.HeapAlloc))>>20, bound>>20)
	if live > bound {
		t.Errorf("the heap holds %d bytes after the soak, want at most %d", live, bound)
	}
	// The peak includes garbage: at most one cycle of it, so twice the bound.
	if p := int64(peak.Load()) - int64(m0.HeapAlloc); p > 2*bound {
		t.Errorf("the heap peaked at %d bytes, want at most %d", p, 2*bound)
	}
}

// soakStep makes one request of a random kind and returns its status,
// failing the test when the status is not the one the contract gives.
func soakStep(t *testing.T, s *Server, ledger *soakLedger, rng *rand.Rand, unique string) int {
	org := "org_acme"
	if rng.IntN(3) == 0 {
		org = "org_globex"
	}
	key, other := soakKeys[org], soakKeys["org_acme"]
	if org == "org_acme" {
		other = soakKeys["org_globex"]
	}
	send := func(method, target, key, contentType string, body []byte, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", contentType)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	want := func(w *httptest.ResponseRecorder, what string, codes ...int) int {
		for _, c := range codes {
			if w.Code == c {
				return w.Code
			}
		}
		t.Errorf("%s: %d %.200s, want %v", what, w.Code, w.Body, codes)
		return w.Code
	}
	body := []byte(strings.Replace(pipelineBody, "Support Bot", "Soak "+unique, 1))
	switch n := rng.IntN(100); {
	case n < 25: // create, sometimes with a key that is then replayed
		var hdr []string
		if n < 10 {
			hdr = []string{"Idempotency-Key", unique}
		}
		w := send("POST", "/v1/agents", key, "application/json", body, hdr...)
		if want(w, "create", 201) == 201 {
			var out struct{ Data struct{ ID string } }
			json.Unmarshal(w.Body.Bytes(), &out)
			ledger.add(org, out.Data.ID)
			if hdr != nil {
				r := send("POST", "/v1/agents", key, "application/json", body, hdr...)
				if want(r, "replay", 201) == 201 && (r.Header().Get("Idempotent-Replayed") != "true" || r.Body.String() != w.Body.String()) {
					t.Errorf("replay of %s: %s", unique, r.Body)
				}
			}
		}
		return w.Code
	case n < 45: // get, and the same id from the other organization
		id := ledger.pick(rng, org, false)
		if id == "" {
			return 0
		}
		want(send("GET", "/v1/agents/"+id, other, "", nil), "get from another organization", 404)
		// A concurrent delete may have removed it since the pick.
		return want(send("GET", "/v1/agents/"+id, key, "", nil), "get", 200, 404)
	case n < 55: // list a page
		return want(send("GET", fmt.Sprintf("/v1/agents?page=%d&limit=%d", 1+rng.IntN(5), 1+rng.IntN(100)), key, "", nil), "list", 200)
	case n < 63: // patch
		id := ledger.pick(rng, org, false)
		if id == "" {
			return 0
		}
		return want(send("PATCH", "/v1/agents/"+id, key, "application/json", []byte(`{"name":"renamed `+unique+`"}`)), "patch", 200, 404)
	case n < 68: // delete
		id := ledger.pick(rng, org, true)
		if id == "" {
			return 0
		}
		return want(send("DELETE", "/v1/agents/"+id, key, "", nil), "delete", 200)
	case n < 83: // a failing create with a unique key: remembered, and bounded
		return want(send("POST", "/v1/agents", key, "application/json", []byte(`{"name":"","agentArchitecture":"text"}`), "Idempotency-Key", "bad-"+unique), "failing create", 400)
	case n < 88: // 1 MiB of bytes that are not UTF-8, as text
		return want(send("POST", "/v1/agents", key, "text/plain", bytes.Repeat([]byte{0xff}, 1<<20)), "1 MiB text", 415)
	case n < 93: // 200 KiB of bytes that are not UTF-8, as JSON
		return want(send("POST", "/v1/agents", key, "application/json", bytes.Repeat([]byte{0xff}, 200<<10)), "200 KiB not UTF-8", 400)
	case n < 96: // deep nesting
		return want(send("PATCH", "/v1/agents/agent_x", key, "application/json", []byte(strings.Repeat("[", 20000)+strings.Repeat("]", 20000))), "deep", 400, 404)
	default: // a long query
		return want(send("GET", "/v1/agents?x="+strings.Repeat("q", 64<<10), key, "", nil), "long query", 200)
	}
}

// checkSoakInvariants compares the store with the ledger, and the lists
// and budgets with what they must be.
func checkSoakInvariants(t *testing.T, s *Server, ledger *soakLedger) {
	t.Helper()
	for org, ids := range ledger.ids {
		stored := s.Agents(t, org)
		if len(stored) != len(ids) {
			t.Errorf("%s: %d agents stored, the clients created %d that they did not delete", org, len(stored), len(ids))
		}
		for _, a := range stored {
			if !ids[a.ID] {
				t.Errorf("%s: %s is stored but no client has it", org, a.ID)
			}
		}
		var page struct{ Pagination struct{ Total int } }
		w := serveDirect(s, "GET", "/v1/agents?limit=1", soakKeys[org], nil)
		if json.Unmarshal(w.Body.Bytes(), &page) != nil || page.Pagination.Total != len(ids) {
			t.Errorf("%s: the owner's list says %d agents, want %d", org, page.Pagination.Total, len(ids))
		}
	}
	if n, bytes := s.idempotency.total(); n > soakIdemEntries || bytes > soakIdemBytes {
		t.Errorf("the idempotency memory holds %d answers in %d bytes", n, bytes)
	}
	// The member sees public agents and their own private ones: the soak
	// creates private agents as the owner only.
	var page struct{ Pagination struct{ Total int } }
	serveDirectJSON(s, "/v1/agents?limit=1", member, &page)
	if page.Pagination.Total != 0 {
		t.Errorf("a member sees %d agents, want 0 (all are the owner's private ones)", page.Pagination.Total)
	}
	if s.journal.bytes > soakJournalBytes+JournalBodyCap {
		t.Errorf("the journal holds %d bytes, over its budget of %d", s.journal.bytes, soakJournalBytes)
	}
	checkJournalJSON(t, s)
}

// serveDirectJSON GETs target as key and decodes the answer into v.
func serveDirectJSON(s *Server, target, key string, v any) {
	json.Unmarshal(serveDirect(s, "GET", target, key, nil).Body.Bytes(), v)
}

package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/fake/internal/store"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// seedDirect puts n agents into org_acme without HTTP or JSON encoding
// (they share one encoded body), so that a store of a million agents builds
// in seconds. Modes cycle public, private (usr_acme_member), commercial,
// private (usr_acme_owner): a member sees half of them.
func seedDirect(s *Server, n int) {
	full := []byte(`{"id":"agent_x"}`)
	summary := []byte(`{"id":"agent_x"}`)
	modes := []agents.Mode{agents.Public, agents.Private, agents.Commercial, agents.Private}
	owners := []string{"usr_acme_owner", "usr_acme_member", "usr_acme_owner", "usr_acme_owner"}
	recs := make([]*store.Record, n)
	for i := range recs {
		recs[i] = &store.Record{ID: fmt.Sprintf("agent_%d", i), Created: t0.UnixMilli() + int64(i), Org: "org_acme", Owner: owners[i%4], Mode: modes[i%4], Full: full, Summary: summary}
	}
	s.store.Load(recs)
}

// BenchmarkListPage serves one list page from the middle of an
// organization of 1k, 100k and 1M agents, as an owner (one index) and as a
// member (the union of two). The target: the page at 1M within 3x of the
// page at 1k.
func BenchmarkListPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		s := NewHandler()
		seedDirect(s, n)
		for _, who := range []struct{ name, key string }{{"owner", owner}, {"member", member}} {
			b.Run(fmt.Sprintf("agents=%d/%s", n, who.name), func(b *testing.B) {
				visible := n
				if who.key == member {
					visible = n / 2
				}
				req := httptest.NewRequest("GET", fmt.Sprintf("/v1/agents?page=%d&limit=20", visible/40), nil)
				req.Header.Set("Authorization", "Bearer "+who.key)
				for b.Loop() {
					w := httptest.NewRecorder()
					s.ServeHTTP(w, req)
					if w.Code != 200 {
						b.Fatal(w.Code, w.Body.String())
					}
				}
			})
		}
		runtime.GC()
	}
}

// BenchmarkGet serves GET /v1/agents/{id} through the handler.
func BenchmarkGet(b *testing.B) {
	s := NewHandler()
	seedDirect(s, 1000)
	req := httptest.NewRequest("GET", "/v1/agents/agent_500", nil)
	req.Header.Set("Authorization", "Bearer "+owner)
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkCreate serves POST /v1/agents with the pipeline example
// through the handler: validation, encoding and indexing included.
func BenchmarkCreate(b *testing.B) {
	s := NewHandler()
	body := []byte(pipelineBody)
	for b.Loop() {
		w := serveDirect(s, "POST", "/v1/agents", owner, body)
		if w.Code != http.StatusCreated {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}

// BenchmarkBytesPerAgent reports the heap that each stored pipeline
// example costs (record, encoded JSON, id, indexes). Target: 1 KiB.
func BenchmarkBytesPerAgent(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(bytesPerAgent(b, 20000), "B/agent")
	}
}

// TestBytesPerAgent holds the store to its memory target.
func TestBytesPerAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	if got := bytesPerAgent(t, 20000); got > 1024 {
		t.Errorf("%.0f bytes per stored agent, want at most 1024", got)
	}
}

// bytesPerAgent stores n pipeline examples as CreateAgent does and returns
// the heap growth per agent.
func bytesPerAgent(tb testing.TB, n int) float64 {
	var p agents.CreateParams
	if err := json.Unmarshal([]byte(pipelineBody), &p); err != nil {
		tb.Fatal(err)
	}
	s := NewHandler()
	now := time.Now()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for range n {
		a := domain.NewAgent(p, randomID(), stamp(now))
		r, err := newRecord(a, "org_acme", "usr_acme_owner")
		if err != nil {
			tb.Fatal(err)
		}
		s.store.Insert(r)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(s)
	return float64(m1.HeapAlloc-m0.HeapAlloc) / float64(n)
}

// discardWriter is a ResponseWriter that keeps nothing and reuses its
// header map, so that counting allocations counts the server's own.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// TestGetAllocs holds GET /v1/agents/{id} to its allocations: the
// exchange and the request id (net/http sets the Content-Length of an
// answer this short). More means a cost crept onto the hottest path;
// there were 6, then 3.
func TestGetAllocs(t *testing.T) {
	s := NewHandler()
	seedDirect(s, 10)
	req := httptest.NewRequest("GET", "/v1/agents/agent_5", nil)
	req.Header.Set("Authorization", "Bearer "+owner)
	w := &discardWriter{h: http.Header{}}
	allocs := testing.AllocsPerRun(200, func() {
		clear(w.h)
		w.status = 0
		s.ServeHTTP(w, req)
	})
	if w.status != http.StatusOK {
		t.Fatalf("status %d, want 200", w.status)
	}
	if allocs > 2 {
		t.Errorf("GET by id made %v allocations, want at most 2", allocs)
	}
}

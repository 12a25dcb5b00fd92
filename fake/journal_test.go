package fake

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/talkifai-go/talkifai/agents"
)

func TestJournalFields(t *testing.T) {
	f := newSeeded(t)
	huge := pipelineBody + strings.Repeat(" ", 1<<20+1-len(pipelineBody))
	var ids []string // the X-Request-Id of each answer
	for _, c := range []call{
		{method: "GET", path: "/v1/agents?mode=public&page=1", key: member},
		{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody, header: map[string]string{"Idempotency-Key": "k-1"}},
		{method: "POST", path: "/v1/agents", key: admin, body: "name=x", contentType: "text/plain"},
		{method: "PATCH", path: "/v1/agents/agent_1", key: "tk_test_nobody", body: `{"name":"x"}`},
		{method: "POST", path: "/v1/agents", key: owner, body: huge},
		{method: "GET", path: "/v1/nothing"},
	} {
		ids = append(ids, f.do(t, c).header.Get("X-Request-Id"))
		f.clock.Advance(1500 * time.Microsecond) // the journal keeps milliseconds
	}
	f.do(t, call{method: "GET", path: "/openapi.json"})   // not /v1: not recorded
	f.do(t, call{method: "GET", path: "/_fake/requests"}) // control: not recorded
	at := func(i int) time.Time {
		return t0.Add(time.Hour + time.Duration(i)*1500*time.Microsecond).Truncate(time.Millisecond)
	}
	want := Journal{
		{Method: "GET", Path: "/v1/agents", Query: "mode=public&page=1", User: "usr_acme_member", Org: OrgAcme, Status: 200, RequestID: ids[0], Time: at(0)},
		{Method: "POST", Path: "/v1/agents", User: "usr_acme_owner", Org: OrgAcme, Status: 201, IdempotencyKey: "k-1", Body: json.RawMessage(pipelineBody), RequestID: ids[1], Time: at(1)},
		{Method: "POST", Path: "/v1/agents", User: "usr_acme_admin", Org: OrgAcme, Status: 415, Body: json.RawMessage(`"name=x"`), RequestID: ids[2], Time: at(2)},
		{Method: "PATCH", Path: "/v1/agents/agent_1", Status: 401, Body: json.RawMessage(`{"name":"x"}`), RequestID: ids[3], Time: at(3)},
		{Method: "POST", Path: "/v1/agents", User: "usr_acme_owner", Org: OrgAcme, Status: 413, BodyTruncated: true, RequestID: ids[4], Time: at(4)},
		{Method: "GET", Path: "/v1/nothing", Status: 404, RequestID: ids[5], Time: at(5)},
	}
	got := f.srv.Requests()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Requests() (-want +got):\n%s", diff)
	}
	// Over HTTP: the same, in the success envelope, with body null where
	// there was none.
	var overHTTP struct {
		Success bool
		Data    Journal
	}
	raw := f.do(t, call{method: "GET", path: "/_fake/requests"}).raw
	if err := json.Unmarshal(raw, &overHTTP); err != nil || !overHTTP.Success {
		t.Fatalf("GET /_fake/requests: %v %s", err, raw)
	}
	for i := range overHTTP.Data {
		if string(overHTTP.Data[i].Body) == "null" {
			overHTTP.Data[i].Body = nil
		}
	}
	if diff := cmp.Diff(want, overHTTP.Data); diff != "" {
		t.Errorf("GET /_fake/requests (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(raw), `"query":"","user":"usr_acme_owner","org":"org_acme","status":413,"idempotencyKey":"","body":null,"bodyTruncated":true,"requestId":"`+ids[4]+`","time":"2024-01-15T11:30:00.006Z"}`) {
		t.Errorf("the journal's JSON names or nulls are off:\n%s", raw)
	}
	// Requests returns copies.
	got[1].Body[0] = 'X'
	if f.srv.Requests()[1].Body[0] != '{' {
		t.Error("changing what Requests returned changed the journal")
	}
}

func TestJournalRing(t *testing.T) {
	f := newFixture(t, WithJournalSize(3))
	for i := range 5 {
		f.do(t, call{method: "GET", path: fmt.Sprintf("/v1/agents?page=%d", i+1), key: owner})
	}
	var queries []string
	for _, q := range f.srv.Requests() {
		queries = append(queries, q.Query)
	}
	if want := []string{"page=3", "page=4", "page=5"}; !cmp.Equal(queries, want) {
		t.Errorf("journal %v, want the last three %v", queries, want)
	}
	if n := NewHandler().journal.size; n != 10000 {
		t.Errorf("default journal size %d, want 10,000", n)
	}
}

// TestJournalConcurrent: under concurrency the journal holds every request
// once, each client's in the order it sent them, and no field holds an API
// key.
func TestJournalConcurrent(t *testing.T) {
	const workers, each = 16, 15
	f := newFixture(t)
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	t.Cleanup(httpc.CloseIdleConnections)
	keys := []string{owner, admin, member, member2, globex}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := keys[(w+i)%len(keys)]
				url := fmt.Sprintf("%s/v1/agents?w=%d&i=%d", f.srv.URL(), w, i)
				req, _ := http.NewRequest("GET", url, nil)
				if i%2 == 0 {
					req.Header.Set("Authorization", "Bearer "+key)
				} else {
					req.Header.Set("X-API-Key", key)
				}
				if resp, err := httpc.Do(req); err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	journal := f.srv.Requests()
	if len(journal) != workers*each {
		t.Fatalf("%d requests journaled, want %d", len(journal), workers*each)
	}
	next := make([]int, workers)
	for _, q := range journal {
		var w, i int
		if _, err := fmt.Sscanf(q.Query, "w=%d&i=%d", &w, &i); err != nil || q.Status != 200 {
			t.Fatalf("unexpected entry %+v", q)
		}
		if i != next[w] {
			t.Fatalf("worker %d: request %d journaled where %d was due", w, i, next[w])
		}
		next[w]++
	}
	all, err := json.Marshal(journal)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range DefaultKeys() {
		if strings.Contains(string(all), k.Key) {
			t.Errorf("the journal holds the key of %s", k.User)
		}
	}
}

// TestJournalBodyIsAlwaysJSON: a body that is JSON but not valid UTF-8 is
// journaled as a string, so that GET /_fake/requests stays valid JSON; a
// valid UTF-8 JSON body is kept byte for byte.
func TestJournalBodyIsAlwaysJSON(t *testing.T) {
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001) // beyond encoding/json's nesting limit
	for body, want := range map[string]string{
		"{\"name\":\"\xff\"}": `"{\"name\":\"\ufffd\"}"`,
		"\"\xfe\"":            `"\"\ufffd\""`,
		"\xff":                `"\ufffd"`,
		`{"name":"é"}`:        `{"name":"é"}`,
		deep:                  strconv.Quote(deep),
	} {
		f := newFixture(t)
		f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: body}).expect(t, 400, nil)
		if got := string(f.srv.Requests()[0].Body); got != want {
			t.Errorf("body %.20q journaled as %.40s, want %.40s", body, got, want)
		}
		checkJournalJSON(t, f.srv)
	}
}

// checkJournalJSON fails the test unless GET /_fake/requests is valid JSON
// in valid UTF-8.
func checkJournalJSON(t *testing.T, s *Server) {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/_fake/requests", nil))
	if raw := w.Body.Bytes(); w.Code != 200 || !json.Valid(raw) || !utf8.Valid(raw) {
		t.Fatalf("GET /_fake/requests: %d, not valid JSON in UTF-8: %.200q", w.Code, raw)
	}
}

// TestJournalByteBound: the journal is bounded by bytes as well as
// entries. Bodies over the per-entry cap (counted as sent) are null with
// bodyTruncated; bodies under it count what they weigh as sent, not as
// JSON, where a byte that is not UTF-8 takes six; and the oldest entries
// leave first until the total fits.
func TestJournalByteBound(t *testing.T) {
	notUTF8 := func(n int) string { return strings.Repeat("\xff", n) }
	post := func(s *Server, body string) {
		req := httptest.NewRequest("POST", "/v1/agents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+owner)
		req.Header.Set("Content-Type", "text/plain")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusUnsupportedMediaType {
			t.Fatalf("POST: %d %s", w.Code, w.Body)
		}
	}
	t.Run("per entry", func(t *testing.T) {
		s := NewHandler()
		post(s, notUTF8(JournalBodyCap+1))
		post(s, notUTF8(JournalBodyCap))
		got := s.Requests()
		if len(got) != 2 || got[0].Body != nil || !got[0].BodyTruncated {
			t.Fatalf("a body over the cap: %+v", got[0])
		}
		if got[1].BodyTruncated || len(got[1].Body) != 2+6*JournalBodyCap {
			t.Errorf("a body at the cap: truncated %v, %d bytes of JSON", got[1].BodyTruncated, len(got[1].Body))
		}
		if s.journal.bytes > 2*entryHeader+JournalBodyCap+160 { // and two entries' strings
			t.Errorf("the journal counts %d bytes for one body of %d as sent", s.journal.bytes, JournalBodyCap)
		}
	})
	t.Run("total", func(t *testing.T) {
		const budget = 1 << 20
		s := NewHandler(WithJournalBytes(budget))
		for i := range 40 {
			post(s, fmt.Sprintf("%03d", i)+notUTF8(100_000))
		}
		got := s.Requests()
		// Every entry costs the same: as many as fit, and not one more.
		each := s.journal.bytes / len(got)
		if s.journal.bytes > budget || s.journal.bytes+each <= budget || each < 100_000 {
			t.Errorf("%d entries in %d bytes, want as many of the newest as fit in %d", len(got), s.journal.bytes, budget)
		}
		if last := string(got[len(got)-1].Body[:4]); last != `"039` {
			t.Errorf("the newest entry starts %s, want the 40th", last)
		}
	})
	t.Run("heap", func(t *testing.T) {
		if testing.Short() {
			t.Skip("measures the heap")
		}
		// The case: 1 MiB of 0xff, 200 times, once kept ~1.2 GB.
		s := NewHandler()
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		for range 200 {
			post(s, notUTF8(1<<20))
		}
		for range 100 {
			post(s, notUTF8(JournalBodyCap))
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		runtime.KeepAlive(s)
		if grown := int64(m1.HeapAlloc) - int64(m0.HeapAlloc); grown > 2*DefaultJournalBytes {
			t.Errorf("the heap grew by %d bytes, want at most twice the journal's budget of %d", grown, DefaultJournalBytes)
		}
	})
}

// maxWriter records the largest single write.
type maxWriter struct {
	http.ResponseWriter
	largest, total int
}

func (w *maxWriter) Write(b []byte) (int, error) {
	w.largest, w.total = max(w.largest, len(b)), w.total+len(b)
	return w.ResponseWriter.Write(b)
}

// TestJournalStreams: GET /_fake/requests is written in pieces, never
// built whole in memory, and says the same as Requests.
func TestJournalStreams(t *testing.T) {
	s := NewHandler()
	body := `{"name":"` + strings.Repeat("x", 10_000) + `"}`
	for range 50 {
		req := httptest.NewRequest("POST", "/v1/agents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+owner)
		req.Header.Set("Content-Type", "text/plain") // 415: no validation to wait for
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	rec := httptest.NewRecorder()
	w := &maxWriter{ResponseWriter: rec}
	s.ServeHTTP(w, httptest.NewRequest("GET", "/_fake/requests", nil))
	if w.total < 50*10_000 || w.largest > 64<<10 {
		t.Errorf("GET /_fake/requests wrote %d bytes, %d at once; want them in pieces of at most 64 KiB", w.total, w.largest)
	}
	var got struct {
		Success bool    `json:"success"`
		Data    Journal `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || !got.Success {
		t.Fatalf("GET /_fake/requests: %v", err)
	}
	if rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	// Compared as JSON: cmp walks 500 KB of bodies byte by byte.
	want, _ := json.Marshal(s.Requests())
	if again, _ := json.Marshal(got.Data); string(again) != string(want) {
		t.Errorf("GET /_fake/requests and Requests differ:\n%.300s\n%.300s", again, want)
	}
}

// TestJournalFilters: the Journal's filters chain, Path matches as a
// fault's does, ByRequestID finds what a caller's X-Request-Id names, and
// DecodeBody reads a body into a value.
func TestJournalFilters(t *testing.T) {
	f := newSeeded(t)
	created := f.do(t, call{method: "POST", path: "/v1/agents", key: owner, body: pipelineBody})
	f.do(t, call{method: "GET", path: "/v1/agents/agent_1", key: owner})
	f.do(t, call{method: "GET", path: "/v1/agents/agent_404", key: member})
	f.do(t, call{method: "GET", path: "/v1/agents", key: KeyGlobexOwner})
	j := f.srv.Requests()
	paths := func(j Journal) []string {
		out := []string{}
		for _, q := range j {
			out = append(out, q.Method+" "+q.Path)
		}
		return out
	}
	for _, tc := range []struct {
		got  Journal
		want []string
	}{
		{j.Method("get"), []string{"GET /v1/agents/agent_1", "GET /v1/agents/agent_404", "GET /v1/agents"}},
		{j.Path("/v1/agents/*"), []string{"GET /v1/agents/agent_1", "GET /v1/agents/agent_404"}},
		{j.Path("/v1/agents"), []string{"POST /v1/agents", "GET /v1/agents"}},
		{j.Method("GET").Path("/v1/agents/*").Status(404), []string{"GET /v1/agents/agent_404"}},
		{j.Org(OrgGlobex), []string{"GET /v1/agents"}},
		{j.Org("org_other"), []string{}},
	} {
		if got := paths(tc.got); !cmp.Equal(got, tc.want) {
			t.Errorf("got %v, want %v", got, tc.want)
		}
	}
	q, found := j.ByRequestID(created.header.Get("X-Request-Id"))
	if !found || q.Status != 201 {
		t.Fatalf("ByRequestID: %v %v", q, found)
	}
	var p agents.CreateParams
	if err := q.DecodeBody(&p); err != nil || p.Name.Or("") != "Support Bot" {
		t.Errorf("DecodeBody: %v, name %v", err, p.Name)
	}
	if err := j[1].DecodeBody(&p); err == nil || !strings.Contains(err.Error(), "has no body") {
		t.Errorf("DecodeBody of a GET: %v", err)
	}
	if _, found := j.ByRequestID("req_nothing"); found {
		t.Error("ByRequestID found an id nobody was given")
	}
	want := "GET /v1/agents/agent_404 404 org_acme/usr_acme_member " + j[2].RequestID + " -"
	if got := fmt.Sprintf("%+v", j[2]); got != want {
		t.Errorf("%%+v prints %q, want %q", got, want)
	}
}

// TestJournalBytesRing drives the journal's ring directly with requests
// of random sizes, organizations and bodies (some over the cap), and
// removals of an organization, and checks after each step that it holds
// the newest requests in order, each as it was added; that it keeps
// within its count and its budget, but for one request larger than the
// budget; and that wrapping around the ring wastes less than three of its
// largest requests (the end it skips, and what it drops to make room at
// its start).
func TestJournalBytesRing(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const budget, size = 64 << 10, 300
	j := newJournal(size, budget)
	orgs := []string{"org_a", "org_b", "org_c"}
	var added []Request // everything still expected, oldest first
	largest := 0
	for step := range 3000 {
		if rng.IntN(200) == 0 {
			org := orgs[rng.IntN(len(orgs))]
			j.removeOrg(org)
			added = slices.DeleteFunc(added, func(q Request) bool { return q.Org == org })
		} else {
			body := make([]byte, rng.IntN(3)*rng.IntN(9000))
			for i := range body {
				body[i] = byte('a' + i%26)
			}
			path := "/v1/agents/" + strings.Repeat("x", rng.IntN(40))
			if step%997 == 0 {
				path += strings.Repeat("p", budget) // larger than the whole budget
			}
			q := Request{
				Method: "POST", Path: path, Query: fmt.Sprintf("step=%d", step),
				Status: 200 + rng.IntN(300), Org: orgs[rng.IntN(len(orgs))], User: "usr", RequestID: fmt.Sprintf("req_%d", step),
				IdempotencyKey: strings.Repeat("k", rng.IntN(3)), Time: t0.Add(time.Duration(step) * time.Millisecond),
			}
			j.add(q, body)
			q.BodyTruncated = len(body) > j.bodyCap
			if !q.BodyTruncated && len(body) > 0 {
				q.Body = journalBody(body)
			}
			added = append(added, q)
			if step%997 != 0 {
				largest = max(largest, entrySize(&q, body))
			}
		}
		got := j.list()
		if len(got) > size || len(got) > len(added) {
			t.Fatalf("step %d: %d entries of %d added, bound %d", step, len(got), len(added), size)
		}
		// Compared field by field first: cmp is too slow for 3,000 steps.
		if want := Journal(added[len(added)-len(got):]); !slices.EqualFunc(want, got, sameRequest) {
			t.Fatalf("step %d: not the newest requests as added (-want +got):\n%s", step, cmp.Diff(want, got, cmpopts.EquateEmpty()))
		}
		total := 0
		for k := range j.spans.len() {
			total += j.spans.item(k).n
		}
		if total != j.bytes || (j.bytes > budget && len(got) > 1) || len(j.buf) > 2*budget {
			t.Fatalf("step %d: %d bytes counted, %d held, ring of %d; budget %d", step, j.bytes, total, len(j.buf), budget)
		}
		// The bound below holds once the newest request dropped was of a
		// normal size: dropping one larger than the budget frees it all.
		if len(got) < len(added) && len(got) < size && len(added[len(added)-len(got)-1].Path) < budget &&
			j.bytes < budget-3*largest {
			t.Fatalf("step %d: only %d bytes kept of a budget of %d (largest request %d)", step, j.bytes, budget, largest)
		}
		if len(added) > 2*size {
			added = added[len(added)-size:]
		}
	}
}

// sameRequest reports whether a and b are equal, bodies as bytes.
func sameRequest(a, b Request) bool {
	return a.Method == b.Method && a.Path == b.Path && a.Query == b.Query && a.User == b.User && a.Org == b.Org &&
		a.Status == b.Status && a.IdempotencyKey == b.IdempotencyKey && string(a.Body) == string(b.Body) &&
		a.BodyTruncated == b.BodyTruncated && a.RequestID == b.RequestID && a.Time.Equal(b.Time)
}

// TestJournalRemoveOrgKeepsConcurrentAdds: removing one organization's
// requests while others are recorded loses none of the others.
func TestJournalRemoveOrgKeepsConcurrentAdds(t *testing.T) {
	j := newJournal(1_000_000, 64<<20)
	const adds = 5000
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				j.removeOrg("org_gone")
			}
		}
	}()
	for range adds {
		j.add(Request{Method: "POST", Org: "org_a"}, []byte(`{}`))
	}
	close(stop)
	wg.Wait()
	if got := len(j.list().Org("org_a")); got != adds {
		t.Errorf("the journal holds %d of org_a's %d requests: removing another organization lost some", got, adds)
	}
}

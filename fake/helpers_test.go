package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// t0 is when every fixture's clock starts.
var t0 = time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)

// pipelineBody is the published pipeline example.
const pipelineBody = `{"name":"Support Bot","agentArchitecture":"pipeline","model":"gpt-4o","stt":"deepgram","tts":"cartesia","voiceId":"sonic-english-female","systemPrompt":"You are a helpful support agent for Acme.","language":"en-US","mode":"private","active":true,"temperature":0.7,"enabledFunctions":["web_search"],"enabledCustomFunctions":[]}`

// fixture is a started fake with a test clock and sequential ids.
type fixture struct {
	srv   *Server
	clock *Clock
}

func newFixture(t testing.TB, opts ...Option) *fixture {
	t.Helper()
	c := NewClock(t0)
	opts = append([]Option{WithClock(c.Now), WithIDs(SequentialIDs())}, opts...)
	return &fixture{srv: NewServer(t, opts...), clock: c}
}

// seed describes one agent of the seeded fixture: agent_N is seeds[N-1],
// created at t0 + (N-1) minutes.
type seed struct {
	key, name, mode string
}

var seeds = []seed{
	{KeyAcmeOwner, "Public Bot", "public"},         // agent_1
	{KeyAcmeOwner, "Owner Private", "private"},     // agent_2
	{KeyAcmeOwner, "Commercial Bot", "commercial"}, // agent_3
	{KeyAcmeMember, "Member Private", "private"},   // agent_4
	{KeyAcmeMember2, "Member2 Private", "private"}, // agent_5
	{KeyAcmeMember, "Member Public", "public"},     // agent_6
	{KeyGlobexOwner, "Globex Bot", "private"},      // agent_7
}

// newSeeded returns a fixture holding the seeds, with its clock at t0 + 1h.
func newSeeded(t testing.TB, opts ...Option) *fixture {
	t.Helper()
	f := newFixture(t, opts...)
	for _, s := range seeds {
		var p agents.CreateParams
		if err := json.Unmarshal([]byte(pipelineBody), &p); err != nil {
			t.Fatal(err)
		}
		p.Name, p.Mode = agents.Value(s.name), agents.Value(agents.Mode(s.mode))
		f.srv.CreateAgent(t, s.key, p)
		f.clock.Advance(time.Minute)
	}
	f.clock.Advance(time.Hour - time.Duration(len(seeds))*time.Minute)
	return f
}

// ts formats t0 + d as the fake writes timestamps.
func ts(d time.Duration) string { return rules.FormatTime(t0.Add(d)) }

// wantAgent returns the full JSON of seeded agent n.
func wantAgent(n int) map[string]any {
	s := seeds[n-1]
	created := ts(time.Duration(n-1) * time.Minute)
	return map[string]any{
		"id": fmt.Sprintf("agent_%d", n), "name": s.name, "agentArchitecture": "pipeline",
		"model": "gpt-4o", "stt": "deepgram", "tts": "cartesia", "voiceId": "sonic-english-female",
		"systemPrompt": "You are a helpful support agent for Acme.", "language": "en-US",
		"mode": s.mode, "active": true, "temperature": 0.7,
		"enabledFunctions": []any{"web_search"}, "enabledCustomFunctions": []any{},
		"createdAt": created, "updatedAt": created,
	}
}

// wantSummary returns the list item of seeded agent n.
func wantSummary(n int) map[string]any {
	a := wantAgent(n)
	return map[string]any{"id": a["id"], "name": a["name"], "mode": a["mode"],
		"agentArchitecture": "pipeline", "active": true, "createdAt": a["createdAt"]}
}

// with returns a copy of m with the changes applied (nil deletes a key).
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// ok and fail build whole expected bodies.
func ok(data any) any { return norm(map[string]any{"success": true, "data": data}) }

func fail(code, message string) any {
	return norm(map[string]any{"success": false, "code": code, "error": message})
}

func list(page, limit, total int, items ...any) any {
	if items == nil {
		items = []any{}
	}
	return norm(map[string]any{"success": true, "data": items, "pagination": map[string]any{
		"page": page, "limit": limit, "total": total,
		"hasNext": page*limit < total, "hasPrev": page > 1,
	}})
}

// norm round-trips v through JSON, so that it compares equal to a decoded
// body.
func norm(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// call is one request. contentType "" means application/json on a body,
// "-" means no Content-Type header.
type call struct {
	method, path, key, body, contentType string
	header                               map[string]string
}

// reply is a decoded response.
type reply struct {
	status int
	header http.Header
	raw    []byte
	body   any
}

var requestID = regexp.MustCompile(`^req_[a-z0-9]{16}$`)

// do sends c to f's server with a plain http.Client and decodes the
// answer, checking what every answer must have: X-Request-Id, a JSON
// content type and a JSON body.
func (f *fixture) do(t testing.TB, c call) reply {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = bytes.NewReader([]byte(c.body))
	}
	req, err := http.NewRequest(c.method, f.srv.URL()+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	switch {
	case c.contentType == "-":
	case c.contentType != "":
		req.Header.Set("Content-Type", c.contentType)
	case c.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if id := resp.Header.Get("X-Request-Id"); !requestID.MatchString(id) {
		t.Errorf("%s %s: X-Request-Id = %q", c.method, c.path, id)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q", c.method, c.path, ct)
	}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", c.method, c.path, err, raw)
	}
	return r
}

// expect checks status and whole body.
func (r reply) expect(t testing.TB, status int, want any) {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	if want != nil {
		if diff := cmp.Diff(want, r.body); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	}
}

// fatalOf runs fn with a testing.TB of its own and returns the message
// that fn failed it with, or "" when fn did not fail it.
func fatalOf(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	tb := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb.failed
}

// recorder is a testing.TB whose Fatal and Fatalf record the message and
// end the goroutine, as the real ones do, without failing the test.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// snapshot returns every agent of both organizations, to show that a
// refused request changed nothing.
func (f *fixture) snapshot(t testing.TB) [][]agents.Agent {
	return [][]agents.Agent{f.srv.Agents(t, OrgAcme), f.srv.Agents(t, OrgGlobex)}
}

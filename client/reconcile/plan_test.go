package reconcile_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
	"github.com/talkifai-go/talkifai/internal/domain"
)

// changeJSON returns the machine form of the plan's change of key.
func changeJSON(t *testing.T, p *reconcile.Plan, key string) string {
	t.Helper()
	for _, c := range p.Changes {
		if c.Key == key {
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("the plan has no change for %q", key)
	return ""
}

// wantChange compares the change of key with want, JSON to JSON.
func wantChange(t *testing.T, p *reconcile.Plan, key, want string) {
	t.Helper()
	got := changeJSON(t, p, key)
	var g, w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	json.Unmarshal([]byte(got), &g)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("change of %s (-want +got):\n%s\ngot %s", key, diff, got)
	}
}

// ops returns the ops of key's outcome.
func ops(t *testing.T, r *reconcile.Result, key string) ([]reconcile.Op, error) {
	t.Helper()
	for _, o := range r.Outcomes {
		if o.Key == key {
			return o.Ops, o.Err
		}
	}
	t.Fatalf("no outcome for %q", key)
	return nil, nil
}

func wantOps(t *testing.T, r *reconcile.Result, key string, want ...reconcile.Op) {
	t.Helper()
	got, err := ops(t, r, key)
	if err != nil {
		t.Errorf("%s failed: %v", key, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ops of %s (-want +got):\n%s", key, diff)
	}
}

// wantLive checks that the agent of key's lock entry is live and equals a
// create of p, and that the lock recorded p as applied.
func (e *env) wantLive(key string, p agents.CreateParams) agents.Agent {
	e.t.Helper()
	en := e.lock().Agents[key]
	if en == nil || en.ID == "" || en.Pending != nil {
		e.t.Fatalf("lock entry of %s: %+v", key, en)
	}
	a := e.srv.Agent(e.t, en.ID)
	want := domain.NewAgent(p, a.ID, a.CreatedAt)
	if !domain.SameContent(a, want) {
		e.t.Errorf("agent of %s:\n got %+v\nwant %+v", key, a, want)
	}
	if !jsonEqual(en.Applied, &p) {
		e.t.Errorf("lock of %s applied %s, want %s", key, mustJSON(en.Applied), mustJSON(p))
	}
	return a
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func jsonEqual(a, b any) bool { return mustJSON(a) == mustJSON(b) }

// Row 1: a spec without a lock entry is created, with a pending entry
// written first; a live agent of the same name gets an import hint.
func TestPlanCreate(t *testing.T) {
	e := newEnv(t)
	other := e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Support", "Old."))
	e.write("support.yaml", textSpec("Support", "Help."))
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"create","file":"support.yaml","hasSpec":true,
		"fields":[{"field":"name","new":"Support"},{"field":"agentArchitecture","new":"text"},{"field":"model","new":"gpt-4o-mini"},{"field":"systemPrompt","new":"Help."}],
		"body":{"name":"Support","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Help."},
		"adopt":["`+other.ID+`"]}`)
	if len(e.writes()) != 0 {
		t.Fatalf("plan sent writes: %v", e.writes())
	}

	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpCreate)
	a := e.wantLive("support", params("Support", "Help."))
	if a.ID == other.ID {
		t.Fatal("apply adopted the agent of the same name instead of creating")
	}
	// Write-ahead: the first lock written holds the pending create, with
	// the key that the POST then carried.
	h := e.store.history()
	if len(h) != 2 {
		t.Fatalf("%d lock writes, want 2 (pending, then applied)", len(h))
	}
	pc := h[0].Agents["support"].Pending
	if pc == nil || pc.IdempotencyKey != "key-1" || !pc.Since.Equal(t0) || !jsonEqual(pc.Body, params("Support", "Help.")) {
		t.Fatalf("first write: %s", mustJSON(h[0].Agents["support"]))
	}
	var posts []string
	for _, q := range e.srv.Requests() {
		if q.Method == http.MethodPost {
			posts = append(posts, q.IdempotencyKey)
		}
	}
	if diff := cmp.Diff([]string{"key-1"}, posts); diff != "" {
		t.Errorf("POST keys (-want +got):\n%s", diff)
	}
	if l := e.lock(); l.BaseURL != baseURL || l.Serial != 2 || !l.Agents["support"].AppliedAt.Equal(t0) {
		t.Errorf("lock: %s", mustJSON(l))
	}
	if e.plan().HasChanges() {
		t.Error("the plan after apply still has changes")
	}
}

// Row 2: live equals the spec: no change; when live differs from what the
// lock recorded, the lock is refreshed.
func TestPlanNoChange(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"no-change","id":"`+a.ID+`","file":"support.yaml","hasSpec":true}`)
	if p.HasChanges() {
		t.Error("HasChanges on an unchanged folder")
	}
	serial := e.lock().Serial
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpNone)
	if e.lock().Serial != serial {
		t.Error("apply without changes wrote the lock")
	}

	// Someone changes the prompt on the dashboard, and the spec follows.
	e.clock.Advance(60e9)
	if _, err := e.cfg.Client.Agents.Update(context.Background(), a.ID, agents.UpdateParams{SystemPrompt: agents.Value("Help kindly.")}); err != nil {
		t.Fatal(err)
	}
	e.write("support.yaml", textSpec("Support", "Help kindly."))
	p = e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"no-change","id":"`+a.ID+`","file":"support.yaml","hasSpec":true,"lockRefreshed":true}`)
	before := len(e.writes())
	r = e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpRefresh)
	e.wantLive("support", params("Support", "Help kindly."))
	if got := e.lock().Agents["support"].AppliedAt; !got.Equal(t0.Add(60e9)) {
		t.Errorf("appliedAt %v, want the refresh's time", got)
	}
	if w := e.writes()[before:]; len(w) > 0 {
		t.Errorf("a lock refresh sent %v", w)
	}
}

// Row 3: live differs from the spec: the patch holds exactly the fields
// that differ, and fields changed outside are marked as drift.
func TestPlanUpdate(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help.")+"temperature: 0.5\nlanguage: fr\n")
	// A dashboard edit: drift on temperature.
	if _, err := e.cfg.Client.Agents.Update(context.Background(), a.ID, agents.UpdateParams{Temperature: agents.Value(0.9)}); err != nil {
		t.Fatal(err)
	}
	// The spec drops temperature and language, and changes the prompt.
	e.write("support.yaml", textSpec("Support", "Help more."))
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"update","id":"`+a.ID+`","file":"support.yaml","hasSpec":true,
		"fields":[
			{"field":"systemPrompt","old":"Help.","new":"Help more."},
			{"field":"language","old":"fr","new":null},
			{"field":"temperature","old":0.9,"new":null,"drift":true}],
		"patch":{"systemPrompt":"Help more.","language":null,"temperature":null}}`)

	// --fail-on-drift stops before any write.
	serial := e.lock().Serial
	before := len(e.writes())
	_, err := e.eng.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{FailOnDrift: true})
	if !errors.Is(err, reconcile.ErrDrift) || !strings.Contains(err.Error(), "support") {
		t.Fatalf("FailOnDrift: %v, want ErrDrift naming support", err)
	}
	if len(e.writes()) != before || e.lock().Serial != serial {
		t.Fatal("FailOnDrift wrote something")
	}

	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpUpdate)
	e.wantLive("support", params("Support", "Help more."))
	var patches []string
	for _, q := range e.srv.Requests() {
		if q.Method == http.MethodPatch && q.Status == 200 && strings.Contains(string(q.Body), "Help more.") {
			patches = append(patches, string(q.Body))
		}
	}
	if diff := cmp.Diff([]string{`{"systemPrompt":"Help more.","language":null,"temperature":null}`}, patches); diff != "" {
		t.Errorf("PATCH bodies (-want +got):\n%s", diff)
	}
}

// Row 3, an architecture change: the patch carries what the new
// architecture needs and clears what it does not have.
func TestPlanArchitectureChange(t *testing.T) {
	e := newEnv(t)
	a := e.seed("voice", "name: Voice\nagentArchitecture: pipeline\nmodel: gpt-4o\nstt: deepgram\ntts: cartesia\nvoiceId: sonic\nsystemPrompt: Talk.\n")
	e.write("voice.yaml", "name: Voice\nagentArchitecture: realtime\nrealtimeProvider: openai\nvoiceId: sonic\nsystemPrompt: Talk.\n")
	p := e.plan()
	wantChange(t, p, "voice", `{"key":"voice","action":"update","id":"`+a.ID+`","file":"voice.yaml","hasSpec":true,
		"fields":[
			{"field":"agentArchitecture","old":"pipeline","new":"realtime"},
			{"field":"model","old":"gpt-4o","new":null},
			{"field":"stt","old":"deepgram","new":null},
			{"field":"tts","old":"cartesia","new":null},
			{"field":"realtimeProvider","new":"openai"}],
		"patch":{"agentArchitecture":"realtime","model":null,"stt":null,"tts":null,"realtimeProvider":"openai"}}`)
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "voice", reconcile.OpUpdate)
	if got := e.srv.Agent(t, a.ID); got.Architecture != agents.Realtime || got.STT != "" || got.RealtimeProvider != "openai" {
		t.Errorf("agent after the change: %+v", got)
	}
}

// Row 4: the locked agent is gone: missing, an error unless recreating.
func TestPlanMissing(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	if err := e.cfg.Client.Agents.Delete(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"missing","id":"`+a.ID+`","file":"support.yaml","hasSpec":true}`)
	r := e.apply(reconcile.ApplyOptions{})
	if _, err := ops(t, r, "support"); !errors.Is(err, reconcile.ErrMissing) {
		t.Fatalf("without RecreateMissing: %v, want ErrMissing", err)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "support") {
		t.Errorf("Result.Err = %v, want one naming support", err)
	}
	if e.lock().Agents["support"].ID != a.ID {
		t.Error("the entry changed without RecreateMissing")
	}

	r = e.apply(reconcile.ApplyOptions{RecreateMissing: true})
	wantOps(t, r, "support", reconcile.OpCreate)
	b := e.wantLive("support", params("Support", "Help."))
	if b.ID == a.ID {
		t.Error("recreated under the old id")
	}
	// The recreate used a fresh key, not one of an earlier create.
	if pc := e.store.history()[len(e.store.history())-2].Agents["support"].Pending; pc == nil || pc.IdempotencyKey != "key-2" {
		t.Errorf("recreate's pending entry: %+v", pc)
	}
}

// Row 5: reading the live agent fails with another error: the key is an
// error of the plan, and apply does nothing for it.
func TestPlanReadError(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	e.seed("sales", textSpec("Sales", "Sell."))
	e.srv.AddFault(t, fake.Fault{Method: "GET", Path: "/v1/agents/" + a.ID, Status: 503})
	e.write("support.yaml", textSpec("Support", "Help more."))
	e.write("sales.yaml", textSpec("Sales", "Sell more."))
	p := e.plan()
	c := p.Changes[1]
	if c.Key != "support" || c.Action != reconcile.Failed || !strings.Contains(c.Error, "503") {
		t.Fatalf("change: %s", mustJSON(c))
	}
	err := p.Err()
	if err == nil || !strings.Contains(err.Error(), "support") {
		t.Errorf("Plan.Err = %v, want one naming support", err)
	}
	// The API's error stays an error, for a program to tell 401 from 503.
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("Plan.Err = %v, want the 503 *client.APIError inside", err)
	}
	r := e.apply(reconcile.ApplyOptions{})
	if _, err := ops(t, r, "support"); err == nil {
		t.Error("apply reported no error for the key it could not read")
	}
	wantOps(t, r, "sales", reconcile.OpUpdate)
	if r.Err() == nil {
		t.Error("Result.Err is nil")
	}
	if got := e.srv.Agent(t, a.ID).SystemPrompt; got != "Help." {
		t.Errorf("the unreadable agent was changed: %q", got)
	}
}

// Row 7: a lock entry without a spec whose agent is live: orphaned, kept
// unless pruning.
func TestPlanOrphaned(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	e.remove("support.yaml")
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"orphaned","id":"`+a.ID+`","hasSpec":false}`)
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpKeep)
	if e.lock().Agents["support"] == nil {
		t.Fatal("the orphan's entry was dropped without Prune")
	}
	e.srv.Agent(t, a.ID)

	r = e.apply(reconcile.ApplyOptions{Prune: true})
	wantOps(t, r, "support", reconcile.OpDelete)
	if _, ok := e.srv.LookupAgent(a.ID); ok {
		t.Error("Prune left the agent")
	}
	if e.lock().Agents["support"] != nil {
		t.Error("Prune left the entry")
	}
}

// Row 8: a lock entry without a spec whose agent is gone: the entry goes.
func TestPlanGone(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	e.remove("support.yaml")
	if err := e.cfg.Client.Agents.Delete(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"gone","id":"`+a.ID+`","hasSpec":false}`)
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpDropEntry)
	if e.lock().Agents["support"] != nil {
		t.Error("the entry stayed")
	}
}

// Row 10: a live agent that neither a spec nor the lock names is not the
// plan's business.
func TestPlanUnmanaged(t *testing.T) {
	e := newEnv(t)
	e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Elsewhere", "Hi."))
	e.seed("support", textSpec("Support", "Help."))
	p := e.plan()
	if len(p.Changes) != 1 || p.Changes[0].Key != "support" {
		t.Fatalf("changes: %s", mustJSON(p.Changes))
	}
	if len(e.srv.Agents(e.t, "org_acme")) != 2 {
		t.Error("the unmanaged agent was touched")
	}
}

// The base URL recorded in the lock must be the one the engine speaks to.
func TestPlanBaseURL(t *testing.T) {
	e := newEnv(t)
	e.seed("support", textSpec("Support", "Help."))
	cfg := e.cfg
	cfg.BaseURL = "https://api.talkifai.dev"
	other, err := reconcile.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Plan(context.Background(), e.folder()); !errors.Is(err, reconcile.ErrBaseURL) {
		t.Errorf("Plan: %v, want ErrBaseURL", err)
	}
	if _, err := other.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{}); !errors.Is(err, reconcile.ErrBaseURL) {
		t.Errorf("Apply: %v, want ErrBaseURL", err)
	}
	// A trailing slash names the same base URL.
	cfg.BaseURL = baseURL + "/"
	same, err := reconcile.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := same.Plan(context.Background(), e.folder()); err != nil {
		t.Errorf("Plan with %s: %v", cfg.BaseURL, err)
	}
	// Without BaseURL, the engine takes the client's: another server's
	// client is refused too, before any request.
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL("https://api.talkifai.dev"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client, cfg.BaseURL = c, ""
	elsewhere, err := reconcile.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := elsewhere.Plan(context.Background(), e.folder()); !errors.Is(err, reconcile.ErrBaseURL) {
		t.Errorf("Plan with the client of another server: %v, want ErrBaseURL", err)
	}
}

// TestLockTimesInWholeSeconds: the lock records times in whole seconds (UTC),
// so that a committed lock diffs by short values, whatever the clock's
// precision.
func TestLockTimesInWholeSeconds(t *testing.T) {
	fine := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
	e := newEnv(t, func(c *reconcile.Config) { c.Now = func() time.Time { return fine } })
	e.write("support.yaml", textSpec("Support", "Help."))
	wantOps(t, e.apply(reconcile.ApplyOptions{}), "support", reconcile.OpCreate)

	want := time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)
	h := e.store.history()
	if pc := h[0].Agents["support"].Pending; pc == nil || pc.Since != want {
		t.Errorf("pending since: %s, want %v", mustJSON(h[0].Agents["support"]), want)
	}
	if got := e.lock().Agents["support"].AppliedAt; got != want {
		t.Errorf("appliedAt %v, want %v", got, want)
	}
	data, err := os.ReadFile(e.path("talkifai.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"appliedAt": "2026-03-01T11:00:00Z"`) && !strings.Contains(string(data), `"appliedAt":"2026-03-01T11:00:00Z"`) {
		t.Errorf("lock file does not hold appliedAt in whole seconds:\n%s", data)
	}
}

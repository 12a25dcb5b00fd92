package reconcile_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// TestPlanText: the text form, one line per key and per changed field,
// long strings as a line diff.
func TestPlanText(t *testing.T) {
	e := newEnv(t)
	long := "Line one.\nLine two.\nLine three.\nLine four.\nLine five."
	a := e.seed("support", textSpec("Support", "|\n  "+strings.ReplaceAll(long, "\n", "\n  ")))
	e.seed("old", textSpec("Old", "Bye."))
	e.srv.CreateAgent(t, fake.KeyAcmeOwner, params("Sales", "Hi."))
	if _, err := e.cfg.Client.Agents.Update(context.Background(), a.ID, agents.UpdateParams{Temperature: agents.Value(0.4)}); err != nil {
		t.Fatal(err)
	}
	e.write("support.yaml", textSpec("Support", "|\n  "+strings.ReplaceAll(strings.Replace(long, "four", "4", 1), "\n", "\n  ")))
	e.write("sales.yaml", textSpec("Sales", "Hi."))
	e.remove("old.yaml")
	var b bytes.Buffer
	if err := e.plan().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Plan: 1 create, 1 update, 1 orphaned.
? old: orphaned (agent_2); no spec: kept (ApplyOptions.Prune deletes it)
+ sales: create; a live agent has this name: Engine.Import of agent_3 as sales adopts it
    name: "Sales"
    agentArchitecture: "text"
    model: "gpt-4o-mini"
    systemPrompt: "Hi."
~ support: update (agent_1); overwrites changes made outside (drift)
    systemPrompt:
      …
        Line three.
      - Line four.
      + Line 4.
        Line five.
      …
    temperature (drift): 0.4 → null
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

// TestSavedPlan: a plan saved as JSON reads back; applying it is refused
// once a live agent, the lock or a spec changed, and goes through when
// nothing did.
func TestSavedPlan(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	e.write("support.yaml", textSpec("Support", "Help more."))
	saved := e.savedPlan()
	if !strings.HasPrefix(saved.Digest, "sha256:") || len(saved.Changes) != 1 || saved.Changes[0].Action != reconcile.Update {
		t.Fatalf("saved plan: %s", mustJSON(saved))
	}
	// A dashboard edit after the plan was made.
	if _, err := e.cfg.Client.Agents.Update(context.Background(), a.ID, agents.UpdateParams{Active: agents.Value(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{Saved: saved}); !errors.Is(err, reconcile.ErrPlanStale) {
		t.Fatalf("stale plan: %v, want ErrPlanStale", err)
	}
	if got := e.srv.Agent(t, a.ID).SystemPrompt; got != "Help." {
		t.Fatal("a stale plan was applied")
	}
	saved = e.savedPlan()
	e.write("support.yaml", textSpec("Support", "Help even more."))
	if _, err := e.eng.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{Saved: saved}); !errors.Is(err, reconcile.ErrPlanStale) {
		t.Fatalf("plan of an older spec: %v, want ErrPlanStale", err)
	}
	saved = e.savedPlan()
	r := e.apply(reconcile.ApplyOptions{Saved: saved})
	wantOps(t, r, "support", reconcile.OpUpdate)
	if _, err := reconcile.ReadPlan(strings.NewReader(`{"version":1}`)); err == nil {
		t.Error("ReadPlan took a plan without a digest")
	}
}

// TestDryRun: what would be sent, and nothing sent or written.
func TestDryRun(t *testing.T) {
	e := newEnv(t)
	a := e.seed("support", textSpec("Support", "Help."))
	e.seed("old", textSpec("Old", "Bye."))
	e.write("support.yaml", textSpec("Support", "Help more."))
	e.write("new.yaml", textSpec("New", "Hi."))
	e.remove("old.yaml")
	serial, writes := e.lock().Serial, len(e.writes())
	r := e.apply(reconcile.ApplyOptions{DryRun: true, Prune: true})
	if e.lock().Serial != serial || len(e.writes()) != writes {
		t.Fatal("a dry run wrote")
	}
	got := map[string]string{}
	for _, o := range r.Outcomes {
		got[o.Key] = mustJSON(o.Ops) + " " + mustJSON(o.Sent)
	}
	want := map[string]string{
		"new":     `["create"] [{"name":"New","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Hi."}]`,
		"old":     `["delete"] null`,
		"support": `["update"] [{"systemPrompt":"Help more."}]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dry run (-want +got):\n%s", diff)
	}
	if got := e.srv.Agent(t, a.ID).SystemPrompt; got != "Help." {
		t.Error("a dry run changed an agent")
	}
}

// TestApplyConcurrency: independent keys run at most Concurrency at once,
// every key is reported once to Progress, and outcomes stay in key order.
func TestApplyConcurrency(t *testing.T) {
	for _, limit := range []int{1, 3} {
		var inFlight, peak atomic.Int32
		e := newEnv(t)
		cfgClient := e.srv.Client(t, client.WithHTTPClient(&http.Client{Transport: counting{e.srv.HTTPClient().Transport, &inFlight, &peak}}))
		var mu sync.Mutex
		var events []reconcile.Event
		cfg := e.cfg
		cfg.Client, cfg.Concurrency = cfgClient, limit
		cfg.Progress = func(ev reconcile.Event) {
			mu.Lock()
			events = append(events, ev)
			mu.Unlock()
		}
		eng, err := reconcile.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
		for _, k := range keys {
			e.write(k+".yaml", textSpec("Agent "+k, "Hi."))
		}
		// Each create waits, so that creates overlap when allowed to.
		e.srv.AddFault(t, fake.Fault{Method: http.MethodPost, Path: "/v1/agents", Delay: 30 * time.Millisecond})
		peak.Store(0)
		r, err := eng.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{})
		if err != nil || r.Err() != nil {
			t.Fatalf("Apply: %v, %v", err, r.Err())
		}
		if p := peak.Load(); p > int32(limit) || limit > 1 && p < 2 {
			t.Errorf("Concurrency %d: %d requests at once", limit, p)
		}
		var got []string
		for _, o := range r.Outcomes {
			got = append(got, o.Key)
		}
		if diff := cmp.Diff(keys, got); diff != "" {
			t.Errorf("outcome order (-want +got):\n%s", diff)
		}
		if len(events) != len(keys) || events[len(events)-1].Done != len(keys) || events[0].Total != len(keys) {
			t.Errorf("progress events: %+v", events)
		}
	}
}

// counting is a transport that tracks how many requests are in flight.
type counting struct {
	next           http.RoundTripper
	inFlight, peak *atomic.Int32
}

func (c counting) RoundTrip(r *http.Request) (*http.Response, error) {
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for {
		p := c.peak.Load()
		if n <= p || c.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return c.next.RoundTrip(r)
}

// TestSavedPlanListing: a saved plan depends on the listed agents only
// where the plan looked at them. An agent of another name appearing
// leaves it applicable; one named as a create (whose import hint it
// changes) or as a pending create (which it could be) makes it stale.
func TestSavedPlanListing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		setup   func(e *env)
		newName string
		stale   bool
		wantOps []reconcile.Op
	}{
		{"create, another name", func(e *env) {}, "Other", false, []reconcile.Op{reconcile.OpCreate}},
		{"create, its name", func(e *env) {}, "Sales", true, nil},
		{"pending, another name", func(e *env) { e.setLock(pendingLock("sales", params("Sales", "Sell."), t0)) }, "Other", false, []reconcile.Op{reconcile.OpReplay}},
		{"pending, its name", func(e *env) { e.setLock(pendingLock("sales", params("Sales", "Sell."), t0)) }, "Sales", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.write("sales.yaml", textSpec("Sales", "Sell."))
			tc.setup(e)
			saved := e.savedPlan()
			e.clock.Advance(time.Second)
			e.srv.CreateAgent(t, fake.KeyAcmeOwner, params(tc.newName, "Made in the dashboard."))
			r, err := e.eng.Apply(ctx, e.folder(), reconcile.ApplyOptions{Saved: saved})
			if tc.stale {
				if !errors.Is(err, reconcile.ErrPlanStale) {
					t.Fatalf("Apply: %v, want ErrPlanStale", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			wantOps(t, r, "sales", tc.wantOps...)
		})
	}
}

package reconcile_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// pendingLock returns a lock whose key holds a pending create of body
// written at since.
func pendingLock(key string, body agents.CreateParams, since time.Time) *reconcile.Lock {
	l := reconcile.NewLock(baseURL)
	l.Agents[key] = &reconcile.Entry{Pending: &reconcile.PendingCreate{IdempotencyKey: "pending-key", Body: body, Since: since}}
	return l
}

// posts returns the Idempotency-Keys of the POSTs the fake received.
func (e *env) posts() []string {
	var keys []string
	for _, q := range e.srv.Requests() {
		if q.Method == http.MethodPost {
			keys = append(keys, q.IdempotencyKey)
		}
	}
	return keys
}

// Row 6 and the first rule of resolution: exactly one live agent fits the
// pending create: it is adopted, then updated to the (edited) spec.
func TestPendingAdoptOne(t *testing.T) {
	e := newEnv(t)
	body := params("Support", "Help.")
	e.setLock(pendingLock("support", body, t0))
	e.clock.Advance(time.Second)
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, body) // the create whose answer was lost
	e.write("support.yaml", textSpec("Support", "Help more."))

	p := e.plan()
	wantChange(t, p, "support", `{"key":"support","action":"pending","file":"support.yaml","hasSpec":true,
		"body":{"name":"Support","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Help."},"adopt":["`+a.ID+`"],
		"fields":[{"field":"systemPrompt","old":"Help.","new":"Help more."}]}`)
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpAdopt, reconcile.OpUpdate)
	if got := e.wantLive("support", params("Support", "Help more.")); got.ID != a.ID {
		t.Errorf("adopted %s, want %s", got.ID, a.ID)
	}
	if len(e.posts()) != 0 {
		t.Errorf("adopting sent POSTs: %v", e.posts())
	}
	if n := len(e.srv.Agents(e.t, "org_acme")); n != 1 {
		t.Errorf("%d agents, want 1", n)
	}
}

// None fits: the create is sent again with the pending entry's own key,
// which the fake answers with the agent of the first create.
func TestPendingReplayNone(t *testing.T) {
	e := newEnv(t)
	e.write("support.yaml", textSpec("Support", "Help."))
	// The first create stores the agent and its answer is lost.
	e.srv.AddFault(t, fake.Fault{Method: http.MethodPost, Path: "/v1/agents", Status: 502, After: true, Times: 1})
	r := e.apply(reconcile.ApplyOptions{})
	if _, err := ops(t, r, "support"); err == nil {
		t.Fatal("the lost answer was not reported")
	}
	l := e.lock()
	pc := l.Agents["support"].Pending
	if pc == nil || pc.IdempotencyKey != "key-1" {
		t.Fatalf("after the lost answer the entry is %s, want the pending create", mustJSON(l.Agents["support"]))
	}
	// The writer's clock ran two minutes ahead: the stored agent is older
	// than the pending entry less the margin, so nothing fits and the
	// create is replayed.
	pc.Since = pc.Since.Add(2*time.Minute + reconcile.PendingMargin)
	e.setLock(l)

	r = e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpReplay)
	all := e.srv.Agents(e.t, "org_acme")
	if len(all) != 1 {
		t.Fatalf("%d agents after the replay, want 1", len(all))
	}
	if got := e.wantLive("support", params("Support", "Help.")); got.ID != all[0].ID {
		t.Errorf("locked %s, want the first create's %s", got.ID, all[0].ID)
	}
	if got := e.posts(); len(got) != 2 || got[0] != "key-1" || got[1] != "key-1" {
		t.Errorf("POST keys %v, want key-1 twice", got)
	}
}

// Nothing was stored: the replay creates the agent.
func TestPendingReplayCreates(t *testing.T) {
	e := newEnv(t)
	body := params("Support", "Help.")
	// An agent of the same name, made before the pending entry (less the
	// margin), is not the pending create's.
	old := e.srv.CreateAgent(t, fake.KeyAcmeOwner, body)
	e.clock.Advance(reconcile.PendingMargin + time.Second)
	e.setLock(pendingLock("support", body, e.clock.Now()))
	e.write("support.yaml", textSpec("Support", "Help."))
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpReplay)
	if got := e.wantLive("support", body); got.ID == old.ID {
		t.Error("adopted the older agent")
	}
	if got := e.posts(); len(got) != 1 || got[0] != "pending-key" {
		t.Errorf("POST keys %v, want the pending entry's", got)
	}
}

// Several fit: the run stops for the key and names them; nothing changes.
func TestPendingSeveral(t *testing.T) {
	e := newEnv(t)
	body := params("Support", "Help.")
	e.setLock(pendingLock("support", body, t0))
	a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, body)
	b := e.srv.CreateAgent(t, fake.KeyAcmeOwner, body)
	e.write("support.yaml", textSpec("Support", "Help."))
	serial := e.lock().Serial
	r := e.apply(reconcile.ApplyOptions{})
	_, err := ops(t, r, "support")
	if !errors.Is(err, reconcile.ErrPendingAmbiguous) || !strings.Contains(err.Error(), a.ID) || !strings.Contains(err.Error(), b.ID) {
		t.Fatalf("err = %v, want ErrPendingAmbiguous naming %s and %s", err, a.ID, b.ID)
	}
	if e.lock().Serial != serial || len(e.writes()) != 0 {
		t.Error("an ambiguous pending entry changed something")
	}
	// What the error says to do: import the right one under the key (it
	// replaces the pending create), and delete the other.
	imported, err := e.eng.Import(context.Background(), e.dir, "support", b.ID)
	if err != nil {
		t.Fatalf("Import over the pending create: %v", err)
	}
	if imported.ID != b.ID || len(imported.Written) != 0 {
		t.Errorf("Import: %+v, want %s adopted and the spec kept", imported, b.ID)
	}
	if en := e.lock().Agents["support"]; en.ID != b.ID || en.Pending != nil {
		t.Errorf("entry after import: %s", mustJSON(en))
	}
	wantChange(t, e.plan(), "support", `{"key":"support","action":"no-change","id":"`+b.ID+`","file":"support.yaml","hasSpec":true}`)
}

// A replay the server refuses made no agent: the entry is dropped and the
// spec is created afresh with a new key.
func TestPendingRefused(t *testing.T) {
	e := newEnv(t)
	bad := params("Support", "Help.")
	bad.STT = agents.Value("deepgram") // not for text agents: refused
	e.setLock(pendingLock("support", bad, t0))
	e.write("support.yaml", textSpec("Support", "Help."))
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpReplay, reconcile.OpCreate)
	e.wantLive("support", params("Support", "Help."))
	if got := e.posts(); len(got) != 1 || got[0] != "key-1" {
		t.Errorf("POST keys %v, want one with a fresh key", got)
	}
}

// Row 9: a pending create whose spec is gone is resolved, then treated as
// an orphan: kept, or deleted with Prune.
func TestPendingOrphaned(t *testing.T) {
	for _, prune := range []bool{false, true} {
		e := newEnv(t)
		body := params("Support", "Help.")
		e.setLock(pendingLock("support", body, t0))
		a := e.srv.CreateAgent(t, fake.KeyAcmeOwner, body)
		p := e.plan()
		wantChange(t, p, "support", `{"key":"support","action":"pending","hasSpec":false,
			"body":{"name":"Support","agentArchitecture":"text","model":"gpt-4o-mini","systemPrompt":"Help."},"adopt":["`+a.ID+`"]}`)
		r := e.apply(reconcile.ApplyOptions{Prune: prune})
		_, live := e.srv.LookupAgent(a.ID)
		en := e.lock().Agents["support"]
		if prune {
			wantOps(t, r, "support", reconcile.OpAdopt, reconcile.OpDelete)
			if live || en != nil {
				t.Errorf("Prune: agent live %v, entry %+v", live, en)
			}
			continue
		}
		wantOps(t, r, "support", reconcile.OpAdopt, reconcile.OpKeep)
		if !live || en == nil || en.ID != a.ID {
			t.Errorf("no Prune: agent live %v, entry %+v", live, en)
		}
	}
}

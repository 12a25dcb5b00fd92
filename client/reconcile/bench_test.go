package reconcile_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// lockedFolder makes n agents on srv, a folder of their specs in dir and a
// lock that holds them all as applied: a plan of it has no change.
func lockedFolder(tb testing.TB, srv *fake.Server, dir string, n int) {
	tb.Helper()
	store, err := reconcile.NewFileStore(dir, "")
	if err != nil {
		tb.Fatal(err)
	}
	l := reconcile.NewLock(baseURL)
	for i := range n {
		key, name, prompt := fmt.Sprintf("agent-%03d", i), fmt.Sprintf("Agent %03d", i), fmt.Sprintf("You are agent %d.", i)
		if err := os.WriteFile(filepath.Join(dir, key+".yaml"), []byte(textSpec(name, prompt)), 0o644); err != nil {
			tb.Fatal(err)
		}
		p := params(name, prompt)
		a := srv.CreateAgent(tb, fake.KeyAcmeOwner, p)
		l.Agents[key] = &reconcile.Entry{ID: a.ID, Applied: &p, AppliedAt: t0}
	}
	if err := store.Write(context.Background(), l); err != nil {
		tb.Fatal(err)
	}
}

// TestPlanRequestBudget: a plan of 500 locked, unchanged agents sends one
// GET per agent and nothing else (the budget is 506).
func TestPlanRequestBudget(t *testing.T) {
	srv := fake.NewHandler()
	dir := t.TempDir()
	lockedFolder(t, srv, dir, 500)
	p, err := planDir(t, srv.Client(t), dir)
	if err != nil || p.Err() != nil || p.HasChanges() {
		t.Fatalf("plan: %v, %v, changes %v", err, p.Err(), p.HasChanges())
	}
	reqs := srv.Requests()
	gets := 0
	for _, r := range reqs {
		if r.Method == http.MethodGet {
			gets++
		}
	}
	if len(reqs) != 500 || gets != 500 {
		t.Errorf("%d requests (%d GETs), want 500 GETs", len(reqs), gets)
	}
}

// BenchmarkPlan500 plans 500 locked, unchanged agents with 20 ms of
// latency on every GET, and reports the requests sent, the time of a plan
// and the time of the same 500 GETs one after another, and their ratio
// (the goal: at most 506 requests, at most 0.25 of the time):
//
//	go test -run XXX -bench Plan500 -benchtime 3x ./client/reconcile
func BenchmarkPlan500(b *testing.B) {
	srv := fake.NewHandler()
	dir := b.TempDir()
	lockedFolder(b, srv, dir, 500)
	srv.AddFault(b, fake.Fault{Method: http.MethodGet, Delay: 20 * time.Millisecond})
	c := srv.Client(b, client.WithMaxRetries(0))
	store, _ := reconcile.NewFileStore(dir, "")
	eng, err := reconcile.New(reconcile.Config{Client: c, Store: store})
	if err != nil {
		b.Fatal(err)
	}
	f, err := reconcile.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	l, _ := store.Read(context.Background())

	// The same reads one after another, once, as the yardstick.
	start := time.Now()
	for _, en := range l.Agents {
		if _, err := c.Agents.Get(context.Background(), en.ID); err != nil {
			b.Fatal(err)
		}
	}
	sequential := time.Since(start)

	before := len(srv.Requests())
	b.ResetTimer()
	for b.Loop() {
		p, err := eng.Plan(context.Background(), f)
		if err != nil || p.HasChanges() {
			b.Fatalf("plan: %v, changes %v", err, p.HasChanges())
		}
	}
	perPlan := b.Elapsed() / time.Duration(b.N)
	requests := float64(len(srv.Requests())-before) / float64(b.N)
	b.ReportMetric(requests, "requests/plan")
	b.ReportMetric(float64(sequential.Milliseconds()), "ms-sequential-GETs")
	b.ReportMetric(float64(perPlan.Milliseconds()), "ms/plan")
	b.ReportMetric(float64(perPlan)/float64(sequential), "plan/sequential")
	b.Logf("500 locked agents, 20 ms per GET: plan %v with %.0f requests; 500 sequential GETs %v; ratio %.3f",
		perPlan.Round(time.Millisecond), requests, sequential.Round(time.Millisecond), float64(perPlan)/float64(sequential))
}

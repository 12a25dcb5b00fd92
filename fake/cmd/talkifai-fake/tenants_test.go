package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The environment of a worker process of TestTenantsAcrossProcesses.
const (
	envWorker = "TALKIFAI_FAKE_WORKER" // the worker's number; unset: not a worker
	envURL    = "TALKIFAI_FAKE_URL"    // the shared fake, "127.0.0.1:PORT"
	envBin    = "TALKIFAI_FAKE_BIN"    // or the binary to start a fake of its own
)

// processes is how many test processes share one fake.
const processes = 8

// TestTenantsAcrossProcesses runs the same test body in 8 OS processes
// (this test binary, run again) at once against one standalone fake, each
// in a tenant of its own, each injecting faults into and resetting its own
// organization: none sees another's agents, journal entries or faults.
// For comparison, it then runs the 8 processes again, each starting a fake
// of its own, and logs both wall times (measured, not asserted).
func TestTenantsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 17 processes")
	}
	bin := build(t)
	p := start(t, bin, "-log-level", "warn")
	shared := workers(t, envURL+"="+p.addr)
	if code := p.signal(t, syscall.SIGTERM); code != 0 {
		t.Errorf("the shared fake exited %d\n%s", code, p.output())
	}
	own := workers(t, envBin+"="+bin)
	t.Logf("%d processes: one shared fake %v, a fake each %v (%.2fx)", processes, shared.Round(time.Millisecond), own.Round(time.Millisecond), own.Seconds()/shared.Seconds())
}

// workers runs the worker test in processes copies of this test binary at
// once, with env added, and returns the wall time until all had passed.
func workers(t *testing.T, env string) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*wait)
	defer cancel()
	var wg sync.WaitGroup
	began := time.Now()
	for i := range processes {
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestTenantWorker$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), env, fmt.Sprintf("%s=%d", envWorker, i))
			out, err := cmd.CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("--- PASS: TestTenantWorker")) {
				t.Errorf("worker %d (%s): %v\n%s", i, env, err, out)
			}
		})
	}
	wg.Wait()
	return time.Since(began)
}

// TestTenantWorker is the body each process of TestTenantsAcrossProcesses
// runs; on its own it is skipped.
func TestTenantWorker(t *testing.T) {
	n := os.Getenv(envWorker)
	if n == "" {
		t.Skip("run by TestTenantsAcrossProcesses")
	}
	addr := os.Getenv(envURL)
	if bin := os.Getenv(envBin); bin != "" {
		addr = start(t, bin, "-log-level", "warn").addr
	}
	w := &worker{t: t, addr: addr, name: "w" + n}
	for round := range 3 {
		w.round(round)
	}
}

// worker is one test process's client of the fake, acting in its own
// tenant. It keeps the request ids it was given, in order, to compare with
// the journal.
type worker struct {
	t    *testing.T
	addr string
	name string
	org  string
	keys map[string]string
	ids  []string
}

// call sends one request and returns its status and decoded body. Control
// requests (key "") carry no key.
func (w *worker) call(method, path, key, body string) (int, map[string]any) {
	w.t.Helper()
	resp, raw := send(w.t, method, w.addr, path, key, body)
	if key != "" {
		w.ids = append(w.ids, resp.Header.Get("X-Request-Id"))
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		w.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// must sends one request and fails the test unless it answers status.
func (w *worker) must(status int, method, path, key, body string) map[string]any {
	w.t.Helper()
	got, out := w.call(method, path, key, body)
	if got != status {
		w.t.Fatalf("%s: %s %s: %d, want %d: %v", w.name, method, path, got, status, out)
	}
	return out
}

// round makes a tenant, fills it, faults it, checks that it sees only its
// own, resets it, and removes it.
func (w *worker) round(round int) {
	t := w.t
	tn := w.must(201, "POST", "/_fake/tenants", "", "")["data"].(map[string]any)
	w.org, w.ids = tn["org"].(string), nil
	w.keys = map[string]string{}
	for role, k := range tn["keys"].(map[string]any) {
		w.keys[role] = k.(string)
	}
	owner := w.keys["owner"]
	var names []string
	for j := range 5 {
		name := fmt.Sprintf("%s-r%d-%d", w.name, round, j)
		w.must(201, "POST", "/v1/agents", owner, `{"name":"`+name+`","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"p","mode":"public"}`)
		names = append([]string{name}, names...) // newest first
	}

	// Two faults of its own: every other process adds the same ones, and
	// none of theirs may reach this one.
	w.must(201, "POST", "/_fake/faults", "", `{"org":"`+w.org+`","method":"GET","path":"/v1/agents","status":503,"times":2}`)
	w.must(201, "POST", "/_fake/faults", "", `{"org":"`+w.org+`","path":"/v1/agents/*","status":500}`)
	var statuses []int
	for range 3 {
		s, _ := w.call("GET", "/v1/agents", w.keys["member"], "")
		statuses = append(statuses, s)
	}
	if want := []int{503, 503, 200}; !cmp.Equal(statuses, want) {
		t.Errorf("%s: statuses %v, want %v", w.name, statuses, want)
	}
	w.must(500, "GET", "/v1/agents/agent_x", owner, "")
	list := w.must(200, "GET", "/v1/agents?limit=100", w.keys["admin"], "")
	var got []string
	for _, a := range list["data"].([]any) {
		got = append(got, a.(map[string]any)["name"].(string))
	}
	if !cmp.Equal(got, names) {
		t.Errorf("%s sees %v, want only its own %v", w.name, got, names)
	}
	w.checkJournal()
	var mine []any
	for _, r := range w.must(200, "GET", "/_fake/faults", "", "")["data"].([]any) {
		if r.(map[string]any)["org"] == w.org {
			mine = append(mine, r)
		}
	}
	if want := []any{map[string]any{"org": w.org, "method": "", "path": "/v1/agents/*", "status": 500.0, "delayMs": 0.0,
		"disconnect": false, "after": false, "times": 0.0, "remaining": nil}}; !cmp.Equal(mine, want) {
		t.Errorf("%s's rules in force: %v", w.name, mine)
	}

	// Its reset empties it alone, faults included; its removal ends it.
	w.must(200, "POST", "/_fake/reset?org="+w.org, "", "")
	w.ids = nil
	if total := w.must(200, "GET", "/v1/agents", owner, "")["pagination"].(map[string]any)["total"]; total != 0.0 {
		t.Errorf("%s holds %v agents after its reset", w.name, total)
	}
	w.must(404, "GET", "/v1/agents/agent_x", owner, "") // its 500 rule went with the reset
	w.checkJournal()
	w.must(200, "DELETE", "/_fake/tenants/"+w.org, "", "")
	w.must(401, "GET", "/v1/agents", owner, "")
	// A removed tenant is an unknown organization to every control
	// endpoint, and its removal cannot be repeated.
	w.must(404, "GET", "/_fake/requests?org="+w.org, "", "")
	w.must(404, "POST", "/_fake/reset?org="+w.org, "", "")
	w.must(404, "POST", "/_fake/faults", "", `{"org":"`+w.org+`","status":503}`)
	w.must(404, "DELETE", "/_fake/tenants/"+w.org, "", "")
}

// checkJournal: the journal of the worker's organization holds exactly the
// requests it made with its keys since it last reset, in order.
func (w *worker) checkJournal() {
	w.t.Helper()
	var got []string
	for _, e := range w.must(200, "GET", "/_fake/requests?org="+w.org, "", "")["data"].([]any) {
		e := e.(map[string]any)
		if e["org"] != w.org || !strings.HasPrefix(e["user"].(string), "usr_t_") {
			w.t.Errorf("%s's journal holds %v", w.name, e)
		}
		got = append(got, e["requestId"].(string))
	}
	if !slices.Equal(got, w.ids) {
		w.t.Errorf("%s's journal has request ids %v, want those it was given %v", w.name, got, w.ids)
	}
}

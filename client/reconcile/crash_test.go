package reconcile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// The crash run is short by default, so that CI runs it; the full run of
// the issue is
//
//	go test -run TestCrashSafety -v ./client/reconcile -crash.specs=200
var (
	crashSpecs = flag.Int("crash.specs", 40, "specs applied by TestCrashSafety")
	crashKills = flag.Int("crash.kills", 5, "children TestCrashSafety kills with SIGKILL")
	crashSeed  = flag.Uint64("crash.seed", 1, "seed of the faults and kill points of TestCrashSafety")
)

// Environment of a child process of TestCrashSafety.
const (
	envChild = "RECONCILE_CRASH_CHILD" // "engine" or "naive"
	envURL   = "RECONCILE_CRASH_URL"
	envDir   = "RECONCILE_CRASH_DIR"
)

// TestCrashChild is the child process of TestCrashSafety: one apply, by
// the engine or by the naive approach, against the parent's fake. It is
// skipped unless the parent started it.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(envChild)
	if mode == "" {
		t.Skip("run by TestCrashSafety only")
	}
	url, dir := os.Getenv(envURL), os.Getenv(envDir)
	var err error
	if mode == "engine" {
		err = childEngine(url, dir)
	} else {
		err = childNaive(url, dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
	}
}

// childEngine applies dir with the engine, as `talkifai apply` does.
func childEngine(url, dir string) error {
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL(url), client.WithRetryWait(10*time.Millisecond, 2*time.Second))
	if err != nil {
		return err
	}
	store, err := reconcile.NewFileStore(dir, "")
	if err != nil {
		return err
	}
	eng, err := reconcile.New(reconcile.Config{Client: c, Store: store})
	if err != nil {
		return err
	}
	f, err := reconcile.Load(dir)
	if err != nil {
		return err
	}
	r, err := eng.Apply(context.Background(), f, reconcile.ApplyOptions{})
	if err != nil {
		return err
	}
	return r.Err()
}

// naiveRegistry is the naive approach's record: key → agent id, written
// after each create succeeds.
const naiveRegistry = "naive.registry" // not a spec file: Load skips it

// childNaive pushes dir as ElevenLabs' CLI does: for each spec without an
// id in the registry, create the agent (no write-ahead, no idempotency
// key; a retrying HTTP client with go-retryablehttp's defaults), then
// record its id.
func childNaive(url, dir string) error {
	reg := map[string]string{}
	if data, err := os.ReadFile(filepath.Join(dir, naiveRegistry)); err == nil {
		if err := json.Unmarshal(data, &reg); err != nil {
			return err
		}
	}
	f, err := reconcile.Load(dir)
	if err != nil {
		return err
	}
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryWaitMin, rc.RetryWaitMax = 10*time.Millisecond, 2*time.Second
	var mu sync.Mutex
	var errs []error
	sem := make(chan struct{}, reconcile.DefaultConcurrency)
	var wg sync.WaitGroup
	for _, s := range f.Specs {
		mu.Lock()
		_, done := reg[s.Key]
		mu.Unlock()
		if done {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			id, err := naiveCreate(rc, url, s)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			reg[s.Key] = id
			// Written atomically, to be fair: only the order of create and
			// record is naive.
			data, _ := json.Marshal(reg)
			path := filepath.Join(dir, naiveRegistry)
			if err := os.WriteFile(path+".tmp", data, 0o644); err != nil {
				errs = append(errs, err)
			} else if err := os.Rename(path+".tmp", path); err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func naiveCreate(rc *retryablehttp.Client, url string, s reconcile.Spec) (string, error) {
	body, err := json.Marshal(s.Params)
	if err != nil {
		return "", err
	}
	req, err := retryablehttp.NewRequest(http.MethodPost, url+"/v1/agents", body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
	req.Header.Set("Content-Type", "application/json")
	resp, err := rc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var env struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("%s: status %d", s.Key, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return "", err
	}
	return env.Data.ID, nil
}

// crashServer is the fake behind a real listener, with a schedule of
// faults on creates and of points at which the running child is killed.
type crashServer struct {
	tb       testing.TB // for the faults it adds, all valid
	srv      *fake.Server
	rng      *rand.Rand
	creates  atomic.Int64 // POSTs seen
	requests atomic.Int64 // /v1 requests of the current child

	mu       sync.Mutex
	child    *os.Process
	killAt   int64 // request of the current child to kill at; 0: none
	killLate bool  // kill after the request was served, before its answer
	kills    int
	faults   map[int64]fake.Fault // by create number
}

func (cs *crashServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/agents" {
		n := cs.creates.Add(1)
		cs.mu.Lock()
		f, ok := cs.faults[n]
		cs.mu.Unlock()
		if ok {
			cs.srv.AddFault(cs.tb, f)
		}
	}
	n := cs.requests.Add(1)
	cs.mu.Lock()
	kill := cs.child != nil && cs.killAt == n
	late := cs.killLate
	cs.mu.Unlock()
	if kill && !late {
		cs.kill()
		return
	}
	if kill {
		cs.srv.ServeHTTP(httptest.NewRecorder(), r) // the write happens; the child never hears
		cs.kill()
		return
	}
	cs.srv.ServeHTTP(w, r)
}

// kill SIGKILLs the current child.
func (cs *crashServer) kill() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.child != nil {
		cs.child.Kill()
		cs.kills++
		cs.killAt = 0
	}
}

// crashResult is what one approach's run left behind.
type crashResult struct {
	name       string
	runs       int
	kills      int
	stored     int
	duplicates int
	missing    int
	wrong      int // agents whose content is not their spec's
}

// TestCrashSafety applies a folder of specs from child processes while the
// fake fails some creates (503, 429 with Retry-After: 1, answers lost
// after the agent was stored) and the parent SIGKILLs the child at random
// points; it reruns until the plan shows no change. The fake must then
// hold exactly one agent per spec, equal to it, and the lock must agree.
// The same run with the naive approach (create, then record the id)
// counts its duplicates. Both are printed.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(envChild) != "" {
		t.Skip("in a child")
	}
	specs, kills := *crashSpecs, *crashKills
	if testing.Short() {
		specs, kills = min(specs, 20), min(kills, 2)
	}
	engine := crashRun(t, "engine", "talkifai reconcile (write-ahead, keyed creates)", specs, kills)
	naive := crashRun(t, "naive", "naive: create, then record the id", specs, kills)
	var b strings.Builder
	fmt.Fprintf(&b, "%d specs; creates meet 503s, 429s with Retry-After: 1 and lost answers; the applying process is SIGKILLed at random points.\n", specs)
	fmt.Fprintf(&b, "%-48s %5s %6s %7s %11s %8s %6s\n", "approach", "runs", "kills", "agents", "duplicates", "missing", "wrong")
	for _, r := range []crashResult{engine, naive} {
		fmt.Fprintf(&b, "%-48s %5d %6d %7d %11d %8d %6d\n", r.name, r.runs, r.kills, r.stored, r.duplicates, r.missing, r.wrong)
	}
	t.Log("\n" + b.String())
	if engine.duplicates != 0 || engine.missing != 0 || engine.wrong != 0 || engine.stored != specs {
		t.Errorf("the engine left %d agents for %d specs: %d duplicates, %d missing, %d wrong", engine.stored, specs, engine.duplicates, engine.missing, engine.wrong)
	}
	if engine.kills != kills {
		t.Errorf("the engine's run was killed %d times, want %d", engine.kills, kills)
	}
	if naive.duplicates == 0 {
		t.Error("the naive approach made no duplicate: the run did not test anything")
	}
}

// crashRun runs one approach to the end and counts what it left.
func crashRun(t *testing.T, mode, name string, specs, kills int) crashResult {
	dir := t.TempDir()
	for i := range specs {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("agent-%03d.yaml", i)), textSpec(fmt.Sprintf("Agent %03d", i), fmt.Sprintf("You are agent %d.", i)))
	}
	// The same schedule for both approaches.
	rng := rand.New(rand.NewPCG(*crashSeed, 2))
	cs := &crashServer{tb: t, srv: fake.NewHandler(), rng: rng, faults: map[int64]fake.Fault{}}
	lost := max(specs/20, 2)
	for _, f := range []struct {
		n     int
		fault fake.Fault
	}{
		{lost, fake.Fault{Status: 503}},
		{lost, fake.Fault{Status: 429, RetryAfter: agents.Value(time.Second)}},
		{lost, fake.Fault{Status: 502, After: true}},
		{lost, fake.Fault{Disconnect: true, After: true}},
	} {
		for range f.n {
			fault := f.fault
			fault.Method, fault.Path, fault.Times = http.MethodPost, "/v1/agents", 1
			cs.faults[int64(1+rng.IntN(specs))] = fault
		}
	}
	ts := httptest.NewServer(cs)
	defer ts.Close()

	res := crashResult{name: name}
	for res.runs = 1; res.runs <= 40; res.runs++ {
		cs.mu.Lock()
		cs.requests.Store(0)
		// Three kinds of kill point: after a request was served (the
		// child never hears of it), before, and at a random time (in the
		// middle of whatever the child is doing, a lock write included).
		var after time.Duration
		cs.killAt = 0
		if cs.kills < kills {
			switch cs.kills % 3 {
			case 0, 1:
				cs.killAt = int64(1 + rng.IntN(max(2*specs/kills, 4)))
				cs.killLate = cs.kills%3 == 0
			case 2:
				after = time.Duration(50+rng.IntN(400)) * time.Millisecond
			}
		}
		cs.mu.Unlock()
		runChild(t, cs, mode, ts.URL, dir, after)
		// A run with nothing left to do sends nothing to be killed at.
		if (cs.kills >= kills || cs.requests.Load() == 0) && settled(t, mode, ts.URL, dir, specs) {
			break
		}
	}
	res.kills = cs.kills
	res.stored, res.duplicates, res.missing, res.wrong = count(t, cs.srv, dir, mode, specs)
	return res
}

// runChild runs one child to its end (or its kill).
func runChild(t *testing.T, cs *crashServer, mode, url, dir string, killAfter time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envURL+"="+url, envDir+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cs.mu.Lock()
	cs.child = cmd.Process
	cs.mu.Unlock()
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, cs.kill)
		defer timer.Stop()
	}
	cmd.Wait() // killed, failed for some keys, or done: the loop decides
	if os.Getenv("CRASH_DEBUG") != "" {
		t.Logf("%s child: %s", mode, out.String())
	}
	cs.mu.Lock()
	cs.child = nil
	cs.mu.Unlock()
}

// settled reports whether a rerun would change nothing: for the engine, a
// plan without changes; for the naive approach, every key in its registry.
func settled(t *testing.T, mode, url, dir string, specs int) bool {
	t.Helper()
	if mode == "naive" {
		reg := map[string]string{}
		data, err := os.ReadFile(filepath.Join(dir, naiveRegistry))
		return err == nil && json.Unmarshal(data, &reg) == nil && len(reg) == specs
	}
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL(url))
	if err != nil {
		t.Fatal(err)
	}
	p, err := planDir(t, c, dir)
	return err == nil && p.Err() == nil && !p.HasChanges()
}

// count compares the fake's agents with the specs and the record (the
// lock, or the naive registry).
func count(t *testing.T, srv *fake.Server, dir, mode string, specs int) (stored, duplicates, missing, wrong int) {
	t.Helper()
	all := srv.Agents(t, "org_acme")
	byName := map[string]int{}
	for _, a := range all {
		byName[a.Name]++
	}
	recorded := map[string]string{}
	if mode == "naive" {
		data, _ := os.ReadFile(filepath.Join(dir, naiveRegistry))
		json.Unmarshal(data, &recorded)
	} else {
		store, _ := reconcile.NewFileStore(dir, "")
		l, err := store.Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for k, en := range l.Agents {
			if en.Pending != nil {
				t.Errorf("lock entry %s still pending", k)
			}
			recorded[k] = en.ID
		}
	}
	for i := range specs {
		key, name := fmt.Sprintf("agent-%03d", i), fmt.Sprintf("Agent %03d", i)
		switch n := byName[name]; {
		case n == 0:
			missing++
		case n > 1:
			duplicates += n - 1
		}
		a, ok := srv.LookupAgent(recorded[key])
		if !ok || a.Name != name || a.SystemPrompt != fmt.Sprintf("You are agent %d.", i) {
			wrong++
		}
	}
	return len(all), duplicates, missing, wrong
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

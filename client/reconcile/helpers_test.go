package reconcile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// t0 is the start of every test's clock.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// env is a folder, its lock and an engine against an in-process fake with
// a clock that stands still and sequential ids and keys.
type env struct {
	t     *testing.T
	dir   string
	srv   *fake.Server
	clock *fake.Clock
	store *recordingStore
	eng   *reconcile.Engine
	cfg   reconcile.Config
}

// baseURL is the base URL of the fake's in-process client.
const baseURL = "http://localhost"

func newEnv(t *testing.T, edit ...func(*reconcile.Config)) *env {
	t.Helper()
	clock := fake.NewClock(t0)
	srv := fake.NewHandler(fake.WithClock(clock.Now), fake.WithIDs(fake.SequentialIDs()))
	dir := t.TempDir()
	fs, err := reconcile.NewFileStore(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, srv: srv, clock: clock, store: &recordingStore{LockStore: fs}}
	var n int
	var mu sync.Mutex
	e.cfg = reconcile.Config{
		Client: srv.Client(t, client.WithRetryWait(time.Millisecond, time.Millisecond)),
		Store:  e.store,
		Now:    clock.Now,
		NewKey: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("key-%d", n)
		},
	}
	for _, f := range edit {
		f(&e.cfg)
	}
	e.eng, err = reconcile.New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// write writes a file of the folder.
func (e *env) write(name, content string) {
	e.t.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// path returns the path of a file of the folder.
func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

// remove removes a file of the folder.
func (e *env) remove(name string) {
	e.t.Helper()
	if err := os.Remove(filepath.Join(e.dir, name)); err != nil {
		e.t.Fatal(err)
	}
}

// folder loads the folder.
func (e *env) folder() *reconcile.Folder {
	e.t.Helper()
	f, err := reconcile.Load(e.dir)
	if err != nil {
		e.t.Fatalf("Load: %v", err)
	}
	return f
}

// plan plans the folder.
func (e *env) plan() *reconcile.Plan {
	e.t.Helper()
	p, err := e.eng.Plan(context.Background(), e.folder())
	if err != nil {
		e.t.Fatalf("Plan: %v", err)
	}
	return p
}

// savedPlan plans the folder and returns the plan as saved (JSON) and
// read back.
func (e *env) savedPlan() *reconcile.Plan {
	e.t.Helper()
	var b bytes.Buffer
	if err := jsonEncode(&b, e.plan()); err != nil {
		e.t.Fatal(err)
	}
	p, err := reconcile.ReadPlan(&b)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// planDir plans the folder dir with its lock against c, with an engine
// of the defaults.
func planDir(t testing.TB, c *client.Client, dir string) (*reconcile.Plan, error) {
	t.Helper()
	store, err := reconcile.NewFileStore(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := reconcile.New(reconcile.Config{Client: c, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	f, err := reconcile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return eng.Plan(context.Background(), f)
}

// apply applies the folder with opts and fails the test on an error of
// Apply itself (not of a key).
func (e *env) apply(opts reconcile.ApplyOptions) *reconcile.Result {
	e.t.Helper()
	r, err := e.eng.Apply(context.Background(), e.folder(), opts)
	if err != nil {
		e.t.Fatalf("Apply: %v", err)
	}
	return r
}

// lock reads the lock as stored.
func (e *env) lock() *reconcile.Lock {
	e.t.Helper()
	l, err := e.store.Read(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// setLock stores l over whatever is stored.
func (e *env) setLock(l *reconcile.Lock) {
	e.t.Helper()
	cur := e.lock()
	l.Serial = cur.Serial
	if err := e.store.LockStore.Write(context.Background(), l); err != nil {
		e.t.Fatal(err)
	}
}

// writes returns the methods and paths of the writes the fake received.
func (e *env) writes() []string {
	var out []string
	for _, r := range e.srv.Requests() {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// applyFirst applies the folder once and clears the journal's record of it
// by starting a fresh count: it returns how many requests there were.
func (e *env) seed(key, spec string) agents.Agent {
	e.t.Helper()
	e.write(key+".yaml", spec)
	r := e.apply(reconcile.ApplyOptions{})
	if err := r.Err(); err != nil {
		e.t.Fatalf("seeding %s: %v", key, err)
	}
	en := e.lock().Agents[key]
	if en == nil || en.ID == "" {
		e.t.Fatalf("seeding %s: no lock entry", key)
	}
	return e.srv.Agent(e.t, en.ID)
}

// recordingStore is a LockStore that keeps a copy of every lock written,
// and fails every write while fail is set (a crash before the write).
type recordingStore struct {
	reconcile.LockStore
	mu      sync.Mutex
	written []reconcile.Lock
	fail    error
}

// failWrites makes every write fail with err, or succeed again for nil.
func (s *recordingStore) failWrites(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *recordingStore) Write(ctx context.Context, l *reconcile.Lock) error {
	s.mu.Lock()
	fail := s.fail
	s.mu.Unlock()
	if fail != nil {
		return fail
	}
	if err := s.LockStore.Write(ctx, l); err != nil {
		return err
	}
	var c reconcile.Lock
	b, _ := json.Marshal(l)
	json.Unmarshal(b, &c)
	s.mu.Lock()
	s.written = append(s.written, c)
	s.mu.Unlock()
	return nil
}

// history returns the locks written so far.
func (s *recordingStore) history() []reconcile.Lock {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]reconcile.Lock(nil), s.written...)
}

// textSpec is a valid text agent's spec named name.
func textSpec(name, prompt string) string {
	return fmt.Sprintf("name: %s\nagentArchitecture: text\nmodel: gpt-4o-mini\nsystemPrompt: %s\n", name, prompt)
}

// params is the create body of textSpec.
func params(name, prompt string) agents.CreateParams {
	return agents.CreateParams{
		Name: agents.Value(name), Architecture: agents.Value(agents.Text),
		Model: agents.Value("gpt-4o-mini"), SystemPrompt: agents.Value(prompt),
	}
}

// jsonEncode writes v as JSON.
func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

// activeTrue is a patch that turns an agent on.
func activeTrue() agents.UpdateParams { return agents.UpdateParams{Active: agents.Value(true)} }

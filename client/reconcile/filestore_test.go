package reconcile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

func TestLockFileName(t *testing.T) {
	for _, tc := range []struct {
		env, want string
		bad       bool
	}{
		{"", "talkifai.lock.json", false},
		{"prod", "talkifai.prod.lock.json", false},
		{"eu-west_2", "talkifai.eu-west_2.lock.json", false},
		{"Prod", "", true},
		{"../x", "", true},
		{"-x", "", true},
	} {
		got, err := reconcile.LockFileName(tc.env)
		if got != tc.want || (err != nil) != tc.bad || tc.bad && !errors.Is(err, reconcile.ErrInvalidKey) {
			t.Errorf("LockFileName(%q) = %q, %v; want %q, bad %v", tc.env, got, err, tc.want, tc.bad)
		}
	}
}

// TestFileStore: an absent file reads as an empty lock; each write bumps
// the serial, replaces the file whole and leaves no temporary file; a
// write over a serial that moved is refused and changes nothing.
func TestFileStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := reconcile.NewFileStore(dir, "staging")
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != filepath.Join(dir, "talkifai.staging.lock.json") {
		t.Errorf("Path = %s", s.Path())
	}
	l, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(reconcile.NewLock(""), l); diff != "" {
		t.Errorf("empty lock (-want +got):\n%s", diff)
	}
	l.BaseURL = baseURL
	l.Agents["support"] = &reconcile.Entry{ID: "agent_1", AppliedAt: t0}
	if err := s.Write(ctx, l); err != nil {
		t.Fatal(err)
	}
	if l.Serial != 1 {
		t.Errorf("serial after a write: %d, want 1", l.Serial)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "baseURL": "http://localhost",
  "serial": 1,
  "agents": {
    "support": {
      "id": "agent_1",
      "appliedAt": "2026-03-01T12:00:00Z"
    }
  }
}
`
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}

	// Another writer got in first.
	stale := *l
	stale.Serial = 0
	if err := s.Write(ctx, &stale); !errors.Is(err, reconcile.ErrSerialChanged) {
		t.Errorf("stale write: %v, want ErrSerialChanged", err)
	}
	if stale.Serial != 0 {
		t.Error("a refused write changed the serial")
	}
	if again, _ := os.ReadFile(s.Path()); string(again) != want {
		t.Error("a refused write changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}

	os.WriteFile(s.Path(), []byte(`{"version":2,"agents":{}}`), 0o644)
	if _, err := s.Read(ctx); !errors.Is(err, reconcile.ErrLockVersion) {
		t.Errorf("version 2: %v, want ErrLockVersion", err)
	}
	os.WriteFile(s.Path(), []byte(`{"version":1,`), 0o644)
	if _, err := s.Read(ctx); err == nil {
		t.Error("a torn file read without error")
	}
}

// TestFileStoreAcquire: a second holder is refused until the first
// releases; an apply meanwhile fails with ErrLockHeld and sends nothing.
func TestFileStoreAcquire(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.write("support.yaml", textSpec("Support", "Help."))
	s, _ := reconcile.NewFileStore(e.dir, "")
	release, err := s.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Acquire(ctx); !errors.Is(err, reconcile.ErrLockHeld) {
		t.Errorf("second Acquire: %v, want ErrLockHeld", err)
	}
	if _, err := e.eng.Apply(ctx, e.folder(), reconcile.ApplyOptions{}); !errors.Is(err, reconcile.ErrLockHeld) {
		t.Errorf("Apply while held: %v, want ErrLockHeld", err)
	}
	if len(e.srv.Requests()) != 0 {
		t.Error("Apply sent requests while the lock was held")
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	r := e.apply(reconcile.ApplyOptions{})
	wantOps(t, r, "support", reconcile.OpCreate)
}

// TestApplySerialChanged: a lock written by someone else during a run
// stops the run's writes and says so.
func TestApplySerialChanged(t *testing.T) {
	e := newEnv(t, func(c *reconcile.Config) {
		c.Concurrency = 1
	})
	e.write("a.yaml", textSpec("A", "Help."))
	e.write("b.yaml", textSpec("B", "Help."))
	fs, _ := reconcile.NewFileStore(e.dir, "")
	meddle := &meddlingStore{LockStore: e.store, other: fs, after: 1}
	cfg := e.cfg
	cfg.Store = meddle
	eng, err := reconcile.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := eng.Apply(context.Background(), e.folder(), reconcile.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Err(); !errors.Is(err, reconcile.ErrSerialChanged) {
		t.Errorf("Result.Err = %v, want ErrSerialChanged", err)
	}
}

// meddlingStore writes the lock behind the run's back after its first
// writes.
type meddlingStore struct {
	reconcile.LockStore
	other  reconcile.LockStore
	after  int
	writes int
}

func (s *meddlingStore) Write(ctx context.Context, l *reconcile.Lock) error {
	s.writes++
	if s.writes == s.after+1 {
		cur, err := s.other.Read(ctx)
		if err != nil {
			return err
		}
		cur.Agents["intruder"] = &reconcile.Entry{ID: "agent_x", AppliedAt: time.Unix(0, 0)}
		if err := s.other.Write(ctx, cur); err != nil {
			return err
		}
	}
	return s.LockStore.Write(ctx, l)
}

func TestLockRename(t *testing.T) {
	l := reconcile.NewLock(baseURL)
	l.Agents["a"] = &reconcile.Entry{ID: "agent_1"}
	l.Agents["b"] = &reconcile.Entry{ID: "agent_2"}
	for _, tc := range []struct {
		from, to string
		want     error
	}{
		{"a", "b", reconcile.ErrKeyTaken},
		{"x", "y", reconcile.ErrNoEntry},
		{"a", "Bad Key", reconcile.ErrInvalidKey},
	} {
		if err := l.Rename(tc.from, tc.to); !errors.Is(err, tc.want) {
			t.Errorf("Rename(%q, %q) = %v, want %v", tc.from, tc.to, err, tc.want)
		}
	}
	if err := l.Rename("a", "c"); err != nil {
		t.Fatal(err)
	}
	if l.Agents["a"] != nil || l.Agents["c"].ID != "agent_1" || len(l.Agents) != 2 {
		t.Errorf("after Rename: %s", mustJSON(l.Agents))
	}
}

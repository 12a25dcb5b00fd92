package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
)

// rec makes a record whose JSON is its id, created at minute n.
func rec(id, org, owner string, mode agents.Mode, n int64) *Record {
	return &Record{ID: id, Org: org, Owner: owner, Mode: mode, Created: n * 60000, Full: []byte(`"` + id + `"`), Summary: []byte(id)}
}

// ids returns the list items of v as strings.
func ids(s Store, v View, offset, limit int) ([]string, int) {
	items, total := s.List(v, offset, limit)
	out := []string{}
	for _, it := range items {
		out = append(out, string(it))
	}
	return out, total
}

func seeded(t *testing.T) Store {
	t.Helper()
	s := NewMemory()
	for i, r := range []*Record{
		rec("a1", "acme", "own", agents.Public, 1),
		rec("a2", "acme", "mem", agents.Private, 2),
		rec("a3", "acme", "own", agents.Commercial, 3),
		rec("a4", "acme", "own", agents.Private, 3), // same minute as a3: later creation first
		rec("g1", "globex", "gown", agents.Private, 1),
	} {
		if !s.Insert(r) {
			t.Fatalf("insert %d refused", i)
		}
	}
	return s
}

func TestMemoryViews(t *testing.T) {
	s := seeded(t)
	for _, tc := range []struct {
		v     View
		want  []string
		total int
	}{
		{View{Org: "acme", Elevated: true}, []string{"a4", "a3", "a2", "a1"}, 4},
		{View{Org: "acme", Elevated: true, Mode: agents.Private}, []string{"a4", "a2"}, 2},
		{View{Org: "acme", Member: "mem"}, []string{"a2", "a1"}, 2},
		{View{Org: "acme", Member: "mem", Mode: agents.Commercial}, []string{}, 0},
		{View{Org: "acme", Member: "nobody"}, []string{"a1"}, 1},
		{View{Org: "globex", Elevated: true}, []string{"g1"}, 1},
		{View{Org: "initech", Elevated: true}, []string{}, 0},
	} {
		got, total := ids(s, tc.v, 0, 10)
		if !cmp.Equal(got, tc.want) || total != tc.total {
			t.Errorf("List(%+v) = %v, %d; want %v, %d", tc.v, got, total, tc.want, tc.total)
		}
	}
	if got, total := ids(s, View{Org: "acme", Elevated: true}, 1, 2); !cmp.Equal(got, []string{"a3", "a2"}) || total != 4 {
		t.Errorf("page 2 of 2: %v, %d", got, total)
	}
}

func TestMemoryReadWrite(t *testing.T) {
	s := seeded(t)
	if s.Insert(rec("a1", "globex", "gown", agents.Public, 9)) {
		t.Error("an id taken in another organization was inserted")
	}
	if _, ok := s.Get("globex", "a1"); ok {
		t.Error("Get found another organization's agent")
	}
	if r, ok := s.Find("g1"); !ok || r.Org != "globex" {
		t.Errorf("Find(g1) = %+v, %v", r, ok)
	}
	// A change of mode moves the record between indexes.
	full, err := s.Update("acme", "a2", func(cur *Record) (Content, error) {
		if cur == nil || cur.Owner != "mem" {
			t.Errorf("Update saw %+v", cur)
		}
		return Content{Mode: agents.Public, Full: []byte(`"a2'"`), Summary: []byte("a2'")}, nil
	})
	if err != nil || string(full) != `"a2'"` {
		t.Errorf("Update: %s, %v", full, err)
	}
	if got, _ := ids(s, View{Org: "acme", Member: "nobody"}, 0, 10); !cmp.Equal(got, []string{"a2'", "a1"}) {
		t.Errorf("after the mode change a stranger sees %v", got)
	}
	// A refused or empty change changes nothing.
	refused := errors.New("no")
	if _, err := s.Update("acme", "a1", func(*Record) (Content, error) { return Content{}, refused }); err != refused {
		t.Errorf("Update error %v", err)
	}
	if full, err := s.Update("acme", "a1", func(*Record) (Content, error) { return Content{}, nil }); err != nil || string(full) != `"a1"` {
		t.Errorf("no-op Update: %s, %v", full, err)
	}
	if _, err := s.Update("globex", "a1", func(cur *Record) (Content, error) {
		if cur != nil {
			t.Error("Update saw another organization's agent")
		}
		return Content{}, refused
	}); err != refused {
		t.Errorf("Update elsewhere: %v", err)
	}
	if err := s.Remove("acme", "a3", func(*Record) error { return refused }); err != refused || s.Len() != 5 {
		t.Errorf("refused Remove: %v, %d left", err, s.Len())
	}
	if err := s.Remove("acme", "a3", func(*Record) error { return nil }); err != nil || s.Len() != 4 {
		t.Errorf("Remove: %v, %d left", err, s.Len())
	}
	if got, total := ids(s, View{Org: "acme", Elevated: true, Mode: agents.Commercial}, 0, 10); len(got) != 0 || total != 0 {
		t.Errorf("removed agent still listed: %v", got)
	}
	var order []string
	for _, r := range s.Created() {
		order = append(order, r.ID)
	}
	if want := []string{"a1", "a2", "a4", "g1"}; !cmp.Equal(order, want) {
		t.Errorf("Created order %v, want %v", order, want)
	}
	s.Reset()
	if s.Len() != 0 || len(s.Ordered("acme")) != 0 {
		t.Error("Reset left agents")
	}
}

func TestMemoryLoad(t *testing.T) {
	s := seeded(t)
	if i := s.Load([]*Record{rec("x", "o", "u", agents.Public, 1), rec("y", "o", "u", agents.Public, 1), rec("x", "p", "u", agents.Public, 1)}); i != 2 {
		t.Errorf("Load with a repeated id: %d, want 2", i)
	}
	if s.Len() != 5 {
		t.Errorf("a refused Load changed the store: %d agents", s.Len())
	}
	var recs []*Record
	for i := range 100 {
		recs = append(recs, rec(fmt.Sprintf("l%d", i), "o", "u", agents.Public, 7))
	}
	if i := s.Load(recs); i != -1 || s.Len() != 100 {
		t.Fatalf("Load: %d, %d agents", i, s.Len())
	}
	// Equal createdAt: the later in the load comes first.
	if got, _ := ids(s, View{Org: "o", Elevated: true}, 0, 2); !cmp.Equal(got, []string{"l99", "l98"}) {
		t.Errorf("after Load the newest are %v", got)
	}
}

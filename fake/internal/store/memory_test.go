package store

import (
	cmp2 "cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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

// TestMemoryAgainstModel runs random inserts, mode changes, removals and
// organization removals against a plain map, and after each step compares
// every list view, Find, Created and Len every ten steps. A hash that makes ids
// collide in threes exercises the id map's chains, and removals make slot
// and organization numbers be reused.
func TestMemoryAgainstModel(t *testing.T) {
	for name, hash := range map[string]func(string) uint64{
		"maphash":   NewMemory().(*memory).hash,
		"colliding": func(id string) uint64 { return uint64(len(id) % 3) },
	} {
		t.Run(name, func(t *testing.T) {
			checkAgainstModel(t, newMemory(hash), rand.New(rand.NewPCG(5, 6)))
		})
	}
}

func checkAgainstModel(t *testing.T, s *memory, rng *rand.Rand) {
	model := map[string]Record{} // by id
	var order []string           // ids in creation order
	orgs, users := []string{"acme", "globex", "initech"}, []string{"u1", "u2", "u3"}
	for step := range 3001 {
		id := fmt.Sprintf("a%d", rng.IntN(200))
		org := orgs[rng.IntN(len(orgs))]
		mode := modes[rng.IntN(3)]
		switch op := rng.IntN(20); {
		case op < 10:
			r := rec(id, org, users[rng.IntN(3)], mode, rng.Int64N(50))
			_, taken := model[id]
			if got := s.Insert(r); got == taken {
				t.Fatalf("step %d: Insert(%s) = %v with the id taken: %v", step, id, got, taken)
			}
			if !taken {
				model[id] = *r
				order = append(order, id)
			}
		case op < 15:
			full := []byte(fmt.Sprintf(`"%s@%d"`, id, step))
			_, err := s.Update(org, id, func(cur *Record) (Content, error) {
				return Content{Mode: mode, Full: full, Summary: full[1:]}, nil
			})
			if m, ok := model[id]; ok && m.Org == org && err == nil {
				m.Mode, m.Full, m.Summary = mode, full, full[1:]
				model[id] = m
			}
		case op < 19:
			if err := s.Remove(org, id, func(*Record) error { return nil }); err == nil {
				if m, ok := model[id]; ok && m.Org == org {
					delete(model, id)
				}
			}
		default:
			s.RemoveOrg(org)
			for id, m := range model {
				if m.Org == org {
					delete(model, id)
				}
			}
		}
		order = slices.DeleteFunc(order, func(id string) bool { _, ok := model[id]; return !ok })
		if step%10 == 0 {
			compareModel(t, step, s, model, order, orgs, users)
		}
	}
}

func compareModel(t *testing.T, step int, s *memory, model map[string]Record, order, orgs, users []string) {
	t.Helper()
	if s.Len() != len(model) {
		t.Fatalf("step %d: Len %d, want %d", step, s.Len(), len(model))
	}
	var created []Record
	for _, id := range order {
		created = append(created, model[id])
	}
	if diff := cmp.Diff(created, s.Created(), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("step %d: Created (-want +got):\n%s", step, diff)
	}
	for id, m := range model {
		if got, ok := s.Find(id); !ok || !cmp.Equal(got, m) {
			t.Fatalf("step %d: Find(%s) = %+v, %v; want %+v", step, id, got, ok, m)
		}
	}
	for _, org := range orgs {
		for _, v := range modelViews(org, users) {
			want := modelList(model, order, v)
			got, total := ids(s, v, 0, 1000)
			if !cmp.Equal(got, want) || total != len(want) {
				t.Fatalf("step %d: List(%+v) = %v (%d), want %v", step, v, got, total, want)
			}
		}
	}
}

// modelViews returns every view of org that the store distinguishes.
func modelViews(org string, users []string) []View {
	var out []View
	for _, mode := range []agents.Mode{"", agents.Public, agents.Private, agents.Commercial} {
		out = append(out, View{Org: org, Elevated: true, Mode: mode})
		for _, u := range users {
			out = append(out, View{Org: org, Member: u, Mode: mode})
		}
	}
	return out
}

// modelList returns the summaries v sees, in list order, by brute force.
func modelList(model map[string]Record, order []string, v View) []string {
	seq := map[string]int{}
	var seen []Record
	for k, id := range order {
		seq[id] = k
		m := model[id]
		if m.Org != v.Org || v.Mode != "" && m.Mode != v.Mode {
			continue
		}
		if v.Elevated || m.Mode == agents.Public || m.Mode == agents.Private && m.Owner == v.Member {
			seen = append(seen, m)
		}
	}
	slices.SortFunc(seen, func(a, b Record) int {
		if c := cmp2.Compare(b.Created, a.Created); c != 0 {
			return c
		}
		return cmp2.Compare(seq[b.ID], seq[a.ID])
	})
	out := []string{}
	for _, m := range seen {
		out = append(out, string(m.Summary))
	}
	return out
}

// TestOneObjectPerAgent holds the store to the layout that keeps the
// garbage collector's work small: each stored agent is one object (its
// bytes), and the rest are a few large arrays. It was eight objects per
// agent before, and a collection of 400,000 agents took 12 times as long.
func TestOneObjectPerAgent(t *testing.T) {
	const n = 20000
	s := NewMemory()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		mode := modes[i%3]
		if !s.Insert(rec(fmt.Sprintf("agent_%d", i), fmt.Sprintf("org_%d", i%4), fmt.Sprintf("u%d", i%7), mode, int64(i))) {
			t.Fatalf("insert %d refused", i)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(s)
	per := float64(after.HeapObjects-before.HeapObjects) / n
	t.Logf("%.3f heap objects per stored agent", per)
	if per > 1.05 {
		t.Errorf("%.2f heap objects per stored agent, want at most 1.05", per)
	}
}

package fake

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/talkifai-go/talkifai/agents"
)

// record is one stored agent. Its JSON is encoded once, when the agent is
// created or changed, so that a GET or a list page only copies bytes. The
// byte slices are never modified once set: an update replaces them, so a
// reader may keep them after the lock is released.
type record struct {
	seq     uint64 // creation order, the tie-break of the list order
	created int64  // createdAt in Unix milliseconds, the list order's key
	org     string
	owner   string // the user whose key created the agent
	mode    agents.Mode
	full    []byte // the agent as GET returns it
	summary []byte // the agent as a list item
}

// newRecord encodes a into a record owned by user of org.
func newRecord(a agents.Agent, org, owner string) (*record, error) {
	r := &record{created: a.CreatedAt.UnixMilli(), org: org, owner: owner}
	return r, r.set(a)
}

// set replaces r's content by a (whose id and createdAt must be r's).
func (r *record) set(a agents.Agent) error {
	full, err := json.Marshal(a)
	if err != nil {
		return err
	}
	summary, err := json.Marshal(a.Summary())
	if err != nil {
		return err
	}
	r.full, r.summary, r.mode = full, summary, a.Mode
	return nil
}

// agent decodes r's JSON back into an agent.
func (r *record) agent() (agents.Agent, error) {
	var a agents.Agent
	err := json.Unmarshal(r.full, &a)
	return a, err
}

// modeIndex numbers the three modes for orgIndex.byMode.
func modeIndex(m agents.Mode) int {
	switch m {
	case agents.Public:
		return 0
	case agents.Private:
		return 1
	}
	return 2
}

// orgIndex holds the list indexes of one organization: every agent, the
// agents of each mode, and each user's private agents. Owners and admins
// page through all or byMode; a member pages through the union of the
// public agents and their own private ones.
type orgIndex struct {
	all     tree
	byMode  [3]tree
	private map[string]*tree // by owner user; only private agents
}

func (x *orgIndex) add(r *record) {
	x.all.insert(r)
	x.byMode[modeIndex(r.mode)].insert(r)
	if r.mode == agents.Private {
		t := x.private[r.owner]
		if t == nil {
			t = &tree{}
			x.private[r.owner] = t
		}
		t.insert(r)
	}
}

func (x *orgIndex) remove(r *record) {
	x.all.remove(r)
	x.byMode[modeIndex(r.mode)].remove(r)
	if r.mode == agents.Private {
		if t := x.private[r.owner]; t != nil {
			t.remove(r)
			if t.Len() == 0 {
				delete(x.private, r.owner)
			}
		}
	}
}

// store is the fake's database: agents by id, and per organization the
// indexes that make a list page cost O(log n + limit). One RWMutex guards
// it all; every operation holds it for microseconds.
type store struct {
	mu   sync.RWMutex
	seq  uint64
	byID map[string]*record
	orgs map[string]*orgIndex
}

func newStore() *store {
	return &store{byID: make(map[string]*record), orgs: make(map[string]*orgIndex)}
}

// index returns org's indexes, making them on first use. The caller holds
// the write lock.
func (s *store) index(org string) *orgIndex {
	x := s.orgs[org]
	if x == nil {
		x = &orgIndex{private: make(map[string]*tree)}
		s.orgs[org] = x
	}
	return x
}

// insert adds r with the next sequence number. It reports false, and adds
// nothing, when r's id is taken.
func (s *store) insert(r *record, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertLocked(r, id)
}

func (s *store) insertLocked(r *record, id string) bool {
	if _, taken := s.byID[id]; taken {
		return false
	}
	s.seq++
	r.seq = s.seq
	s.byID[id] = r
	s.index(r.org).add(r)
	return true
}

// lookup returns the record of id in org, or nil. Agents of other
// organizations are not found. The caller holds a lock.
func (s *store) lookup(org, id string) *record {
	if r := s.byID[id]; r != nil && r.org == org {
		return r
	}
	return nil
}

// snapshot is what a reader needs of a record, copied under the lock.
type snapshot struct {
	owner string
	mode  agents.Mode
	full  []byte
}

// get returns the snapshot of id in org, and false when there is no such
// agent there.
func (s *store) get(org, id string) (snapshot, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.lookup(org, id)
	if r == nil {
		return snapshot{}, false
	}
	return snapshot{owner: r.owner, mode: r.mode, full: r.full}, true
}

// update calls fn with the record of id in org (nil when there is none)
// under the write lock. When fn returns an agent, it replaces the record's
// content, moving it between indexes if its mode changed; fn's error is
// returned as is and changes nothing.
func (s *store) update(org, id string, fn func(r *record) (*agents.Agent, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.lookup(org, id)
	a, err := fn(r)
	if err != nil || a == nil {
		if r == nil {
			return nil, err
		}
		return r.full, err
	}
	next := *r
	if err := next.set(*a); err != nil {
		return nil, err
	}
	if next.mode == r.mode {
		*r = next // same place in every index: createdAt and seq never change
		return r.full, nil
	}
	x := s.index(org)
	x.remove(r)
	*r = next
	x.add(r)
	return r.full, nil
}

// remove deletes the record of id in org after fn, called under the write
// lock with the record (nil when there is none), returns nil.
func (s *store) remove(org, id string, fn func(r *record) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.lookup(org, id)
	if err := fn(r); err != nil {
		return err
	}
	delete(s.byID, id)
	s.index(org).remove(r)
	return nil
}

// view says which agents of an organization a lister may see and which mode
// it asked for.
type view struct {
	org      string
	member   string      // the member's user id; "" for owners and admins
	mode     agents.Mode // "" for every mode
	elevated bool        // owner or admin: sees every agent
}

// list returns the list items of one page of v, newest first, and how many
// items v holds in all.
func (s *store) list(v view, offset, limit int) (items [][]byte, total int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x := s.orgs[v.org]
	if x == nil {
		return nil, 0
	}
	a, b := x.trees(v)
	total = a.Len()
	if b != nil {
		total += b.Len()
	}
	if offset >= total {
		return nil, total
	}
	recs := page(a, b, offset, limit)
	items = make([][]byte, len(recs))
	for i, r := range recs {
		items[i] = r.summary
	}
	return items, total
}

var emptyTree tree

// trees returns the one or two indexes whose union is v.
func (x *orgIndex) trees(v view) (*tree, *tree) {
	switch {
	case v.elevated && v.mode == "":
		return &x.all, nil
	case v.elevated:
		return &x.byMode[modeIndex(v.mode)], nil
	case v.mode == agents.Public:
		return &x.byMode[modeIndex(agents.Public)], nil
	case v.mode == agents.Commercial:
		return &emptyTree, nil
	}
	own := x.private[v.member]
	if own == nil {
		own = &emptyTree
	}
	if v.mode == agents.Private {
		return own, nil
	}
	return &x.byMode[modeIndex(agents.Public)], own
}

// ordered returns copies of the records of org in list order, newest
// first.
func (s *store) ordered(org string) []record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x := s.orgs[org]
	if x == nil {
		return nil
	}
	out := make([]record, 0, x.all.Len())
	c := x.all.from(0)
	for r := c.peek(); r != nil; r = c.peek() {
		out = append(out, *r)
		c.next()
	}
	return out
}

// replace takes every agent of fresh, a store nobody else holds, in
// place of its own.
func (s *store) replace(fresh *store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq, s.byID, s.orgs = fresh.seq, fresh.byID, fresh.orgs
}

// reset removes every agent.
func (s *store) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID = make(map[string]*record)
	s.orgs = make(map[string]*orgIndex)
}

// created returns copies of every record of every organization, in
// creation order.
func (s *store) created() []record {
	s.mu.RLock()
	out := make([]record, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, *r)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b record) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// count returns how many agents the store holds.
func (s *store) count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byID)
}

// stamp returns t as the store keeps timestamps: UTC, whole milliseconds,
// exactly what the JSON carries.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

package store

import (
	"cmp"
	"slices"
	"sync"

	"github.com/talkifai-go/talkifai/agents"
)

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

func (x *orgIndex) add(r *Record) {
	x.all.insert(r)
	x.byMode[modeIndex(r.Mode)].insert(r)
	if r.Mode == agents.Private {
		t := x.private[r.Owner]
		if t == nil {
			t = &tree{}
			x.private[r.Owner] = t
		}
		t.insert(r)
	}
}

func (x *orgIndex) remove(r *Record) {
	x.all.remove(r)
	x.byMode[modeIndex(r.Mode)].remove(r)
	if r.Mode == agents.Private {
		if t := x.private[r.Owner]; t != nil {
			t.remove(r)
			if t.Len() == 0 {
				delete(x.private, r.Owner)
			}
		}
	}
}

var emptyTree tree

// trees returns the one or two indexes whose union is v.
func (x *orgIndex) trees(v View) (*tree, *tree) {
	switch {
	case v.Elevated && v.Mode == "":
		return &x.all, nil
	case v.Elevated:
		return &x.byMode[modeIndex(v.Mode)], nil
	case v.Mode == agents.Public:
		return &x.byMode[modeIndex(agents.Public)], nil
	case v.Mode == agents.Commercial:
		return &emptyTree, nil
	}
	own := x.private[v.Member]
	if own == nil {
		own = &emptyTree
	}
	if v.Mode == agents.Private {
		return own, nil
	}
	return &x.byMode[modeIndex(agents.Public)], own
}

// memory is the Store in memory: records by id, and per organization the
// indexes. One RWMutex guards it all; every operation holds it for
// microseconds (Load builds its indexes before taking it).
type memory struct {
	mu   sync.RWMutex
	seq  uint64
	byID map[string]*Record
	orgs map[string]*orgIndex
}

// NewMemory returns an empty Store that keeps everything in memory.
func NewMemory() Store { return newMemory() }

func newMemory() *memory {
	return &memory{byID: make(map[string]*Record), orgs: make(map[string]*orgIndex)}
}

// index returns org's indexes, making them on first use. The caller holds
// the write lock.
func (s *memory) index(org string) *orgIndex {
	x := s.orgs[org]
	if x == nil {
		x = &orgIndex{private: make(map[string]*tree)}
		s.orgs[org] = x
	}
	return x
}

func (s *memory) Insert(r *Record) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertLocked(r)
}

func (s *memory) insertLocked(r *Record) bool {
	if _, taken := s.byID[r.ID]; taken {
		return false
	}
	s.seq++
	r.seq = s.seq
	s.byID[r.ID] = r
	s.index(r.Org).add(r)
	return true
}

// lookup returns the record of id in org, or nil. The caller holds a lock.
func (s *memory) lookup(org, id string) *Record {
	if r := s.byID[id]; r != nil && r.Org == org {
		return r
	}
	return nil
}

func (s *memory) Get(org, id string) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.lookup(org, id); r != nil {
		return *r, true
	}
	return Record{}, false
}

func (s *memory) Find(id string) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.byID[id]; r != nil {
		return *r, true
	}
	return Record{}, false
}

// copyOf returns a copy of r for a callback, or nil.
func copyOf(r *Record) *Record {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

func (s *memory) Update(org, id string, fn func(cur *Record) (Content, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.lookup(org, id)
	c, err := fn(copyOf(r))
	if r == nil {
		return nil, err
	}
	if err != nil || c.Full == nil {
		return r.Full, err
	}
	if c.Mode == r.Mode {
		// Same place in every index: createdAt and seq never change.
		r.Full, r.Summary = c.Full, c.Summary
		return r.Full, nil
	}
	x := s.index(org)
	x.remove(r)
	r.Mode, r.Full, r.Summary = c.Mode, c.Full, c.Summary
	x.add(r)
	return r.Full, nil
}

func (s *memory) Remove(org, id string, fn func(cur *Record) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.lookup(org, id)
	if err := fn(copyOf(r)); err != nil || r == nil {
		return err
	}
	delete(s.byID, id)
	s.index(org).remove(r)
	return nil
}

func (s *memory) List(v View, offset, limit int) (items [][]byte, total int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x := s.orgs[v.Org]
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
		items[i] = r.Summary
	}
	return items, total
}

func (s *memory) Ordered(org string) []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	x := s.orgs[org]
	if x == nil {
		return nil
	}
	out := make([]Record, 0, x.all.Len())
	c := x.all.from(0)
	for r := c.peek(); r != nil; r = c.peek() {
		out = append(out, *r)
		c.next()
	}
	return out
}

func (s *memory) Created() []Record {
	s.mu.RLock()
	out := make([]Record, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, *r)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

func (s *memory) Load(recs []*Record) int {
	fresh := newMemory()
	fresh.byID = make(map[string]*Record, len(recs))
	for i, r := range recs {
		if !fresh.insertLocked(r) { // fresh is not shared yet
			return i
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq, s.byID, s.orgs = fresh.seq, fresh.byID, fresh.orgs
	return -1
}

func (s *memory) RemoveOrg(org string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs[org] == nil {
		return
	}
	for id, r := range s.byID {
		if r.Org == org {
			delete(s.byID, id)
		}
	}
	delete(s.orgs, org)
}

func (s *memory) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID = make(map[string]*Record)
	s.orgs = make(map[string]*orgIndex)
}

func (s *memory) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byID)
}

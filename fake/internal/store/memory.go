package store

import (
	"cmp"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/talkifai-go/talkifai/agents"
)

// The store is laid out for the garbage collector, which otherwise spends
// more on a large store than the requests do: a collection marks every
// object the heap holds and follows every pointer in them. Each agent is
// one object of bytes (its id and its two JSON encodings), and everything
// else about it sits in a slot of one large array that holds no pointers
// at all: its tree nodes are slot numbers, its organization and owner are
// numbers, and the map from id to slot is keyed by a hash of the id. A
// collection then costs one mark per agent, where a record, its id, its
// two encodings and a node per index cost eight.

// slot is one stored agent, without pointers (its bytes are in
// state.data, at the same number).
type slot struct {
	created int64  // createdAt in Unix milliseconds
	seq     uint64 // creation order, the list order's tie-break
	idLen   uint32 // the id is data[:idLen]
	fullLen uint32 // then Full, then Summary to the end
	org     int32  // the organization's number in state.orgByNum
	owner   int32  // the owner's number in the organization's owners
	// sameHash is the next slot whose id has the same hash, or 0.
	sameHash int32
	mode     uint8 // modeIndex of the mode
	links    [kinds]link
}

// modes names the mode of each modeIndex.
var modes = [3]agents.Mode{agents.Public, agents.Private, agents.Commercial}

// modeIndex numbers the three modes for slot.mode and orgIndex.byMode.
func modeIndex(m agents.Mode) uint8 {
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
	name    string
	num     int32 // in state.orgByNum and slot.org
	all     tree
	byMode  [3]tree
	private map[int32]*tree // by owner number; only private agents
	// owners names the users who created agents here, by number.
	owners    []string
	ownerNums map[string]int32
}

func newOrgIndex(name string, num int32) *orgIndex {
	x := &orgIndex{name: name, num: num, all: treeOf(inAll), private: map[int32]*tree{}, ownerNums: map[string]int32{}}
	for m := range x.byMode {
		x.byMode[m] = treeOf(inMode)
	}
	return x
}

// ownerNum returns the number of user, giving it one on first use.
func (x *orgIndex) ownerNum(user string) int32 {
	n, ok := x.ownerNums[user]
	if !ok {
		n = int32(len(x.owners))
		x.owners = append(x.owners, user)
		x.ownerNums[user] = n
	}
	return n
}

func (x *orgIndex) add(ss slots, i int32) {
	sl := &ss[i]
	ss.insert(&x.all, i)
	ss.insert(&x.byMode[sl.mode], i)
	if modes[sl.mode] == agents.Private {
		t := x.private[sl.owner]
		if t == nil {
			t = &tree{kind: inPrivate}
			x.private[sl.owner] = t
		}
		ss.insert(t, i)
	}
}

func (x *orgIndex) remove(ss slots, i int32) {
	sl := &ss[i]
	ss.remove(&x.all, i)
	ss.remove(&x.byMode[sl.mode], i)
	if modes[sl.mode] == agents.Private {
		if t := x.private[sl.owner]; t != nil {
			ss.remove(t, i)
			if t.root == 0 {
				delete(x.private, sl.owner)
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
	var own *tree
	if n, ok := x.ownerNums[v.Member]; ok {
		own = x.private[n]
	}
	if own == nil {
		own = &emptyTree
	}
	if v.Mode == agents.Private {
		return own, nil
	}
	return &x.byMode[modeIndex(agents.Public)], own
}

// memory is the Store in memory. One RWMutex guards it all; every
// operation holds it for microseconds (Load builds its state before
// taking it).
type memory struct {
	mu   sync.RWMutex
	hash func(id string) uint64 // of an id, for state.byID
	st   state
}

// state is what the store holds; Load and Reset replace it whole.
type state struct {
	seq   uint64
	n     int   // agents stored
	slots slots // by number; slot 0 is never used
	data  [][]byte
	free  []int32          // slot numbers to reuse
	byID  map[uint64]int32 // the first slot whose id has this hash
	orgs  map[string]*orgIndex
	// orgByNum finds an organization by number (nil once removed), and
	// freeOrgs lists the numbers to reuse.
	orgByNum []*orgIndex
	freeOrgs []int32
}

// NewMemory returns an empty Store that keeps everything in memory.
func NewMemory() Store {
	seed := maphash.MakeSeed()
	return newMemory(func(id string) uint64 { return maphash.String(seed, id) })
}

func newMemory(hash func(string) uint64) *memory {
	return &memory{hash: hash, st: newState()}
}

func newState() state {
	return state{slots: make(slots, 1), data: make([][]byte, 1), byID: map[uint64]int32{}, orgs: map[string]*orgIndex{}}
}

// index returns org's indexes, making them on first use.
func (st *state) index(org string) *orgIndex {
	x := st.orgs[org]
	if x != nil {
		return x
	}
	num := int32(len(st.orgByNum))
	if k := len(st.freeOrgs); k > 0 {
		num = st.freeOrgs[k-1]
		st.freeOrgs = st.freeOrgs[:k-1]
	} else {
		st.orgByNum = append(st.orgByNum, nil)
	}
	x = newOrgIndex(org, num)
	st.orgs[org] = x
	st.orgByNum[num] = x
	return x
}

// find returns the slot of id, or 0.
func (s *memory) find(id string) int32 {
	st := &s.st
	for i := st.byID[s.hash(id)]; i != 0; i = st.slots[i].sameHash {
		if string(st.data[i][:st.slots[i].idLen]) == id {
			return i
		}
	}
	return 0
}

// lookup returns the slot of id in org, or 0.
func (s *memory) lookup(org, id string) int32 {
	if i := s.find(id); i != 0 && s.st.orgByNum[s.st.slots[i].org].name == org {
		return i
	}
	return 0
}

// record returns a copy of slot i as a Record whose ID is id.
func (st *state) record(i int32, id string) Record {
	sl := &st.slots[i]
	x := st.orgByNum[sl.org]
	d := st.data[i]
	full := d[sl.idLen : sl.idLen+sl.fullLen : sl.idLen+sl.fullLen]
	return Record{
		ID: id, Org: x.name, Owner: x.owners[sl.owner], Mode: modes[sl.mode],
		Created: sl.created, Full: full, Summary: d[sl.idLen+sl.fullLen:],
	}
}

// id returns the id of slot i, as a string of its own.
func (st *state) id(i int32) string { return string(st.data[i][:st.slots[i].idLen]) }

// pack returns id, full and summary in one allocation.
func pack(id string, full, summary []byte) []byte {
	d := make([]byte, 0, len(id)+len(full)+len(summary))
	return append(append(append(d, id...), full...), summary...)
}

// setContent stores full and summary as slot i's, beside its id.
func (st *state) setContent(i int32, full, summary []byte) {
	sl := &st.slots[i]
	id := st.data[i][:sl.idLen]
	st.data[i] = pack(string(id), full, summary)
	sl.fullLen = uint32(len(full))
}

func (s *memory) Insert(r *Record) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertLocked(r)
}

func (s *memory) insertLocked(r *Record) bool {
	if s.find(r.ID) != 0 {
		return false
	}
	st := &s.st
	x := st.index(r.Org)
	i := int32(len(st.slots))
	if k := len(st.free); k > 0 {
		i = st.free[k-1]
		st.free = st.free[:k-1]
	} else {
		st.slots = append(st.slots, slot{})
		st.data = append(st.data, nil)
	}
	st.seq++
	h := s.hash(r.ID)
	st.slots[i] = slot{
		created: r.Created, seq: st.seq, idLen: uint32(len(r.ID)), fullLen: uint32(len(r.Full)),
		org: x.num, owner: x.ownerNum(r.Owner), mode: modeIndex(r.Mode), sameHash: st.byID[h],
	}
	st.data[i] = pack(r.ID, r.Full, r.Summary)
	st.byID[h] = i
	st.n++
	x.add(st.slots, i)
	return true
}

// drop removes slot i from the id map and frees it; its organization's
// indexes are the caller's to update.
func (s *memory) drop(i int32) {
	st := &s.st
	h := s.hash(st.id(i))
	next := st.slots[i].sameHash
	if first := st.byID[h]; first == i {
		if next == 0 {
			delete(st.byID, h)
		} else {
			st.byID[h] = next
		}
	} else {
		p := first
		for st.slots[p].sameHash != i {
			p = st.slots[p].sameHash
		}
		st.slots[p].sameHash = next
	}
	st.slots[i] = slot{}
	st.data[i] = nil
	st.free = append(st.free, i)
	st.n--
}

func (s *memory) Get(org, id string) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i := s.lookup(org, id); i != 0 {
		return s.st.record(i, id), true
	}
	return Record{}, false
}

func (s *memory) Find(id string) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i := s.find(id); i != 0 {
		return s.st.record(i, id), true
	}
	return Record{}, false
}

// copyOf returns a copy of slot i for a callback, or nil when i is 0.
func (st *state) copyOf(i int32, id string) *Record {
	if i == 0 {
		return nil
	}
	r := st.record(i, id)
	return &r
}

func (s *memory) Update(org, id string, fn func(cur *Record) (Content, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st
	i := s.lookup(org, id)
	c, err := fn(st.copyOf(i, id))
	if i == 0 {
		return nil, err
	}
	if err != nil || c.Full == nil {
		return st.record(i, id).Full, err
	}
	sl := &st.slots[i]
	if m := modeIndex(c.Mode); m != sl.mode {
		// createdAt and seq never change: a record keeps its place in
		// every index but those of its mode.
		x := st.orgByNum[sl.org]
		x.remove(st.slots, i)
		sl.mode = m
		x.add(st.slots, i)
	}
	st.setContent(i, c.Full, c.Summary)
	return st.record(i, id).Full, nil
}

func (s *memory) Remove(org, id string, fn func(cur *Record) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.lookup(org, id)
	if err := fn(s.st.copyOf(i, id)); err != nil || i == 0 {
		return err
	}
	s.st.orgByNum[s.st.slots[i].org].remove(s.st.slots, i)
	s.drop(i)
	return nil
}

func (s *memory) List(v View, offset, limit int) (items [][]byte, total int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := &s.st
	x := st.orgs[v.Org]
	if x == nil {
		return nil, 0
	}
	a, b := x.trees(v)
	total = st.slots.Len(a)
	if b != nil {
		total += st.slots.Len(b)
	}
	if offset >= total {
		return nil, total
	}
	page := st.slots.page(a, b, offset, limit)
	items = make([][]byte, len(page))
	for k, i := range page {
		sl := &st.slots[i]
		items[k] = st.data[i][sl.idLen+sl.fullLen:]
	}
	return items, total
}

func (s *memory) Ordered(org string) []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := &s.st
	x := st.orgs[org]
	if x == nil {
		return nil
	}
	out := make([]Record, 0, st.slots.Len(&x.all))
	c := st.slots.from(&x.all, 0)
	for i := c.peek(); i != 0; i = c.peek() {
		out = append(out, st.record(i, st.id(i)))
		c.next()
	}
	return out
}

func (s *memory) Created() []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := &s.st
	nums := make([]int32, 0, st.n)
	for i := range st.slots {
		if st.data[i] != nil {
			nums = append(nums, int32(i))
		}
	}
	slices.SortFunc(nums, func(a, b int32) int { return cmp.Compare(st.slots[a].seq, st.slots[b].seq) })
	out := make([]Record, len(nums))
	for k, i := range nums {
		out[k] = st.record(i, st.id(i))
	}
	return out
}

func (s *memory) Load(recs []*Record) int {
	fresh := newMemory(s.hash) // not shared yet: no lock
	fresh.st.slots = make(slots, 1, len(recs)+1)
	fresh.st.data = make([][]byte, 1, len(recs)+1)
	fresh.st.byID = make(map[uint64]int32, len(recs))
	for i, r := range recs {
		if !fresh.insertLocked(r) {
			return i
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = fresh.st
	return -1
}

func (s *memory) RemoveOrg(org string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st
	x := st.orgs[org]
	if x == nil {
		return
	}
	// The org's indexes go with it: only the id map and the slots
	// need undoing, agent by agent.
	var gone []int32
	c := st.slots.from(&x.all, 0)
	for i := c.peek(); i != 0; i = c.peek() {
		gone = append(gone, i)
		c.next()
	}
	for _, i := range gone {
		s.drop(i)
	}
	delete(st.orgs, org)
	st.orgByNum[x.num] = nil
	st.freeOrgs = append(st.freeOrgs, x.num)
}

func (s *memory) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState()
}

func (s *memory) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.n
}

package fake

import (
	"bytes"
	"container/heap"
	"crypto/sha256"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// idempotencyTTL is how long an answer is remembered.
const idempotencyTTL = 24 * time.Hour

// The Idempotency-Key rules (docs/api.md, "Idempotency keys"): per API
// key, a POST's answer is remembered for 24 hours on the server's clock,
// with the hash of its body, or until the memory is full: then expired
// answers go first, in every organization, and then the organization
// using the most of the memory loses its oldest answers first, and a
// key whose answer left is new again. A request still in flight is never
// forgotten this way. The same key and body replay the answer with
// Idempotent-Replayed: true; another body is 409 IDEMPOTENCY_CONFLICT.
// While the first request is in flight, a second with the same key and
// body waits for it, so concurrent retries create one agent.

// idemKey scopes an Idempotency-Key to the API key that sent it.
type idemKey struct {
	apiKey int // principal.id
	key    string
}

// idemEntry is one remembered request: in flight until done is closed,
// then answered by resp.
type idemEntry struct {
	bodyHash [sha256.Size]byte
	done     chan struct{}
	resp     *savedResponse
	expires  time.Time
}

// savedResponse is an answer as the handler produced it.
type savedResponse struct {
	status      int
	contentType string
	body        []byte
}

// idemOverhead is what one remembered answer costs besides its key and
// body: the map slot, the entry, its channel, the saved response and its
// place in the order.
const idemOverhead = 400

// idempotency is the memory of answers, bounded as a whole. It is safe
// for concurrent use.
type idempotency struct {
	maxEntries, maxBytes int // for all organizations together
	mu                   sync.Mutex
	entries              map[idemKey]*idemEntry
	orgs                 map[string]*idemOrder // those with answers
	heavy                orgHeap               // orgs' values, the one using the most on top
	soonest              orgHeap               // orgs' values, the one whose oldest answer expires first on top
	n, bytes             int                   // what all orgs' items count and cost
}

// idemOrder lists one organization's answered entries in the order they
// were answered, so that expired ones are pruned, and the oldest evicted,
// from the front without a scan. An item whose key now holds another
// entry (its own expired and the key came back) is stale: it leaves in
// its turn without touching the newer entry.
type idemOrder struct {
	org   string
	items fifo[orderItem]
	bytes int     // what the items cost
	share float64 // the larger of its shares of the two bounds
	index int     // in heavy
	soon  int     // index in soonest
}

// orderItem is one answered entry in an idemOrder.
type orderItem struct {
	key   idemKey
	entry *idemEntry
	cost  int
}

func newIdempotency(maxEntries, maxBytes int) *idempotency {
	return &idempotency{
		maxEntries: maxEntries, maxBytes: maxBytes,
		entries: make(map[idemKey]*idemEntry), orgs: make(map[string]*idemOrder),
		heavy: newHeavyHeap(), soonest: newSoonestHeap(),
	}
}

func (m *idempotency) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries, m.orgs = make(map[idemKey]*idemEntry), make(map[string]*idemOrder)
	m.heavy, m.soonest, m.n, m.bytes = newHeavyHeap(), newSoonestHeap(), 0, 0
}

// forget drops every answer remembered for org, whose API keys have the
// principal ids, and every request with them still in flight, which then
// answers its caller without being remembered.
func (m *idempotency) forget(org string, ids []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.entries {
		if slices.Contains(ids, k.apiKey) {
			delete(m.entries, k)
		}
	}
	if o := m.orgs[org]; o != nil {
		m.n -= o.items.len()
		m.bytes -= o.bytes
		m.remove(o)
	}
}

// checkIdempotencyKey returns the 400 of a header value that is not 1-255
// printable ASCII characters, or nil.
func checkIdempotencyKey(values []string) *apiError {
	if len(values) != 1 {
		return errorCode(http.StatusBadRequest, wire.CodeInvalidParameter, "send one Idempotency-Key header")
	}
	k := values[0]
	ok := len(k) >= 1 && len(k) <= wire.MaxIdempotencyKeyLength
	for i := 0; ok && i < len(k); i++ {
		ok = k[i] >= 0x20 && k[i] <= 0x7e
	}
	if !ok {
		return errorCode(http.StatusBadRequest, wire.CodeInvalidParameter,
			"Idempotency-Key must be 1 to %d printable ASCII characters", wire.MaxIdempotencyKeyLength)
	}
	return nil
}

// serve answers a POST that carries Idempotency-Key key, sent by p with
// body: a replay, a 409, or next's answer, which it remembers.
func (m *idempotency) serve(w http.ResponseWriter, r *http.Request, now func() time.Time, p *principal, key string, body []byte, next func(http.ResponseWriter)) {
	k := idemKey{apiKey: p.id, key: key}
	hash := sha256.Sum256(body)
	for {
		m.mu.Lock()
		e := m.entries[k]
		if e != nil && e.resp != nil && !now().Before(e.expires) {
			delete(m.entries, k)
			e = nil
		}
		switch {
		case e == nil:
			e = &idemEntry{bodyHash: hash, done: make(chan struct{})}
			m.entries[k] = e
			m.mu.Unlock()
			m.first(w, p.org, k, e, now, next)
			return
		case e.bodyHash != hash:
			m.mu.Unlock()
			writeError(w, errorf(http.StatusConflict, "Idempotency-Key was used with another body"))
			return
		case e.resp == nil:
			m.mu.Unlock()
			select {
			case <-e.done: // answered, or given up: look again
			case <-r.Context().Done():
				return
			}
		default:
			resp := e.resp
			m.mu.Unlock()
			w.Header().Set(wire.HeaderIdempotentReplayed, "true")
			w.Header().Set(wire.HeaderContentType, resp.contentType)
			writeJSON(w, resp.status, resp.body)
			return
		}
	}
}

// first runs next for the first request with a key and remembers its
// answer. If next panics (the connection was aborted), the key is
// forgotten, so that a waiting retry runs the handler itself.
func (m *idempotency) first(w http.ResponseWriter, org string, k idemKey, e *idemEntry, now func() time.Time, next func(http.ResponseWriter)) {
	answered := false
	defer func() {
		m.mu.Lock()
		if !answered && m.entries[k] == e { // not a newer entry, after a reset
			delete(m.entries, k)
		}
		m.mu.Unlock()
		close(e.done)
	}()
	tee := &statusWriter{ResponseWriter: w, body: new(bytes.Buffer)}
	next(tee)
	body := slices.Clone(tee.body.Bytes())
	m.mu.Lock()
	defer m.mu.Unlock()
	e.resp = &savedResponse{status: tee.status, contentType: tee.Header().Get(wire.HeaderContentType), body: body}
	e.expires = now().Add(idempotencyTTL)
	answered = true
	it := orderItem{key: k, entry: e, cost: idemOverhead + len(k.key) + cap(body)}
	o := m.orgs[org]
	if o == nil {
		o = &idemOrder{org: org}
		m.orgs[org] = o
		o.items.push(it) // before the heaps, which compare oldest answers
		heap.Push(&m.heavy, o)
		heap.Push(&m.soonest, o)
	} else {
		o.items.push(it)
	}
	m.account(o, 1, it.cost)
	m.prune(now())
}

// prune forgets the answers that have expired, in every organization,
// each on its own expiry; then, while the whole memory is over a bound,
// the oldest answer of the organization using the most of it, so that a
// flood of keys evicts the flooder's own answers before anyone else's.
// Expired answers go first, so that an idle organization's stale answers
// never cost a busy one its live ones. The caller holds the lock.
func (m *idempotency) prune(now time.Time) {
	// An organization's answers are in the order given, so its oldest
	// expires first: the top of soonest is the next to expire anywhere.
	for len(m.soonest.orgs) > 0 && !now.Before(m.soonest.orgs[0].items.front().entry.expires) {
		m.drop(m.soonest.orgs[0])
	}
	for len(m.heavy.orgs) > 0 && (m.n > m.maxEntries || m.bytes > m.maxBytes) {
		m.drop(m.heavy.orgs[0])
	}
}

// drop forgets o's oldest answer; o must have one. The caller holds the
// lock.
func (m *idempotency) drop(o *idemOrder) {
	it := *o.items.front() // a copy: pop clears the item
	if m.entries[it.key] == it.entry {
		delete(m.entries, it.key)
	}
	o.items.pop()
	m.account(o, -1, -it.cost)
	if o.items.len() == 0 {
		m.remove(o)
	}
}

// remove takes o, whose answers are gone, out of the memory. The caller
// holds the lock.
func (m *idempotency) remove(o *idemOrder) {
	heap.Remove(&m.heavy, o.index)
	heap.Remove(&m.soonest, o.soon)
	delete(m.orgs, o.org)
}

// account adds n items costing bytes to o and to the totals, and moves o
// to its place in the heap. The caller holds the lock.
func (m *idempotency) account(o *idemOrder, n, bytes int) {
	o.bytes += bytes
	m.n += n
	m.bytes += bytes
	o.share = max(float64(o.items.len())/float64(m.maxEntries), float64(o.bytes)/float64(m.maxBytes))
	heap.Fix(&m.heavy, o.index)
	if o.items.len() > 0 {
		heap.Fix(&m.soonest, o.soon) // its oldest answer may have changed
	}
}

// orgHeap is a heap of organizations for container/heap, in the order of
// less (the one it puts first on top). Each organization keeps its place in
// the heap at *slot(o), so that it can be fixed or removed without a scan.
type orgHeap struct {
	orgs []*idemOrder
	less func(a, b *idemOrder) bool
	slot func(o *idemOrder) *int
}

func (h *orgHeap) Len() int           { return len(h.orgs) }
func (h *orgHeap) Less(i, j int) bool { return h.less(h.orgs[i], h.orgs[j]) }
func (h *orgHeap) Swap(i, j int) {
	h.orgs[i], h.orgs[j] = h.orgs[j], h.orgs[i]
	*h.slot(h.orgs[i]), *h.slot(h.orgs[j]) = i, j
}
func (h *orgHeap) Push(x any) {
	o := x.(*idemOrder)
	*h.slot(o) = len(h.orgs)
	h.orgs = append(h.orgs, o)
}
func (h *orgHeap) Pop() any {
	last := len(h.orgs) - 1
	o := h.orgs[last]
	h.orgs[last] = nil
	h.orgs = h.orgs[:last]
	return o
}

// newHeavyHeap orders organizations by the larger of their shares of the
// two bounds, the largest first.
func newHeavyHeap() orgHeap {
	return orgHeap{
		less: func(a, b *idemOrder) bool { return a.share > b.share },
		slot: func(o *idemOrder) *int { return &o.index },
	}
}

// newSoonestHeap orders organizations by when their oldest answer expires,
// the soonest first. Every organization in it has an answer.
func newSoonestHeap() orgHeap {
	return orgHeap{
		less: func(a, b *idemOrder) bool {
			return a.items.front().entry.expires.Before(b.items.front().entry.expires)
		},
		slot: func(o *idemOrder) *int { return &o.soon },
	}
}

// remembered returns how many answers org's memory holds, and what they
// cost, for tests.
func (m *idempotency) remembered(org string) (n, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o := m.orgs[org]; o != nil {
		return o.items.len(), o.bytes
	}
	return 0, 0
}

// total returns how many answers the whole memory holds, and what they
// cost, for tests.
func (m *idempotency) total() (n, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n, m.bytes
}

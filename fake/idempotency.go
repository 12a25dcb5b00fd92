package fake

import (
	"bytes"
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
// with the hash of its body, or until the memory of its organization is
// full: then the oldest answers leave first, and a key whose answer left
// is new again. A request still in flight is never forgotten this way. The same key and body replay the answer with
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

// idempotency is the memory of answers. It is safe for concurrent use.
type idempotency struct {
	maxEntries, maxBytes int // per organization
	mu                   sync.Mutex
	entries              map[idemKey]*idemEntry
	orgs                 map[string]*idemOrder
}

// idemOrder lists one organization's answered entries in the order they
// were answered, so that expired ones are pruned, and the oldest evicted,
// from the front without a scan. An item whose key now holds another
// entry (its own expired and the key came back) is stale: it leaves in
// its turn without touching the newer entry. Each organization has its
// own budget, so that one organization's flood of keys never evicts
// another's.
type idemOrder struct {
	items fifo[orderItem]
	bytes int // what the items cost
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
	}
}

func (m *idempotency) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries, m.orgs = make(map[idemKey]*idemEntry), make(map[string]*idemOrder)
}

// forget drops every answer remembered for org, whose API keys have the
// principal ids, and every request with them still in flight, which then
// answers its caller without being remembered; org's budget is whole
// again.
func (m *idempotency) forget(org string, ids []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.entries {
		if slices.Contains(ids, k.apiKey) {
			delete(m.entries, k)
		}
	}
	delete(m.orgs, org)
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
	o := m.orgs[org]
	if o == nil {
		o = &idemOrder{}
		m.orgs[org] = o
	}
	it := orderItem{key: k, entry: e, cost: idemOverhead + len(k.key) + cap(body)}
	o.items.push(it)
	o.bytes += it.cost
	m.prune(o, now())
}

// prune forgets, from the front of o, the answers that have expired, each
// on its own expiry, then the oldest while o is over its budget. The
// caller holds the lock.
func (m *idempotency) prune(o *idemOrder, now time.Time) {
	for o.items.len() > 0 {
		it := o.items.front()
		if now.Before(it.entry.expires) && o.items.len() <= m.maxEntries && o.bytes <= m.maxBytes {
			break
		}
		if m.entries[it.key] == it.entry {
			delete(m.entries, it.key)
		}
		o.bytes -= it.cost
		o.items.pop()
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

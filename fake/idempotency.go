package fake

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// idempotencyTTL is how long an answer is remembered.
const idempotencyTTL = 24 * time.Hour

// The Idempotency-Key rules (docs/api.md, "Idempotency keys"): per API
// key, a POST's answer is remembered for 24 hours on the server's clock,
// with the hash of its body. The same key and body replay the answer with
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

// idempotency is the memory of answers. It is safe for concurrent use.
type idempotency struct {
	mu      sync.Mutex
	entries map[idemKey]*idemEntry
	// order lists the answered entries in the order they were answered,
	// so that expired ones are pruned from the front without a scan. An
	// item whose key now holds another entry (its own expired and the key
	// came back) is stale: it is dropped when its own entry would have
	// expired, without touching the newer entry.
	order []orderItem
}

// orderItem is one answered entry in idempotency.order.
type orderItem struct {
	key   idemKey
	entry *idemEntry
}

func newIdempotency() *idempotency {
	return &idempotency{entries: make(map[idemKey]*idemEntry)}
}

func (m *idempotency) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries, m.order = make(map[idemKey]*idemEntry), nil
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
			m.first(w, k, e, now, next)
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
func (m *idempotency) first(w http.ResponseWriter, k idemKey, e *idemEntry, now func() time.Time, next func(http.ResponseWriter)) {
	answered := false
	defer func() {
		m.mu.Lock()
		if !answered {
			delete(m.entries, k)
		}
		m.mu.Unlock()
		close(e.done)
	}()
	tee := &statusWriter{ResponseWriter: w, body: new(bytes.Buffer)}
	next(tee)
	m.mu.Lock()
	defer m.mu.Unlock()
	e.resp = &savedResponse{status: tee.status, contentType: tee.Header().Get(wire.HeaderContentType), body: tee.body.Bytes()}
	e.expires = now().Add(idempotencyTTL)
	answered = true
	m.order = append(m.order, orderItem{key: k, entry: e})
	m.prune(now())
}

// prune forgets the answers that have expired, oldest first, each on its
// own expiry. The caller holds the lock.
func (m *idempotency) prune(now time.Time) {
	n := 0
	for _, it := range m.order {
		if now.Before(it.entry.expires) {
			break
		}
		if m.entries[it.key] == it.entry {
			delete(m.entries, it.key)
		}
		m.order[n] = orderItem{} // let the entry be collected
		n++
	}
	m.order = m.order[n:]
}

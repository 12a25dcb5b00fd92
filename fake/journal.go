package fake

import (
	"encoding/json"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Request is one /v1 request as the journal recorded it (API contract,
// section 8): what the caller sent, as whom, and the status it saw. The
// credential headers are never recorded.
type Request struct {
	Method string `json:"method"`
	// Path is the URL path, decoded.
	Path string `json:"path"`
	// Query is the raw query string, without its "?".
	Query string `json:"query"`
	// User is the user of the request's API key, or "" when the key was
	// missing or unknown.
	User string `json:"user"`
	// Status is the status the caller saw: 0 when a fault dropped the
	// connection, the injected status when a fault replaced the answer.
	Status int `json:"status"`
	// IdempotencyKey is the Idempotency-Key header as sent, or "".
	IdempotencyKey string `json:"idempotencyKey"`
	// Body is the request body when it is JSON, a JSON string holding it
	// when it is not, and null when there was none or it was over 1 MiB.
	// A body that is not valid UTF-8 is not JSON, whatever its syntax: it
	// is kept as a string, each invalid byte replaced by U+FFFD, so that
	// the journal is always valid JSON.
	Body json.RawMessage `json:"body"`
}

// journal is a ring of the last requests. It grows as requests come, up
// to its size, and then overwrites the oldest. It is safe for concurrent
// use.
type journal struct {
	mu   sync.Mutex
	size int
	ring []Request
	next int // where the next request goes once the ring is full
}

func newJournal(size int) *journal { return &journal{size: size} }

// add records q, dropping the oldest request when the ring is full.
func (j *journal) add(q Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.ring) < j.size {
		j.ring = append(j.ring, q)
		return
	}
	j.ring[j.next] = q
	j.next = (j.next + 1) % j.size
}

// list returns copies of the recorded requests, oldest first.
func (j *journal) list() []Request {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Request, 0, len(j.ring))
	out = append(out, j.ring[j.next:]...)
	out = append(out, j.ring[:j.next]...)
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.next = nil, 0
}

// journalBody returns body as the journal keeps it: the JSON itself, a
// JSON string when it is not JSON, null when empty or over the size limit.
// json.Valid alone is not enough: it accepts invalid UTF-8 inside strings,
// which would make GET /_fake/requests invalid JSON as a whole.
func journalBody(body []byte) json.RawMessage {
	switch {
	case len(body) == 0 || len(body) > wire.MaxBodyBytes:
		return nil
	case utf8.Valid(body) && json.Valid(body):
		return slices.Clone(body)
	}
	b, err := json.Marshal(string(body))
	if err != nil { // a string always encodes
		panic(err)
	}
	return b
}

// Requests returns the journal: the /v1 requests the server has answered,
// oldest first, at most [WithJournalSize] of them (the oldest are dropped
// first), as a copy that the caller may change; it is empty, never an
// error, when nothing was recorded. A request is recorded when its status
// is decided, before the caller can see the answer, so a caller's own
// requests appear in the order it made them.
func (s *Server) Requests() []Request { return s.journal.list() }

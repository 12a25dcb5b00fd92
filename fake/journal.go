package fake

import (
	"bufio"
	"encoding/json"
	"io"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Request is one /v1 request as the journal recorded it: what the caller
// sent, as whom, and the status it saw. The
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
	// when it is not, and null when there was none or it was over
	// [JournalBodyCap] bytes (then BodyTruncated is true). A body that is
	// not valid UTF-8 is not JSON, whatever its syntax: it is kept as a
	// string, each invalid byte replaced by U+FFFD, so that the journal is
	// always valid JSON.
	Body json.RawMessage `json:"body"`
	// BodyTruncated reports a body that was too large to keep: over
	// [JournalBodyCap] bytes as sent, or over the journal's whole budget
	// ([WithJournalBytes]).
	BodyTruncated bool `json:"bodyTruncated"`
}

// JournalBodyCap is the largest body, in bytes as sent, that the journal
// keeps; a larger one is recorded as null with BodyTruncated set.
const JournalBodyCap = 256 << 10

// DefaultJournalBytes is the journal's budget unless [WithJournalBytes]
// says otherwise: what its entries hold in all (bodies as sent, paths,
// queries, keys, and a fixed cost per entry).
const DefaultJournalBytes = 8 << 20

// entryOverhead is what one entry costs besides its strings and body: the
// struct and its share of the queue.
const entryOverhead = 160

// entry is one request as the journal keeps it: the body as sent, never
// as JSON, so that a body of bytes that are not UTF-8 (which grow sixfold
// as JSON) costs what it weighs. Its JSON form is made when it is read.
type entry struct {
	req  Request // Body left nil
	raw  []byte  // the body as sent, nil when none or truncated
	cost int
}

// journal is a queue of the last requests, bounded by count and by bytes:
// each new request drops the oldest until both bounds hold. It is safe for
// concurrent use.
type journal struct {
	mu       sync.Mutex
	size     int // most entries kept
	maxBytes int // most bytes kept
	bodyCap  int // largest body kept
	q        []entry
	head     int // q[head:] are the entries
	bytes    int // what q[head:] costs
}

func newJournal(size, maxBytes int) *journal {
	return &journal{size: size, maxBytes: maxBytes, bodyCap: min(JournalBodyCap, maxBytes)}
}

// add records q with its body as sent, dropping the oldest requests while
// the journal holds too many or weighs too much. body must not change
// afterwards.
func (j *journal) add(q Request, body []byte) {
	e := entry{req: q}
	e.req.Body = nil
	if len(body) > j.bodyCap {
		e.req.BodyTruncated = true
	} else if len(body) > 0 {
		e.raw = body
	}
	e.cost = entryOverhead + cap(e.raw) + len(q.Method) + len(q.Path) + len(q.Query) + len(q.IdempotencyKey)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.q = append(j.q, e)
	j.bytes += e.cost
	for n := len(j.q) - j.head; n > 1 && (n > j.size || j.bytes > j.maxBytes); n-- {
		j.bytes -= j.q[j.head].cost
		j.q[j.head] = entry{} // let its body be collected
		j.head++
	}
	// Slide the queue back once half of it is dropped entries, so that it
	// never grows past twice what it holds.
	if j.head > 32 && j.head*2 >= len(j.q) {
		n := copy(j.q, j.q[j.head:])
		clear(j.q[n:])
		j.q, j.head = j.q[:n], 0
	}
}

// entries returns a copy of the queue, oldest first. The bodies are
// shared: they never change.
func (j *journal) entries() []entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.q[j.head:])
}

// list returns the recorded requests, oldest first, each with its body as
// JSON.
func (j *journal) list() []Request {
	es := j.entries()
	out := make([]Request, len(es))
	for i, e := range es {
		out[i] = e.request()
	}
	return out
}

// request returns e with its body as JSON.
func (e entry) request() Request {
	q := e.req
	q.Body = journalBody(e.raw)
	return q
}

// writeTo writes the journal as the data of a success envelope, one entry
// at a time, so that reading it costs about one entry of memory beyond the
// journal itself, whatever its size. It returns w's error.
func (j *journal) writeTo(w io.Writer) error {
	es := j.entries()
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"success":true,"data":[`)
	for i, e := range es {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.Marshal(e.request())
		if err != nil { // strings, numbers and valid JSON: cannot fail
			return err
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	bw.WriteString(`]}`)
	return bw.Flush()
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.q, j.head, j.bytes = nil, 0, 0
}

// journalBody returns a body as the journal shows it: the JSON itself, a
// JSON string when it is not JSON, null when empty or not kept.
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
// oldest first, as a copy that the caller may change; it is empty, never
// an error, when nothing was recorded. The journal keeps at most
// [WithJournalSize] requests and [WithJournalBytes] bytes: the oldest are
// dropped first. A request is recorded when its status is decided, before
// the caller can see the answer, so a caller's own requests appear in the
// order it made them.
func (s *Server) Requests() []Request { return s.journal.list() }

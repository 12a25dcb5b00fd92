package fake

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/internal/rules"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// Request is one /v1 request as the journal recorded it: what the caller
// sent, as whom, the status it saw, and the request id it was given. The
// credential headers are never recorded. Printed with %v or %+v it reads
// as one line (see [Request.String]).
type Request struct {
	// Method is the HTTP method as sent.
	Method string `json:"method"`
	// Path is the URL path, decoded.
	Path string `json:"path"`
	// Query is the raw query string, without its "?".
	Query string `json:"query"`
	// User is the user of the request's API key, or "" when the key was
	// missing or unknown.
	User string `json:"user"`
	// Org is the organization of the request's API key, or "" when the
	// key was missing or unknown.
	Org string `json:"org"`
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
	// RequestID is the X-Request-Id the caller received: match it to a
	// client error's request id to find the request that failed.
	RequestID string `json:"requestId"`
	// Time is when the request came, on the server's clock ([WithClock]),
	// in UTC to the millisecond.
	Time time.Time `json:"time"`
}

// MarshalJSON encodes q as GET /_fake/requests lists it, with Time in
// RFC 3339 with milliseconds, as the API writes every time.
func (q Request) MarshalJSON() ([]byte, error) {
	type plain Request // without this method
	return json.Marshal(struct {
		plain
		Time string `json:"time"`
	}{plain(q), rules.FormatTime(q.Time)})
}

// DecodeBody decodes the request's body into v, as encoding/json does. It
// returns an error when the request had no body (or one the journal did
// not keep) or the body does not decode into v.
func (q Request) DecodeBody(v any) error {
	if len(q.Body) == 0 || string(q.Body) == "null" {
		return fmt.Errorf("fake: %s %s (request %s) has no body", q.Method, q.Path, q.RequestID)
	}
	if err := json.Unmarshal(q.Body, v); err != nil {
		return fmt.Errorf("fake: the body of %s %s (request %s): %w", q.Method, q.Path, q.RequestID, err)
	}
	return nil
}

// String returns q as one line: method, path and query, status,
// organization and user ("-" without a valid key), request id, and the
// body as JSON text ("-" without one).
func (q Request) String() string {
	target := q.Path
	if q.Query != "" {
		target += "?" + q.Query
	}
	user := "-"
	if q.User != "" {
		user = q.Org + "/" + q.User
	}
	body := "-"
	if len(q.Body) > 0 {
		body = string(q.Body)
	}
	return fmt.Sprintf("%s %s %d %s %s %s", q.Method, target, q.Status, user, q.RequestID, body)
}

// Journal is the request journal, or a part of it: requests oldest first.
// Its methods filter it, and chain:
//
//	srv.Requests().Method("POST").Path("/v1/agents").Status(201)
type Journal []Request

// filter returns the requests of j for which keep is true, as a new
// Journal.
func (j Journal) filter(keep func(Request) bool) Journal {
	out := Journal{}
	for _, q := range j {
		if keep(q) {
			out = append(out, q)
		}
	}
	return out
}

// Method returns the requests of j with method (in any case).
func (j Journal) Method(method string) Journal {
	return j.filter(func(q Request) bool { return strings.EqualFold(q.Method, method) })
}

// Path returns the requests of j whose path is path or, when path ends in
// "*", starts with what comes before it, as a fault's Path matches.
func (j Journal) Path(path string) Journal {
	return j.filter(func(q Request) bool { return Fault{Path: path}.matches(q.Method, q.Path, q.Org) })
}

// Org returns the requests of j made with a key of org.
func (j Journal) Org(org string) Journal {
	return j.filter(func(q Request) bool { return q.Org == org })
}

// Status returns the requests of j whose caller saw status (0 for a
// dropped connection).
func (j Journal) Status(status int) Journal {
	return j.filter(func(q Request) bool { return q.Status == status })
}

// ByRequestID returns the request of j that was answered with the
// X-Request-Id id, and whether there is one.
func (j Journal) ByRequestID(id string) (Request, bool) {
	for _, q := range j {
		if q.RequestID == id {
			return q, true
		}
	}
	return Request{}, false
}

// JournalBodyCap is the largest body, in bytes as sent, that the journal
// keeps; a larger one is recorded as null with BodyTruncated set.
const JournalBodyCap = 256 << 10

// DefaultJournalBytes is the journal's budget unless [WithJournalBytes]
// says otherwise: what its entries hold in all (bodies as sent, paths,
// queries, keys, and a fixed cost per entry).
const DefaultJournalBytes = 8 << 20

// list returns the recorded requests, oldest first, each with its body as
// JSON.
func (j *journal) list() Journal {
	es := j.snapshot("")
	out := make(Journal, len(es))
	for i, e := range es {
		out[i] = request(e)
	}
	return out
}

// request returns the request of the entry e with its body as JSON.
func request(e []byte) Request {
	q, raw := decodeEntry(e)
	q.Body = journalBody(raw)
	return q
}

// writeTo writes the journal, or the entries of org when org is not "",
// as the data of a success envelope, one entry at a time, so that reading
// it costs about a copy of the journal's bytes (at most its budget) beyond
// the journal itself, whatever the JSON weighs. It returns w's error.
func (j *journal) writeTo(w io.Writer, org string) error {
	es := j.snapshot(org)
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"success":true,"data":[`)
	for i, e := range es {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.Marshal(request(e))
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
// tenants' included,
// oldest first, as a copy that the caller may change; it is empty, never
// an error, when nothing was recorded. The journal keeps at most
// [WithJournalSize] requests and [WithJournalBytes] bytes: the oldest are
// dropped first. A request is recorded when its status is decided, before
// the caller can see the answer, so a caller's own requests appear in the
// order it made them.
func (s *Server) Requests() Journal { return s.journal.list() }

// Journal returns the requests of the organization org, as
// s.Requests().Org(org) does, or the whole journal when org is "", as
// [Remote.Journal] does for a fake in another process. It fails the test
// when no key belongs to org (a typo, or a tenant that was removed).
func (s *Server) Journal(tb testing.TB, org string) Journal {
	tb.Helper()
	if org == "" {
		return s.Requests()
	}
	if _, err := s.knownOrg(org); err != nil {
		tb.Fatalf("fake: Journal: %s", err.message)
	}
	return s.Requests().Org(org)
}

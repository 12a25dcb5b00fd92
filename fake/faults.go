package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// Fault is a rule that makes the server misbehave on purpose: answer an
// error status, wait, drop the connection, or lose the answer of a write
// that happened.
//
// A rule matches a request by Method (empty matches any), Path and Org.
// Path matches exactly, or by prefix when it ends in "*" ("/v1/agents/*"
// matches "/v1/agents/agent_1", not "/v1/agents"); an empty Path matches
// every path. Rules are tried in the order added; the first that matches
// and has uses left applies, before anything else the server checks
// (route, key, rate limit), spending no rate-limit token. Control
// endpoints (/_fake/) are never faulted, so a test can always clear its
// rules.
//
// Its JSON form, the body of POST /_fake/faults, has the same members in
// lower camel case, except that RetryAfter is "retryAfter" in whole
// seconds and Delay is "delayMs" in milliseconds.
type Fault struct {
	Method string
	Path   string
	// Org, when set, limits the rule to requests whose API key belongs to
	// that organization, such as a tenant's: a request without a valid key
	// matches no such rule. The organization must exist when the rule is
	// added, and the rule goes when the organization is reset or removed.
	Org string
	// Status answers with this status (400-599) and its error code in the
	// usual envelope (INJECTED_FAULT for a status without a code of its
	// own).
	Status int
	// RetryAfter, when set, adds Retry-After with that many seconds to a
	// Status answer: agents.Value(0) sends "Retry-After: 0", and the zero
	// value (or a null) sends no header. It must be whole seconds.
	RetryAfter agents.Optional[time.Duration]
	// Delay waits this long first, up to 10 minutes, in whole
	// milliseconds. Delays run on real timers, not on the server's clock.
	// A rule with only Delay delays the request and lets it through.
	Delay time.Duration
	// Disconnect closes the connection without any answer. A plain
	// http.Client sees a transport error (but note that net/http's
	// Transport itself retries a GET, or a request with an Idempotency-Key,
	// once when a reused connection drops).
	Disconnect bool
	// After runs the real handler first, then replaces its answer by
	// Status or Disconnect: the write happened, and the caller never hears
	// of it.
	After bool
	// Times is how many matching requests the rule applies to; 0 means
	// until it is removed.
	Times int
}

// FaultRule is a fault rule in force, as [Server.Faults] and GET
// /_fake/faults list it.
type FaultRule struct {
	Fault
	// Remaining is how many more requests the rule applies to, or 0 for a
	// rule without Times, which applies until it is removed. Its JSON is
	// "remaining", null for such a rule.
	Remaining int
}

// maxDelay bounds Delay, so that a typo cannot hang a test for days.
const maxDelay = 10 * time.Minute

// faultJSON is a Fault as the control endpoints read and write it. The
// Go and JSON shapes meet here and nowhere else.
type faultJSON struct {
	Method     string `json:"method"`
	Path       string `json:"path"`
	Org        string `json:"org,omitempty"`
	Status     int    `json:"status"`
	RetryAfter *int64 `json:"retryAfter,omitempty"` // seconds; absent: no header
	DelayMs    int64  `json:"delayMs"`
	Disconnect bool   `json:"disconnect"`
	After      bool   `json:"after"`
	Times      int    `json:"times"`
}

// wire returns f's JSON form. A duration that is not a whole number of
// its unit (which check refuses) is rounded down.
func (f Fault) wire() faultJSON {
	j := faultJSON{Method: f.Method, Path: f.Path, Org: f.Org, Status: f.Status,
		DelayMs: f.Delay.Milliseconds(), Disconnect: f.Disconnect, After: f.After, Times: f.Times}
	if d, ok := f.RetryAfter.Get(); ok {
		secs := int64(d / time.Second)
		j.RetryAfter = &secs
	}
	return j
}

// fault returns the Fault of j.
func (j faultJSON) fault() Fault {
	f := Fault{Method: j.Method, Path: j.Path, Org: j.Org, Status: j.Status,
		Delay: time.Duration(j.DelayMs) * time.Millisecond, Disconnect: j.Disconnect, After: j.After, Times: j.Times}
	if j.RetryAfter != nil {
		f.RetryAfter = agents.Value(time.Duration(*j.RetryAfter) * time.Second)
	}
	return f
}

// MarshalJSON encodes f as the body of POST /_fake/faults.
func (f Fault) MarshalJSON() ([]byte, error) { return json.Marshal(f.wire()) }

// MarshalJSON encodes r as GET /_fake/faults lists it: the fault and
// "remaining".
func (r FaultRule) MarshalJSON() ([]byte, error) {
	var remaining *int
	if r.Remaining > 0 {
		remaining = &r.Remaining
	}
	return json.Marshal(struct {
		faultJSON
		Remaining *int `json:"remaining"`
	}{r.wire(), remaining})
}

// UnmarshalJSON decodes r as GET /_fake/faults lists it. Unlike POST
// /_fake/faults, it ignores members it does not know.
func (r *FaultRule) UnmarshalJSON(b []byte) error {
	var j struct {
		faultJSON
		Remaining *int `json:"remaining"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = FaultRule{Fault: j.fault()}
	if j.Remaining != nil {
		r.Remaining = *j.Remaining
	}
	return nil
}

// check returns the problems of f, one per field, named as in its JSON,
// or nil.
func (f Fault) check() *agents.ValidationError {
	var fs []agents.FieldError
	bad := func(field, code, format string, args ...any) {
		fs = append(fs, agents.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if strings.ContainsAny(f.Method, " \t/") {
		bad("method", agents.CodeInvalidFormat, "method must be an HTTP method such as POST, or empty for any")
	}
	if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
		bad("path", agents.CodeInvalidFormat, `path must start with "/", or be empty for any`)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		bad("status", agents.CodeOutOfRange, "status must be between 400 and 599, or 0 for none")
	}
	if d, ok := f.RetryAfter.Get(); ok {
		switch {
		case d < 0:
			bad("retryAfter", agents.CodeOutOfRange, "retryAfter must not be negative")
		case d%time.Second != 0:
			bad("retryAfter", agents.CodeInvalidFormat, "retryAfter must be whole seconds")
		case f.Status == 0:
			bad("retryAfter", agents.CodeNotApplicable, "retryAfter needs a status")
		}
	}
	switch {
	case f.Delay < 0 || f.Delay > maxDelay:
		bad("delayMs", agents.CodeOutOfRange, "delayMs must be between 0 and %d", maxDelay.Milliseconds())
	case f.Delay%time.Millisecond != 0:
		bad("delayMs", agents.CodeInvalidFormat, "delayMs must be whole milliseconds")
	}
	if f.Times < 0 {
		bad("times", agents.CodeOutOfRange, "times must not be negative")
	}
	switch {
	case f.Disconnect && f.Status != 0:
		bad("disconnect", agents.CodeInvalidValue, "a rule either answers a status or disconnects, not both")
	case f.After && f.Status == 0 && !f.Disconnect:
		bad("after", agents.CodeInvalidValue, "after needs a status or disconnect to replace the answer with")
	case f.Status == 0 && !f.Disconnect && f.Delay == 0:
		bad("status", agents.CodeRequired, "a rule needs a status, disconnect or delayMs")
	}
	return domain.NewValidationError(fs...)
}

// rule is a stored Fault and the uses it has left (-1: no limit).
type rule struct {
	Fault
	left int
}

// matches reports whether the rule applies to a request with method and
// path whose key belongs to org ("" when it has no valid key).
func (f Fault) matches(method, path, org string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if f.Org != "" && f.Org != org {
		return false
	}
	if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return f.Path == "" || f.Path == path
}

// faults is the ordered rule list. It is safe for concurrent use.
type faults struct {
	mu    sync.Mutex
	rules []*rule
	count atomic.Int32 // len(rules), read without the lock
}

// add stores f after the rules already there, and returns it as stored.
func (fs *faults) add(f Fault) Fault {
	f.Method = strings.ToUpper(f.Method)
	left := f.Times
	if left == 0 {
		left = -1
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = append(fs.rules, &rule{Fault: f, left: left})
	fs.count.Store(int32(len(fs.rules)))
	return f
}

// take returns the first rule that matches and spends one of its uses,
// removing it when none are left.
func (fs *faults) take(method, path, org string) (Fault, bool) {
	if fs.count.Load() == 0 {
		return Fault{}, false // the common case: no rules, no lock
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if !r.matches(method, path, org) {
			continue
		}
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
				fs.count.Store(int32(len(fs.rules)))
			}
		}
		return r.Fault, true
	}
	return Fault{}, false
}

// list returns the rules in force, in the order they are tried.
func (fs *faults) list() []FaultRule {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]FaultRule, len(fs.rules))
	for i, r := range fs.rules {
		out[i] = FaultRule{Fault: r.Fault, Remaining: max(r.left, 0)}
	}
	return out
}

// removeOrg removes the rules scoped to org.
func (fs *faults) removeOrg(org string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = slices.DeleteFunc(fs.rules, func(r *rule) bool { return r.Org == org })
	fs.count.Store(int32(len(fs.rules)))
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
	fs.count.Store(0)
}

// addFault checks f, and the organization it is scoped to, and stores it.
func (s *Server) addFault(f Fault) (Fault, *apiError) {
	if ve := f.check(); ve != nil {
		return f, validationError(ve)
	}
	if f.Org != "" {
		if _, err := s.knownOrg(f.Org); err != nil {
			return f, err
		}
	}
	return s.faults.add(f), nil
}

// AddFault adds a fault rule after those already added. It fails the test
// when the rule is invalid (a status outside 400-599, a negative count,
// after without a status or disconnect, ...) or is scoped to an
// organization that does not exist. POST /_fake/faults does the same over
// HTTP, answering 400 or 404 instead.
func (s *Server) AddFault(tb testing.TB, f Fault) {
	tb.Helper()
	if _, err := s.addFault(f); err != nil {
		tb.Fatalf("fake: AddFault: %s", err.describe())
	}
}

// Faults returns the fault rules in force, every organization's, in the
// order they are tried, with the uses each has left; it is empty when
// there are none. It never fails: it takes the test only to be a
// [TestKit] method, as [Remote.Faults], which can. GET /_fake/faults does
// the same over HTTP.
func (s *Server) Faults(tb testing.TB) []FaultRule { return s.faults.list() }

// ClearFaults removes every fault rule, every organization's. DELETE
// /_fake/faults does the same over HTTP. To remove only the rules scoped
// to one organization, reset it ([Server.ResetOrg]).
func (s *Server) ClearFaults() { s.faults.clear() }

// inject answers x's request as fault f says; next is the real handler.
func (s *Server) inject(w *statusWriter, x *exchange, f Fault, next func(http.ResponseWriter)) {
	if f.Delay > 0 && !sleep(x.r.Context(), f.Delay) {
		x.record(0) // the caller gave up: it saw nothing
		return
	}
	if f.Status == 0 && !f.Disconnect {
		next(w)
		return
	}
	if f.After {
		next(httptest.NewRecorder()) // the write happens; its answer is lost
	}
	if f.Disconnect {
		x.record(0)
		disconnect(w)
		return
	}
	if d, ok := f.RetryAfter.Get(); ok {
		w.Header().Set(wire.HeaderRetryAfter, strconv.FormatInt(int64(d/time.Second), 10))
	}
	writeError(w, errorf(f.Status, "injected fault"))
}

// sleep waits for d, and reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// disconnect closes the connection under w without an answer. Where it
// cannot be hijacked (HTTP/2, a recorder), it aborts the handler, which
// net/http turns into a dropped connection or stream.
func disconnect(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// decodeFault decodes the body of POST /_fake/faults: one JSON object with
// only the members of a Fault, each of its type. A null member is taken as
// absent.
func decodeFault(body []byte) (Fault, *apiError) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return Fault{}, errorCode(http.StatusBadRequest, wire.CodeInvalidJSON, "body is not one JSON object")
	}
	var j faultJSON
	targets := map[string]any{
		"method": &j.Method, "path": &j.Path, "org": &j.Org, "status": &j.Status, "retryAfter": &j.RetryAfter,
		"delayMs": &j.DelayMs, "disconnect": &j.Disconnect, "after": &j.After, "times": &j.Times,
	}
	var fs []agents.FieldError
	for name, raw := range members {
		target, known := targets[name]
		switch {
		case !known:
			fs = append(fs, agents.FieldError{Field: name, Code: agents.CodeUnknownField, Message: name + " is not a field of a fault rule"})
		case json.Unmarshal(raw, target) != nil:
			fs = append(fs, agents.FieldError{Field: name, Code: agents.CodeWrongType, Message: name + " has the wrong type"})
		}
	}
	if ve := domain.NewValidationError(fs...); ve != nil {
		return Fault{}, validationError(ve)
	}
	// Out of range before it becomes a Duration, which would overflow.
	j.DelayMs = min(max(j.DelayMs, -1), maxDelay.Milliseconds()+1)
	if j.RetryAfter != nil {
		secs := min(max(*j.RetryAfter, -1), math.MaxInt32)
		j.RetryAfter = &secs
	}
	return j.fault(), nil
}

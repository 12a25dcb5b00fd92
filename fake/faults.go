package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// Fault is a rule that makes the server misbehave on purpose: answer an
// error status, wait, drop the connection, or lose the answer of a write
// that happened.
//
// A rule matches a request by Method (empty matches any) and Path: exactly,
// or by prefix when it ends in "*" ("/v1/agents/*" matches
// "/v1/agents/agent_1", not "/v1/agents"); an empty Path matches every
// path. Rules are tried in the order added; the first that matches and has
// uses left applies, before anything else the server checks (route, key,
// rate limit), spending no rate-limit token. Control endpoints (/_fake/)
// are never faulted, so a test can always clear its rules.
type Fault struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Status answers with this status (400-599) and its error code in the
	// usual envelope (INJECTED_FAULT for a status without a code of its
	// own).
	Status int `json:"status"`
	// RetryAfter adds Retry-After: this many seconds to a Status answer.
	RetryAfter int `json:"retryAfter"`
	// DelayMs waits this long first. A rule with only DelayMs delays the
	// request and lets it through.
	DelayMs int `json:"delayMs"`
	// Disconnect closes the connection without any answer. A plain
	// http.Client sees a transport error (but note that net/http's
	// Transport itself retries a GET, or a request with an Idempotency-Key,
	// once when a reused connection drops).
	Disconnect bool `json:"disconnect"`
	// After runs the real handler first, then replaces its answer by
	// Status or Disconnect: the write happened, and the caller never hears
	// of it.
	After bool `json:"after"`
	// Times is how many matching requests the rule applies to; 0 means
	// until it is removed.
	Times int `json:"times"`
}

// maxDelayMs bounds DelayMs, so that a typo cannot hang a test for days.
const maxDelayMs = 10 * 60 * 1000

// check returns the problems of f, one per field, or nil.
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
	switch {
	case f.RetryAfter < 0:
		bad("retryAfter", agents.CodeOutOfRange, "retryAfter must not be negative")
	case f.RetryAfter > 0 && f.Status == 0:
		bad("retryAfter", agents.CodeNotApplicable, "retryAfter needs a status")
	}
	if f.DelayMs < 0 || f.DelayMs > maxDelayMs {
		bad("delayMs", agents.CodeOutOfRange, "delayMs must be between 0 and %d", maxDelayMs)
	}
	if f.Times < 0 {
		bad("times", agents.CodeOutOfRange, "times must not be negative")
	}
	switch {
	case f.Disconnect && f.Status != 0:
		bad("disconnect", agents.CodeInvalidValue, "a rule either answers a status or disconnects, not both")
	case f.After && f.Status == 0 && !f.Disconnect:
		bad("after", agents.CodeInvalidValue, "after needs a status or disconnect to replace the answer with")
	case f.Status == 0 && !f.Disconnect && f.DelayMs == 0:
		bad("status", agents.CodeRequired, "a rule needs a status, disconnect or delayMs")
	}
	return domain.NewValidationError(fs...)
}

// rule is a stored Fault and the uses it has left (-1: no limit).
type rule struct {
	Fault
	left int
}

// matches reports whether the rule applies to method and path.
func (f Fault) matches(method, path string) bool {
	if f.Method != "" && f.Method != method {
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
	return f
}

// take returns the first rule that matches and spends one of its uses,
// removing it when none are left.
func (fs *faults) take(method, path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if !r.matches(method, path) {
			continue
		}
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
			}
		}
		return r.Fault, true
	}
	return Fault{}, false
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
}

// AddFault adds a fault rule after those already added. It panics when the
// rule is invalid (a status outside 400-599, a negative count, after
// without a status or disconnect, ...): that is a mistake in the test.
// POST /_fake/faults does the same over HTTP, answering 400 instead.
func (s *Server) AddFault(f Fault) {
	if err := f.check(); err != nil {
		panic("fake: AddFault: " + err.Error())
	}
	s.faults.add(f)
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() { s.faults.clear() }

// inject answers x's request as fault f says; next is the real handler.
func (s *Server) inject(w *statusWriter, x *exchange, f Fault, next func(http.ResponseWriter)) {
	if f.DelayMs > 0 && !sleep(x.r.Context(), time.Duration(f.DelayMs)*time.Millisecond) {
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
	if f.RetryAfter > 0 {
		w.Header().Set(wire.HeaderRetryAfter, strconv.Itoa(f.RetryAfter))
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
// only the fields of Fault, each of its type.
func decodeFault(body []byte) (Fault, *apiError) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return Fault{}, errorCode(http.StatusBadRequest, wire.CodeInvalidJSON, "body is not one JSON object")
	}
	var f Fault
	targets := map[string]any{
		"method": &f.Method, "path": &f.Path, "status": &f.Status, "retryAfter": &f.RetryAfter,
		"delayMs": &f.DelayMs, "disconnect": &f.Disconnect, "after": &f.After, "times": &f.Times,
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
		return f, validationError(ve)
	}
	if ve := f.check(); ve != nil {
		return f, validationError(ve)
	}
	return f, nil
}

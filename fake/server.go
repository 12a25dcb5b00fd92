package fake

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/fake/internal/store"
	"github.com/talkifai-go/talkifai/internal/wire"
	"github.com/talkifai-go/talkifai/validate"
)

// Server is the fake Agents API. It is an http.Handler: [NewServer] starts
// it on loopback for a test, [NewHandler] returns it unstarted to embed or
// serve. Its methods are safe for concurrent use.
type Server struct {
	cfg         config
	keys        *keyring
	store       store.Store
	journal     *journal
	faults      *faults
	idempotency *idempotency
	limits      *limits
	ts          *httptest.Server // nil for NewHandler
}

// NewServer starts a fake on 127.0.0.1 and closes it when the test ends
// (tb.Cleanup). Its base URL is [Server.URL]. It fails the test, with
// tb.Fatal, when an option is invalid (a bad key list).
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := newServer(opts)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s)
	// Disconnect faults make the server log about closed connections:
	// keep that out of the test's output unless a logger asks for it.
	ts.Config.ErrorLog = slog.NewLogLogger(s.cfg.logger.Handler(), slog.LevelDebug)
	ts.Start()
	s.ts = ts
	tb.Cleanup(ts.Close)
	return s
}

// NewHandler returns a fake that is not started: serve it with
// net/http or httptest, or call its ServeHTTP directly. It panics when an
// option is invalid (a bad key list); use [NewServer] in tests, which fails
// the test instead.
func NewHandler(opts ...Option) *Server {
	s, err := newServer(opts)
	if err != nil {
		panic(err)
	}
	return s
}

func newServer(opts []Option) (*Server, error) {
	cfg := newConfig(opts)
	keys, err := newKeyring(cfg.keys, cfg.maxTenants)
	if err != nil {
		return nil, err
	}
	return &Server{
		cfg:         cfg,
		keys:        keys,
		store:       store.NewMemory(),
		journal:     newJournal(cfg.journalSize, cfg.journalBytes),
		faults:      &faults{},
		idempotency: newIdempotency(cfg.idemEntries, cfg.idemBytes),
		limits:      newLimits(cfg.rateLimits),
	}, nil
}

// URL returns the base URL of a started server, without /v1
// ("http://127.0.0.1:PORT"), or "" for a server from [NewHandler].
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// ServeHTTP serves one request: the /v1 API, GET /openapi.json, and the
// control endpoints under /_fake/. Every answer carries X-Request-Id, and
// every error is the API's JSON envelope.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{s: s, r: r, requestID: randomText("req_", 16)}
	x.w.ResponseWriter, x.w.x = w, x
	// Assigned under its canonical name, the value in x: no allocation
	// of its own on every request.
	x.requestIDHeader[0] = x.requestID
	w.Header()[headerRequestID] = x.requestIDHeader[:]
	// The clock is read only for a logger that will write the line.
	if !s.cfg.logger.Enabled(r.Context(), slog.LevelInfo) {
		s.serve(x)
		return
	}
	start := time.Now()
	s.serve(x)
	s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", x.w.status),
		slog.Duration("duration", time.Since(start)),
		slog.String("request_id", x.requestID))
}

// The headers read or written on every request, as net/http stores them,
// so that using them does not canonicalize the name each time.
var (
	headerRequestID      = http.CanonicalHeaderKey(wire.HeaderRequestID)
	headerIdempotencyKey = http.CanonicalHeaderKey(wire.HeaderIdempotencyKey)
)

// exchange is one request on its way through the server, and its journal
// entry.
type exchange struct {
	s        *Server
	r        *http.Request
	w        statusWriter // in the exchange: one allocation for both
	body     []byte
	bodyErr  error
	caller   *principal // of the request's key, or nil
	authErr  *apiError  // the 401 to answer when caller is nil
	journal  bool       // whether the request is recorded
	recorded bool
	// requestID is the X-Request-Id of the answer, and time when the
	// request came, on the server's clock.
	requestID string
	time      time.Time
	// requestIDHeader holds requestID as the answer's header value.
	requestIDHeader [1]string
}

// record adds the request to the journal once, with the status the caller
// sees.
func (x *exchange) record(status int) {
	if !x.journal || x.recorded {
		return
	}
	x.recorded = true
	q := Request{
		Method: x.r.Method, Path: x.r.URL.Path, Query: x.r.URL.RawQuery, Status: status,
		RequestID: x.requestID, Time: x.time,
	}
	if keys := x.r.Header[headerIdempotencyKey]; len(keys) > 0 {
		q.IdempotencyKey = keys[0]
	}
	if x.caller != nil {
		q.User, q.Org = x.caller.user, x.caller.org
	}
	x.s.journal.add(q, x.body)
}

// org returns the organization of the request's key, or "".
func (x *exchange) org() string {
	if x.caller == nil {
		return ""
	}
	return x.caller.org
}

// serve reads the body, then applies the first matching fault rule, if
// any, around the API.
func (s *Server) serve(x *exchange) {
	w, r := &x.w, x.r
	x.body, x.bodyErr = readBody(w, r, s.cfg.bodyTimeout)
	if isControl(r.URL.Path) {
		s.control(w, r, x.body)
		return
	}
	x.journal = r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/")
	if x.journal {
		x.time = stamp(s.cfg.now())
	}
	// Authenticated once, for the journal and for api.
	x.caller, x.authErr = s.authenticate(r)
	// A request that ends without an answer (its caller gave up) is
	// recorded all the same, with the status 0 it saw.
	defer func() { x.record(w.status) }()
	if f, ok := s.faults.take(r.Method, r.URL.Path, x.org()); ok {
		s.inject(w, x, f, func(w http.ResponseWriter) { s.api(w, x) })
		return
	}
	s.api(w, x)
}

// api serves x in the API's order of checks: route, key, rate limit,
// idempotency, then the endpoint (content type, size, JSON, see, act,
// fields).
func (s *Server) api(w http.ResponseWriter, x *exchange) {
	r := x.r
	if x.bodyErr != nil {
		writeError(w, errorCode(http.StatusBadRequest, wire.CodeInvalidJSON, "could not read the body: %v", x.bodyErr))
		return
	}
	rt, err := route(r.Method, r.URL.Path)
	if err != nil {
		writeError(w, err)
		return
	}
	if rt.kind == routeOpenAPI {
		writeJSON(w, http.StatusOK, validate.OpenAPI())
		return
	}
	p := x.caller
	if p == nil {
		writeError(w, x.authErr)
		return
	}
	if err := s.limits.take(w, p, s.cfg.now); err != nil {
		writeError(w, err)
		return
	}
	var keys []string
	if r.Method == http.MethodPost {
		keys = r.Header[headerIdempotencyKey]
	}
	if len(keys) == 0 {
		s.serveAgents(w, r, p, rt, x.body)
		return
	}
	if err := checkIdempotencyKey(keys); err != nil {
		writeError(w, err)
		return
	}
	s.idempotency.serve(w, r, s.cfg.now, p, keys[0], x.body, func(w http.ResponseWriter) {
		s.serveAgents(w, r, p, rt, x.body)
	})
}

// serveAgents dispatches an authenticated /v1 request.
func (s *Server) serveAgents(w http.ResponseWriter, r *http.Request, p *principal, rt routed, body []byte) {
	switch {
	case rt.kind == routeAgents && r.Method == http.MethodGet:
		s.listAgents(w, r, p)
	case rt.kind == routeAgents:
		s.createAgent(w, r, p, body)
	case r.Method == http.MethodGet:
		s.getAgent(w, p, rt.id)
	case r.Method == http.MethodPatch:
		s.updateAgent(w, r, p, rt.id, body)
	default:
		s.deleteAgent(w, p, rt.id)
	}
}

// routeKind names the fake's paths.
type routeKind int

const (
	routeAgents  routeKind = iota + 1 // /v1/agents
	routeAgent                        // /v1/agents/{id}
	routeOpenAPI                      // /openapi.json
)

// routed is a matched request: its path kind and, for routeAgent, the id.
type routed struct {
	kind routeKind
	id   string
}

// allows returns the methods of a path, as the Allow header of a 405 says
// them, and whether method is one of them.
func (k routeKind) allows(method string) (allow string, ok bool) {
	switch k {
	case routeAgents:
		return "GET, POST", method == http.MethodGet || method == http.MethodPost
	case routeAgent:
		return "GET, PATCH, DELETE", method == http.MethodGet || method == http.MethodPatch || method == http.MethodDelete
	}
	return "GET", method == http.MethodGet
}

// route matches a method and path, or returns the JSON 404 of an unknown
// path or the 405 of a known path with another method.
func route(method, path string) (routed, *apiError) {
	var rt routed
	switch {
	case path == wire.AgentsPath:
		rt.kind = routeAgents
	case path == "/openapi.json":
		rt.kind = routeOpenAPI
	case strings.HasPrefix(path, wire.AgentsPath+"/"):
		rt.id = path[len(wire.AgentsPath)+1:]
		if rt.id == "" || strings.Contains(rt.id, "/") {
			return rt, errorf(http.StatusNotFound, "no such path %q", truncate(path, 120))
		}
		rt.kind = routeAgent
	default:
		return rt, errorf(http.StatusNotFound, "no such path %q", truncate(path, 120))
	}
	allow, ok := rt.kind.allows(method)
	if ok {
		return rt, nil
	}
	e := errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s: use %s", method, truncate(path, 120), allow)
	e.allow = allow
	return rt, e
}

// statusWriter remembers the status a response was sent with, for the
// log, and tells the journal before the answer leaves. With body set, it
// also keeps a copy of what was written, for the idempotency memory.
type statusWriter struct {
	http.ResponseWriter
	status int
	x      *exchange     // recorded with the first status, if set
	body   *bytes.Buffer // a copy of the body, if set
}

// WriteHeader records the first status sent.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		if w.x != nil {
			w.x.record(code)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write sends b, with status 200 if no status was sent yet.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.body != nil {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection underneath, for
// Hijack and Flush.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

package fake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/talkifai-go/talkifai/client"
)

// inProcessURL is the base URL of a client of an unstarted server. Its
// requests never reach the network: the in-process transport hands them to
// the server whatever their host. It is loopback, so client.New sends the
// key over http:// without WithInsecureHTTP.
const inProcessURL = "http://localhost"

// The bounds of the retry waits of [Server.Client]'s clients.
const (
	ClientRetryWaitMin = time.Millisecond
	ClientRetryWaitMax = 5 * time.Millisecond
)

// Client returns a client of s acting as [KeyAcmeOwner]. opts come after
// the defaults and override them: s.Client(t, client.WithAPIKey(KeyAcmeMember))
// acts as a member.
//
// Its waits between retries are short, so that tests with faults run in
// milliseconds: 1 ms to 5 ms of backoff, and a Retry-After capped at 5 ms
// (client.WithRetryWait(ClientRetryWaitMin, ClientRetryWaitMax)). A 429
// of [WithRateLimits] (Retry-After: seconds) then spends its retries at
// once and fails, the bucket still empty; a test that means to wait for
// the bucket passes longer waits, client.WithRetryWait(time.Millisecond,
// time.Minute) say, best inside a testing/synctest bubble.
//
// For a started server ([NewServer]) the client speaks HTTP to [Server.URL].
// For an unstarted one ([NewHandler]) it uses the in-process transport of
// [Server.HTTPClient], so it needs no listener and works inside a
// testing/synctest bubble; passing client.WithHTTPClient replaces that
// transport.
//
// Client fails the test when an option makes client.New fail; the
// message never contains the key. Outside a test, pass client.New
// client.WithHTTPClient(s.HTTPClient()) and a base URL.
func (s *Server) Client(tb testing.TB, opts ...client.Option) *client.Client {
	tb.Helper()
	base := s.URL()
	if base == "" {
		base = inProcessURL
	}
	return testClient(tb, "Server.Client", base, s.HTTPClient(), opts)
}

// testClient returns a client of the fake at base, reached through hc,
// acting as KeyAcmeOwner unless opts say otherwise, or fails the test.
// Server.Client and Remote.Client share it, so that both make the same
// client.
func testClient(tb testing.TB, caller, base string, hc *http.Client, opts []client.Option) *client.Client {
	tb.Helper()
	all := append([]client.Option{
		client.WithRetryWait(ClientRetryWaitMin, ClientRetryWaitMax),
		client.WithAPIKey(KeyAcmeOwner),
		client.WithBaseURL(base),
		client.WithHTTPClient(hc),
	}, opts...)
	c, err := client.New(all...)
	if err != nil {
		tb.Fatalf("fake: %s: %v", caller, err)
	}
	return c
}

// HTTPClient returns an *http.Client that reaches s. For a started server
// it is httptest's client of [Server.URL]. For an unstarted one, its
// transport calls s.ServeHTTP in process: every request goes to s whatever
// its host, and no socket is opened. A disconnect fault is then a transport
// error, as on a real connection. Use it for plain net/http requests beside
// [Server.Client].
func (s *Server) HTTPClient() *http.Client {
	if s.ts != nil {
		return s.ts.Client()
	}
	return &http.Client{Transport: inProcess{h: s}}
}

// errDisconnected is what a client sees when the handler drops the
// connection without an answer.
var errDisconnected = errors.New("fake: connection closed without a response")

// inProcess is an http.RoundTripper that serves each request with h.
type inProcess struct {
	h http.Handler
}

// RoundTrip serves req with h in a goroutine of its own and returns the
// recorded response. When req's context ends first, it returns the
// context's error at once, as a real transport does, and the handler
// finishes unobserved.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	sreq, err := serverRequest(req)
	if err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- serve(t.h, rec, sreq) }()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	resp := rec.Result()
	resp.Request = req
	if resp.ContentLength < 0 && resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotModified {
		// As net/http does for an answer it holds whole, which is every
		// answer the fake leaves without a Content-Length.
		resp.ContentLength = int64(rec.Body.Len())
		resp.Header.Set(headerContentLength, strconv.Itoa(rec.Body.Len()))
	}
	return resp, nil
}

// serverRequest turns a client request into what a server hands its
// handler: the body read in full (and the client's closed, as the
// RoundTripper contract asks), the URL as a request URI, a remote address.
func serverRequest(req *http.Request) (*http.Request, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("fake: reading the request body: %w", err)
		}
		body = b
	}
	sreq := req.Clone(req.Context())
	sreq.RequestURI = req.URL.RequestURI()
	u, err := url.ParseRequestURI(sreq.RequestURI)
	if err != nil {
		return nil, err
	}
	sreq.URL = u
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	sreq.RemoteAddr = "127.0.0.1:1"
	sreq.Body = http.NoBody
	sreq.ContentLength = int64(len(body))
	if len(body) > 0 {
		sreq.Body = io.NopCloser(bytes.NewReader(body))
	}
	sreq.GetBody = nil
	return sreq, nil
}

// serve runs h and turns what would drop a real connection (a panic,
// http.ErrAbortHandler included) into an error.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		switch v := recover(); {
		case v == nil:
		case v == http.ErrAbortHandler:
			err = errDisconnected
		default:
			err = fmt.Errorf("%w: the handler panicked: %v", errDisconnected, v)
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

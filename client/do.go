package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// call is one API call: its settings and its state across attempts. Each
// call has its own, and its own go-retryablehttp client whose hooks are
// the call's methods, so no state travels in the context.
type call struct {
	s      *state
	method string
	path   string
	cfg    callConfig
	// replaySafe: the request may be sent again even when the server may
	// have acted on it (every method but POST, and POST with WithPOSTRetries).
	replaySafe bool
	attempts   int // attempts sent so far
	retries    int // retries sent so far
	// mayHaveActed: an earlier attempt may have reached the server and
	// been acted on, though its answer was lost or an error (a connection
	// lost after sending, a 5xx). A 429 or a failed dial leaves it false.
	mayHaveActed bool
	// lastAnswer is the error of the last error answer that was to be
	// retried, kept for when the context or the rate limiter ends the call
	// before the retry answers.
	lastAnswer *APIError
	// limiterFailed: the limiter refused an attempt (not the context).
	limiterFailed bool
	status        int         // of the last answer; 0: none yet
	header        http.Header // of the last answer
	// rc sends the call: a go-retryablehttp client of its own, whose hooks
	// are the call's methods. Kept here to spare an allocation; it holds a
	// sync.Once, so neither it nor the call is ever copied.
	rc retryablehttp.Client
}

// newCall starts a call of method on path, with the client's settings and
// opts on top of them (where says which opts apply). A problem with opts
// is an error wrapping ErrInvalidOption, before anything is sent.
func (s *state) newCall(where scope, method, path string, opts []Option) (*call, error) {
	st := &call{s: s, method: method, path: path, cfg: s.defaults}
	if len(opts) > 0 {
		err := st.cfg.apply(where, opts)
		if err == nil && st.cfg.apiKey != s.defaults.apiKey {
			err = checkCallKey(st.cfg.apiKey)
		}
		if err != nil {
			return nil, st.errorf(err)
		}
	}
	st.replaySafe = method != http.MethodPost || st.cfg.postRetries
	return st, nil
}

// checkCallKey refuses the key of a call's WithAPIKey.
func checkCallKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: WithAPIKey: empty key", ErrInvalidOption)
	}
	if err := checkAPIKey(key); err != nil {
		return fmt.Errorf("%w: WithAPIKey: %w", ErrInvalidOption, err)
	}
	return nil
}

// errorf wraps err with the package and the call: "client: GET /v1/agents/x: ...".
func (st *call) errorf(err error) error {
	return fmt.Errorf("client: %s %s: %w", st.method, st.path, err)
}

// do sends the call with its retries and decodes a 2xx body into out
// (unless out is nil). in, when not nil, is encoded as the JSON body.
//
// The error is the context's own (wrapped) when ctx ended, the *APIError of
// a non-2xx answer (the last one, after retries), or a transport or
// decoding error, each wrapped by errorf.
func (st *call) do(ctx context.Context, query string, in, out any) error {
	if st.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, st.cfg.timeout, fmt.Errorf("WithTimeout(%v) ran out", st.cfg.timeout))
		defer cancel()
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return st.errorf(fmt.Errorf("encoding the body: %w", err))
		}
	}
	req, err := st.newRequest(ctx, query, body)
	if err != nil {
		return st.errorf(err)
	}
	if r := st.cfg.response; r != nil {
		defer r.fill(st)
	}
	if err := st.waitLimiter(ctx); err != nil {
		return st.callError(ctx, err)
	}
	resp, err := st.retryClient().Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return st.callError(ctx, err)
	}
	defer resp.Body.Close()
	return st.decode(ctx, resp, out)
}

// retryClient sets up st.rc for this call, field by field (it holds a
// sync.Once: it must not be copied), and returns it.
func (st *call) retryClient() *retryablehttp.Client {
	hc := st.s.hc
	if st.cfg.attemptTimeoutSet && st.cfg.attemptTimeout != hc.Timeout {
		copied := *hc
		copied.Timeout = st.cfg.attemptTimeout
		hc = &copied
	}
	rc := &st.rc
	rc.HTTPClient = hc
	rc.Logger = nil // never the library's default logger, which prints to stderr
	rc.RetryWaitMin, rc.RetryWaitMax = st.cfg.waitMin, st.cfg.waitMax
	rc.RetryMax = st.cfg.maxRetries
	rc.CheckRetry = st.checkRetry
	rc.Backoff = backoff
	rc.PrepareRetry = st.prepareRetry
	rc.ErrorHandler = keepLastResponse
	return rc
}

// decode reads the final response: a 2xx body into out (unless out is
// nil), anything else into an *APIError.
func (st *call) decode(ctx context.Context, resp *http.Response, out any) error {
	data, err := readBody(resp)
	if err != nil {
		return st.callError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if st.method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && st.retries > 0 && st.mayHaveActed {
			// An earlier attempt deleted it and its answer was lost.
			return nil
		}
		return st.errorf(newAPIError(resp.StatusCode, resp.Header, data, st.cfg.apiKey))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return st.errorf(fmt.Errorf("decoding the %d response: %w", resp.StatusCode, err))
	}
	return nil
}

// newRequest builds the first attempt: URL under the base, the headers, a
// JSON body that go-retryablehttp replays on every attempt, and for POST
// an Idempotency-Key that every retry repeats.
func (st *call) newRequest(ctx context.Context, query string, body []byte) (*retryablehttp.Request, error) {
	u := st.s.base + st.path
	if query != "" {
		u += "?" + query
	}
	var raw any // a nil []byte in an interface is not a nil body to go-retryablehttp
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, st.method, u, raw)
	if err != nil {
		return nil, err
	}
	req.Header = st.s.header.Clone()
	if st.cfg.apiKey != st.s.defaults.apiKey {
		req.Header.Set(wire.HeaderAuthorization, "Bearer "+st.cfg.apiKey)
	}
	for k, v := range st.cfg.header {
		req.Header[k] = v // WithHeader canonicalized k
	}
	if body != nil {
		req.Header.Set(wire.HeaderContentType, wire.ContentTypeJSON)
	}
	if st.method == http.MethodPost {
		key := st.cfg.idempotencyKey
		if !st.cfg.hasKey {
			key = rand.Text()
		}
		req.Header.Set(wire.HeaderIdempotencyKey, key)
	}
	if !st.replaySafe {
		// net/http's Transport silently resends a request that carries an
		// Idempotency-Key (and can rewind its body) when a reused
		// connection drops after sending. That is a POST retry the caller
		// did not opt in to; without GetBody the Transport leaves it to
		// checkRetry. go-retryablehttp rewinds the body by other means.
		req.GetBody = nil
	}
	req.Header.Set(wire.HeaderRetryCount, "0")
	return req, nil
}

// callError is the error of a call that got no usable response: the
// context's own error when ctx ended, else err with the *url.Error layer
// dropped (it repeats method and URL), both wrapped by errorf.
//
// When the context or the limiter ended the call while it waited to
// retry an error answer, the error wraps that answer's *APIError too,
// after the context error: errors.Is matches both context.Canceled (or
// DeadlineExceeded) and the answer's sentinel, and errors.As finds the
// *APIError.
func (st *call) callError(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if ctxErr != nil {
		err = contextError(ctx)
	} else {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
	}
	if st.lastAnswer != nil && (ctxErr != nil || st.limiterFailed) {
		return st.errorf(fmt.Errorf("%w (the last answer: %w)", err, st.lastAnswer))
	}
	return st.errorf(err)
}

// readBody reads resp's body, at most MaxResponseBytes of it.
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > MaxResponseBytes {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrResponseTooLarge, n, MaxResponseBytes)
	}
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 {
		buf.Grow(int(n) + bytes.MinRead) // ReadFrom keeps MinRead free: one allocation in all
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, MaxResponseBytes+1)); err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if buf.Len() > MaxResponseBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrResponseTooLarge, MaxResponseBytes)
	}
	return buf.Bytes(), nil
}

// logAttrs are the attributes of every log line of the call.
func (st *call) logAttrs(attrs ...slog.Attr) []slog.Attr {
	return append([]slog.Attr{slog.String("method", st.method), slog.String("path", st.path), slog.Int("attempt", st.retries)}, attrs...)
}

// contextError is the error of ended ctx: its Err, so that errors.Is
// matches context.Canceled or DeadlineExceeded, followed by its cause when
// that says more ("context deadline exceeded: WithTimeout(2s) ran out"
// tells the call's own timeout from the caller's deadline).
func contextError(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || errors.Is(cause, err) {
		return err
	}
	return fmt.Errorf("%w: %w", err, cause)
}

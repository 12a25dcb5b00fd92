package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// do sends one API call with its retries and decodes a 2xx body into out
// (unless out is nil). in, when not nil, is encoded as the JSON body.
//
// The error is the context's own when ctx ended, an *APIError for a non-2xx
// answer (the last one, after retries), or a transport or decoding error
// wrapped with the method and path.
func (c *Client) do(ctx context.Context, method, path, query string, in, out any) error {
	st := &call{method: method, path: path, replaySafe: method != http.MethodPost || c.postRetries}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("client: %s %s: encoding the body: %w", method, path, err)
		}
	}
	req, err := c.newRequest(context.WithValue(ctx, callKey{}, st), st, query, body)
	if err != nil {
		return err
	}
	if err := c.waitLimiter(ctx); err != nil {
		return c.callError(ctx, st, err)
	}
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return c.callError(ctx, st, err)
	}
	defer resp.Body.Close()
	return c.decode(ctx, st, resp, out)
}

// decode reads the final response: a 2xx body into out (unless out is
// nil), anything else into an *APIError.
func (c *Client) decode(ctx context.Context, st *call, resp *http.Response, out any) error {
	data, err := readBody(resp)
	if err != nil {
		return c.callError(ctx, st, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if st.method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && st.retries > 0 && st.mayHaveActed {
			// An earlier attempt deleted it and its answer was lost.
			return nil
		}
		return newAPIError(resp.StatusCode, resp.Header, data, c.apiKey)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("client: %s %s: decoding the %d response: %w", st.method, st.path, resp.StatusCode, err)
	}
	return nil
}

// newRequest builds the first attempt: URL under the base, the client's
// headers, a JSON body that go-retryablehttp replays on every attempt, and
// for POST an Idempotency-Key that every retry repeats.
func (c *Client) newRequest(ctx context.Context, st *call, query string, body []byte) (*retryablehttp.Request, error) {
	u := c.base + st.path
	if query != "" {
		u += "?" + query
	}
	var raw any // a nil []byte in an interface is not a nil body to go-retryablehttp
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, st.method, u, raw)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", st.method, st.path, err)
	}
	req.Header = c.header.Clone()
	if body != nil {
		req.Header.Set(wire.HeaderContentType, wire.ContentTypeJSON)
	}
	if st.method == http.MethodPost {
		key, ok := idempotencyKey(ctx)
		if !ok {
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
// context's own error when ctx ended, else err wrapped with method and
// path (the *url.Error layer is dropped: it repeats them).
//
// When the context or the rate limiter ended the call while it waited to
// retry an error answer, the error wraps that answer's *APIError too,
// after the context error: errors.Is matches both context.Canceled (or
// DeadlineExceeded) and the answer's sentinel, and errors.As finds the
// *APIError.
func (c *Client) callError(ctx context.Context, st *call, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if st.lastAnswer != nil {
			return fmt.Errorf("%w (the last answer: %w)", ctxErr, st.lastAnswer)
		}
		return ctxErr
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	if st.lastAnswer != nil && errors.Is(err, errLimitOutlasts) {
		return fmt.Errorf("client: %s %s: %w (the last answer: %w)", st.method, st.path, err, st.lastAnswer)
	}
	return fmt.Errorf("client: %s %s: %w", st.method, st.path, err)
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

package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Response is what the API's answer to one call said besides its body:
// status, headers, request id, the rate-limit figures of that answer, and
// how many attempts the call made. Ask for it with [WithResponse].
//
// It describes the last answer the call received, a success or an error
// answer alike (a 404, or the 503 that remained when retries ran out). When
// no answer came at all (every attempt failed to connect), StatusCode is 0
// and Header nil, and Attempts still counts the attempts.
type Response struct {
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Header holds the last answer's headers.
	Header http.Header
	// RequestID is the answer's X-Request-Id, "" when absent: quote it to
	// the API's support.
	RequestID string
	// RateLimit holds the answer's X-RateLimit-* figures, the zero value
	// when it carried none.
	RateLimit RateLimit
	// Replayed reports whether the server answered a Create from its
	// record of an earlier call with the same idempotency key
	// (Idempotent-Replayed: true) instead of creating again.
	Replayed bool
	// Attempts counts the attempts the call sent: 1, plus one per retry.
	Attempts int
}

// RateLimit is the server's rate-limit state as one answer's X-RateLimit-*
// headers reported it.
type RateLimit struct {
	Limit     int       // requests per minute
	Remaining int       // whole requests left when the answer was sent
	Reset     time.Time // when the bucket is full again
}

// WithResponse makes the call fill *r with its [Response] when it ends:
// after a success, and after an error answer too (errors.As finds the
// *APIError; r adds its headers and attempt count). A call refused before
// sending leaves *r alone. [AgentsService.All] fills *r after each page it
// fetches, so once the loop ends *r describes the last page fetched. A nil
// r is an error. Every call; not New.
func WithResponse(r *Response) Option {
	return Option{name: "WithResponse", where: onCalls, call: func(cc *callConfig) error {
		if r == nil {
			return errors.New("WithResponse: nil *Response")
		}
		cc.response = r
		return nil
	}}
}

// WithIdempotencyKey makes [AgentsService.Create] send key as its
// Idempotency-Key instead of a fresh random one. The key is for that one
// call: pass it again to repeat the operation.
//
// The client retries a POST whose answer was lost only with
// [WithPOSTRetries]; a caller who retries a Create itself after an error
// passes the same key to each call, and a server that honours the key (the
// fake does) replays the first call's answer instead of creating a second
// agent ([Response] reports Replayed). The same key with another body is
// refused with an error matching [ErrIdempotencyConflict].
//
// key must be 1 to 255 printable ASCII characters (space to tilde); Create
// refuses any other, without sending, with an error matching
// [ErrInvalidParameter]. Create only.
func WithIdempotencyKey(key string) Option {
	return Option{name: "WithIdempotencyKey", where: onCreate, call: func(cc *callConfig) error {
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
		cc.idempotencyKey, cc.hasKey = key, true
		return nil
	}}
}

// checkIdempotencyKey refuses a key the header cannot carry as given. The
// key is not quoted: it could be anything, a secret included.
func checkIdempotencyKey(key string) error {
	if len(key) < 1 || len(key) > 255 {
		return fmt.Errorf("%w: idempotency key of %d bytes: it must have 1 to 255", ErrInvalidParameter, len(key))
	}
	for i := range len(key) {
		if key[i] < 0x20 || key[i] > 0x7e {
			return fmt.Errorf("%w: idempotency key: byte %d is not printable ASCII", ErrInvalidParameter, i)
		}
	}
	return nil
}

// fill sets *r from the call's last answer and attempt count.
func (r *Response) fill(st *call) {
	*r = Response{StatusCode: st.status, Header: st.header, Attempts: st.attempts}
	if st.header == nil {
		return
	}
	r.RequestID = st.header.Get(wire.HeaderRequestID)
	r.RateLimit = parseRateLimit(st.header)
	r.Replayed = st.header.Get(wire.HeaderIdempotentReplayed) == "true"
}

// parseRateLimit reads the X-RateLimit-* headers of h; the zero RateLimit
// when h has none.
func parseRateLimit(h http.Header) RateLimit {
	var rl RateLimit
	limit := h.Get(wire.HeaderRateLimitLimit)
	if limit == "" {
		return rl
	}
	rl.Limit, _ = strconv.Atoi(limit)
	rl.Remaining, _ = strconv.Atoi(h.Get(wire.HeaderRateLimitRemaining))
	if reset, err := strconv.ParseInt(h.Get(wire.HeaderRateLimitReset), 10, 64); err == nil {
		rl.Reset = time.Unix(reset, 0)
	}
	return rl
}

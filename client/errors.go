package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// APIError is an error answer of the API: a status outside 2xx, with the
// error envelope's code, message and details when the body had them.
//
// Test for a kind of error with errors.Is and the sentinels (ErrNotFound,
// ErrRateLimited, ...), and reach the fields with errors.As:
//
//	var apiErr *client.APIError
//	if errors.As(err, &apiErr) { log.Print(apiErr.RequestID) }
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the envelope's code (wire codes such as "NOT_FOUND"), or ""
	// when the body was not the API's JSON error envelope (a proxy's HTML
	// page, say). Like every string taken from the response (Message,
	// RequestID, each detail's Field, Code and Message), it has the API key
	// redacted.
	Code string
	// Message is the envelope's message, or a description of the status and
	// the start of the body when that was not JSON. The API key is
	// redacted from it.
	Message string
	// RequestID is the response's X-Request-Id, "" when absent.
	RequestID string
	// Details lists the failing fields of a VALIDATION_ERROR, the API key
	// redacted from each.
	Details []agents.FieldError
	// RetryAfter is the response's Retry-After (seconds or HTTP-date), 0
	// when absent.
	RetryAfter time.Duration
}

// Error describes e in one line: status, code, message, failing fields,
// request id. It has no prefix of its own: a call returns e wrapped, as
// "client: GET /v1/agents/agent_x: 404 NOT_FOUND: ...".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 {
		fields := make([]string, len(e.Details))
		for i, d := range e.Details {
			fields[i] = d.Field + ": " + d.Code
		}
		b.WriteString(" (" + strings.Join(fields, "; ") + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	return b.String()
}

// Sentinels for errors.Is, one per error code of the API. Their text has
// no prefix: they are only ever seen wrapped, in an error that starts
// "client: ".
var (
	// ErrInvalidRequestJSON: the server could not read the request body as
	// one JSON object (code INVALID_JSON). The client sends only bodies it
	// encoded itself, so this points at something between it and the API.
	ErrInvalidRequestJSON   = errors.New("request body is not one JSON object")
	ErrValidation           = errors.New("validation failed")
	ErrInvalidParameter     = errors.New("invalid parameter")
	ErrUnauthorized         = errors.New("unauthorized")
	ErrForbidden            = errors.New("forbidden")
	ErrNotFound             = errors.New("not found")
	ErrMethodNotAllowed     = errors.New("method not allowed")
	ErrIdempotencyConflict  = errors.New("idempotency key reused with another body")
	ErrPayloadTooLarge      = errors.New("payload too large")
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	ErrRateLimited          = errors.New("rate limited")
	ErrInternal             = errors.New("internal server error")
	ErrBadGateway           = errors.New("bad gateway")
	ErrServiceUnavailable   = errors.New("service unavailable")
	ErrGatewayTimeout       = errors.New("gateway timeout")
)

// ErrInvalidOption is wrapped by the error of an [Option] given a value it
// cannot use, or given where it means nothing: to New when it is for calls
// ([WithResponse]), to a call when it is for New ([WithBaseURL]) or for
// another method ([WithIdempotencyKey] on Get). The call sends nothing.
var ErrInvalidOption = errors.New("invalid option")

// ErrResponseTooLarge is returned (wrapped) when a response body exceeds
// MaxResponseBytes; the client reads no further, and does not take what
// it read for an answer.
var ErrResponseTooLarge = errors.New("response body too large")

// MaxResponseBytes is the most the client reads of a response body (8 MiB).
const MaxResponseBytes = 8 << 20

var sentinels = map[string]error{
	wire.CodeInvalidJSON:          ErrInvalidRequestJSON,
	wire.CodeValidation:           ErrValidation,
	wire.CodeInvalidParameter:     ErrInvalidParameter,
	wire.CodeUnauthorized:         ErrUnauthorized,
	wire.CodeForbidden:            ErrForbidden,
	wire.CodeNotFound:             ErrNotFound,
	wire.CodeMethodNotAllowed:     ErrMethodNotAllowed,
	wire.CodeIdempotencyConflict:  ErrIdempotencyConflict,
	wire.CodePayloadTooLarge:      ErrPayloadTooLarge,
	wire.CodeUnsupportedMediaType: ErrUnsupportedMediaType,
	wire.CodeRateLimited:          ErrRateLimited,
	wire.CodeInternal:             ErrInternal,
	wire.CodeBadGateway:           ErrBadGateway,
	wire.CodeServiceUnavailable:   ErrServiceUnavailable,
	wire.CodeGatewayTimeout:       ErrGatewayTimeout,
}

// Is reports whether target is the sentinel of e's code. When the code is
// empty or unknown (a body that was not the API's JSON), the status decides
// instead, for the statuses that have one code (every one but 400).
func (e *APIError) Is(target error) bool {
	s, ok := sentinels[e.Code]
	if !ok {
		s = sentinels[wire.CodeForStatus(e.StatusCode)]
	}
	return s != nil && s == target
}

// As lets errors.As find a *agents.ValidationError in a VALIDATION_ERROR
// answer, holding e's Details, so that one errors.As handles invalid params
// whether the client or the server caught them.
func (e *APIError) As(target any) bool {
	ve, ok := target.(**agents.ValidationError)
	if !ok || e.Code != wire.CodeValidation || len(e.Details) == 0 {
		return false
	}
	*ve = &agents.ValidationError{Fields: e.Details}
	return true
}

// newAPIError builds the error of a non-2xx response from its status,
// headers and body (already read). It never fails: a body that is not the
// error envelope still gives the status and a readable start of the body.
func newAPIError(status int, h http.Header, body []byte, apiKey string) *APIError {
	e := &APIError{StatusCode: status, RequestID: h.Get(wire.HeaderRequestID)}
	e.RetryAfter, _ = parseRetryAfter(h.Get(wire.HeaderRetryAfter), time.Now())
	var env wire.ErrorResponse
	if err := json.Unmarshal(body, &env); err == nil && (env.Code != "" || env.Error != "") {
		e.Code, e.Message, e.Details = env.Code, env.Error, env.Details
	} else {
		e.Message = describeBody(status, h.Get(wire.HeaderContentType), body)
	}
	e.redact(apiKey)
	return e
}

// redact removes the API key from every string of e that came from the
// response: a server that echoes the key (in a detail's message, say) must
// not put it in an error message or an *agents.ValidationError.
func (e *APIError) redact(apiKey string) {
	e.Code = redact(e.Code, apiKey)
	e.Message = redact(e.Message, apiKey)
	e.RequestID = redact(e.RequestID, apiKey)
	if len(e.Details) == 0 {
		return
	}
	details := make([]agents.FieldError, len(e.Details))
	for i, d := range e.Details {
		details[i] = agents.FieldError{
			Field:   redact(d.Field, apiKey),
			Code:    redact(d.Code, apiKey),
			Message: redact(d.Message, apiKey),
		}
	}
	e.Details = details
}

// describeBody says what a non-envelope body was: the status text, the
// content type, and its first printable characters.
func describeBody(status int, contentType string, body []byte) string {
	msg := http.StatusText(status)
	if msg == "" {
		msg = "status " + strconv.Itoa(status)
	}
	if len(body) == 0 {
		return msg + " (empty body)"
	}
	if contentType == "" {
		contentType = "unknown content type"
	}
	return fmt.Sprintf("%s (%s body: %q)", msg, contentType, snippet(body, 120))
}

// snippet returns up to n runes of b with runs of white space and control
// characters folded into single spaces.
func snippet(b []byte, n int) string {
	var out strings.Builder
	space := false
	for len(b) > 0 && n > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if space && out.Len() > 0 {
			out.WriteByte(' ')
			n--
		}
		space = false
		out.WriteRune(r)
		n--
	}
	if len(b) > 0 {
		out.WriteString("…")
	}
	return out.String()
}

// invalidBody is a body the client refused before sending. It reads as its
// *agents.ValidationError, and matches ErrValidation as the server's
// refusal of the same body does, so that one errors.Is(err, ErrValidation)
// catches both.
type invalidBody struct{ *agents.ValidationError }

func (e invalidBody) Is(target error) bool { return target == ErrValidation }
func (e invalidBody) Unwrap() error        { return e.ValidationError }

// checkBody returns the error of a body that validate finds invalid, or
// nil.
func checkBody(validate func() error) error {
	err := validate()
	var ve *agents.ValidationError
	if errors.As(err, &ve) {
		return invalidBody{ve}
	}
	return err
}

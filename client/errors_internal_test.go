package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/wire"
)

const testKey = "tk_secret_key_123"

func TestNewAPIError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   *APIError
	}{
		{
			name:   "envelope",
			status: 404,
			header: http.Header{"X-Request-Id": {"req_1"}},
			body:   `{"success":false,"error":"agent not found","code":"NOT_FOUND"}`,
			want:   &APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "agent not found", RequestID: "req_1"},
		},
		{
			name:   "validation details",
			status: 400,
			body: `{"success":false,"error":"invalid","code":"VALIDATION_ERROR","details":[` +
				`{"field":"stt","code":"required","message":"stt is required"}]}`,
			want: &APIError{StatusCode: 400, Code: "VALIDATION_ERROR", Message: "invalid",
				Details: []agents.FieldError{{Field: "stt", Code: "required", Message: "stt is required"}}},
		},
		{
			name:   "retry after seconds",
			status: 429,
			header: http.Header{"Retry-After": {"7"}},
			body:   `{"success":false,"error":"slow down","code":"RATE_LIMITED"}`,
			want:   &APIError{StatusCode: 429, Code: "RATE_LIMITED", Message: "slow down", RetryAfter: 7 * time.Second},
		},
		{
			name:   "proxy html",
			status: 502,
			header: http.Header{"Content-Type": {"text/html"}},
			body:   "<html>\n  <head><title>502 Bad Gateway</title></head>\n</html>",
			want: &APIError{StatusCode: 502,
				Message: `Bad Gateway (text/html body: "<html> <head><title>502 Bad Gateway</title></head> </html>")`},
		},
		{
			name:   "empty body",
			status: 503,
			want:   &APIError{StatusCode: 503, Message: "Service Unavailable (empty body)"},
		},
		{
			name:   "unknown status without body",
			status: 599,
			want:   &APIError{StatusCode: 599, Message: "status 599 (empty body)"},
		},
		{
			name:   "json that is not the envelope",
			status: 500,
			body:   `{"oops":true}`,
			want:   &APIError{StatusCode: 500, Message: `Internal Server Error (unknown content type body: "{\"oops\":true}")`},
		},
		{
			name:   "echoed key is redacted",
			status: 401,
			body:   `{"success":false,"error":"unknown key tk_secret_key_123","code":"UNAUTHORIZED"}`,
			want:   &APIError{StatusCode: 401, Code: "UNAUTHORIZED", Message: "unknown key [REDACTED]"},
		},
		{
			name:   "echoed key in html is redacted",
			status: 502,
			body:   "Authorization: Bearer tk_secret_key_123",
			want:   &APIError{StatusCode: 502, Message: `Bad Gateway (unknown content type body: "Authorization: Bearer [REDACTED]")`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			got := newAPIError(tt.status, h, []byte(tt.body), testKey)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("newAPIError mismatch (-want +got):\n%s", diff)
			}
			if strings.Contains(got.Error(), testKey) {
				t.Errorf("Error() contains the key: %s", got.Error())
			}
		})
	}
}

func TestAPIErrorRetryAfterDate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) { // a clock that stands still, on a whole second
		date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
		e := newAPIError(503, http.Header{"Retry-After": {date}}, nil, "")
		if e.RetryAfter != time.Hour {
			t.Errorf("RetryAfter = %v, want 1h", e.RetryAfter)
		}
	})
}

func TestAPIErrorIs(t *testing.T) {
	t.Parallel()
	all := []error{ErrInvalidRequestJSON, ErrValidation, ErrInvalidParameter, ErrUnauthorized, ErrForbidden,
		ErrNotFound, ErrMethodNotAllowed, ErrIdempotencyConflict, ErrPayloadTooLarge,
		ErrUnsupportedMediaType, ErrRateLimited, ErrInternal, ErrBadGateway, ErrServiceUnavailable, ErrGatewayTimeout}
	tests := []struct {
		status int
		code   string
		want   error // nil: matches no sentinel
	}{
		{400, wire.CodeInvalidJSON, ErrInvalidRequestJSON},
		{400, wire.CodeValidation, ErrValidation},
		{400, wire.CodeInvalidParameter, ErrInvalidParameter},
		{401, wire.CodeUnauthorized, ErrUnauthorized},
		{403, wire.CodeForbidden, ErrForbidden},
		{404, wire.CodeNotFound, ErrNotFound},
		{405, wire.CodeMethodNotAllowed, ErrMethodNotAllowed},
		{409, wire.CodeIdempotencyConflict, ErrIdempotencyConflict},
		{413, wire.CodePayloadTooLarge, ErrPayloadTooLarge},
		{415, wire.CodeUnsupportedMediaType, ErrUnsupportedMediaType},
		{429, wire.CodeRateLimited, ErrRateLimited},
		{500, wire.CodeInternal, ErrInternal},
		{502, wire.CodeBadGateway, ErrBadGateway},
		{503, wire.CodeServiceUnavailable, ErrServiceUnavailable},
		{504, wire.CodeGatewayTimeout, ErrGatewayTimeout},
		// The code wins over the status.
		{500, wire.CodeNotFound, ErrNotFound},
		// No usable code: the status decides, where it has one code.
		{404, "", ErrNotFound},
		{502, "", ErrBadGateway},
		{429, "SOMETHING_NEW", ErrRateLimited},
		{400, "", nil},
		{418, wire.CodeInjectedFault, nil},
		{301, "", nil},
	}
	for _, tt := range tests {
		e := &APIError{StatusCode: tt.status, Code: tt.code}
		for _, s := range all {
			if got := errors.Is(e, s); got != (s == tt.want) {
				t.Errorf("errors.Is(%d %q, %v) = %v", tt.status, tt.code, s, got)
			}
		}
	}
}

func TestAPIErrorAsValidationError(t *testing.T) {
	t.Parallel()
	fields := []agents.FieldError{{Field: "name", Code: agents.CodeTooLong, Message: "name must be at most 100 characters"}}
	var err error = &APIError{StatusCode: 400, Code: wire.CodeValidation, Details: fields}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatal("errors.As found no *agents.ValidationError")
	}
	if diff := cmp.Diff(fields, ve.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	err = &APIError{StatusCode: 404, Code: wire.CodeNotFound}
	if errors.As(err, &ve) {
		t.Error("a NOT_FOUND converted to *agents.ValidationError")
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	e := &APIError{StatusCode: 400, Code: "VALIDATION_ERROR", Message: "2 invalid fields", RequestID: "req_9",
		Details: []agents.FieldError{{Field: "name", Code: "too_long"}, {Field: "stt", Code: "required"}}}
	want := "400 VALIDATION_ERROR: 2 invalid fields (name: too_long; stt: required) [request req_9]"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(404, []byte(`{"success":false,"error":"x","code":"NOT_FOUND"}`), "3")
	f.Add(502, []byte("<html>\x00\xff bad</html>"), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(400, []byte(`{"details":[{"field":1}]}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		e := newAPIError(status, http.Header{"Retry-After": {retryAfter}}, body, testKey)
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		if e.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %v", e.RetryAfter)
		}
		if strings.Contains(e.Error(), testKey) {
			t.Fatalf("key in %q", e.Error())
		}
	})
}

// A server that echoes the key anywhere in its answer (a detail's message,
// field or code, the code, the request id) must not put it in an error.
func TestNewAPIErrorRedactsEveryString(t *testing.T) {
	t.Parallel()
	body := `{"success":false,"code":"VALIDATION_ERROR` + testKey + `","error":"bad ` + testKey + `",` +
		`"details":[{"field":"name` + testKey + `","code":"too_long` + testKey + `","message":"key ` + testKey + ` is not a name"}]}`
	h := http.Header{wire.HeaderRequestID: {"req_" + testKey}}
	e := newAPIError(400, h, []byte(body), testKey)
	var ve *agents.ValidationError
	e.Code = wire.CodeValidation // so that As applies; the redacted code is checked below
	for _, s := range []string{e.Error(), e.Message, e.RequestID, e.Details[0].Field, e.Details[0].Code, e.Details[0].Message} {
		if strings.Contains(s, testKey) {
			t.Errorf("key in %q", s)
		}
	}
	if !errors.As(error(e), &ve) {
		t.Fatal("errors.As found no *agents.ValidationError")
	}
	if strings.Contains(ve.Error(), testKey) {
		t.Errorf("key in the ValidationError: %q", ve.Error())
	}
	if want := "key [REDACTED] is not a name"; ve.Fields[0].Message != want {
		t.Errorf("detail message %q, want %q", ve.Fields[0].Message, want)
	}
	code := newAPIError(400, h, []byte(body), testKey).Code
	if strings.Contains(code, testKey) {
		t.Errorf("key in the code %q", code)
	}
}

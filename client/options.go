package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Defaults of the options.
const (
	DefaultMaxRetries   = 3
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultTimeout bounds each attempt when no *http.Client is given.
	DefaultTimeout = 60 * time.Second
)

// Environment variables that New reads when the options do not say.
const (
	envAPIKey  = "TALKIFAI_API_KEY"
	envBaseURL = "TALKIFAI_BASE_URL"
)

// An Option configures a [Client] in [New]. Options are applied in order,
// so a later option overrides an earlier one. An option given a value it
// cannot use makes New fail; options never fail on their own.
type Option func(*options)

// options is what the Options set, checked as a whole by New.
type options struct {
	apiKey       string
	baseURL      string
	httpClient   *http.Client
	maxRetries   int
	waitMin      time.Duration
	waitMax      time.Duration
	limiter      *rate.Limiter
	logger       *slog.Logger
	userAgent    string
	header       http.Header
	postRetries  bool
	insecureHTTP bool
	errs         []error // from options given unusable values
}

func defaultOptions() options {
	return options{
		maxRetries: DefaultMaxRetries,
		waitMin:    DefaultRetryWaitMin,
		waitMax:    DefaultRetryWaitMax,
		userAgent:  "talkifai-go/" + Version,
		header:     http.Header{},
	}
}

// WithAPIKey sets the API key, sent as "Authorization: Bearer <key>". Without
// it (or with an empty key), New reads TALKIFAI_API_KEY.
func WithAPIKey(key string) Option {
	return func(o *options) { o.apiKey = key }
}

// WithBaseURL sets the API's base URL: scheme, host and an optional path
// prefix, without /v1 (every request path carries it). Without it (or with
// an empty URL), New reads TALKIFAI_BASE_URL, else uses
// https://api.talkifai.dev. New fails on a URL with a query, a fragment or
// user information, and on http:// to a host that is not loopback unless
// [WithInsecureHTTP] is given.
func WithBaseURL(u string) Option {
	return func(o *options) { o.baseURL = u }
}

// WithHTTPClient sets the *http.Client that sends every attempt (its
// Transport and Timeout are used as they are). The Client works on a copy
// whose CheckRedirect refuses every redirect: the API sends none, and
// following one could carry the API key to another scheme or host. Without
// this option each attempt is bounded by [DefaultTimeout]. A nil client
// makes New fail.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) {
		if hc == nil {
			o.errs = append(o.errs, errors.New("client: WithHTTPClient: nil *http.Client"))
			return
		}
		o.httpClient = hc
	}
}

// WithMaxRetries sets how many times a failed request is retried, on top of
// the first attempt (default 3; 0 disables retries). A negative n makes New
// fail.
func WithMaxRetries(n int) Option {
	return func(o *options) {
		if n < 0 {
			o.errs = append(o.errs, fmt.Errorf("client: WithMaxRetries: negative count %d", n))
			return
		}
		o.maxRetries = n
	}
}

// WithRetryWait sets the bounds of the wait before a retry (defaults 500ms
// and 30s). The backoff grows exponentially from min with jitter and never
// exceeds max. A server's Retry-After replaces the backoff: it is capped at
// max but not raised to min, so Retry-After: 0 (or a date in the past)
// retries at once. New fails unless 0 <= min <= max.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(o *options) {
		if minWait < 0 || maxWait < minWait {
			o.errs = append(o.errs, fmt.Errorf("client: WithRetryWait: need 0 <= min <= max, got %v and %v", minWait, maxWait))
			return
		}
		o.waitMin, o.waitMax = minWait, maxWait
	}
}

// WithRateLimit makes the client wait on a token bucket of r requests per
// second and the given burst before every attempt, retries included. One
// limiter is shared by every goroutine that uses the client. A wait ends
// with the context's error when the context does, and fails at once
// (nothing sent, errors.Is(err, context.DeadlineExceeded)) when the
// context's deadline would pass first; before a retry, that error wraps the
// *APIError of the answer being retried as well. New fails
// for r <= 0, or burst < 1 with a finite r (rate.Inf disables limiting).
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(o *options) {
		if r <= 0 || (r != rate.Inf && burst < 1) {
			o.errs = append(o.errs, fmt.Errorf("client: WithRateLimit: need a positive rate and a burst of at least 1, got %v and %d", r, burst))
			return
		}
		o.limiter = rate.NewLimiter(r, burst)
	}
}

// WithLogger sets the logger for one debug line per attempt and one info
// line per retry: method, path, status, request id, attempt. Request and
// response bodies, headers and the API key are never logged. A nil logger
// (the default) is silent.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithUserAgent sets the User-Agent header (default "talkifai-go/" +
// [Version]). New fails for an empty value or one with control characters.
func WithUserAgent(ua string) Option {
	return func(o *options) {
		if ua == "" || !validHeaderValue(ua) {
			o.errs = append(o.errs, errors.New("client: WithUserAgent: empty or has control characters"))
			return
		}
		o.userAgent = ua
	}
}

// managedHeaders are set by the client itself and cannot be overridden.
var managedHeaders = []string{
	wire.HeaderAuthorization, wire.HeaderAPIKey, wire.HeaderContentType, wire.HeaderIdempotencyKey,
	wire.HeaderRetryCount, "Content-Length", "Host", "User-Agent", "Accept",
}

// WithHeader adds a header to every request; a later WithHeader of the same
// key replaces the value. New fails for a malformed key or value, and for a
// header the client manages itself (Authorization, X-API-Key, Content-Type,
// Content-Length, Host, Accept, Idempotency-Key, X-Talkifai-Retry-Count, and
// User-Agent, which [WithUserAgent] sets).
func WithHeader(key, value string) Option {
	return func(o *options) {
		switch {
		case !validHeaderKey(key):
			o.errs = append(o.errs, fmt.Errorf("client: WithHeader: invalid header name %q", key))
		case !validHeaderValue(value):
			o.errs = append(o.errs, fmt.Errorf("client: WithHeader: value of %s has control characters", key))
		case isManaged(key):
			o.errs = append(o.errs, fmt.Errorf("client: WithHeader: %s is set by the client", http.CanonicalHeaderKey(key)))
		default:
			o.header.Set(key, value)
		}
	}
}

// WithPOSTRetries opts in to retrying POST (create) after failures where the
// server may have acted: a connection lost after the request was sent, a
// response timeout, and 500, 502, 503, 504. Every POST carries an
// Idempotency-Key that stays the same across its retries, so a server that
// honours the key (the fake does) creates at most one agent. The published
// API does not promise to honour it, which is why this is off by default.
// POSTs that never reached the server (dial or DNS failure) and 429s are
// retried either way.
func WithPOSTRetries() Option {
	return func(o *options) { o.postRetries = true }
}

// WithInsecureHTTP allows a base URL of http:// to a host that is not
// loopback, which sends the API key in clear text. Use it only on networks
// you trust (a test cluster, a sidecar).
func WithInsecureHTTP() Option {
	return func(o *options) { o.insecureHTTP = true }
}

func isManaged(key string) bool {
	for _, m := range managedHeaders {
		if strings.EqualFold(key, m) {
			return true
		}
	}
	return false
}

// validHeaderKey reports whether key is an HTTP token (RFC 9110, 5.6.2).
func validHeaderKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		ok := r < 0x7f && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r))
		if !ok {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v has no control characters but tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < 0x20 && b != '\t') || b == 0x7f {
			return false
		}
	}
	return true
}

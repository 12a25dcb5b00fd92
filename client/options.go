package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Defaults of the options.
const (
	DefaultMaxRetries   = 3
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultAttemptTimeout bounds each attempt when neither
	// [WithAttemptTimeout] nor [WithHTTPClient] says otherwise.
	DefaultAttemptTimeout = 60 * time.Second
)

// Environment variables that New reads when the options do not say.
const (
	envAPIKey  = "TALKIFAI_API_KEY"
	envBaseURL = "TALKIFAI_BASE_URL"
)

// An Option configures a [Client] in [New], or one call when it is passed to
// a method of [AgentsService] after the method's own arguments:
//
//	c, err := client.New(client.WithMaxRetries(5))
//	a, err := c.Agents.Get(ctx, id, client.WithTimeout(2*time.Second), client.WithResponse(&resp))
//
// One type serves both, so a setting has one name wherever it is given. A
// call's options apply on top of the client's, for that call only. Each
// option's doc says where it applies; one given where it means nothing
// ([WithBaseURL] to a call, [WithResponse] to New, [WithIdempotencyKey] to
// Get) makes New fail, or the call fail before sending, with an error
// matching [ErrInvalidOption]. So does a value the option cannot use.
// Options apply in order: a later one overrides an earlier one.
type Option struct {
	name  string
	where scope
	set   func(*config) error     // an option of New only
	call  func(*callConfig) error // an option of calls (and of New, when where says so)
}

// scope is where an Option applies: New, and the calls it names.
type scope uint8

const (
	atNew  scope = 1 << iota
	onList       // List and All
	onCreate
	onGet
	onUpdate
	onDelete

	onCalls    = onList | onCreate | onGet | onUpdate | onDelete
	everywhere = atNew | onCalls
)

// scopeNames names the places of a scope, in the order String lists them.
var scopeNames = []struct {
	s    scope
	name string
}{
	{atNew, "New"}, {onList, "List and All"}, {onCreate, "Create"}, {onGet, "Get"}, {onUpdate, "Update"}, {onDelete, "Delete"},
}

// String names the places of s for an error message: "Create", "New,
// Create and Update", "calls".
func (s scope) String() string {
	var names []string
	for _, n := range scopeNames {
		switch {
		case s&onCalls == onCalls && n.s == onList:
			names = append(names, "every call")
		case s&onCalls == onCalls && n.s&onCalls != 0:
		case s&n.s != 0:
			names = append(names, n.name)
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// config is what the options set: the client's own settings, and the
// settings of a call, which New keeps as every call's starting point.
type config struct {
	baseURL      string
	httpClient   *http.Client
	logger       *slog.Logger
	userAgent    string
	insecureHTTP bool
	call         callConfig
}

// callConfig is what one call runs with.
type callConfig struct {
	apiKey string
	// header holds the extra headers of WithHeader. It may be shared with
	// the client's defaults: copy it before a change (ownHeader).
	header         http.Header
	ownHeader      bool
	maxRetries     int
	waitMin        time.Duration
	waitMax        time.Duration
	timeout        time.Duration // the whole call; 0: none
	attemptTimeout time.Duration // each attempt; 0: no bound
	// attemptTimeoutSet: WithAttemptTimeout was given, so attemptTimeout
	// replaces the *http.Client's Timeout.
	attemptTimeoutSet bool
	limiter           Limiter
	postRetries       bool
	validate          bool
	idempotencyKey    string
	hasKey            bool
	response          *Response
}

func defaultConfig() config {
	return config{
		userAgent: "talkifai-go/" + Version,
		call: callConfig{
			header:     http.Header{},
			ownHeader:  true,
			maxRetries: DefaultMaxRetries,
			waitMin:    DefaultRetryWaitMin,
			waitMax:    DefaultRetryWaitMax,
			validate:   true,
		},
	}
}

// apply runs opts in order in New, and returns every problem at once,
// each wrapping ErrInvalidOption.
func (cfg *config) apply(opts []Option) error {
	return applyAll(atNew, opts, func(o Option) error {
		if o.call != nil {
			return o.call(&cfg.call)
		}
		return o.set(cfg)
	})
}

// apply runs opts in order for one call (where is its scope), as
// config.apply does.
func (cc *callConfig) apply(where scope, opts []Option) error {
	return applyAll(where, opts, func(o Option) error { return o.call(cc) })
}

// applyAll runs set on each of opts that applies where, and returns every
// problem at once, each wrapping ErrInvalidOption.
func applyAll(where scope, opts []Option, set func(Option) error) error {
	var errs []error
	for _, o := range opts {
		var err error
		switch {
		case o.set == nil && o.call == nil:
			err = errors.New("a zero Option")
		case o.where&where == 0 && where == atNew:
			err = fmt.Errorf("%s applies to a call, not to New", o.name)
		case o.where&where == 0:
			err = fmt.Errorf("%s applies only to %s, not to %s", o.name, o.where, where)
		default:
			err = set(o)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrInvalidOption, err))
		}
	}
	return errors.Join(errs...)
}

// WithAPIKey sets the API key, sent as "Authorization: Bearer <key>".
//
// In New, without it (or with an empty key) New reads TALKIFAI_API_KEY. On
// a call it replaces the client's key for that call only: a service acting
// for several organizations keeps one client and passes each one's key.
// A call fails before sending for an empty key, and New and the call
// alike for a key with white space or control characters.
func WithAPIKey(key string) Option {
	return Option{name: "WithAPIKey", where: everywhere, call: func(cc *callConfig) error {
		cc.apiKey = key
		return nil
	}}
}

// WithBaseURL sets the API's base URL: scheme, host and an optional path
// prefix, without /v1 (every request path carries it). Without it (or with
// an empty URL), New reads TALKIFAI_BASE_URL, else uses
// https://api.talkifai.dev. New fails on a URL with a query, a fragment or
// user information, and on http:// to a host that is not loopback unless
// [WithInsecureHTTP] is given. New only.
func WithBaseURL(u string) Option {
	return Option{name: "WithBaseURL", where: atNew, set: func(cfg *config) error {
		cfg.baseURL = u
		return nil
	}}
}

// WithHTTPClient sets the *http.Client that sends every attempt (its
// Transport is used as it is, and its Timeout unless [WithAttemptTimeout]
// is given). The Client works on a copy whose CheckRedirect refuses every
// redirect: the API sends none, and following one could carry the API key
// to another scheme or host. Without this option each attempt is bounded
// by [DefaultAttemptTimeout]. A nil client makes New fail. New only.
func WithHTTPClient(hc *http.Client) Option {
	return Option{name: "WithHTTPClient", where: atNew, set: func(cfg *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		cfg.httpClient = hc
		return nil
	}}
}

// WithMaxRetries sets how many times a failed attempt is retried, on top of
// the first attempt (default 3; 0 disables retries). A negative n is an
// error. New and every call.
func WithMaxRetries(n int) Option {
	return Option{name: "WithMaxRetries", where: everywhere, call: func(cc *callConfig) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: negative count %d", n)
		}
		cc.maxRetries = n
		return nil
	}}
}

// WithRetryWait sets the bounds of the wait before a retry (defaults 500ms
// and 30s). The backoff grows exponentially from min with jitter and never
// exceeds max. A server's Retry-After replaces the backoff: it is capped at
// max but not raised to min, so Retry-After: 0 (or a date in the past)
// retries at once. It is an error unless 0 <= min <= max. New and every
// call.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return Option{name: "WithRetryWait", where: everywhere, call: func(cc *callConfig) error {
		if minWait < 0 || maxWait < minWait {
			return fmt.Errorf("WithRetryWait: need 0 <= min <= max, got %v and %v", minWait, maxWait)
		}
		cc.waitMin, cc.waitMax = minWait, maxWait
		return nil
	}}
}

// WithTimeout bounds a whole call: every attempt, and every wait between
// them. When it passes, the call ends with an error matching
// context.DeadlineExceeded, as when the caller's context ends; its text
// ends "context deadline exceeded: WithTimeout(10s) ran out". A
// deadline of the caller's context that comes sooner still wins. 0 (the
// default) sets no bound of its own. A negative d is an error. New (for
// every call) and every call.
func WithTimeout(d time.Duration) Option {
	return Option{name: "WithTimeout", where: everywhere, call: func(cc *callConfig) error {
		if d < 0 {
			return fmt.Errorf("WithTimeout: negative duration %v", d)
		}
		cc.timeout = d
		return nil
	}}
}

// WithAttemptTimeout bounds each attempt, from sending to reading the whole
// answer; an attempt that runs out is retried as a lost answer is (see the
// package doc). It replaces the Timeout of the *http.Client
// ([DefaultAttemptTimeout] without [WithHTTPClient]). 0 means no bound; a
// negative d is an error. New and every call.
func WithAttemptTimeout(d time.Duration) Option {
	return Option{name: "WithAttemptTimeout", where: everywhere, call: func(cc *callConfig) error {
		if d < 0 {
			return fmt.Errorf("WithAttemptTimeout: negative duration %v", d)
		}
		cc.attemptTimeout, cc.attemptTimeoutSet = d, true
		return nil
	}}
}

// WithLogger sets the logger for one debug line per attempt and one info
// line per retry: method, path, status, request id, attempt. Request and
// response bodies, headers and the API key are never logged. A nil logger
// (the default) is silent. New only.
func WithLogger(l *slog.Logger) Option {
	return Option{name: "WithLogger", where: atNew, set: func(cfg *config) error {
		cfg.logger = l
		return nil
	}}
}

// WithUserAgent sets the User-Agent header (default "talkifai-go/" +
// [Version]). An empty value or one with control characters is an error.
// New only.
func WithUserAgent(ua string) Option {
	return Option{name: "WithUserAgent", where: atNew, set: func(cfg *config) error {
		if ua == "" || !validHeaderValue(ua) {
			return errors.New("WithUserAgent: empty or has control characters")
		}
		cfg.userAgent = ua
		return nil
	}}
}

// managedHeaders are set by the client itself and cannot be overridden.
var managedHeaders = []string{
	wire.HeaderAuthorization, wire.HeaderAPIKey, wire.HeaderContentType, wire.HeaderIdempotencyKey,
	wire.HeaderRetryCount, "Content-Length", "Host", "User-Agent", "Accept",
}

// WithHeader adds a header to every request (in New) or to the requests of
// one call; a later WithHeader of the same key replaces the value, a
// call's included. It is an error for a malformed key or value, and for a
// header the client manages itself (Authorization, X-API-Key,
// Content-Type, Content-Length, Host, Accept, Idempotency-Key,
// X-Talkifai-Retry-Count, and User-Agent, which [WithUserAgent] sets).
// New and every call.
func WithHeader(key, value string) Option {
	return Option{name: "WithHeader", where: everywhere, call: func(cc *callConfig) error {
		switch {
		case !validHeaderKey(key):
			return fmt.Errorf("WithHeader: invalid header name %q", key)
		case !validHeaderValue(value):
			return fmt.Errorf("WithHeader: value of %s has control characters", key)
		case isManaged(key):
			return fmt.Errorf("WithHeader: %s is set by the client", http.CanonicalHeaderKey(key))
		}
		if !cc.ownHeader {
			cc.header, cc.ownHeader = cc.header.Clone(), true
		}
		cc.header.Set(key, value)
		return nil
	}}
}

// WithPOSTRetries opts in to retrying POST (create) after failures where the
// server may have acted: a connection lost after the request was sent, a
// response timeout, and 500, 502, 503, 504. Every POST carries an
// Idempotency-Key that stays the same across its retries, so a server that
// honours the key (the fake does) creates at most one agent. The published
// API does not promise to honour it, which is why this is off by default.
// POSTs that never reached the server (dial or DNS failure) and 429s are
// retried either way. New and Create.
func WithPOSTRetries() Option {
	return Option{name: "WithPOSTRetries", where: atNew | onCreate, call: func(cc *callConfig) error {
		cc.postRetries = true
		return nil
	}}
}

// WithValidation turns the check of a body before it is sent on (the
// default) or off. Create and Update refuse, without sending, a body that
// breaks a rule this package knows ([agents.CreateParams.Validate],
// [agents.UpdateParams.Validate]). A client older than the server may know
// old rules (a new architecture, a longer limit); with WithValidation(false)
// it sends the body and the server judges it, answering a refusal as an
// *APIError matching [ErrValidation]. New, Create and Update.
func WithValidation(on bool) Option {
	return Option{name: "WithValidation", where: atNew | onCreate | onUpdate, call: func(cc *callConfig) error {
		cc.validate = on
		return nil
	}}
}

// WithInsecureHTTP lets New accept an http:// base URL to a host that is not
// loopback, which sends the API key in clear text. Use it only on networks
// you trust (a test cluster, a sidecar). New only.
func WithInsecureHTTP() Option {
	return Option{name: "WithInsecureHTTP", where: atNew, set: func(cfg *config) error {
		cfg.insecureHTTP = true
		return nil
	}}
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

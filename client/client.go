package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Version is the library's version, sent in the default User-Agent.
const Version = "0.1.0"

// Client talks to the Agents API. Create one with [New] and share it: it is
// safe for concurrent use, and its rate limiter and last-seen rate-limit
// values are shared by every goroutine that uses it.
type Client struct {
	// Agents is the agents resource: c.Agents.Get(ctx, id).
	Agents *AgentsService

	base        string      // scheme://host[/prefix], without a trailing slash
	header      http.Header // sent on every request: auth, user agent, extras
	apiKey      string      // only to redact it from messages the server sends back
	rc          *retryablehttp.Client
	limiter     *rate.Limiter // nil: no client-side limit
	log         *slog.Logger
	postRetries bool
	rateLimit   atomic.Pointer[RateLimit]
}

// RateLimit is the server's rate-limit state as its X-RateLimit-* headers
// last reported it.
type RateLimit struct {
	Limit     int       // requests per minute
	Remaining int       // whole requests left now
	Reset     time.Time // when the bucket is full again
}

// New returns a Client configured by opts, or an error when no API key is
// given (by [WithAPIKey] or TALKIFAI_API_KEY), the key has white space or
// control characters, the base URL is malformed or is http:// to a host that
// is not loopback without [WithInsecureHTTP], or an option was given an
// unusable value. The error never contains the key: it is redacted from the
// whole message (a base URL may hold it when variables are swapped), and a
// base URL without a scheme is not quoted.
func New(opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.apiKey == "" {
		o.apiKey = os.Getenv(envAPIKey)
	}
	if o.baseURL == "" {
		o.baseURL = os.Getenv(envBaseURL)
	}
	if o.baseURL == "" {
		o.baseURL = wire.DefaultBaseURL
	}
	errs := o.errs
	switch {
	case o.apiKey == "":
		errs = append(errs, errors.New("client: no API key: use WithAPIKey or set "+envAPIKey))
	case strings.ContainsFunc(o.apiKey, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		errs = append(errs, errors.New("client: the API key has white space or control characters"))
	}
	base, err := parseBaseURL(o.baseURL, o.insecureHTTP)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, redactError(err, o.apiKey)
	}
	return newClient(o, base), nil
}

func newClient(o options, base string) *Client {
	c := &Client{
		base:        base,
		apiKey:      o.apiKey,
		limiter:     o.limiter,
		log:         o.logger,
		postRetries: o.postRetries,
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.header = o.header.Clone()
	c.header.Set(wire.HeaderAuthorization, "Bearer "+o.apiKey)
	c.header.Set("User-Agent", o.userAgent)
	c.header.Set("Accept", wire.ContentTypeJSON)

	// A transport of its own: go-retryablehttp closes the idle connections
	// of its client's transport when a call fails, which on the shared
	// http.DefaultTransport would reach every other user of it.
	hc := &http.Client{Timeout: DefaultTimeout, Transport: ownTransport()}
	if o.httpClient != nil {
		copied := *o.httpClient
		hc = &copied
	}
	hc.CheckRedirect = refuseRedirects
	c.rc = &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // never the library's default logger, which prints to stderr
		RetryWaitMin: o.waitMin,
		RetryWaitMax: o.waitMax,
		RetryMax:     o.maxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      backoff,
		PrepareRetry: c.prepareRetry,
		ErrorHandler: keepLastResponse,
	}
	c.Agents = &AgentsService{c: c}
	return c
}

// ownTransport returns a copy of http.DefaultTransport, or nil (meaning
// http.DefaultTransport itself) when a program replaced it with a type
// that cannot be copied.
func ownTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return nil
}

// RateLimit returns the X-RateLimit-* values of the last response that
// carried them, or the zero RateLimit when none has.
func (c *Client) RateLimit() RateLimit {
	if rl := c.rateLimit.Load(); rl != nil {
		return *rl
	}
	return RateLimit{}
}

// String describes c by its base URL. Printing or logging a Client (%v,
// %+v, %#v, slog) shows this, never the API key the Client holds.
func (c *Client) String() string { return "client.Client(" + c.base + ")" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// recordRateLimit keeps the rate-limit headers of h, if it has them.
func (c *Client) recordRateLimit(h http.Header) {
	limit := h.Get(wire.HeaderRateLimitLimit)
	if limit == "" {
		return
	}
	var rl RateLimit
	rl.Limit, _ = strconv.Atoi(limit)
	rl.Remaining, _ = strconv.Atoi(h.Get(wire.HeaderRateLimitRemaining))
	if reset, err := strconv.ParseInt(h.Get(wire.HeaderRateLimitReset), 10, 64); err == nil {
		rl.Reset = time.Unix(reset, 0)
	}
	c.rateLimit.Store(&rl)
}

// parseBaseURL checks raw and returns it as scheme://host[/prefix].
func parseBaseURL(raw string, insecureHTTP bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not url.Parse's own message, which quotes the whole URL, user
		// information (perhaps a key) included.
		if urlErr, ok := err.(*url.Error); ok {
			err = urlErr.Err
		}
		return "", fmt.Errorf("client: malformed base URL: %w", err)
	}
	switch {
	case u.Scheme == "":
		// Not quoted: a base URL without a scheme may well be something
		// else put in its place, the API key from a swapped variable.
		return "", errors.New("client: base URL without a scheme: scheme must be https or http")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("client: base URL %q: scheme must be https or http", redactURL(u))
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("client: base URL %q has no host", redactURL(u))
	case u.User != nil:
		return "", errors.New("client: base URL must not carry user information")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("client: base URL %q must not have a query or fragment", redactURL(u))
	case u.Scheme == "http" && !insecureHTTP && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("client: base URL %q: refusing to send the API key over http:// to a host that is not loopback (use https, or WithInsecureHTTP)", redactURL(u))
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// redactError returns err, or when its message holds apiKey an error with
// the key redacted from the message. That error wraps nothing: the errors
// err wraps would still hold the key.
func redactError(err error, apiKey string) error {
	if apiKey == "" || !strings.Contains(err.Error(), apiKey) {
		return err
	}
	return errors.New(redact(err.Error(), apiKey))
}

// redactURL returns u without user information, query or fragment, for
// messages: the parts where a key could hide.
func redactURL(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
}

// isLoopback reports whether host is localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuseRedirects makes a redirect the answer: it becomes an *APIError with
// the 3xx status rather than a request that may carry the key elsewhere.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

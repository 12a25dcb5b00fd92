package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/talkifai-go/talkifai/internal/wire"
)

// Version is the library's version, sent in the default User-Agent.
const Version = "0.1.0"

// Client talks to the Agents API. Create one with [New] and share it: it is
// safe for concurrent use, and holds no state of any one call. Its
// settings are fixed by New; a call's options change them for that call.
//
// Printing a Client, or a copy of one, shows its base URL, never its key.
type Client struct {
	// Agents is the agents resource: c.Agents.Get(ctx, id).
	Agents *AgentsService

	// Behind a pointer, so that printing a copy of the struct (%+v of *c)
	// shows an address, not the key and headers.
	s *state
}

// state is what a Client holds.
type state struct {
	base     string       // scheme://host[/prefix], without a trailing slash
	hc       *http.Client // the client's own copy: redirects refused
	log      *slog.Logger
	defaults callConfig  // every call starts from these
	header   http.Header // the defaults as headers: auth, user agent, accept, extras
}

// New returns a Client configured by opts, or an error when no API key is
// given (by [WithAPIKey] or TALKIFAI_API_KEY), the key has white space or
// control characters, the base URL is malformed or is http:// to a host that
// is not loopback without [WithInsecureHTTP], or an option was given an
// unusable value or applies to calls only (an error matching
// [ErrInvalidOption]). Every problem is reported at once. The error never
// contains the key: a base URL (which may hold it when variables are
// swapped) is quoted with the key hidden, or not at all when it has no
// scheme.
func New(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	errs := []error{cfg.apply(opts)}
	if cfg.call.apiKey == "" {
		cfg.call.apiKey = os.Getenv(envAPIKey)
	}
	if cfg.baseURL == "" {
		cfg.baseURL = os.Getenv(envBaseURL)
	}
	if cfg.baseURL == "" {
		cfg.baseURL = wire.DefaultBaseURL
	}
	if cfg.call.apiKey == "" {
		errs = append(errs, errors.New("no API key: use WithAPIKey or set "+envAPIKey))
	} else if err := checkAPIKey(cfg.call.apiKey); err != nil {
		errs = append(errs, err)
	}
	base, err := parseBaseURL(cfg.baseURL, cfg.insecureHTTP, cfg.call.apiKey)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	return newClient(cfg, base), nil
}

// checkAPIKey refuses a key that cannot go in a header as given.
func checkAPIKey(key string) error {
	if strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("the API key has white space or control characters")
	}
	return nil
}

func newClient(cfg config, base string) *Client {
	s := &state{base: base, log: cfg.logger, defaults: cfg.call}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	// A transport of its own: go-retryablehttp closes the idle connections
	// of its client's transport when a call fails, which on the shared
	// http.DefaultTransport would reach every other user of it.
	hc := &http.Client{Timeout: DefaultAttemptTimeout, Transport: ownTransport()}
	if cfg.httpClient != nil {
		copied := *cfg.httpClient
		hc = &copied
	}
	if cfg.call.attemptTimeoutSet {
		hc.Timeout = cfg.call.attemptTimeout
	}
	hc.CheckRedirect = refuseRedirects
	s.hc = hc
	s.defaults.attemptTimeout, s.defaults.attemptTimeoutSet = hc.Timeout, false
	s.defaults.ownHeader = false // shared by every call: a call copies before a change
	s.header = requestHeader(cfg.userAgent, s.defaults)
	return &Client{Agents: &AgentsService{s: s}, s: s}
}

// requestHeader is what every request of cc carries.
func requestHeader(userAgent string, cc callConfig) http.Header {
	h := cc.header.Clone()
	h.Set(wire.HeaderAuthorization, "Bearer "+cc.apiKey)
	h.Set("User-Agent", userAgent)
	h.Set("Accept", wire.ContentTypeJSON)
	return h
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

// String describes c by its base URL. Printing or logging a Client or a
// copy of one (%v, %+v, %#v, slog) shows this, never the API key.
func (c Client) String() string {
	if c.s == nil {
		return "client.Client(zero)"
	}
	return "client.Client(" + c.s.base + ")"
}

// BaseURL returns the base URL c sends requests to, as New settled it
// ([WithBaseURL], else TALKIFAI_BASE_URL, else the service's own):
// scheme://host and any path prefix, without a trailing "/". It returns ""
// for a zero Client, which New never returns.
func (c *Client) BaseURL() string {
	if c == nil || c.s == nil {
		return ""
	}
	return c.s.base
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// parseBaseURL checks raw and returns it as scheme://host[/prefix]. A
// URL quoted in the error has apiKey hidden.
func parseBaseURL(raw string, insecureHTTP bool, apiKey string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not url.Parse's own message, which quotes the whole URL, user
		// information (perhaps a key) included.
		if urlErr, ok := err.(*url.Error); ok {
			err = urlErr.Err
		}
		return "", fmt.Errorf("malformed base URL: %s", redact(err.Error(), apiKey))
	}
	quoted := redact(redactURL(u), apiKey)
	switch {
	case u.Scheme == "":
		// Not quoted: a base URL without a scheme may well be something
		// else put in its place, the API key from a swapped variable.
		return "", errors.New("base URL without a scheme: scheme must be https or http")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("base URL %q: scheme must be https or http", quoted)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("base URL %q has no host", quoted)
	case u.User != nil:
		return "", errors.New("base URL must not carry user information")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("base URL %q must not have a query or fragment", quoted)
	case u.Scheme == "http" && !insecureHTTP && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("base URL %q: refusing to send the API key over http:// to a host that is not loopback (use https, or WithInsecureHTTP)", quoted)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
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

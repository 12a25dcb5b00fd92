package client_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/talkifai-go/talkifai/client"
)

func TestNewRejects(t *testing.T) {
	t.Setenv("TALKIFAI_API_KEY", "")
	t.Setenv("TALKIFAI_BASE_URL", "")
	key := client.WithAPIKey(stubKey)
	tests := []struct {
		name string
		opts []client.Option
		want string // in the error
	}{
		{"no key", nil, "no API key"},
		{"key with space", []client.Option{client.WithAPIKey("tk_a b")}, "white space"},
		{"key with newline", []client.Option{client.WithAPIKey("tk_a\nX-Evil: 1")}, "control"},
		{"malformed url", []client.Option{key, client.WithBaseURL("https://exa mple.com/%zz")}, "malformed base URL"},
		{"no scheme", []client.Option{key, client.WithBaseURL("api.talkifai.dev")}, "scheme must be"},
		{"ftp", []client.Option{key, client.WithBaseURL("ftp://api.talkifai.dev")}, "scheme must be"},
		{"no host", []client.Option{key, client.WithBaseURL("https:///v1")}, "no host"},
		{"user info", []client.Option{key, client.WithBaseURL("https://u:" + stubKey + "@api.talkifai.dev")}, "user information"},
		{"malformed, with user info", []client.Option{key, client.WithBaseURL("https://u:" + stubKey + "@exa mple.com")}, "malformed base URL"},
		{"query", []client.Option{key, client.WithBaseURL("https://api.talkifai.dev/?x=1")}, "query or fragment"},
		{"key in the query", []client.Option{key, client.WithBaseURL("https://api.talkifai.dev/v1?api_key=" + stubKey)}, "query or fragment"},
		{"fragment", []client.Option{key, client.WithBaseURL("https://api.talkifai.dev/#x")}, "query or fragment"},
		{"http to a remote host", []client.Option{key, client.WithBaseURL("http://api.talkifai.dev")}, "over http://"},
		{"http to a look-alike", []client.Option{key, client.WithBaseURL("http://localhost.evil.com")}, "over http://"},
		{"http to a private address", []client.Option{key, client.WithBaseURL("http://10.0.0.1:8080")}, "over http://"},
		{"nil http client", []client.Option{key, client.WithHTTPClient(nil)}, "nil *http.Client"},
		{"negative retries", []client.Option{key, client.WithMaxRetries(-1)}, "negative"},
		{"negative wait", []client.Option{key, client.WithRetryWait(-time.Second, time.Second)}, "0 <= min <= max"},
		{"max below min", []client.Option{key, client.WithRetryWait(time.Second, time.Millisecond)}, "0 <= min <= max"},
		{"nil limiter", []client.Option{key, client.WithLimiter(nil)}, "nil Limiter"},
		{"negative timeout", []client.Option{key, client.WithTimeout(-time.Second)}, "WithTimeout: negative"},
		{"negative attempt timeout", []client.Option{key, client.WithAttemptTimeout(-time.Second)}, "WithAttemptTimeout: negative"},
		{"response in New", []client.Option{key, client.WithResponse(new(client.Response))}, "WithResponse applies to a call, not to New"},
		{"idempotency key in New", []client.Option{key, client.WithIdempotencyKey("k")}, "WithIdempotencyKey applies to a call"},
		{"zero option", []client.Option{key, {}}, "a zero Option"},
		{"empty user agent", []client.Option{key, client.WithUserAgent("")}, "WithUserAgent"},
		{"bad header name", []client.Option{key, client.WithHeader("X Bad", "v")}, "invalid header name"},
		{"header value injection", []client.Option{key, client.WithHeader("X-Trace", "a\r\nAuthorization: x")}, "control characters"},
		{"managed header", []client.Option{key, client.WithHeader("authorization", "Bearer other")}, "set by the client"},
		{"managed idempotency key", []client.Option{key, client.WithHeader("Idempotency-Key", "k")}, "set by the client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.New(tt.opts...)
			if err == nil {
				t.Fatalf("New succeeded (%v), want an error with %q", c, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error %q, want it to contain %q", err, tt.want)
			}
			checkNoKey(t, err)
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := client.New(client.WithAPIKey(stubKey), client.WithMaxRetries(-1), client.WithBaseURL("ftp://x"))
	if err == nil || !strings.Contains(err.Error(), "negative") || !strings.Contains(err.Error(), "scheme") {
		t.Errorf("New error %v, want both problems", err)
	}
}

func TestNewAccepts(t *testing.T) {
	t.Parallel()
	for _, base := range []string{
		"https://api.talkifai.dev",
		"https://api.talkifai.dev/",
		"https://gateway.example.com/talkifai/",
		"http://localhost:8080",
		"http://LOCALHOST",
		"http://127.0.0.1:8080",
		"http://127.8.9.10",
		"http://[::1]:8080/prefix",
	} {
		if _, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL(base)); err != nil {
			t.Errorf("New(%q): %v", base, err)
		}
	}
	if _, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL("http://10.0.0.1:8080"), client.WithInsecureHTTP()); err != nil {
		t.Errorf("New with WithInsecureHTTP: %v", err)
	}
	if _, err := client.New(client.WithAPIKey(stubKey), client.WithLimiter(rate.NewLimiter(rate.Inf, 0))); err != nil {
		t.Errorf("New with an infinite rate: %v", err)
	}
}

// sentTo returns the URL and headers of the request a client built from
// opts sends for Get("agent_1").
func sentTo(t *testing.T, opts ...client.Option) (string, http.Header) {
	t.Helper()
	var url string
	var header http.Header
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		url, header = r.URL.String(), r.Header.Clone()
		return response(r, 200, `{"success":true,"data":{"id":"agent_1"}}`), nil
	})
	c, err := client.New(append(opts, client.WithHTTPClient(&http.Client{Transport: rt}))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
		t.Fatal(err)
	}
	return url, header
}

func TestNewFromEnvironment(t *testing.T) {
	t.Setenv("TALKIFAI_API_KEY", "tk_from_env")
	t.Setenv("TALKIFAI_BASE_URL", "https://env.example.com/base")
	url, h := sentTo(t)
	if url != "https://env.example.com/base/v1/agents/agent_1" || h.Get("Authorization") != "Bearer tk_from_env" {
		t.Errorf("from the environment: sent to %s with Authorization %q", url, h.Get("Authorization"))
	}
	// Options win over the environment.
	url, h = sentTo(t, client.WithAPIKey("tk_option"), client.WithBaseURL("https://opt.example.com"))
	if url != "https://opt.example.com/v1/agents/agent_1" || h.Get("Authorization") != "Bearer tk_option" {
		t.Errorf("from options: sent to %s with Authorization %q", url, h.Get("Authorization"))
	}
	// Neither: the real service.
	t.Setenv("TALKIFAI_BASE_URL", "")
	if url, _ = sentTo(t); url != "https://api.talkifai.dev/v1/agents/agent_1" {
		t.Errorf("default: sent to %s", url)
	}
}

// TestBaseURL checks that a client reports the base URL it sends to, by
// the same rules: the option, else the environment, else the service's,
// without a trailing "/".
func TestBaseURL(t *testing.T) {
	t.Setenv("TALKIFAI_API_KEY", stubKey)
	for _, tc := range []struct {
		name, env string
		opts      []client.Option
		want      string
	}{
		{"option", "https://env.example.com", []client.Option{client.WithBaseURL("https://opt.example.com/prefix/")}, "https://opt.example.com/prefix"},
		{"environment", "https://env.example.com/base/", nil, "https://env.example.com/base"},
		{"default", "", nil, "https://api.talkifai.dev"},
		{"loopback", "", []client.Option{client.WithBaseURL("http://127.0.0.1:8080")}, "http://127.0.0.1:8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TALKIFAI_BASE_URL", tc.env)
			c, err := client.New(tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BaseURL(); got != tc.want {
				t.Errorf("BaseURL() = %q, want %q", got, tc.want)
			}
			url, _ := sentTo(t, tc.opts...)
			if want := tc.want + "/v1/agents/agent_1"; url != want {
				t.Errorf("sent to %s, want %s", url, want)
			}
		})
	}
	if got := (&client.Client{}).BaseURL(); got != "" {
		t.Errorf("zero Client: BaseURL() = %q, want \"\"", got)
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	_, h := sentTo(t, client.WithAPIKey(stubKey), client.WithHeader("x-trace", "abc"), client.WithHeader("X-Trace", "def"))
	want := map[string]string{
		"Authorization":          "Bearer " + stubKey,
		"User-Agent":             "talkifai-go/" + client.Version,
		"Accept":                 "application/json",
		"X-Trace":                "def",
		"X-Talkifai-Retry-Count": "0",
		"Idempotency-Key":        "", // GET has none
		"Content-Type":           "", // nor a body
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	_, h = sentTo(t, client.WithAPIKey(stubKey), client.WithUserAgent("myapp/1.2"))
	if got := h.Get("User-Agent"); got != "myapp/1.2" {
		t.Errorf("User-Agent = %q, want myapp/1.2", got)
	}
}

// TestPrintingAClientHidesTheKey: a Client holds its key, and a program
// that logs or prints one must not leak it.
func TestPrintingAClientHidesTheKey(t *testing.T) {
	t.Parallel()
	c, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL("https://api.example.test/prefix"))
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("made", "client", c)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("made", "client", c)
	out := fmt.Sprintf("%v %+v %#v %s", c, c, c, c) + buf.String()
	if strings.Contains(out, stubKey) || !strings.Contains(out, "https://api.example.test/prefix") {
		t.Errorf("printed: %s", out)
	}
}

// A base URL that holds the key (variables swapped, or set to the same
// value) must not be quoted in New's error.
func TestNewErrorHasNoKeyFromBaseURL(t *testing.T) {
	const key = "tk_live_SECRET123"
	for _, tc := range []struct{ name, envKey, envURL string }{
		{"base URL is the key", key, key},
		{"swapped", "https://api.talkifai.dev", key},
		{"key in an ftp URL", key, "ftp://" + key + ".example.com/" + key},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TALKIFAI_API_KEY", tc.envKey)
			t.Setenv("TALKIFAI_BASE_URL", tc.envURL)
			_, err := client.New()
			if err == nil {
				t.Fatal("New accepted the base URL")
			}
			if strings.Contains(err.Error(), key) {
				t.Errorf("error has the key: %v", err)
			}
		})
	}
}

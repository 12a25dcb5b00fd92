package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

// These tests use a stub transport for what the fake cannot produce: odd
// bodies, redirects, exact URLs.

const agentJSON = `{"success":true,"data":{"id":"agent_1","name":"Bot","agentArchitecture":"text","model":"gpt-4o",` +
	`"systemPrompt":"Be brief.","language":"en","mode":"private","active":false,"enabledFunctions":[],` +
	`"enabledCustomFunctions":[],"createdAt":"2026-01-15T10:30:00.000Z","updatedAt":"2026-01-15T10:30:00.000Z"}}`

func TestPathPrefixAndEscaping(t *testing.T) {
	t.Parallel()
	var got []string
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.EscapedPath()+" "+r.URL.RawQuery)
		return response(r, 200, agentJSON), nil
	})
	ctx := context.Background()
	for _, id := range []string{"agent_1", "a/b", "a b", "ü?#", "%2F", "../x"} {
		if _, err := c.Agents.Get(ctx, id); err != nil {
			t.Fatalf("Get(%q): %v", id, err)
		}
	}
	if err := c.Agents.Delete(ctx, "a/b"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Agents.Update(ctx, "a?b", agents.UpdateParams{}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /prefix/v1/agents/agent_1 ",
		"GET /prefix/v1/agents/a%2Fb ",
		"GET /prefix/v1/agents/a%20b ",
		"GET /prefix/v1/agents/%C3%BC%3F%23 ",
		"GET /prefix/v1/agents/%252F ",
		"GET /prefix/v1/agents/..%2Fx ",
		"DELETE /prefix/v1/agents/a%2Fb ",
		"PATCH /prefix/v1/agents/a%3Fb ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestListQuery(t *testing.T) {
	t.Parallel()
	var got []string
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		got = append(got, r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		return response(r, 200, `{"success":true,"data":[],"pagination":{"page":1,"limit":20,"total":0,"hasNext":false,"hasPrev":false}}`), nil
	})
	ctx := context.Background()
	for _, p := range []client.AgentListParams{{}, {Mode: agents.Public, Page: 2, Limit: 5}, {Limit: 500}} {
		if _, err := c.Agents.List(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"/prefix/v1/agents?", "/prefix/v1/agents?limit=5&mode=public&page=2", "/prefix/v1/agents?limit=500"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return response(r, 200, agentJSON), nil
	})
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.Agents.Get(ctx, id); !errors.Is(err, client.ErrInvalidParameter) {
			t.Errorf("Get(%q) error %v, want ErrInvalidParameter", id, err)
		}
		if err := c.Agents.Delete(ctx, id); !errors.Is(err, client.ErrInvalidParameter) {
			t.Errorf("Delete(%q) error %v, want ErrInvalidParameter", id, err)
		}
		if _, err := c.Agents.Update(ctx, id, agents.UpdateParams{}); !errors.Is(err, client.ErrInvalidParameter) {
			t.Errorf("Update(%q) error %v, want ErrInvalidParameter", id, err)
		}
	}
	for _, p := range []client.AgentListParams{{Page: -1}, {Limit: -1}, {Mode: "secret"}} {
		if _, err := c.Agents.List(ctx, p); !errors.Is(err, client.ErrInvalidParameter) {
			t.Errorf("List(%+v) error %v, want ErrInvalidParameter", p, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

const bigHead, bigTail = `{"success":true,"data":{"id":"agent_1","systemPrompt":"`, `"}}`

// bigBody returns a JSON agent envelope of exactly n bytes.
func bigBody(n int) string {
	return bigHead + strings.Repeat("x", n-len(bigHead)-len(bigTail)) + bigTail
}

func TestResponseBodyCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		size    int
		chunked bool // no Content-Length
		wantErr bool
	}{
		{"exactly 8 MiB", 200, client.MaxResponseBytes, false, false},
		{"exactly 8 MiB chunked", 200, client.MaxResponseBytes, true, false},
		{"8 MiB + 1", 200, client.MaxResponseBytes + 1, false, true},
		{"8 MiB + 1 chunked", 200, client.MaxResponseBytes + 1, true, true},
		{"8 MiB + 1 error body", 404, client.MaxResponseBytes + 1, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := stubClient(t, func(r *http.Request) (*http.Response, error) {
				resp := response(r, tt.status, bigBody(tt.size))
				if tt.chunked {
					resp.ContentLength = -1
				}
				return resp, nil
			})
			a, err := c.Agents.Get(context.Background(), "agent_1")
			if tt.wantErr {
				if !errors.Is(err, client.ErrResponseTooLarge) {
					t.Fatalf("Get error %v, want ErrResponseTooLarge", err)
				}
				if !strings.Contains(err.Error(), "GET /v1/agents/agent_1") {
					t.Errorf("error %q does not say which call", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.size - len(bigHead) - len(bigTail); a.ID != "agent_1" || len(a.SystemPrompt) != want {
				t.Errorf("decoded id %q and a prompt of %d bytes, want agent_1 and %d", a.ID, len(a.SystemPrompt), want)
			}
		})
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return response(r, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "Content-Type", "text/html"), nil
	})
	// A POST is not retried after a 502 by default, so this takes no wait.
	_, err := c.Agents.Create(context.Background(), validCreate("Bot"))
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Create error %v, want *APIError", err)
	}
	if apiErr.StatusCode != 502 || apiErr.Code != "" || !errors.Is(err, client.ErrBadGateway) {
		t.Errorf("got %+v, want a 502 matching ErrBadGateway", apiErr)
	}
	if !strings.Contains(apiErr.Message, "Bad Gateway") || !strings.Contains(apiErr.Message, "text/html") {
		t.Errorf("message %q does not describe the body", apiErr.Message)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return response(r, 307, "", "Location", "http://evil.example.com/steal"), nil
	})
	_, err := c.Agents.Get(context.Background(), "agent_1")
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 307 {
		t.Fatalf("Get error %v, want an *APIError with status 307", err)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestUndecodableSuccess(t *testing.T) {
	t.Parallel()
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		return response(r, 200, `{"success":true,"data":`), nil
	})
	_, err := c.Agents.Get(context.Background(), "agent_1")
	if err == nil || !strings.Contains(err.Error(), "decoding the 200 response") {
		t.Errorf("Get error %v, want a decoding error", err)
	}
}

func TestCreateFillsOmittedFields(t *testing.T) {
	t.Parallel()
	var body []byte
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		body, _ = io.ReadAll(r.Body)
		return response(r, 201, `{"success":true,"data":{"id":"agent_9","name":"Bot","agentArchitecture":"text",`+
			`"active":true,"createdAt":"2026-01-15T10:30:00.123Z"}}`), nil
	})
	p := validCreate("Bot")
	p.Active = agents.Value(true)
	p.Temperature = agents.Value(0.0)
	a, err := c.Agents.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 15, 10, 30, 0, 123e6, time.UTC)
	zero := 0.0
	want := &agents.Agent{ID: "agent_9", Name: "Bot", Architecture: agents.Text, Model: "gpt-4o",
		SystemPrompt: "Be brief.", Language: "en", Mode: agents.Private, Active: true, Temperature: &zero,
		EnabledFunctions: []string{}, EnabledCustomFunctions: []string{}, CreatedAt: at, UpdatedAt: at}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	wantBody := `{"name":"Bot","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Be brief.","active":true,"temperature":0}`
	if string(body) != wantBody {
		t.Errorf("body %s, want %s", body, wantBody)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	n := 0
	c := stubClient(t, func(r *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return response(r, 200, agentJSON), nil
		}
		return response(r, 200, agentJSON, "X-RateLimit-Limit", "1000", "X-RateLimit-Remaining", "998", "X-RateLimit-Reset", "1768473000"), nil
	})
	ctx := context.Background()
	var resp client.Response
	if _, err := c.Agents.Get(ctx, "agent_1", client.WithResponse(&resp)); err != nil {
		t.Fatal(err)
	}
	if got := resp.RateLimit; got != (client.RateLimit{}) {
		t.Errorf("RateLimit of an answer without the headers = %+v, want zero", got)
	}
	if _, err := c.Agents.Get(ctx, "agent_1", client.WithResponse(&resp)); err != nil {
		t.Fatal(err)
	}
	want := client.RateLimit{Limit: 1000, Remaining: 998, Reset: time.Unix(1768473000, 0)}
	if got := resp.RateLimit; got != want {
		t.Errorf("RateLimit = %+v, want %+v", got, want)
	}
}

// TestKeyOverHTTPNeedsOptIn checks that what New refuses is what would
// have been sent: the key goes nowhere.
func TestKeyOverHTTPNeedsOptIn(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return response(r, 200, agentJSON), nil
	})
	_, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL("http://api.talkifai.dev"),
		client.WithHTTPClient(&http.Client{Transport: rt}))
	if err == nil {
		t.Fatal("New accepted http:// to a remote host")
	}
	c, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL("http://api.talkifai.dev"),
		client.WithHTTPClient(&http.Client{Transport: rt}), client.WithInsecureHTTP())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Agents.Get(context.Background(), "agent_1"); err != nil {
		t.Fatal(err)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// validCreate returns valid create params for a text agent.
func validCreate(name string) agents.CreateParams {
	return agents.CreateParams{
		Name:         agents.Value(name),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4o),
		SystemPrompt: agents.Value("Be brief."),
	}
}

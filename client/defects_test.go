package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// oversized is a body over MaxResponseBytes whose tail, read on its own,
// would be a NOT_FOUND answer.
func oversized() io.Reader {
	return io.MultiReader(
		strings.NewReader(strings.Repeat(" ", client.MaxResponseBytes+1)),
		strings.NewReader(`{"success":false,"error":"forged tail","code":"NOT_FOUND"}`),
	)
}

// An error answer too large to read is ErrResponseTooLarge, whether or not
// retries remain: never an answer read from the bytes after the cut.
func TestOversizedErrorBody(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{0, 1} {
		for _, status := range []int{429, 503} {
			rt := func(r *http.Request) (*http.Response, error) {
				resp := response(r, status, "")
				resp.Body, resp.ContentLength = io.NopCloser(oversized()), -1 // chunked: no length announced
				return resp, nil
			}
			c := stubClient(t, rt, client.WithMaxRetries(retries), client.WithRetryWait(0, 0))
			_, err := c.Agents.Get(context.Background(), "agent_1")
			if !errors.Is(err, client.ErrResponseTooLarge) || errors.Is(err, client.ErrNotFound) {
				t.Errorf("%d, %d retries: %v, want ErrResponseTooLarge and not ErrNotFound", status, retries, err)
			}
			var apiErr *client.APIError
			if errors.As(err, &apiErr) {
				t.Errorf("%d, %d retries: an *APIError (%v) from a body that was not read", status, retries, apiErr)
			}
		}
	}
}

// A short key is hidden where it stands as a word, and never inside our
// text or the server's.
func TestShortKeyDamagesNoText(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"a", "k", "ge"} {
		body := `{"success":false,"error":"agent \"agent_zzz\" not found; key ` + key + ` refused","code":"NOT_FOUND"}`
		rt := func(r *http.Request) (*http.Response, error) {
			return response(r, 404, body, "X-Request-Id", "req_"+key), nil
		}
		c, err := client.New(client.WithAPIKey(key), client.WithBaseURL("https://api.example.test"),
			client.WithHTTPClient(&http.Client{Transport: roundTripFunc(rt)}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Agents.Get(context.Background(), "agent_zzz")
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("key %q: %v, want an *APIError", key, err)
		}
		if want := `agent "agent_zzz" not found; key [REDACTED] refused`; apiErr.Message != want {
			t.Errorf("key %q: Message %q, want %q", key, apiErr.Message, want)
		}
		if apiErr.RequestID != "req_"+key {
			t.Errorf("key %q: RequestID %q, want req_%s", key, apiErr.RequestID, key)
		}
		if want := `client: GET /v1/agents/agent_zzz: 404 NOT_FOUND: agent "agent_zzz" not found; key [REDACTED] refused [request req_` + key + `]`; err.Error() != want {
			t.Errorf("key %q: error\n%q, want\n%q", key, err, want)
		}
		// New's own text is left whole.
		_, err = client.New(client.WithAPIKey(key), client.WithBaseURL("http://remote.example"))
		if want := `client: base URL "http://remote.example": refusing to send the API key over http:// to a host that is not loopback (use https, or WithInsecureHTTP)`; err == nil || err.Error() != want {
			t.Errorf("key %q: New error\n%q, want\n%q", key, err, want)
		}
	}
}

// A copy of a Client, printed in any way, shows no key and no header.
func TestPrintingACopiedClientHidesTheKey(t *testing.T) {
	t.Parallel()
	c, err := client.New(client.WithAPIKey(stubKey), client.WithBaseURL("https://api.example.test"), client.WithHeader("X-Secret-Tenant", "t_42"))
	if err != nil {
		t.Fatal(err)
	}
	holder := struct {
		name string
		c    client.Client
	}{"held", *c}
	out := fmt.Sprintf("%v|%+v|%#v|%s|%+v|%#v", *c, *c, *c, *c, holder, holder)
	for _, bad := range []string{stubKey, "Bearer", "Authorization", "t_42"} {
		if strings.Contains(out, bad) {
			t.Errorf("printed %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "client.Client(https://api.example.test)") {
		t.Errorf("printed no base URL:\n%s", out)
	}
}

// Every error a call returns starts "client: METHOD PATH: " and wraps its
// cause, whatever the cause; that is the only prefix in the text.
func TestOneErrorPrefix(t *testing.T) {
	t.Parallel()
	srv := fake.NewHandler()
	c := fakeClient(t, srv)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	ctx := context.Background()
	down := stubClient(t, func(*http.Request) (*http.Response, error) { return nil, errors.New("connection refused") }, client.WithMaxRetries(0))
	tests := []struct {
		name, prefix string
		err          error
		cause        error
	}{
		{"error answer", "client: GET /v1/agents/agent_x: 404 NOT_FOUND", second(c.Agents.Get(ctx, "agent_x")), client.ErrNotFound},
		{"refused body", "client: POST /v1/agents: validation failed: 1 invalid field: ", second(c.Agents.Create(ctx, tooLong())), client.ErrValidation},
		{"bad parameter", "client: GET /v1/agents: invalid parameter: page -1", second(c.Agents.List(ctx, client.AgentListParams{Page: -1})), client.ErrInvalidParameter},
		{"bad id", `client: DELETE /v1/agents/..: invalid parameter: agent id ".."`, c.Agents.Delete(ctx, ".."), client.ErrInvalidParameter},
		{"context", "client: GET /v1/agents/agent_x: context canceled", second(c.Agents.Get(cancelled, "agent_x")), context.Canceled},
		{"transport", "client: GET /v1/agents/agent_x: connection refused", second(down.Agents.Get(ctx, "agent_x")), nil},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.HasPrefix(tt.err.Error(), tt.prefix) {
			t.Errorf("%s: %v, want it to start with %q", tt.name, tt.err, tt.prefix)
		}
		if tt.err != nil && (strings.Count(tt.err.Error(), "client: ") != 1 || strings.Contains(tt.err.Error(), " agents: ")) {
			t.Errorf("%s: %v has more than one prefix", tt.name, tt.err)
		}
		if tt.cause != nil && !errors.Is(tt.err, tt.cause) {
			t.Errorf("%s: %v does not wrap %v", tt.name, tt.err, tt.cause)
		}
	}
}

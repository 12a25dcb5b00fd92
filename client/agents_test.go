package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// Tests of the five endpoints against the fake.

// fakeClient returns a client of srv, logging into a key-checked buffer.
func fakeClient(t testing.TB, srv *fake.Server, opts ...client.Option) *client.Client {
	t.Helper()
	return srv.Client(t, append([]client.Option{client.WithLogger(debugLogger(t))}, opts...)...)
}

func pipelineParams() agents.CreateParams {
	return agents.CreateParams{
		Name:                   agents.Value("Support line"),
		Architecture:           agents.Value(agents.Pipeline),
		Model:                  agents.Value(agents.ModelGPT4o),
		STT:                    agents.Value(agents.STTDeepgram),
		TTS:                    agents.Value(agents.TTSCartesia),
		VoiceID:                agents.Value("voice_1"),
		SystemPrompt:           agents.Value("You answer support calls."),
		Language:               agents.Value("pt-BR"),
		Mode:                   agents.Value(agents.Public),
		Active:                 agents.Value(true),
		Temperature:            agents.Value(0.0),
		EnabledFunctions:       agents.Value([]string{"web_search"}),
		EnabledCustomFunctions: agents.Value([]string{"lookup_order"}),
	}
}

func TestCRUD(t *testing.T) {
	t.Parallel()
	clk := fake.NewClock(fixedTime)
	srv := fake.NewServer(t, fake.WithClock(clk.Now), fake.WithIDs(fake.SequentialIDs()))
	c := fakeClient(t, srv)
	ctx := context.Background()

	created, err := c.Agents.Create(ctx, pipelineParams())
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	want := agents.Agent{ID: "agent_1", Name: "Support line", Architecture: agents.Pipeline, Model: "gpt-4o",
		STT: "deepgram", TTS: "cartesia", VoiceID: "voice_1", SystemPrompt: "You answer support calls.",
		Language: "pt-BR", Mode: agents.Public, Active: true, Temperature: &zero,
		EnabledFunctions: []string{"web_search"}, EnabledCustomFunctions: []string{"lookup_order"},
		CreatedAt: fixedTime, UpdatedAt: fixedTime}
	if diff := cmp.Diff(&want, created); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	got, err := c.Agents.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get differs from what Create returned (-create +get):\n%s", diff)
	}

	clk.Advance(time.Minute)
	updated, err := c.Agents.Update(ctx, created.ID, agents.UpdateParams{
		Name: agents.Value("Sales line"), VoiceID: agents.Null[string](), Temperature: agents.Null[float64](),
	})
	if err != nil {
		t.Fatal(err)
	}
	want.Name, want.VoiceID, want.Temperature, want.UpdatedAt = "Sales line", "", nil, fixedTime.Add(time.Minute)
	if diff := cmp.Diff(&want, updated); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}

	page, err := c.Agents.List(ctx, client.AgentListParams{})
	if err != nil {
		t.Fatal(err)
	}
	wantPage := &client.AgentPage{Agents: []agents.Summary{want.Summary()}, Number: 1, Limit: 20, Total: 1}
	if diff := cmp.Diff(wantPage, page); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}

	if err := c.Agents.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Agents.Get(ctx, created.ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	// Not retried, so a 404 is a 404.
	if err := c.Agents.Delete(ctx, created.ID); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
}

func TestListPagesAndModes(t *testing.T) {
	t.Parallel()
	clk := fake.NewClock(fixedTime)
	srv := fake.NewServer(t, fake.WithClock(clk.Now), fake.WithIDs(fake.SequentialIDs()))
	c := fakeClient(t, srv)
	ctx := context.Background()
	modes := []agents.Mode{agents.Public, agents.Private, agents.Commercial}
	for i := range 7 {
		p := validCreate(fmt.Sprintf("bot %d", i))
		p.Mode = agents.Value(modes[i%3])
		if _, err := c.Agents.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
	}
	page, err := c.Agents.List(ctx, client.AgentListParams{Page: 2, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range page.Agents {
		ids = append(ids, a.ID)
	}
	// Newest first: 7 6 5 | 4 3 2 | 1.
	if diff := cmp.Diff([]string{"agent_4", "agent_3", "agent_2"}, ids); diff != "" {
		t.Errorf("page 2 ids (-want +got):\n%s", diff)
	}
	if page.Number != 2 || page.Limit != 3 || page.Total != 7 || !page.HasNext || !page.HasPrev {
		t.Errorf("pagination %+v", page)
	}
	public, err := c.Agents.List(ctx, client.AgentListParams{Mode: agents.Public})
	if err != nil {
		t.Fatal(err)
	}
	if public.Total != 3 {
		t.Errorf("%d public agents, want 3", public.Total)
	}
	for _, a := range public.Agents {
		if a.Mode != agents.Public {
			t.Errorf("mode filter let %s (%s) through", a.ID, a.Mode)
		}
	}
}

func TestRolesAndOrganizations(t *testing.T) {
	t.Parallel()
	srv := fake.NewServer(t)
	ctx := context.Background()
	owner := fakeClient(t, srv)
	member := fakeClient(t, srv, client.WithAPIKey(fake.KeyAcmeMember))
	globex := fakeClient(t, srv, client.WithAPIKey(fake.KeyGlobexOwner))
	stranger := fakeClient(t, srv, client.WithAPIKey("tk_test_nobody"))

	private, err := owner.Agents.Create(ctx, validCreate("owner's private"))
	if err != nil {
		t.Fatal(err)
	}
	commercial := validCreate("for sale")
	commercial.Mode = agents.Value(agents.Commercial)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"member creates commercial", second(member.Agents.Create(ctx, commercial)), client.ErrForbidden},
		{"member reads owner's private", second(member.Agents.Get(ctx, private.ID)), client.ErrNotFound},
		{"other organization", second(globex.Agents.Get(ctx, private.ID)), client.ErrNotFound},
		{"unknown key", second(stranger.Agents.List(ctx, client.AgentListParams{})), client.ErrUnauthorized},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, tt.err, tt.want)
		}
		var apiErr *client.APIError
		if errors.As(tt.err, &apiErr) && (apiErr.RequestID == "" || apiErr.Message == "") {
			t.Errorf("%s: %+v lacks a request id or message", tt.name, apiErr)
		}
		checkNoKey(t, tt.err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestServerValidationError(t *testing.T) {
	t.Parallel()
	srv := fake.NewServer(t)
	c := fakeClient(t, srv)
	ctx := context.Background()
	a, err := c.Agents.Create(ctx, validCreate("text bot"))
	if err != nil {
		t.Fatal(err)
	}
	// stt on a text agent: only the stored agent tells, so the server does.
	_, err = c.Agents.Update(ctx, a.ID, agents.UpdateParams{STT: agents.Value("deepgram")})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, client.ErrValidation) {
		t.Fatalf("Update: %v, want an *APIError matching ErrValidation", err)
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		t.Fatal("errors.As found no *agents.ValidationError")
	}
	if f, ok := ve.Field("stt"); !ok || f.Code != agents.CodeNotApplicable {
		t.Errorf("fields %+v, want stt not_applicable", ve.Fields)
	}
}

// rewrite returns a client of srv whose requests are changed by edit just
// before they reach the server: how the tests provoke the answers that the
// client itself never asks for (bad JSON, a wrong method, ...).
func rewrite(t *testing.T, srv *fake.Server, edit func(*http.Request), opts ...client.Option) *client.Client {
	t.Helper()
	inner := srv.HTTPClient().Transport
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		edit(r)
		return inner.RoundTrip(r)
	})
	return fakeClient(t, srv, append([]client.Option{client.WithHTTPClient(&http.Client{Transport: rt})}, opts...)...)
}

func setBody(r *http.Request, b []byte) {
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
}

// TestSentinelsFromFake checks each error code as the fake really sends
// it, decoded by the client into the matching sentinel. The 5xx codes are
// in the fault tests.
func TestSentinelsFromFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	create := func(c *client.Client) error { return second(c.Agents.Create(ctx, validCreate("Bot"))) }
	tests := []struct {
		name string
		edit func(*http.Request)
		call func(*client.Client) error
		want error
	}{
		{"invalid json", func(r *http.Request) { setBody(r, []byte(`{"name":`)) }, create, client.ErrInvalidRequestJSON},
		{"invalid parameter", func(r *http.Request) { r.URL.RawQuery = "page=0" },
			func(c *client.Client) error { return second(c.Agents.List(ctx, client.AgentListParams{})) }, client.ErrInvalidParameter},
		{"method not allowed", func(r *http.Request) { r.Method = http.MethodPut }, create, client.ErrMethodNotAllowed},
		{"payload too large", func(r *http.Request) {
			setBody(r, append(append([]byte(`{"name":"`), bytes.Repeat([]byte("x"), 1<<20)...), `"}`...))
		}, create, client.ErrPayloadTooLarge},
		{"unsupported media type", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, create, client.ErrUnsupportedMediaType},
		{"unauthorized", func(r *http.Request) { r.Header.Set("Authorization", "Bearer tk_test_nobody") }, create, client.ErrUnauthorized},
		{"not found", func(*http.Request) {}, func(c *client.Client) error { return second(c.Agents.Get(ctx, "agent_none")) }, client.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fake.NewHandler()
			err := tt.call(rewrite(t, srv, tt.edit))
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want an *APIError matching %v", err, tt.want)
			}
			if apiErr.Code == "" || apiErr.RequestID == "" {
				t.Errorf("%+v: the envelope's code or the request id is missing", apiErr)
			}
			checkNoKey(t, err)
		})
	}
}

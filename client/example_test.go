package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// exampleServer is an in-process fake with a fixed clock and counted ids,
// so that the examples print the same every time.
func exampleServer() *fake.Server {
	return fake.NewHandler(
		fake.WithClock(fake.NewClock(time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)).Now),
		fake.WithIDs(fake.SequentialIDs()),
	)
}

// exampleClient returns a client of srv acting as the owner of org_acme,
// reaching it in process, with short retry waits. In a test,
// srv.Client(t) does the same.
func exampleClient(srv *fake.Server) *client.Client {
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL("http://localhost"), client.WithHTTPClient(srv.HTTPClient()),
		client.WithRetryWait(fake.ClientRetryWaitMin, fake.ClientRetryWaitMax))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// exampleFault adds a fault rule to srv over HTTP, as a program without a
// test does. In a test, srv.AddFault(t, f) does the same.
func exampleFault(srv *fake.Server, f fake.Fault) {
	body, err := json.Marshal(f)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := srv.HTTPClient().Post("http://localhost/_fake/faults", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		log.Fatalf("POST /_fake/faults: %s", resp.Status)
	}
}

func Example() {
	// In a program: c, err := client.New() with TALKIFAI_API_KEY set.
	c := exampleClient(exampleServer())
	ctx := context.Background()

	a, err := c.Agents.Create(ctx, agents.CreateParams{
		Name:         agents.Value("Support bot"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4o),
		SystemPrompt: agents.Value("You answer questions about orders."),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.ID, a.Name, a.Mode, a.Language, a.CreatedAt.Format(time.RFC3339))

	got, err := c.Agents.Get(ctx, a.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Model, got.Active)
	// Output:
	// agent_1 Support bot private en 2026-01-15T10:30:00Z
	// gpt-4o false
}

func ExampleNew() {
	c, err := client.New(
		client.WithAPIKey("tk_live_example"),
		client.WithMaxRetries(5),
		client.WithRetryWait(time.Second, 20*time.Second),
		client.WithPOSTRetries(), // the server honours Idempotency-Key
	)
	fmt.Println(c != nil, err)

	_, err = client.New(client.WithAPIKey("tk_live_example"), client.WithBaseURL("http://api.example.com"))
	fmt.Println(err)
	// Output:
	// true <nil>
	// client: base URL "http://api.example.com": refusing to send the API key over http:// to a host that is not loopback (use https, or WithInsecureHTTP)
}

func ExampleAgentsService_All() {
	c := exampleClient(exampleServer())
	ctx := context.Background()
	for i := range 5 {
		p := agents.CreateParams{
			Name:         agents.Value(fmt.Sprintf("bot %d", i+1)),
			Architecture: agents.Value(agents.Text),
			Model:        agents.Value(agents.ModelGPT4o),
			SystemPrompt: agents.Value("Be brief."),
		}
		if _, err := c.Agents.Create(ctx, p); err != nil {
			log.Fatal(err)
		}
	}
	// Two per page: three requests, made as the loop needs them. Agents
	// created at the same instant come newest first.
	for a, err := range c.Agents.All(ctx, client.AgentListParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.ID, a.Name)
	}
	// Output:
	// agent_5 bot 5
	// agent_4 bot 4
	// agent_3 bot 3
	// agent_2 bot 2
	// agent_1 bot 1
}

func ExampleAgentsService_Update() {
	c := exampleClient(exampleServer())
	ctx := context.Background()
	a, err := c.Agents.Create(ctx, agents.CreateParams{
		Name:             agents.Value("Voice bot"),
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		VoiceID:          agents.Value("alloy"),
		SystemPrompt:     agents.Value("Greet callers."),
	})
	if err != nil {
		log.Fatal(err)
	}
	// Set the name, clear the voice, leave the rest.
	a, err = c.Agents.Update(ctx, a.ID, agents.UpdateParams{
		Name:    agents.Value("Front desk"),
		VoiceID: agents.Null[string](),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q %s\n", a.Name, a.VoiceID, a.RealtimeProvider)

	// Invalid params never leave the process.
	_, err = c.Agents.Update(ctx, a.ID, agents.UpdateParams{Name: agents.Null[string]()})
	var ve *agents.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Fields[0].Field, ve.Fields[0].Code)
	// Output:
	// Front desk "" openai
	// true name required
}

func ExampleAPIError() {
	c := exampleClient(exampleServer())
	_, err := c.Agents.Get(context.Background(), "agent_missing")
	if errors.Is(err, client.ErrNotFound) {
		fmt.Println("no such agent")
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// no such agent
	// 404 NOT_FOUND
}

package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

func ExampleAgentsService_Create() {
	c := exampleClient(exampleServer())
	a, err := c.Agents.Create(context.Background(), agents.CreateParams{
		Name:             agents.Value("Voice Concierge"),
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		SystemPrompt:     agents.Value("You greet callers."),
		Mode:             agents.Value(agents.Public),
	})
	if err != nil {
		log.Fatal(err)
	}
	// The 201 carries five fields; the rest come from the params and the
	// API's defaults.
	fmt.Println(a.ID, a.Architecture, a.RealtimeProvider, a.Mode, a.Language, a.Active)

	// Create never sends a body the API must refuse: it validates first.
	_, err = c.Agents.Create(context.Background(), agents.CreateParams{Name: agents.Value("x")})
	fmt.Println(err)
	// Output:
	// agent_1 realtime openai public en false
	// client: POST /v1/agents: validation failed: 2 invalid fields: agentArchitecture is required; systemPrompt is required
}

func ExampleAgentsService_Get() {
	c := exampleClient(exampleServer())
	_, err := c.Agents.Get(context.Background(), "agent_missing")
	fmt.Println(errors.Is(err, client.ErrNotFound))

	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID != "")
	}
	// Output:
	// true
	// 404 NOT_FOUND true
}

func ExampleAgentsService_List() {
	c := exampleClient(exampleServer())
	ctx := context.Background()
	for _, name := range []string{"one", "two", "three"} {
		if _, err := c.Agents.Create(ctx, textAgent(name)); err != nil {
			log.Fatal(err)
		}
	}
	page, err := c.Agents.List(ctx, client.AgentListParams{Page: 1, Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range page.Agents {
		fmt.Println(s.ID, s.Name)
	}
	fmt.Printf("page %d of %d agents, more: %v\n", page.Number, page.Total, page.HasNext)
	// Output:
	// agent_3 three
	// agent_2 two
	// page 1 of 3 agents, more: true
}

func ExampleAgentsService_Delete() {
	c := exampleClient(exampleServer())
	ctx := context.Background()
	a, err := c.Agents.Create(ctx, textAgent("temporary"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Agents.Delete(ctx, a.ID))
	// Deletion is permanent.
	fmt.Println(errors.Is(c.Agents.Delete(ctx, a.ID), client.ErrNotFound))
	// Output:
	// <nil>
	// true
}

func textAgent(name string) agents.CreateParams {
	return agents.CreateParams{
		Name:         agents.Value(name),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("You chat."),
	}
}

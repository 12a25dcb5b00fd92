package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// total is how many agents the example creates.
const total = 2500

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pagination:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	srv := fake.NewHandler()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c, err := client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL(ts.URL))
	if err != nil {
		return err
	}
	if err := seed(ctx, c); err != nil {
		return err
	}
	fmt.Fprintf(out, "Created %d agents: every 5th public, every 7th commercial, the rest private.\n", total)

	// pages counts the list requests the fake has served since the last call.
	seen := len(srv.Requests())
	pages := func() int {
		n := 0
		for _, r := range srv.Requests()[seen:] {
			if r.Method == "GET" && r.Path == "/v1/agents" {
				n++
			}
		}
		seen = len(srv.Requests())
		return n
	}

	count, ids := 0, make(map[string]bool)
	for s, err := range c.Agents.All(ctx, client.AgentListParams{Limit: 100}) {
		if err != nil {
			return err
		}
		count++
		ids[s.ID] = true
	}
	fmt.Fprintf(out, "All:          %d agents (%d distinct) in %d pages of 100\n", count, len(ids), pages())

	var first []string
	for s, err := range c.Agents.All(ctx, client.AgentListParams{Limit: 50}) {
		if err != nil {
			return err
		}
		first = append(first, s.Name)
		if len(first) == 3 {
			break // the iterator stops fetching here
		}
	}
	fmt.Fprintf(out, "With break:   the newest 3 are %q, in %d page\n", first, pages())

	public := 0
	for _, err := range c.Agents.All(ctx, client.AgentListParams{Mode: agents.Public}) {
		if err != nil {
			return err
		}
		public++
	}
	fmt.Fprintf(out, "Mode public:  %d agents in %d pages of 20 (the default limit)\n", public, pages())
	return nil
}

// seed creates the agents.
func seed(ctx context.Context, c *client.Client) error {
	for i := range total {
		mode := agents.Private
		switch {
		case i%5 == 0:
			mode = agents.Public
		case i%7 == 0:
			mode = agents.Commercial
		}
		_, err := c.Agents.Create(ctx, agents.CreateParams{
			Name:         agents.Value(fmt.Sprintf("agent %04d", i)),
			Architecture: agents.Value(agents.Text),
			Model:        agents.Value(agents.ModelGPT4oMini),
			SystemPrompt: agents.Value("You chat."),
			Mode:         agents.Value(mode),
		})
		if err != nil {
			return fmt.Errorf("create agent %d: %w", i, err)
		}
	}
	return nil
}

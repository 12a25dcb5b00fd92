package provisioner

import (
	"context"
	"fmt"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

// Customer is who gets an agent.
type Customer struct {
	ID      string // stable, e.g. "cus_42"
	Company string
}

// Provisioner gives customers agents through the Agents API.
type Provisioner struct {
	Client *client.Client
}

// AgentName is the name of c's agent: how Provision finds it again.
func AgentName(c Customer) string { return "support-" + c.ID }

// Provision returns c's agent, creating it if c has none. It returns the
// client's error when the API cannot be reached or refuses the request.
func (p *Provisioner) Provision(ctx context.Context, c Customer) (agents.Summary, error) {
	if s, ok, err := p.find(ctx, AgentName(c)); err != nil || ok {
		return s, err
	}
	a, err := p.Client.Agents.Create(ctx, agents.CreateParams{
		Name:         agents.Value(AgentName(c)),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value(fmt.Sprintf("You are the support agent of %s. Be brief and kind.", c.Company)),
		Active:       agents.Value(true),
	})
	if err != nil {
		return agents.Summary{}, fmt.Errorf("provision %s: %w", c.ID, err)
	}
	return a.Summary(), nil
}

// find looks for the agent named name among all agents.
func (p *Provisioner) find(ctx context.Context, name string) (agents.Summary, bool, error) {
	for s, err := range p.Client.Agents.All(ctx, client.AgentListParams{Limit: 100}) {
		if err != nil {
			return agents.Summary{}, false, fmt.Errorf("look for %s: %w", name, err)
		}
		if s.Name == name {
			return s, true, nil
		}
	}
	return agents.Summary{}, false, nil
}

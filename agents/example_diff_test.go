package agents_test

import (
	"encoding/json"
	"fmt"

	"github.com/talkifai-go/talkifai/agents"
)

// Diff turns a live agent into what a create of the desired body makes:
// the fields the body leaves out go back to their defaults.
func ExampleDiff() {
	live := agents.Agent{
		ID: "agent_1", Name: "Support", Architecture: agents.Text, Model: "gpt-4o",
		SystemPrompt: "Help.", Language: "fr", Mode: agents.Public, Active: true,
	}
	desired := agents.CreateParams{
		Name:         agents.Value("Support"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value("gpt-4o"),
		SystemPrompt: agents.Value("Help kindly."),
		Mode:         agents.Value(agents.Public),
	}
	patch := agents.Diff(live, desired)
	body, _ := json.Marshal(patch)
	fmt.Println(string(body))
	// Output:
	// {"systemPrompt":"Help kindly.","language":null,"active":false}
}

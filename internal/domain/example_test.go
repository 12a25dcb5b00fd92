package domain_test

import (
	"fmt"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
)

func ExampleNewAgent() {
	p := agents.CreateParams{
		Name:         agents.Value("Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our docs."),
	}
	a := domain.NewAgent(p, "agent_1", time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC))
	fmt.Println(a.ID, a.Mode, a.Language, a.Active, a.EnabledFunctions, a.UpdatedAt.Equal(a.CreatedAt))
	// Output: agent_1 private en false [] true
}

// A store moves updatedAt only when a patch changes something.
func ExampleSameContent() {
	a := domain.NewAgent(agents.CreateParams{
		Name:         agents.Value("Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our docs."),
	}, "agent_1", time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC))

	for _, p := range []agents.UpdateParams{
		{Name: agents.Value("Docs Helper")}, // the same name
		{VoiceID: agents.Null[string]()},    // clears what is already unset
		{Name: agents.Value("Docs Bot")},
	} {
		b, err := p.Apply(a)
		fmt.Println(domain.SameContent(a, b), err)
	}
	// Output:
	// true <nil>
	// true <nil>
	// false <nil>
}

func ExampleNewValidationError() {
	err := domain.NewValidationError(
		agents.FieldError{Field: "stt", Code: agents.CodeTooLong, Message: "stt must be at most 64 characters"},
		agents.FieldError{Field: "stt", Code: agents.CodeNotApplicable, Message: "stt is not applicable to text agents"},
		agents.FieldError{Field: "name", Code: agents.CodeRequired, Message: "name is required"},
	)
	fmt.Println(err)
	// Output: validation failed: 2 invalid fields: name is required; stt is not applicable to text agents
}

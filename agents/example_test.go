package agents_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/talkifai-go/talkifai/agents"
)

func ExampleCreateParams_Validate() {
	p := agents.CreateParams{
		Name:         agents.Value("Support Bot"),
		Architecture: agents.Value(agents.Pipeline),
		Model:        agents.Value(agents.ModelGPT4o),
		// STT is missing, and text-to-speech has a typo'd space.
		TTS:              agents.Value("eleven labs"),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		SystemPrompt:     agents.Value("You are helpful."),
		Temperature:      agents.Value(2.5),
	}
	var ve *agents.ValidationError
	if errors.As(p.Validate(), &ve) {
		for _, f := range ve.Fields {
			fmt.Printf("%s: %s (%s)\n", f.Field, f.Code, f.Message)
		}
	}
	// Output:
	// realtimeProvider: not_applicable (realtimeProvider is not applicable to pipeline agents)
	// stt: required (stt is required for pipeline agents)
	// temperature: out_of_range (temperature must be between 0 and 2)
	// tts: invalid_format (tts must not contain white space)
}

func ExampleUpdateParams_Apply() {
	now := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	a := agents.CreateParams{
		Name:         agents.Value("Concierge"),
		Architecture: agents.Value(agents.Pipeline),
		Model:        agents.Value(agents.ModelGPT4o),
		STT:          agents.Value(agents.STTDeepgram),
		TTS:          agents.Value(agents.TTSCartesia),
		SystemPrompt: agents.Value("Greet callers."),
	}.NewAgent("agent_1", now)

	// Moving to realtime without clearing stt and tts fails, naming both.
	_, err := agents.UpdateParams{
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
	}.Apply(a)
	fmt.Println(err)

	// Clearing them with null in the same patch succeeds.
	b, err := agents.UpdateParams{
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		STT:              agents.Null[string](),
		TTS:              agents.Null[string](),
	}.Apply(a)
	fmt.Println(b.Architecture, b.RealtimeProvider, b.STT == "", b.TTS == "", err)
	// Output:
	// agents: invalid 2 fields: stt is not applicable to realtime agents; tts is not applicable to realtime agents
	// realtime openai true true <nil>
}

func ExampleOptional() {
	p := agents.UpdateParams{
		Name:        agents.Value("Support bot"), // set
		VoiceID:     agents.Null[string](),       // clear
		Temperature: agents.Value(0.0),           // zero is a value, not "absent"
		// Everything else is absent and left out.
	}
	b, _ := json.Marshal(p)
	fmt.Println(string(b))
	// Output: {"name":"Support bot","voiceId":null,"temperature":0}
}

func ExampleCreateParams_NewAgent() {
	p := agents.CreateParams{
		Name:         agents.Value("Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our docs."),
	}
	a := p.NewAgent("agent_1", time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC))
	fmt.Println(a.Mode, a.Language, a.Active, len(a.EnabledFunctions))
	b, _ := json.Marshal(a.Summary())
	fmt.Println(string(b))
	// Output:
	// private en false 0
	// {"id":"agent_1","name":"Docs Helper","mode":"private","agentArchitecture":"text","active":false,"createdAt":"2024-01-15T10:30:00.000Z"}
}

func ExampleNewValidationError() {
	err := agents.NewValidationError(
		agents.FieldError{Field: "stt", Code: agents.CodeTooLong, Message: "stt must be at most 64 characters"},
		agents.FieldError{Field: "stt", Code: agents.CodeNotApplicable, Message: "stt is not applicable to text agents"},
		agents.FieldError{Field: "name", Code: agents.CodeRequired, Message: "name is required"},
	)
	fmt.Println(err)
	// Output: agents: invalid 2 fields: name is required; stt is not applicable to text agents
}

func ExampleNeeds() {
	for _, arch := range []agents.Architecture{agents.Pipeline, agents.Realtime, agents.Text} {
		fmt.Println(arch, agents.Needs(arch, "stt"), agents.Needs(arch, "model"))
	}
	// Output:
	// pipeline required required
	// realtime not_applicable optional
	// text not_applicable required
}

// A fake server, or any store of agents, moves updatedAt only when a patch
// changes something.
func ExampleAgent_SameContent() {
	now := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	a := agents.CreateParams{
		Name:         agents.Value("Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our docs."),
	}.NewAgent("agent_1", now)

	for _, p := range []agents.UpdateParams{
		{Name: agents.Value("Docs Helper")}, // the same name
		{VoiceID: agents.Null[string]()},    // clears what is already unset
		{Name: agents.Value("Docs Bot")},
	} {
		b, err := p.Apply(a)
		fmt.Println(b.SameContent(a), err)
	}
	// Output:
	// true <nil>
	// true <nil>
	// false <nil>
}

func ExampleValidationError_Field() {
	err := agents.CreateParams{Name: agents.Value("Bot")}.Validate()
	var ve *agents.ValidationError
	if errors.As(err, &ve) {
		if f, ok := ve.Field("systemPrompt"); ok {
			fmt.Println(f.Code, "-", f.Message)
		}
		_, ok := ve.Field("name")
		fmt.Println(ok)
	}
	// Output:
	// required - systemPrompt is required
	// false
}

func ExampleFormatTime() {
	paris := time.FixedZone("CET", 3600)
	fmt.Println(agents.FormatTime(time.Date(2024, 1, 15, 11, 30, 0, 0, paris)))
	// Output: 2024-01-15T10:30:00.000Z
}

func ExampleValidID() {
	fmt.Println(agents.ValidID("agent_7f3k2m9x1q4w8e5r"), agents.ValidID("agent-7f3k"), agents.ValidID("../agents"))
	// Output: true false false
}

func ExampleUpdateParams_Check() {
	// Wrong whatever agent it is applied to: refused before sending.
	p := agents.UpdateParams{Name: agents.Null[string](), Temperature: agents.Value(3.0)}
	fmt.Println(p.Check())
	// Depends on the stored agent (is it a pipeline agent?): left to Apply.
	fmt.Println(agents.UpdateParams{STT: agents.Value(agents.STTDeepgram)}.Check())
	// Output:
	// agents: invalid 2 fields: name cannot be null; temperature must be between 0 and 2
	// <nil>
}

func ExampleMessage() {
	fmt.Println(agents.Message("stt", agents.CodeRequired, agents.Pipeline))
	fmt.Println(agents.Message("stt", agents.CodeNotApplicable, agents.Text))
	fmt.Println(agents.Message("enabledFunctions[3]", agents.CodeTooLong, ""))
	fmt.Println(agents.Message("temperature", agents.CodeOutOfRange, ""))
	fmt.Println(agents.NullMessage("mode"))
	fmt.Println(agents.BlankMessage("name"))
	// An unknown field or code, or a code the field has no rule for:
	fmt.Println(agents.Message("nickname", agents.CodeTooLong, ""))
	fmt.Println(agents.Message("name", "no_such_code", ""))
	// Output:
	// stt is required for pipeline agents
	// stt is not applicable to text agents
	// enabledFunctions[3] must be at most 100 characters
	// temperature must be between 0 and 2
	// mode cannot be null
	// name must not be blank
	// nickname is not valid
	// name is not valid
}

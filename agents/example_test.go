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
	a := agents.Agent{
		ID:           "agent_1",
		Name:         "Concierge",
		Architecture: agents.Pipeline,
		Model:        agents.ModelGPT4o,
		STT:          agents.STTDeepgram,
		TTS:          agents.TTSCartesia,
		SystemPrompt: "Greet callers.",
		Language:     agents.DefaultLanguage,
		Mode:         agents.Private,
	}

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
	// validation failed: 2 invalid fields: stt is not applicable to realtime agents; tts is not applicable to realtime agents
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

func ExampleUpdateParams_Validate() {
	// Wrong whatever agent it is applied to: refused before sending.
	p := agents.UpdateParams{Name: agents.Null[string](), Temperature: agents.Value(3.0)}
	fmt.Println(p.Validate())
	// Depends on the stored agent (is it a pipeline agent?): left to Apply.
	fmt.Println(agents.UpdateParams{STT: agents.Value(agents.STTDeepgram)}.Validate())
	// Output:
	// validation failed: 2 invalid fields: name cannot be null; temperature must be between 0 and 2
	// <nil>
}

func ExampleAgent_Summary() {
	a := agents.Agent{
		ID:           "agent_1",
		Name:         "Docs Helper",
		Architecture: agents.Text,
		Model:        agents.ModelGPT4oMini,
		SystemPrompt: "Answer questions about our docs.",
		Language:     agents.DefaultLanguage,
		Mode:         agents.Private,
		CreatedAt:    time.Date(2024, 1, 15, 11, 30, 0, 0, time.FixedZone("CET", 3600)),
	}
	b, _ := json.Marshal(a.Summary())
	fmt.Println(string(b))
	// Output:
	// {"id":"agent_1","name":"Docs Helper","mode":"private","agentArchitecture":"text","active":false,"createdAt":"2024-01-15T10:30:00.000Z"}
}

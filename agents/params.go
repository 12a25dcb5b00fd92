package agents

// CreateParams is the body of POST /v1/agents.
//
// Fields are [Optional] so that an empty string is told apart from a missing
// one (the first is too short, the second is required); absent fields are
// left out of the JSON. [CreateParams.Validate] checks every rule,
// including which fields the architecture requires or forbids (see
// [Architecture]).
//
// Decoding raw JSON: encoding/json fails on a value of the wrong type, a
// null item of a function list included. But it drops keys it does not
// know, and matches keys without regard to case. To judge raw JSON as the
// API does (unknown_field, read_only, wrong_type), run it through package
// validate first.
type CreateParams struct {
	Name                   Optional[string]       `json:"name,omitzero"`
	Architecture           Optional[Architecture] `json:"agentArchitecture,omitzero"`
	Model                  Optional[string]       `json:"model,omitzero"`
	STT                    Optional[string]       `json:"stt,omitzero"`
	TTS                    Optional[string]       `json:"tts,omitzero"`
	RealtimeProvider       Optional[string]       `json:"realtimeProvider,omitzero"`
	VoiceID                Optional[string]       `json:"voiceId,omitzero"`
	SystemPrompt           Optional[string]       `json:"systemPrompt,omitzero"`
	Language               Optional[string]       `json:"language,omitzero"`
	Mode                   Optional[Mode]         `json:"mode,omitzero"`
	Active                 Optional[bool]         `json:"active,omitzero"`
	Temperature            Optional[float64]      `json:"temperature,omitzero"`
	EnabledFunctions       Optional[[]string]     `json:"enabledFunctions,omitzero"`
	EnabledCustomFunctions Optional[[]string]     `json:"enabledCustomFunctions,omitzero"`
}

// UpdateParams is the body of PATCH /v1/agents/{id}, a JSON merge patch
// with the same fields as [CreateParams]: an absent field is left alone, a
// [Value] sets it, and a [Null] clears it (optional fields only; see
// [UpdateParams.Apply]).
type UpdateParams CreateParams

package agents

import (
	"slices"
	"time"
)

// CreateParams is the body of POST /v1/agents.
//
// Fields are [Optional] so that an empty string is told apart from a missing
// one (the first is too short, the second is required); absent fields are
// left out of the JSON. Which fields an architecture requires, allows or
// forbids is in the API contract, section 4, and [CreateParams.Validate]
// checks all of it.
//
// Decoding a body from elsewhere with encoding/json fails on a value of the
// wrong type (a null item of a function list included), but drops keys it
// does not know and matches keys without regard to case: to judge raw JSON
// as the API does (unknown_field, read_only, wrong_type), run it through
// package validate first.
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

// NewAgent returns the agent that creating p makes, with the create
// defaults applied: mode private, language en, active false, empty function
// lists. CreatedAt and UpdatedAt are both now. NewAgent does not validate p:
// call [CreateParams.Validate] first.
func (p CreateParams) NewAgent(id string, now time.Time) Agent {
	a := Agent{
		ID:                     id,
		Name:                   p.Name.Or(""),
		Architecture:           p.Architecture.Or(""),
		Model:                  p.Model.Or(""),
		STT:                    p.STT.Or(""),
		TTS:                    p.TTS.Or(""),
		RealtimeProvider:       p.RealtimeProvider.Or(""),
		VoiceID:                p.VoiceID.Or(""),
		SystemPrompt:           p.SystemPrompt.Or(""),
		Language:               p.Language.Or(DefaultLanguage),
		Mode:                   p.Mode.Or(Private),
		Active:                 p.Active.Or(false),
		EnabledFunctions:       slices.Clone(nonNil(p.EnabledFunctions.Or(nil))),
		EnabledCustomFunctions: slices.Clone(nonNil(p.EnabledCustomFunctions.Or(nil))),
		CreatedAt:              now,
		UpdatedAt:              now,
	}
	if t, ok := p.Temperature.Get(); ok {
		a.Temperature = &t
	}
	return a
}

package agents

import (
	"encoding/json"
	"time"

	"github.com/talkifai-go/talkifai/internal/rules"
)

// Architecture is how an agent turns speech or text into answers. It
// decides which fields an agent needs:
//
//	field             pipeline        realtime        text
//	model             required        optional        required
//	stt, tts          required        not applicable  not applicable
//	realtimeProvider  not applicable  required        not applicable
//	voiceId           optional        optional        not applicable
//
// Every architecture requires name, agentArchitecture and systemPrompt.
// A field that is not applicable is refused when present (not_applicable).
type Architecture string

// The three architectures of the Agents API.
const (
	// Pipeline agents chain speech-to-text, an LLM and text-to-speech: they
	// need Model, STT and TTS.
	Pipeline Architecture = "pipeline"
	// Realtime agents use one speech-to-speech provider: they need
	// RealtimeProvider; Model is optional.
	Realtime Architecture = "realtime"
	// Text agents serve the Chat API only: they need Model and have no voice.
	Text Architecture = "text"
)

// Valid reports whether a is one of the three architectures.
func (a Architecture) Valid() bool {
	return a == Pipeline || a == Realtime || a == Text
}

// Mode decides who in the organization may see and change an agent.
type Mode string

// The three agent modes.
const (
	// Public agents are visible to every member of the organization.
	Public Mode = "public"
	// Private agents are visible to owners, admins and the member who made
	// them. New agents are private unless told otherwise.
	Private Mode = "private"
	// Commercial agents are visible to owners and admins only.
	Commercial Mode = "commercial"
)

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() bool {
	return m == Public || m == Private || m == Commercial
}

// DefaultLanguage is the language of an agent created without one, and what
// a PATCH with "language": null restores.
const DefaultLanguage = "en"

// Agent is the full agent, as GET /v1/agents/{id} returns it. Optional
// fields that are unset are empty strings (or a nil Temperature) and are
// omitted from its JSON; the two function lists always encode as arrays.
// Timestamps decode from any RFC 3339 form.
type Agent struct {
	ID                     string       `json:"id"`
	Name                   string       `json:"name"`
	Architecture           Architecture `json:"agentArchitecture"`
	Model                  string       `json:"model,omitempty"`
	STT                    string       `json:"stt,omitempty"`
	TTS                    string       `json:"tts,omitempty"`
	RealtimeProvider       string       `json:"realtimeProvider,omitempty"`
	VoiceID                string       `json:"voiceId,omitempty"`
	SystemPrompt           string       `json:"systemPrompt"`
	Language               string       `json:"language"`
	Mode                   Mode         `json:"mode"`
	Active                 bool         `json:"active"`
	Temperature            *float64     `json:"temperature,omitempty"`
	EnabledFunctions       []string     `json:"enabledFunctions"`
	EnabledCustomFunctions []string     `json:"enabledCustomFunctions"`
	CreatedAt              time.Time    `json:"createdAt"`
	UpdatedAt              time.Time    `json:"updatedAt"`
}

// MarshalJSON encodes a as the API does: timestamps in UTC with
// milliseconds ("2024-01-15T10:30:00.000Z"), nil function lists as [].
// It fails only for a Temperature that JSON cannot hold (NaN or
// infinite), with encoding/json's *json.UnsupportedValueError.
func (a Agent) MarshalJSON() ([]byte, error) {
	type plain Agent // no methods: no recursion
	p := plain(a)
	p.EnabledFunctions = nonNil(p.EnabledFunctions)
	p.EnabledCustomFunctions = nonNil(p.EnabledCustomFunctions)
	// The outer fields shadow the embedded ones of the same JSON name.
	return json.Marshal(struct {
		plain
		CreatedAt string `json:"createdAt"`
		UpdatedAt string `json:"updatedAt"`
	}{p, rules.FormatTime(a.CreatedAt), rules.FormatTime(a.UpdatedAt)})
}

// Summary is one item of GET /v1/agents.
type Summary struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Mode         Mode         `json:"mode"`
	Architecture Architecture `json:"agentArchitecture"`
	Active       bool         `json:"active"`
	CreatedAt    time.Time    `json:"createdAt"`
}

// MarshalJSON encodes s as the API does, its timestamp in UTC with
// milliseconds. It never fails.
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	return json.Marshal(struct {
		plain
		CreatedAt string `json:"createdAt"`
	}{plain(s), rules.FormatTime(s.CreatedAt)})
}

// Summary returns the list item of a.
func (a Agent) Summary() Summary {
	return Summary{ID: a.ID, Name: a.Name, Mode: a.Mode, Architecture: a.Architecture, Active: a.Active, CreatedAt: a.CreatedAt}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

package rules

// Need says what an architecture asks of a field.
type Need uint8

// What an architecture can ask of a field.
const (
	Optional Need = iota
	Required
	NotApplicable
)

// needs lists the fields that depend on the architecture. Fields not
// listed here do not depend on it.
var needs = map[string]map[string]Need{
	"model":            {Pipeline: Required, Realtime: Optional, Text: Required},
	"stt":              {Pipeline: Required, Realtime: NotApplicable, Text: NotApplicable},
	"tts":              {Pipeline: Required, Realtime: NotApplicable, Text: NotApplicable},
	"realtimeProvider": {Pipeline: NotApplicable, Realtime: Required, Text: NotApplicable},
	"voiceId":          {Pipeline: Optional, Realtime: Optional, Text: NotApplicable},
}

// Needs reports what architecture arch asks of the JSON field. Fields that
// do not depend on the architecture, and unknown architectures, answer
// Optional (name, agentArchitecture and systemPrompt are always required:
// package agents checks that apart).
func Needs(arch, field string) Need {
	return needs[field][arch]
}

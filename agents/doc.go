// Package agents is the domain of the TalkifAI Agents API: the agent, its
// list item, the create and update bodies, and the rules that decide
// whether a body is valid. It does no I/O.
//
//	p := agents.CreateParams{
//		Name:         agents.Value("Support Bot"),
//		Architecture: agents.Value(agents.Text),
//		Model:        agents.Value(agents.ModelGPT4oMini),
//		SystemPrompt: agents.Value("You are helpful."),
//	}
//	if err := p.Validate(); err != nil {
//		// err is a *agents.ValidationError listing every failing field.
//	}
//
// Package client sends these bodies; package fake serves them in tests.
//
// # Three architectures
//
// A [Pipeline] agent chains speech-to-text ([CreateParams.STT]), an LLM
// ([CreateParams.Model]) and text-to-speech ([CreateParams.TTS]). A
// [Realtime] agent uses one speech-to-speech provider
// ([CreateParams.RealtimeProvider]). A [Text] agent only chats: it needs a
// model and has no voice. A field that an architecture does not have is
// refused when present, never dropped silently. [Architecture] lists which
// fields each one needs.
//
// # Absent, null and a value
//
// Every field of [CreateParams] and [UpdateParams] is an [Optional]. It is
// absent (the zero value, left out of the JSON), [Null] (JSON null: in a
// PATCH, "clear it") or a [Value]. So a PATCH can say "leave the voice
// alone", "remove the voice" and "use this voice", and a create can tell
// "temperature 0" from "no temperature":
//
//	p := agents.UpdateParams{
//		Name:    agents.Value("Support bot"),
//		VoiceID: agents.Null[string](),
//	}
//
// # Every mistake at once
//
// [CreateParams.Validate], [UpdateParams.Validate] and [UpdateParams.Apply]
// report every failing field at once, in one *[ValidationError]. Each
// entry has the JSON field name, a detail code ([CodeRequired],
// [CodeTooLong], ...) and a message for people.
//
// These are the API's own rules. The client checks a body with them before
// sending it, so a request the server would refuse is never sent. The fake
// in this module enforces them by calling this package.
//
// docs/api.md, in the module's repository, describes every rule and
// endpoint of the API.
package agents

// Package agents is the domain of the TalkifAI Agents API: the agent and its
// list item, the create and update bodies, and the rules that decide whether
// a body is valid. It does no I/O.
//
// # Three architectures
//
// A [Pipeline] agent chains speech-to-text ([CreateParams.STT]), an LLM
// ([CreateParams.Model]) and text-to-speech ([CreateParams.TTS]). A
// [Realtime] agent uses one speech-to-speech provider
// ([CreateParams.RealtimeProvider]). A [Text] agent only chats: it needs a
// model and has no voice. A field that an architecture does not have is
// rejected when present, never silently dropped.
//
// # Absent, null and a value
//
// Every field of [CreateParams] and [UpdateParams] is an [Optional]: absent
// (the zero value, left out of the JSON), [Null] (JSON null: in a PATCH,
// "clear it") or a [Value]. So a PATCH can say "leave the voice alone",
// "remove the voice" and "use this voice", and a create can tell
// "temperature 0" from "no temperature":
//
//	p := agents.UpdateParams{
//		Name:    agents.Value("Support bot"),
//		VoiceID: agents.Null[string](),
//	}
//
// # Every mistake at once
//
// [CreateParams.Validate] and [UpdateParams.Apply] report every failing
// field in one *[ValidationError], one entry per field, ordered by JSON field
// name, with the API's detail codes ([CodeRequired], [CodeNotApplicable],
// [CodeTooLong], ...). The fake in this module enforces the API's rules by
// calling these functions, and the client calls them before it sends a
// body, so a request the server would refuse is never sent.
package agents

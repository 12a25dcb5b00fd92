package agents

import (
	"reflect"
	"slices"
)

// Diff returns the smallest PATCH that turns the live agent into the agent
// that creating desired makes: applying it with [UpdateParams.Apply] gives
// an agent with live's id and times and every writable field as a create of
// desired sets it, defaults included.
//
// A field that is already right is left out. A field that desired leaves
// out (or sets to null) and that live has is cleared: null in the patch,
// which unsets model, voiceId and temperature, sends language back to "en"
// and the function lists back to []. Mode and active cannot be null in a
// PATCH, so their defaults (private, false) are sent as values. When the
// architecture changes, the fields the new architecture does not have are
// nulled in the same patch, and the fields it needs are set where live
// lacks them, so that the patch is valid as one request.
//
// Diff judges nothing: it returns the empty patch when live already
// matches, and when desired is invalid (see [CreateParams.Validate]) the
// patch carries its invalid values as they are, for the server to refuse.
func Diff(live Agent, desired CreateParams) UpdateParams {
	have := draft(live)
	want := draft(newAgent(desired, live.ID, live.CreatedAt))
	var p UpdateParams
	// One line a field, like eachField; TestDiffCoversEveryField fails
	// when a field of eachField is missing here.
	diffField(&p.Name, have.Name, want.Name, desired.Name)
	diffField(&p.Architecture, have.Architecture, want.Architecture, desired.Architecture)
	diffField(&p.Model, have.Model, want.Model, desired.Model)
	diffField(&p.STT, have.STT, want.STT, desired.STT)
	diffField(&p.TTS, have.TTS, want.TTS, desired.TTS)
	diffField(&p.RealtimeProvider, have.RealtimeProvider, want.RealtimeProvider, desired.RealtimeProvider)
	diffField(&p.VoiceID, have.VoiceID, want.VoiceID, desired.VoiceID)
	diffField(&p.SystemPrompt, have.SystemPrompt, want.SystemPrompt, desired.SystemPrompt)
	diffField(&p.Language, have.Language, want.Language, desired.Language)
	diffField(&p.Temperature, have.Temperature, want.Temperature, desired.Temperature)
	diffField(&p.EnabledFunctions, have.EnabledFunctions, want.EnabledFunctions, desired.EnabledFunctions)
	diffField(&p.EnabledCustomFunctions, have.EnabledCustomFunctions, want.EnabledCustomFunctions, desired.EnabledCustomFunctions)
	// Null is refused on these two: send the default itself.
	diffValue(&p.Mode, have.Mode, want.Mode)
	diffValue(&p.Active, have.Active, want.Active)
	return p
}

// diffField sets *dst when have and want differ: to null when desired
// leaves the field to its default (so a default reads as "clear it"), to
// want's value otherwise.
func diffField[T any](dst *Optional[T], have, want, desired Optional[T]) {
	if sameOptional(have, want) {
		return
	}
	if !desired.IsSet() {
		*dst = Null[T]()
		return
	}
	*dst = want
}

// diffValue sets *dst to want when it differs from have.
func diffValue[T any](dst *Optional[T], have, want Optional[T]) {
	if !sameOptional(have, want) {
		*dst = want
	}
}

// sameOptional reports whether a and b are in the same state with equal
// values. Drafts hold non-nil lists, so [] and an unset list are equal.
func sameOptional[T any](a, b Optional[T]) bool {
	if a.state != b.state {
		return false
	}
	if s, ok := any(a.value).([]string); ok {
		return slices.Equal(s, any(b.value).([]string))
	}
	return reflect.DeepEqual(a.value, b.value)
}

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
	p := draft(newAgent(desired, live.ID, live.CreatedAt))
	var unused Agent
	// First every field of p that live already has is left out, and a
	// field that p lacks and live has is nulled; then a field that desired
	// leaves to its default is nulled, so that the default reads "clear it".
	eachField(&walker{op: keepChanged}, &p, &have, &unused)
	eachField(&walker{op: clearDefaults}, &p, &desired, &unused)
	return UpdateParams(p)
}

// keepIfChanged leaves p out where it equals have, and nulls it where p is
// absent and have is not: the first pass of Diff.
func keepIfChanged[T any](p, have *Optional[T]) {
	switch {
	case sameOptional(*p, *have):
		*p = Optional[T]{}
	case p.IsZero():
		*p = Null[T]()
	}
}

// clearIfDefault is the second pass of Diff: a changed field that desired
// does not set becomes null, unless null is refused on it and it has a
// default (sendDefault: mode, active), which is sent as a value. A null
// of the first pass on a field that desired does set is left out again:
// desired's value makes no value (an empty model, say), as live has none.
func clearIfDefault[T any](p, desired *Optional[T], sendDefault bool) {
	switch {
	case p.IsZero():
	case !desired.IsSet() && !sendDefault:
		*p = Null[T]()
	case desired.IsSet() && p.IsNull():
		*p = Optional[T]{}
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

package agents

import "slices"

// Apply returns the agent that PATCHing a with p makes, or a
// *[ValidationError] listing every failing field. a itself is not changed.
//
// It follows JSON merge patch for top-level fields: an absent field is left
// as it is, a value sets it, and null clears it: model, voiceId,
// temperature and the fields not applicable to the architecture become
// unset, language goes back to "en" and the function lists to []. Null on a
// field the architecture requires, or on one that always has a value (name,
// agentArchitecture, systemPrompt, mode, active), is "required".
//
// The result is then validated as a whole against its (possibly new)
// architecture, so changing agentArchitecture needs the fields that the new
// architecture does not have to be cleared with null in the same patch.
//
// Apply leaves UpdatedAt alone: compare the result with [Agent.SameContent]
// to learn whether anything changed, and stamp UpdatedAt if so.
func (p UpdateParams) Apply(a Agent) (Agent, error) {
	draft := a.draft()
	overlay(&draft.Name, p.Name)
	overlay(&draft.Architecture, p.Architecture)
	overlay(&draft.Model, p.Model)
	overlay(&draft.STT, p.STT)
	overlay(&draft.TTS, p.TTS)
	overlay(&draft.RealtimeProvider, p.RealtimeProvider)
	overlay(&draft.VoiceID, p.VoiceID)
	overlay(&draft.SystemPrompt, p.SystemPrompt)
	overlay(&draft.Temperature, p.Temperature)
	overlay(&draft.Mode, p.Mode)
	overlay(&draft.Active, p.Active)
	overlay(&draft.Language, orNull(p.Language, Value(DefaultLanguage)))
	overlay(&draft.EnabledFunctions, orNull(p.EnabledFunctions, Value([]string{})))
	overlay(&draft.EnabledCustomFunctions, orNull(p.EnabledCustomFunctions, Value([]string{})))

	errs := draft.check()
	// Mode and active have defaults on create, so the create rules allow
	// them absent; in a patch, null on them is an attempt to unset a field
	// that always has a value.
	if p.Mode.IsNull() {
		errs = append(errs, *fieldError("mode", CodeRequired, "mode cannot be null"))
	}
	if p.Active.IsNull() {
		errs = append(errs, *fieldError("active", CodeRequired, "active cannot be null"))
	}
	if err := NewValidationError(errs...); err != nil {
		return a, err
	}
	out := draft.NewAgent(a.ID, a.CreatedAt)
	out.UpdatedAt = a.UpdatedAt
	return out, nil
}

// SameContent reports whether a and b have the same writable fields and id,
// leaving the timestamps aside: an update whose result is SameContent as
// before changed nothing.
func (a Agent) SameContent(b Agent) bool {
	return a.ID == b.ID && a.draft().equal(b.draft())
}

// draft returns a's writable fields as create params: every set field a
// value, every unset optional field absent.
func (a Agent) draft() CreateParams {
	p := CreateParams{
		Name:                   Value(a.Name),
		Architecture:           Value(a.Architecture),
		SystemPrompt:           Value(a.SystemPrompt),
		Language:               Value(a.Language),
		Mode:                   Value(a.Mode),
		Active:                 Value(a.Active),
		EnabledFunctions:       Value(slices.Clone(nonNil(a.EnabledFunctions))),
		EnabledCustomFunctions: Value(slices.Clone(nonNil(a.EnabledCustomFunctions))),
		Model:                  valueUnlessEmpty(a.Model),
		STT:                    valueUnlessEmpty(a.STT),
		TTS:                    valueUnlessEmpty(a.TTS),
		RealtimeProvider:       valueUnlessEmpty(a.RealtimeProvider),
		VoiceID:                valueUnlessEmpty(a.VoiceID),
	}
	if a.Temperature != nil {
		p.Temperature = Value(*a.Temperature)
	}
	return p
}

func (p CreateParams) equal(q CreateParams) bool {
	return p.Name == q.Name && p.Architecture == q.Architecture && p.Model == q.Model &&
		p.STT == q.STT && p.TTS == q.TTS && p.RealtimeProvider == q.RealtimeProvider &&
		p.VoiceID == q.VoiceID && p.SystemPrompt == q.SystemPrompt && p.Language == q.Language &&
		p.Mode == q.Mode && p.Active == q.Active && p.Temperature == q.Temperature &&
		slices.Equal(p.EnabledFunctions.value, q.EnabledFunctions.value) &&
		slices.Equal(p.EnabledCustomFunctions.value, q.EnabledCustomFunctions.value)
}

func valueUnlessEmpty(s string) Optional[string] {
	if s == "" {
		return Optional[string]{}
	}
	return Value(s)
}

// overlay applies one merge-patch field: absent keeps dst, anything else
// (a value, or null, which unsets) replaces it.
func overlay[T any](dst *Optional[T], patch Optional[T]) {
	if !patch.IsZero() {
		*dst = patch
	}
}

// orNull returns def where o is null: the fields whose null means "back to
// the default".
func orNull[T any](o, def Optional[T]) Optional[T] {
	if o.IsNull() {
		return def
	}
	return o
}

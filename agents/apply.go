package agents

import (
	"reflect"
	"slices"
	"strings"
)

// Apply returns the agent that PATCHing a with p makes and nil; or, when
// the patch or its result breaks a rule, a as it was and a
// *[ValidationError] listing every failing field. It never returns another
// error, and never changes a.
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
	overlay(&draft.Language, p.Language)                 // null: NewAgent restores "en"
	overlay(&draft.EnabledFunctions, p.EnabledFunctions) // null: NewAgent makes []
	overlay(&draft.EnabledCustomFunctions, p.EnabledCustomFunctions)

	errs := append(p.nullErrors(), draft.check()...)
	if err := NewValidationError(errs...); err != nil {
		return a, err
	}
	out := draft.NewAgent(a.ID, a.CreatedAt)
	out.UpdatedAt = a.UpdatedAt
	return out, nil
}

// Check returns nil, or a *[ValidationError] listing what is wrong with p
// itself, whatever agent it is applied to: the value rules of the fields it
// sets, null on a field that always has a value, and, when p sets the
// architecture, the fields it sets or nulls that the architecture forbids or
// requires. [UpdateParams.Apply] finds all of these too, and what depends on
// the stored agent besides; Check is for refusing a patch before it is sent.
func (p UpdateParams) Check() error {
	touched := p.touched()
	errs := p.nullErrors()
	for _, f := range CreateParams(p).check() {
		// The create rules' entries about fields p leaves alone ("stt is
		// required") are about the stored agent, not about p.
		name, _, _ := strings.Cut(f.Field, "[")
		if touched[name] {
			errs = append(errs, f)
		}
	}
	if err := NewValidationError(errs...); err != nil {
		return err
	}
	return nil
}

// touched returns the JSON names of the fields p sets or nulls.
func (p UpdateParams) touched() map[string]bool {
	return map[string]bool{
		"name":                   !p.Name.IsZero(),
		"agentArchitecture":      !p.Architecture.IsZero(),
		"model":                  !p.Model.IsZero(),
		"stt":                    !p.STT.IsZero(),
		"tts":                    !p.TTS.IsZero(),
		"realtimeProvider":       !p.RealtimeProvider.IsZero(),
		"voiceId":                !p.VoiceID.IsZero(),
		"systemPrompt":           !p.SystemPrompt.IsZero(),
		"language":               !p.Language.IsZero(),
		"mode":                   !p.Mode.IsZero(),
		"active":                 !p.Active.IsZero(),
		"temperature":            !p.Temperature.IsZero(),
		"enabledFunctions":       !p.EnabledFunctions.IsZero(),
		"enabledCustomFunctions": !p.EnabledCustomFunctions.IsZero(),
	}
}

// nullErrors reports null on the fields that always have a value. The
// create rules let mode and active be absent (they have defaults), so only
// this catches null on them; on name, agentArchitecture and systemPrompt it
// says what is wrong in the patch's terms, and comes first so that it wins
// over the create rules' "is required" for the same field.
func (p UpdateParams) nullErrors() []FieldError {
	var errs []FieldError
	for _, f := range []struct {
		field string
		null  bool
	}{
		{"name", p.Name.IsNull()},
		{"agentArchitecture", p.Architecture.IsNull()},
		{"systemPrompt", p.SystemPrompt.IsNull()},
		{"mode", p.Mode.IsNull()},
		{"active", p.Active.IsNull()},
	} {
		if f.null {
			errs = append(errs, FieldError{Field: f.field, Code: CodeRequired, Message: NullMessage(f.field)})
		}
	}
	return errs
}

// SameContent reports whether a and b have the same writable fields and id,
// leaving the timestamps aside: an update whose result is SameContent as
// before changed nothing.
func (a Agent) SameContent(b Agent) bool {
	// DeepEqual compares every field of the drafts, so a field added to
	// CreateParams is compared without a list to keep up to date. Drafts
	// hold non-nil slices, so [] and an unset list compare equal.
	return a.ID == b.ID && reflect.DeepEqual(a.draft(), b.draft())
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

package agents

import (
	"reflect"
	"strings"

	"github.com/talkifai-go/talkifai/internal/rules"
)

// Apply returns the agent that PATCHing a with p makes. When the patch or
// its result breaks a rule, it returns a unchanged and a *[ValidationError]
// listing every failing field. It never returns another error, and never
// changes a.
//
// An absent field is left as it is, a value sets it, and null clears it:
//
//   - model, voiceId, temperature and the fields the architecture does not
//     have become unset;
//   - language goes back to "en";
//   - the function lists become [].
//
// Null on name, agentArchitecture, systemPrompt, mode or active, which
// always have a value, is "required"; so is null on a field that the
// architecture requires.
//
// The result is then checked as a whole against its architecture, which
// the patch may change. So a patch that changes agentArchitecture must
// also null the fields the new architecture does not have.
//
// Apply leaves UpdatedAt alone: a caller that stores the result stamps it
// when something changed.
func (p UpdateParams) Apply(a Agent) (Agent, error) {
	d := draft(a)
	patch := CreateParams(p)
	overlayPatch(&d, &patch)
	errs := append(p.nullErrors(), d.check()...)
	if err := newValidationError(errs...); err != nil {
		return a, err
	}
	out := newAgent(d, a.ID, a.CreatedAt)
	out.UpdatedAt = a.UpdatedAt
	return out, nil
}

// Validate returns nil, or a *[ValidationError] listing what is wrong with
// p whatever agent it is applied to:
//
//   - the limits and format of every value p sets;
//   - null on a field that always has a value;
//   - when p sets the architecture, the fields p sets or nulls that the
//     architecture does not have or requires.
//
// Use it to refuse a patch before sending it. [UpdateParams.Apply] finds
// all of these too, and also what depends on the stored agent.
func (p UpdateParams) Validate() error {
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
	if err := newValidationError(errs...); err != nil {
		return err
	}
	return nil
}

// touched returns the JSON names of the fields p sets or nulls.
func (p UpdateParams) touched() map[string]bool {
	cp := CreateParams(p)
	m := make(map[string]bool)
	visitFields(&cp, func(name string, _ bool, s state) { m[name] = s != unset })
	return m
}

// nullErrors reports null on the fields that always have a value. The
// create rules let mode and active be absent (they have defaults), so only
// this catches null on them. On name, agentArchitecture and systemPrompt
// it says what is wrong in the patch's terms, and comes first so that it
// wins over the create rules' "is required" for the same field.
func (p UpdateParams) nullErrors() []FieldError {
	cp := CreateParams(p)
	var errs []FieldError
	visitFields(&cp, func(name string, nullable bool, s state) {
		if !nullable && s == null {
			errs = append(errs, FieldError{Field: name, Code: CodeRequired, Message: rules.NullMessage(name)})
		}
	})
	return errs
}

// sameContent reports whether a and b have the same id and writable
// fields, leaving the timestamps aside: an update whose result has the
// same content as before changed nothing.
func sameContent(a, b Agent) bool {
	// DeepEqual compares every field of the drafts, so a new field is
	// compared without a list to keep up to date. Drafts hold non-nil
	// slices, so [] and an unset list compare equal.
	return a.ID == b.ID && reflect.DeepEqual(draft(a), draft(b))
}

package domain

import (
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain/hook"
)

var (
	newAgent           = hook.NewAgent.(func(agents.CreateParams, string, time.Time) agents.Agent)
	sameContent        = hook.SameContent.(func(agents.Agent, agents.Agent) bool)
	newValidationError = hook.NewValidationError.(func(...agents.FieldError) *agents.ValidationError)
	draft              = hook.Draft.(func(agents.Agent) agents.CreateParams)
)

// Draft returns a's writable fields as create params, as a create body of
// them would decode: every field a has a value, and the optional fields it
// leaves unset absent. A store judges a loaded agent by validating them.
func Draft(a agents.Agent) agents.CreateParams {
	return draft(a)
}

// NewAgent returns the agent that creating p makes, with the create
// defaults for what p leaves out or nulls: mode private, language en,
// active false, empty function lists. CreatedAt and UpdatedAt are both
// now. NewAgent does not validate p: call p.Validate first.
func NewAgent(p agents.CreateParams, id string, now time.Time) agents.Agent {
	return newAgent(p, id, now)
}

// SameContent reports whether a and b have the same id and writable
// fields, leaving the timestamps aside. A store compares an update's
// result with the stored agent, and moves UpdatedAt only when they differ.
func SameContent(a, b agents.Agent) bool {
	return sameContent(a, b)
}

// NewValidationError returns the ValidationError of fields: sorted by
// field name (byte order), and for a field that appears more than once,
// only the entry whose code comes first in the order of the agents.Code
// constants (ties go to the earlier entry). It returns nil when fields is
// empty, so that callers can write
// `if err := NewValidationError(fs...); err != nil`.
func NewValidationError(fields ...agents.FieldError) *agents.ValidationError {
	return newValidationError(fields...)
}

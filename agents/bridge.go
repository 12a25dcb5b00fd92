package agents

import "github.com/talkifai-go/talkifai/internal/domain/hook"

// The module's fake, client and validator need the create defaults, the
// content comparison, the error constructor and an agent's writable
// fields as params, but users do not: they stay unexported here, and
// package internal/domain hands them on with their types. Go has no "visible to this module only" for a public
// package's functions, so this is the handover.
func init() {
	hook.NewAgent = newAgent
	hook.SameContent = sameContent
	hook.NewValidationError = newValidationError
	hook.Draft = draft
}

// Package hook carries four unexported functions of package agents to
// package internal/domain. Package agents sets the variables when it is
// initialized; package domain reads them, with their types, when it is.
// Nothing else should use this package.
//
// It is a leaf (it imports nothing of this module), so that agents may
// import it; domain imports agents, so agents could not import domain.
package hook

// The functions of package agents, each as a func value of its own type:
// newAgent, sameContent, newValidationError and draft.
var NewAgent, SameContent, NewValidationError, Draft any

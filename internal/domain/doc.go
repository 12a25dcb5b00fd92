// Package domain gives the rest of this module the parts of package agents
// that users never call: the agent a create makes, the content comparison
// of two agents, the constructor of a validation error, and an agent's
// writable fields as create params. They stay
// unexported in agents, so that its API is only what users need.
//
// Package agents hands them over through package internal/domain/hook
// when it is initialized; this package asserts their types when it is
// initialized, so a mismatch fails every test of the module at once.
package domain

// Package rules holds what packages agents, validate and fake share but
// users never call: the detail codes and their order, the limits, which
// fields each architecture needs, the rules of string values, the messages
// of field errors, the agent id format and the timestamp layout.
//
// It is a leaf: it imports nothing of this module, so that agents may
// import it. Package agents re-exports the names users need (the codes,
// the limits, the architectures and modes) as constants of its own types.
package rules

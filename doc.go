// Package talkifai is the front page of talkifai-go, the Go library for the
// TalkifAI Agents API. The module has no code at its root; its packages are:
//
//   - [github.com/talkifai-go/talkifai/agents]: the domain. Agents, the
//     create and update bodies (with absent, null and value kept apart), and
//     validation by architecture that reports every failing field at once.
//   - [github.com/talkifai-go/talkifai/client]: the retrying HTTP client for
//     the five endpoints, with pagination iterators, typed errors, retries
//     that never duplicate a write, and client-side rate limiting.
//   - [github.com/talkifai-go/talkifai/fake]: an in-memory fake of the whole
//     API for tests (auth, roles, organizations, pagination, validation,
//     faults, a request journal), and a standalone binary for tests in any
//     language.
//   - [github.com/talkifai-go/talkifai/validate]: JSON Schemas of every body,
//     agreeing with package agents rule for rule.
//
// Start with the README's first command, go run ./examples/quickstart.
package talkifai

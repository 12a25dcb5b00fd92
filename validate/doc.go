// Package validate checks raw JSON bodies of the TalkifAI Agents API. It
// gives the same answer as package agents for the same body, and catches
// what only raw JSON can get wrong.
//
//	err := validate.Create(body) // nil, or *agents.ValidationError
//
// [Create] and [Update] take the raw bytes of a POST or PATCH body: a
// request, a config file in a repository, a body built by another program.
// They return nil when the body is valid. Otherwise they return a
// *[agents.ValidationError] listing every failing field at once, with the
// same codes and messages as package agents; or an error wrapping
// [ErrInvalidJSON] when the body is not one JSON object.
//
// Besides every rule of [agents.CreateParams.Validate], they catch:
//
//   - a value of the wrong type (wrong_type);
//   - a read-only field such as id (read_only);
//   - a key the API does not know (unknown_field), so that a typo fails
//     loudly instead of being dropped;
//   - a string that spells a lone UTF-16 surrogate such as "\ud800"
//     (invalid_format), which a decoder would replace by U+FFFD, so that
//     what is stored is what was sent.
//
// # Schemas for other languages
//
// The rules live in JSON Schema documents (draft 2020-12). [Schema] returns
// them by name, so that programs in other languages can check bodies too.
// The table of fields by architecture is written as conditionals on
// agentArchitecture.
//
// [OpenAPI] renders the same documents into an OpenAPI 3.1 document for
// code generators, which read less of JSON Schema than a validator does:
// each field's rules written out where it is used, one schema per
// architecture joined by a oneOf, a type on every schema. A test checks
// that its request schemas accept exactly the bodies that Create and
// Update accept, but for lone surrogates, which a schema cannot see.
//
// # Details
//
// Update judges a merge patch on its own. Whether the resulting agent fits
// its architecture depends on the stored agent: a server runs Update
// first, then [agents.UpdateParams.Apply] on the decoded patch.
//
// Go code here only turns schema errors into field errors: a user never
// sees a keyword path. A test generates thousands of bodies and checks that
// this package and package agents give each one the same fields, codes and
// messages, so the two cannot drift apart.
//
// The schemas are compiled once, on first use. Everything in this package
// is safe for concurrent use.
package validate

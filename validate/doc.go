// Package validate checks raw JSON bodies of the TalkifAI Agents API
// against JSON Schemas (draft 2020-12), with the same answer that package
// agents gives for the same body, and ships those schemas and an OpenAPI
// 3.1 document for users in other languages.
//
// [Create] and [Update] take the raw bytes of a POST or PATCH body: a
// request, a config file in a repository, a body built by another
// program. They return nil, a *[agents.ValidationError] that lists every
// failing field at once (JSON field names, the contract's detail codes,
// one entry per field, ordered by field name; where several rules fail
// for one field, the code that wins is the one package agents documents
// at [agents.CodeWrongType]), or an error wrapping
// [ErrInvalidJSON] when the body is not one JSON object. Besides every rule
// that [agents.CreateParams.Validate] applies, they catch what only raw
// JSON can get wrong: a value of the wrong type (wrong_type), a read-only
// field such as id (read_only), and a key the API does not know
// (unknown_field), so that a typo fails loudly instead of being dropped.
//
// The rules live in the schema documents, which [Schema] returns by name
// and [OpenAPI] gathers: the value rules of each field, and the contract's
// table of fields by architecture as conditionals on agentArchitecture.
// Go code only translates the schema library's errors into field errors:
// a user never sees a keyword path. A test generates thousands of bodies
// and checks that this package and package agents give every one of them
// the same fields, codes and messages, so the two sets of rules cannot
// drift apart.
//
// The schemas are compiled once, on first use, with
// github.com/santhosh-tekuri/jsonschema/v5; everything in this package is
// safe for concurrent use.
//
// Update judges a merge patch on its own. Whether the agent that results
// fits its architecture depends on the stored agent: a server runs Update
// first, then [agents.UpdateParams.Apply] on the decoded patch.
package validate

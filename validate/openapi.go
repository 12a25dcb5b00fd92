package validate

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// openAPITemplate is the OpenAPI document without the rendered schemas:
// paths, parameters, headers, responses and the three single-item
// envelopes. Its schemas refer to the schema documents by file name
// ("agent.json", "fields.json#/$defs/mode"); the rendering turns those
// into references to components or writes them out.
//
//go:embed openapi.json
var openAPITemplate []byte

// OpenAPI returns the OpenAPI 3.1 document (JSON) of the /v1 endpoints,
// shaped for code generators: every schema has a type, no keyword sits
// beside a $ref, every schema that generators make a type of is a named
// component (Agent, AgentSummary, CreateAgentRequest, UpdateAgentRequest,
// Error, ...), and where the fields depend on agentArchitecture there is
// one schema per architecture (PipelineAgent, RealtimeAgent, TextAgent)
// joined by a oneOf with a discriminator. Every header that the API sends
// is declared. The schemas are rendered from the documents of [Schema] and
// accept exactly the bodies that [Create] and [Update] accept, but for a
// string that spells a lone UTF-16 surrogate, which only the raw bytes
// show.
//
// Each call returns a fresh copy. It cannot fail: the document is
// rendered ahead of time and embedded.
func OpenAPI() []byte {
	return bytes.Clone(openAPIRendered)
}

// openAPIRendered is the document that renderOpenAPI makes, written by
// go generate, so that serving it costs no rendering (a few milliseconds,
// the most of a standalone fake's start to its first answer). A test holds
// it equal, byte for byte, to a fresh rendering.
//
//go:generate go test -run ^TestOpenAPIRendered$ -args -write-openapi
//go:embed openapi.rendered.json
var openAPIRendered []byte

// renderOpenAPI renders the document from the template and the schema
// documents. It depends on embedded files only: a failure is a bug in
// this package, so it panics.
func renderOpenAPI() []byte {
	return mustEncode(buildOpenAPI())
}

func mustEncode(doc map[string]any, err error) []byte {
	if err != nil {
		panic(fmt.Errorf("validate: openapi: %w", err))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Errorf("validate: openapi: %w", err))
	}
	return escapeSpaces(buf.Bytes())
}

// buildOpenAPI decodes the template and renders every schema in it.
func buildOpenAPI() (map[string]any, error) {
	v, err := decodeJSON(openAPITemplate)
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	doc := v.(map[string]any)
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for name, s := range schemas {
		if _, clash := r.out[name]; clash {
			return nil, fmt.Errorf("openapi.json: schema %s is also rendered", name)
		}
		o, err := r.object(s.(map[string]any), "openapi.json")
		if err != nil {
			return nil, fmt.Errorf("openapi.json: schema %s: %w", name, err)
		}
		r.out[name] = o
	}
	components["schemas"] = r.out
	if err := renderSchemaKeys(r, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// renderSchemaKeys renders, in place, every "schema" under v (parameters,
// headers, media types).
func renderSchemaKeys(r *renderer, v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(map[string]any); ok && k == "schema" {
				rs, err := r.schema(s, "openapi.json")
				if err != nil {
					return fmt.Errorf("openapi.json: %w", err)
				}
				x[k] = rs
				continue
			}
			if k == "schemas" {
				continue // rendered already
			}
			if err := renderSchemaKeys(r, e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := renderSchemaKeys(r, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeSpaces writes the non-ASCII white space of b (in the patterns) as
// \uXXXX escapes, so that people can read them. In valid JSON such a
// character can only be inside a string, where the escape means the same.
func escapeSpaces(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r > unicode.MaxASCII && unicode.IsSpace(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(b[:n])
		}
		b = b[n:]
	}
	return out.Bytes()
}

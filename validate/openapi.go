package validate

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// openAPITemplate is the OpenAPI document without the schema documents:
// paths, parameters, responses and the three single-item envelopes.
//
//go:embed openapi.json
var openAPITemplate []byte

// OpenAPI returns the OpenAPI 3.1 document (JSON) of the /v1 endpoints.
// Its components/schemas hold every document of [Schema], under the same
// names, with their references rewritten to point inside the document, so
// that it stands alone. Each call returns a fresh copy. It cannot fail on
// any input: it is built from embedded files only, and should they be
// broken (a bug that the package's tests catch), it panics.
func OpenAPI() []byte {
	return bytes.Clone(openAPI())
}

// openAPI builds the document once. It depends on embedded files only, and
// a test builds it: a failure is a bug in this package, so it panics.
var openAPI = sync.OnceValue(func() []byte {
	b, err := buildOpenAPI()
	if err != nil {
		panic(err)
	}
	return b
})

func buildOpenAPI() ([]byte, error) {
	doc, err := decodeJSON(openAPITemplate)
	if err != nil {
		return nil, fmt.Errorf("validate: openapi.json: %w", err)
	}
	components, _ := doc.(map[string]any)["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		return nil, fmt.Errorf("validate: openapi.json has no components/schemas")
	}
	for _, name := range schemaNames {
		b, _ := Schema(name)
		s, err := decodeJSON(b)
		if err != nil {
			return nil, fmt.Errorf("validate: schema %s: %w", name, err)
		}
		m := s.(map[string]any)
		// The document's own $id would become the base of every reference
		// inside it; without it, "#/components/..." means this document.
		delete(m, "$id")
		delete(m, "$schema")
		localizeRefs(m, name)
		schemas[name] = m
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("validate: openapi: %w", err)
	}
	return escapeSpaces(buf.Bytes()), nil
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

// localizeRefs rewrites every $ref under v, found in the schema document
// called self, to point into the OpenAPI document:
// "fields.json#/$defs/name" becomes "#/components/schemas/fields/$defs/name"
// and "#/$defs/x" becomes "#/components/schemas/SELF/$defs/x".
func localizeRefs(v any, self string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if ref, ok := e.(string); ok && k == "$ref" {
				file, frag, _ := strings.Cut(ref, "#")
				target := self
				if file != "" {
					target = strings.TrimSuffix(file, ".json")
				}
				x[k] = "#/components/schemas/" + target + frag
				continue
			}
			localizeRefs(e, self)
		}
	case []any:
		for _, e := range x {
			localizeRefs(e, self)
		}
	}
}

package validate

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed schemas/*.json
var schemaFiles embed.FS

// baseURL is the $id prefix of every schema document: create.json is
// baseURL + "create.json", and the documents refer to each other relative
// to it ("fields.json#/$defs/name").
const baseURL = "https://api.talkifai.dev/schemas/v1/"

// schemaNames lists the documents that [Schema] serves.
var schemaNames = []string{"create", "update", "agent", "summary", "created", "deleted", "list", "error", "fields"}

// Schema returns the JSON Schema document (draft 2020-12) called name, and
// whether there is one. The names are "create" and "update" (request
// bodies), "agent", "summary", "created" and "deleted" (response data),
// "list" and "error" (whole response bodies) and "fields" (the field rules
// the others share).
//
// The documents refer to each other by relative URI against their $id,
// https://api.talkifai.dev/schemas/v1/NAME.json: load "fields" beside the
// one you use. Each call returns a fresh copy.
func Schema(name string) ([]byte, bool) {
	if !slices.Contains(schemaNames, name) {
		return nil, false
	}
	b, err := schemaFiles.ReadFile("schemas/" + name + ".json")
	return b, err == nil
}

// compiled is what Create and Update need, built once by load.
type compiled struct {
	create, update *jsonschema.Schema
	// docs holds every document, decoded, by URL: the mapping of schema
	// errors reads keyword values (limits, enums, types) from them.
	docs map[string]any
}

// load compiles the schemas on first use. The compiled schemas are safe for
// concurrent use.
var load = sync.OnceValues(compile)

func compile() (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	// Everything is embedded: never fetch a document from anywhere.
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("validate: no schema document %s", s)
	}
	out := &compiled{docs: make(map[string]any, len(schemaNames))}
	for _, name := range schemaNames {
		b, _ := Schema(name)
		u := baseURL + name + ".json"
		if err := c.AddResource(u, bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("validate: schema %s: %w", name, err)
		}
		doc, err := decodeJSON(b)
		if err != nil {
			return nil, fmt.Errorf("validate: schema %s: %w", name, err)
		}
		out.docs[u] = doc
	}
	var err error
	if out.create, err = c.Compile(baseURL + "create.json"); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if out.update, err = c.Compile(baseURL + "update.json"); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	return out, nil
}

// decodeJSON decodes one JSON value, keeping numbers exact.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// lookup returns the value at an absolute schema location such as
// https://api.talkifai.dev/schemas/v1/fields.json#/$defs/name/maxLength.
func (c *compiled) lookup(location string) (any, bool) {
	u, frag, _ := strings.Cut(location, "#")
	doc, ok := c.docs[u]
	if !ok {
		return nil, false
	}
	return walk(doc, pointerTokens(frag))
}

// walk follows the tokens of a JSON pointer down from v, a decoded JSON
// value, and returns what it points at, or false when there is nothing.
func walk(v any, toks []string) (any, bool) {
	for _, tok := range toks {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// unescapeToken undoes JSON pointer escaping (RFC 6901): ~1 is /, ~0 is ~.
var unescapeToken = strings.NewReplacer("~1", "/", "~0", "~")

// pointerTokens splits a JSON pointer ("/a/b~1c") into its unescaped
// tokens. The schema library also escapes tokens as URL path segments.
func pointerTokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			t = u
		}
		toks[i] = unescapeToken.Replace(t)
	}
	return toks
}

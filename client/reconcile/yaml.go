package reconcile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// position is a line and column, both from 1.
type position struct{ line, col int }

// document is one spec file read as the JSON data model: its top-level
// members as JSON, and where each value (and each array item, as
// "field[i]") is in the file.
type document struct {
	members map[string]json.RawMessage
	at      map[string]position
	start   position // where the document starts: for missing fields
}

// problem is a problem of a file before it is tied to the file's name.
type problem struct {
	at      position
	field   string
	code    string
	message string
}

// parseDocument reads data, YAML or JSON, as one JSON object. It returns
// the problems that keep it from being one: a syntax error, more than one
// document, a top level that is not a mapping, a duplicate key, a tag, an
// anchor or alias, a value JSON cannot hold.
func parseDocument(data []byte) (*document, []problem) {
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, []problem{syntaxProblem(err)}
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, []problem{{at: position{1, 1}, message: "the file is empty: a spec is one mapping of the create body's fields"}}
	case len(docs) > 1:
		return nil, []problem{{at: nodePos(docs[1].Body, position{1, 1}), message: "a spec file holds one document"}}
	}
	body := docs[0].Body
	m, ok := body.(*ast.MappingNode)
	if !ok {
		if mv, isPair := body.(*ast.MappingValueNode); isPair {
			m = &ast.MappingNode{BaseNode: mv.BaseNode, Values: []*ast.MappingValueNode{mv}}
			ok = true
		}
	}
	start := nodePos(body, position{1, 1})
	if !ok {
		return nil, []problem{{at: start, message: "a spec is one mapping of the create body's fields"}}
	}
	w := &walker{at: map[string]position{}}
	doc := &document{members: map[string]json.RawMessage{}, at: w.at, start: start}
	seen := map[string]bool{}
	for _, kv := range m.Values {
		key, keyAt, ok := w.key(kv)
		if !ok {
			continue
		}
		valueAt := nodePos(kv.Value, keyAt)
		if seen[key] {
			w.problems = append(w.problems, problem{at: keyAt, field: key, code: "duplicate", message: "duplicate key " + strconv.Quote(key)})
			continue
		}
		seen[key] = true
		w.at[key] = valueAt
		v, ok := w.value(kv.Value, key, valueAt)
		if !ok {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			w.problems = append(w.problems, problem{at: valueAt, field: key, code: "wrong_type", message: "not a JSON value: " + err.Error()})
			continue
		}
		doc.members[key] = raw
	}
	return doc, w.problems
}

// walker turns YAML nodes into JSON values, recording positions and
// problems.
type walker struct {
	at       map[string]position
	problems []problem
}

func (w *walker) fail(at position, field, code, format string, args ...any) {
	w.problems = append(w.problems, problem{at: at, field: field, code: code, message: fmt.Sprintf(format, args...)})
}

// key returns the key of a mapping pair as a string.
func (w *walker) key(kv *ast.MappingValueNode) (string, position, bool) {
	var k ast.Node = kv.Key
	if mk, ok := k.(*ast.MappingKeyNode); ok {
		k = mk.Value
	}
	at := tokenPos(k.GetToken(), position{1, 1})
	switch n := k.(type) {
	case *ast.StringNode:
		return n.Value, at, true
	case ast.ScalarNode:
		// A key such as 1 or true: JSON keys are strings, so it is that
		// text (and no field of the API).
		return k.GetToken().Value, at, true
	}
	w.fail(at, "", "wrong_type", "a key must be a string")
	return "", at, false
}

// value converts n, the value of field, to a JSON value.
func (w *walker) value(n ast.Node, field string, at position) (any, bool) {
	switch n := n.(type) {
	case *ast.NullNode:
		return nil, true
	case *ast.BoolNode:
		return n.Value, true
	case *ast.IntegerNode:
		return n.Value, true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.InfinityNode, *ast.NanNode:
		w.fail(at, field, "wrong_type", "%s is not a JSON number", n.GetToken().Value)
		return nil, false
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	case *ast.SequenceNode:
		items := make([]any, 0, len(n.Values))
		for i, item := range n.Values {
			name := fmt.Sprintf("%s[%d]", field, i)
			itemAt := nodePos(item, at)
			w.at[name] = itemAt
			v, ok := w.value(item, name, itemAt)
			if !ok {
				return nil, false
			}
			items = append(items, v)
		}
		return items, true
	case *ast.MappingNode:
		obj := map[string]any{}
		for _, kv := range n.Values {
			key, keyAt, ok := w.key(kv)
			if !ok {
				return nil, false
			}
			if _, dup := obj[key]; dup {
				w.fail(keyAt, field, "duplicate", "duplicate key %q", key)
				return nil, false
			}
			v, ok := w.value(kv.Value, field+"."+key, nodePos(kv.Value, keyAt))
			if !ok {
				return nil, false
			}
			obj[key] = v
		}
		return obj, true
	case *ast.TagNode:
		w.fail(at, field, "wrong_type", "YAML tags such as %s are not read: a spec is plain JSON data", n.Start.Value)
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		w.fail(at, field, "wrong_type", "YAML anchors, aliases and merge keys are not read: write the value out")
	default:
		w.fail(at, field, "wrong_type", "a YAML %s is not a JSON value", n.Type())
	}
	return nil, false
}

// nodePos returns where n starts: for a block mapping, its first key
// (its own token is the first ":"), else its token.
func nodePos(n ast.Node, def position) position {
	switch m := n.(type) {
	case *ast.MappingNode:
		if !m.IsFlowStyle && len(m.Values) > 0 {
			return nodePos(m.Values[0], def)
		}
	case *ast.MappingValueNode:
		return tokenPos(m.Key.GetToken(), def)
	}
	return tokenPos(n.GetToken(), def)
}

// tokenPos returns where t is, or def for a node without a token (an
// empty value).
func tokenPos(t *token.Token, def position) position {
	if t == nil || t.Position == nil || t.Position.Line == 0 {
		return def
	}
	return position{t.Position.Line, t.Position.Column}
}

// syntaxProblem turns a parser error into a problem at its place.
func syntaxProblem(err error) problem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		return problem{at: tokenPos(ye.GetToken(), position{1, 1}), message: "syntax error: " + ye.GetMessage()}
	}
	return problem{at: position{1, 1}, message: "syntax error: " + err.Error()}
}

package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// The OpenAPI document does not carry the schema documents as they are.
// Code generators read a narrower dialect than JSON Schema 2020-12: they
// want a type on every schema, nothing beside a $ref, named top-level
// schemas, and a oneOf with a discriminator where the fields depend on
// agentArchitecture. So the documents are rendered: the field definitions
// of fields.json are written out in every property that uses them, the
// table of fields by architecture becomes one schema per architecture,
// and fields the body must not carry (read-only, unknown) are left to
// additionalProperties: false. The rendering is mechanical, so the rules
// stay written once, in the schema documents; a test checks that the
// rendered schemas accept exactly the bodies that Create and Update accept.

// component is a schema of components/schemas rendered from a schema
// document, or from one of its definitions.
type component struct {
	name, at string // at: "agent.json", or "list.json#/$defs/pagination"
	// byArchitecture: render one schema per architecture, named by
	// variantName, and make name their oneOf.
	byArchitecture bool
}

// components lists the rendered schemas in the order of the document's
// components. Every reference to their location becomes a $ref to them.
var components = []component{
	{name: "CreateAgentRequest", at: "create.json", byArchitecture: true},
	{name: "UpdateAgentRequest", at: "update.json"},
	{name: "Agent", at: "agent.json", byArchitecture: true},
	{name: "AgentSummary", at: "summary.json"},
	{name: "CreatedAgent", at: "created.json"},
	{name: "DeletedAgent", at: "deleted.json"},
	{name: "AgentList", at: "list.json"},
	{name: "Pagination", at: "list.json#/$defs/pagination"},
	{name: "Error", at: "error.json"},
	{name: "FieldError", at: "error.json#/$defs/detail"},
}

// namedEnums are the enums of fields.json that become schemas of their
// own: a property that allows exactly their values, and not null, refers
// to them, so that generators make one type for them.
var namedEnums = []component{
	{name: "Architecture", at: "fields.json#/$defs/agentArchitecture"},
	{name: "Mode", at: "fields.json#/$defs/mode"},
}

// byArchitectureAt is the definition that holds the table of fields by
// architecture, as conditionals.
const byArchitectureAt = "fields.json#/$defs/byArchitecture"

// variantName names the schema of one architecture: Agent is PipelineAgent
// for pipeline agents, CreateAgentRequest is CreatePipelineAgentRequest.
func variantName(name, arch string) string {
	return strings.Replace(name, "Agent", strings.ToUpper(arch[:1])+arch[1:]+"Agent", 1)
}

// renderer renders the schema documents into components/schemas.
type renderer struct {
	docs  map[string]any    // decoded documents by file name: "fields.json"
	names map[string]string // component name by location ("summary.json")
	out   map[string]any    // components/schemas
}

// newRenderer renders the schema documents into r.out, or returns an
// error naming the first thing it cannot render (a bug in a document,
// which the package's tests catch).
func newRenderer() (*renderer, error) {
	r := &renderer{docs: map[string]any{}, names: map[string]string{}, out: map[string]any{}}
	for _, name := range schemaNames {
		b, _ := Schema(name)
		doc, err := decodeJSON(b)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		r.docs[name+".json"] = doc
	}
	for _, c := range components {
		r.names[c.at] = c.name
	}
	for _, c := range namedEnums {
		if err := r.enum(c); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
	}
	for _, c := range components {
		if err := r.component(c); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return r, nil
}

// node returns the schema at a location ("fields.json#/$defs/name").
func (r *renderer) node(at string) (map[string]any, error) {
	file, frag, _ := strings.Cut(at, "#")
	v, ok := walk(r.docs[file], pointerTokens(frag))
	m, isObject := v.(map[string]any)
	if !ok || !isObject {
		return nil, fmt.Errorf("no schema at %s", at)
	}
	return m, nil
}

// target resolves a $ref found in file to a location: "#/$defs/x" in
// error.json is "error.json#/$defs/x"; a whole document has no "#".
func target(ref, file string) string {
	f, frag, _ := strings.Cut(ref, "#")
	if f == "" {
		f = file
	}
	if frag == "" {
		return f
	}
	return f + "#" + frag
}

// enum renders a named enum: the values of the definition but null.
func (r *renderer) enum(c component) error {
	def, err := r.node(c.at)
	if err != nil {
		return err
	}
	values, _ := def["enum"].([]any)
	values = slices.DeleteFunc(slices.Clone(values), func(v any) bool { return v == nil })
	if len(values) == 0 {
		return fmt.Errorf("%s has no enum", c.at)
	}
	r.out[c.name] = map[string]any{"type": "string", "enum": values}
	return nil
}

// component renders one component and, by architecture, its variants.
func (r *renderer) component(c component) error {
	file, _, _ := strings.Cut(c.at, "#")
	src, err := r.node(c.at)
	if err != nil {
		return err
	}
	s, err := r.object(src, file)
	if err != nil {
		return err
	}
	if !c.byArchitecture {
		r.out[c.name] = s
		return nil
	}
	if table, _ := src["$ref"].(string); target(table, file) != byArchitectureAt {
		return fmt.Errorf("%s does not refer to %s", c.at, byArchitectureAt)
	}
	table, err := r.node(byArchitectureAt)
	if err != nil {
		return err
	}
	archs, ok := r.out["Architecture"].(map[string]any)["enum"].([]any)
	if !ok {
		return fmt.Errorf("no Architecture enum")
	}
	var oneOf []any
	mapping := map[string]any{}
	for _, a := range archs {
		arch := a.(string)
		v, err := r.variant(s, table, arch)
		if err != nil {
			return fmt.Errorf("%s: %w", arch, err)
		}
		name := variantName(c.name, arch)
		r.out[name] = v
		oneOf = append(oneOf, map[string]any{"$ref": ref(name)})
		mapping[arch] = ref(name)
	}
	one := map[string]any{
		"description":   s["description"],
		"oneOf":         oneOf,
		"discriminator": map[string]any{"propertyName": "agentArchitecture", "mapping": mapping},
	}
	if ex, ok := s["examples"]; ok {
		one["examples"] = ex
	}
	r.out[c.name] = one
	return nil
}

// ref is the $ref of a component.
func ref(name string) string { return "#/components/schemas/" + name }

// object renders an object schema found in file: its own keywords, its
// properties one by one, and additionalProperties as a boolean. A $ref
// beside the properties (the table by architecture) is left to the caller.
func (r *renderer) object(src map[string]any, file string) (map[string]any, error) {
	out := map[string]any{"type": "object", "additionalProperties": false}
	for k, v := range src {
		switch k {
		case "$schema", "$id", "$defs", "$ref", "$comment", "title", "type", "additionalProperties":
			// Read-only and unknown keys are both refused by
			// additionalProperties: false.
		case "if", "then", "else":
			// Only error.json has them (details on VALIDATION_ERROR
			// only), and generators do not read them; its description
			// says it.
		case "properties":
			props := map[string]any{}
			for name, p := range v.(map[string]any) {
				rp, err := r.schema(p.(map[string]any), file)
				if err != nil {
					return nil, fmt.Errorf("property %s: %w", name, err)
				}
				if rp != nil {
					props[name] = rp
				}
			}
			out[k] = props
		case "required", "description", "examples":
			out[k] = v
		default:
			return nil, fmt.Errorf("cannot render keyword %q of an object", k)
		}
	}
	return out, nil
}

// schema renders the schema of one value found in file: references into
// fields.json are written out, references to a component stay references.
// It returns nil for a field that a body must not carry (read-only).
func (r *renderer) schema(src map[string]any, file string) (map[string]any, error) {
	if s, ok := src["$ref"].(string); ok {
		at := target(s, file)
		name, ok := r.names[at]
		local := strings.HasPrefix(s, "#/components/")
		if ok || local {
			for k := range src {
				if k != "$ref" && k != "description" {
					return nil, fmt.Errorf("keyword %q beside the $ref %s", k, s)
				}
			}
			if local {
				return map[string]any{"$ref": s}, nil
			}
			return map[string]any{"$ref": ref(name)}, nil
		}
	}
	if r.readOnly(src, file) {
		return nil, nil
	}
	out := map[string]any{}
	for k, v := range src {
		switch k {
		case "$ref", "$comment":
		case "items":
			items, err := r.schema(v.(map[string]any), file)
			if err != nil {
				return nil, fmt.Errorf("items: %w", err)
			}
			out[k] = items
		case "properties", "additionalProperties", "not", "if", "then", "else", "allOf", "anyOf", "oneOf":
			return nil, fmt.Errorf("cannot render keyword %q of a value", k)
		case "const":
			// A const needs its type for generators to make a constant.
			out[k] = v
			out["type"] = jsonType(v)
		default:
			out[k] = v
		}
	}
	if s, ok := src["$ref"].(string); ok {
		at := target(s, file)
		def, err := r.node(at)
		if err != nil {
			return nil, err
		}
		defFile, _, _ := strings.Cut(at, "#")
		rendered, err := r.schema(def, defFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		if out, err = merge(out, rendered); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
	}
	return r.nameEnum(onlyNull(dropStrayEnumValues(out))), nil
}

// readOnly reports whether src is, or refers to, a read-only field.
func (r *renderer) readOnly(src map[string]any, file string) bool {
	if src["readOnly"] == true {
		return true
	}
	s, ok := src["$ref"].(string)
	if !ok {
		return false
	}
	def, err := r.node(target(s, file))
	return err == nil && def["readOnly"] == true
}

// onlyNull strips a schema whose type is null down to that type and its
// description: the value rules beside it can never apply.
func onlyNull(s map[string]any) map[string]any {
	if s["type"] != "null" {
		return s
	}
	out := map[string]any{"type": "null"}
	if d, ok := s["description"]; ok {
		out["description"] = d
	}
	return out
}

// jsonType is the JSON Schema type of a decoded JSON value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// nameEnum replaces a schema that allows exactly the values of a named
// enum (a string of that enum, not null) with a reference to it.
func (r *renderer) nameEnum(s map[string]any) map[string]any {
	if s["type"] != "string" || s["enum"] == nil {
		return s
	}
	for _, c := range namedEnums {
		if reflect.DeepEqual(r.out[c.name].(map[string]any)["enum"], s["enum"]) {
			return map[string]any{"$ref": ref(c.name)}
		}
	}
	return s
}

// dropStrayEnumValues removes from an enum the values that its type does
// not allow: the mode definition lists null for the create body, and a
// property whose type is string does not take it.
func dropStrayEnumValues(s map[string]any) map[string]any {
	values, ok := s["enum"].([]any)
	if !ok || s["type"] == nil {
		return s
	}
	types := typeSet(s["type"])
	s["enum"] = slices.DeleteFunc(slices.Clone(values), func(v any) bool { return !slices.Contains(types, jsonType(v)) })
	return s
}

// typeSet returns the types of a "type" keyword's value as a list.
func typeSet(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// typeValue writes a list of types as the "type" keyword does: one type
// alone, several in a list.
func typeValue(types []string) any {
	if len(types) == 1 {
		return types[0]
	}
	out := make([]any, len(types))
	for i, t := range types {
		out[i] = t
	}
	return out
}

// errNoType reports a merge whose types have nothing in common: no value
// can be there.
var errNoType = errors.New("no type left")

// merge puts the keywords of def into s, as a value that must satisfy
// both: types are intersected, patterns joined, the description of s
// kept. Any other keyword that both have must be equal.
func merge(s, def map[string]any) (map[string]any, error) {
	for k, v := range def {
		old, both := s[k]
		switch {
		case !both:
			s[k] = v
		case k == "description":
		case k == "type":
			types := slices.DeleteFunc(typeSet(old), func(t string) bool { return !slices.Contains(typeSet(v), t) })
			if len(types) == 0 {
				return nil, errNoType
			}
			s[k] = typeValue(types)
		case k == "pattern":
			p, err := joinPatterns(old.(string), v.(string))
			if err != nil {
				return nil, err
			}
			s[k] = p
		case !reflect.DeepEqual(old, v):
			return nil, fmt.Errorf("keyword %q is %v here and %v in the definition", k, old, v)
		}
	}
	return s, nil
}

// joinPatterns returns one pattern that matches what both all and some
// match, for the one pair the documents have: all is ^[^C]*$ (no
// character of class C) and some is [^S] (one character out of class S;
// a name that is not blank). Together: only characters out of C, one of
// them also out of S, which is ^[^C]*[^CS][^C]*$. (Two patterns cannot
// sit in one schema, and generators do not read allOf on a string.)
func joinPatterns(all, some string) (string, error) {
	c, okAll := strings.CutPrefix(all, "^[^")
	c, okAll2 := strings.CutSuffix(c, "]*$")
	s, okSome := strings.CutPrefix(some, "[^")
	s, okSome2 := strings.CutSuffix(s, "]")
	if !okAll || !okAll2 || !okSome || !okSome2 || strings.ContainsAny(c+s, "[]") {
		return "", fmt.Errorf("cannot join patterns %q and %q", all, some)
	}
	return "^[^" + c + "]*[^" + c + s + "][^" + c + "]*$", nil
}

// variant renders the schema of one architecture from s, the rendered
// object, and table, the conditionals on agentArchitecture: the branch of
// arch adds its required fields and narrows the types of its fields; a
// field whose type narrows to nothing (a string where only null may be)
// is removed, so additionalProperties refuses it.
func (r *renderer) variant(s, table map[string]any, arch string) (map[string]any, error) {
	branch, err := branchOf(table, arch)
	if err != nil {
		return nil, err
	}
	v := deepCopy(s).(map[string]any)
	props := v["properties"].(map[string]any)
	narrowed, _ := branch["properties"].(map[string]any)
	for name, p := range narrowed {
		old, ok := props[name].(map[string]any)
		if !ok {
			continue // a field this body does not have
		}
		narrow, err := r.schema(p.(map[string]any), "fields.json")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if _, isRef := old["$ref"]; isRef {
			return nil, fmt.Errorf("%s: cannot narrow a reference", name)
		}
		merged, err := merge(old, narrow)
		switch {
		case err == errNoType:
			delete(props, name)
		case err != nil:
			return nil, fmt.Errorf("%s: %w", name, err)
		default:
			props[name] = onlyNull(merged)
		}
	}
	props["agentArchitecture"] = map[string]any{"type": "string", "enum": []any{arch}}
	required, _ := v["required"].([]any)
	more, _ := branch["required"].([]any)
	for _, f := range more {
		if !slices.Contains(required, f) {
			required = append(required, f)
		}
	}
	v["required"] = required
	delete(v, "examples")
	if d, ok := v["description"].(string); ok {
		v["description"] = d + " This schema is for " + arch + " agents."
	}
	return v, nil
}

// branchOf finds the "then" of arch in the nested if/then/else of table.
func branchOf(table map[string]any, arch string) (map[string]any, error) {
	for node := table; node != nil; node, _ = node["else"].(map[string]any) {
		c, _ := walk(node, []string{"if", "properties", "agentArchitecture", "const"})
		if c == arch {
			then, ok := node["then"].(map[string]any)
			if !ok {
				break
			}
			return then, nil
		}
	}
	return nil, fmt.Errorf("the table has no branch for %s", arch)
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

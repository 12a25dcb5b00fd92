package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// promptFileField is the spec's one extension of the create body.
const promptFileField = "systemPromptFile"

// specExts are the extensions of spec files.
var specExts = []string{".yaml", ".yml", ".json"}

// Load reads the specs of the folder dir: every KEY.yaml, KEY.yml and
// KEY.json at its top level (lock files, subfolders and other files are
// not specs), with prompt files read. A spec file may start with a BOM
// (it is skipped) and end its lines with CRLF. It returns the folder, or a
// *[LoadError] listing every problem of every file at once, each at its
// file, line and column; or another error when dir cannot be read.
func Load(dir string) (*Folder, error) {
	specs, problems, err := readSpecs(dir)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return &Folder{Dir: dir, Specs: specs}, nil
}

// readSpecs reads the spec files of dir: the specs that load, in key
// order, and the problems of the others, in file order. It fails only
// when dir or a file cannot be read.
func readSpecs(dir string) ([]Spec, []Problem, error) {
	files, err := specFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reconcile: %w", err)
	}
	defer root.Close()
	var specs []Spec
	var problems []Problem
	byKey := map[string]string{}
	for _, name := range files {
		key := strings.TrimSuffix(name, filepath.Ext(name))
		if !ValidKey(key) {
			problems = append(problems, Problem{File: name, Line: 1, Column: 1, Message: fmt.Sprintf("%q is not a valid key: use 1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit", key)})
			continue
		}
		if other, dup := byKey[key]; dup {
			problems = append(problems, Problem{File: name, Line: 1, Column: 1, Message: fmt.Sprintf("key %q is also %s: one file per key", key, other)})
			continue
		}
		byKey[key] = name
		data, err := root.ReadFile(name)
		if err != nil {
			return nil, nil, fmt.Errorf("reconcile: %w", err)
		}
		spec, ps := parseSpec(root, name, data)
		spec.Key = key
		problems = append(problems, ps...)
		if len(ps) == 0 {
			specs = append(specs, spec)
		}
	}
	slices.SortStableFunc(problems, compareProblems)
	slices.SortFunc(specs, func(a, b Spec) int { return strings.Compare(a.Key, b.Key) })
	return specs, problems, nil
}

// specFiles returns the names of the spec files of dir, sorted.
func specFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reconcile: %w", err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || isLockFile(name) || !slices.Contains(specExts, filepath.Ext(name)) {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// isLockFile reports whether name is a lock file: talkifai*.lock.json.
func isLockFile(name string) bool {
	return strings.HasPrefix(name, "talkifai") && strings.HasSuffix(name, ".lock.json")
}

// parseSpec reads one spec file of root.
func parseSpec(root *os.Root, name string, data []byte) (Spec, []Problem) {
	spec := Spec{File: name}
	// Editors on Windows may start a file with a BOM; YAML allows one and
	// JSON readers may skip it. Without this, it would join the first key.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if filepath.Ext(name) == ".json" {
		// YAML takes what JSON refuses (trailing commas, comments): hold
		// a .json file to JSON's syntax first.
		if p, bad := jsonSyntax(data); bad {
			return spec, fileProblems(name, []problem{p})
		}
	}
	doc, ps := parseDocument(data)
	if doc == nil {
		return spec, fileProblems(name, ps)
	}
	ps = append(ps, readPromptFile(root, doc, &spec)...)
	body, err := json.Marshal(doc.members)
	if err != nil {
		return spec, fileProblems(name, append(ps, problem{at: doc.start, message: err.Error()}))
	}
	// A field already at fault was left out of the body: the rules would
	// only call it missing.
	faulted := map[string]bool{}
	for _, p := range ps {
		faulted[p.field] = true
	}
	faulted["systemPrompt"] = faulted["systemPrompt"] || faulted[promptFileField]
	for _, p := range fieldProblems(doc, validate.Create(body)) {
		if !faulted[p.field] {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		if err := json.Unmarshal(body, &spec.Params); err != nil {
			ps = append(ps, problem{at: doc.start, message: err.Error()})
		}
	}
	return spec, fileProblems(name, ps)
}

// jsonSyntax returns the syntax error of data as JSON, at its line and
// column, and whether there is one.
func jsonSyntax(data []byte) (problem, bool) {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return problem{}, false
	}
	before := data[:max(se.Offset-1, 0)]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return problem{at: position{line, col}, message: "syntax error: " + se.Error()}, true
}

// readPromptFile replaces systemPromptFile in doc by systemPrompt, read
// from the file it names.
func readPromptFile(root *os.Root, doc *document, spec *Spec) []problem {
	raw, ok := doc.members[promptFileField]
	if !ok {
		return nil
	}
	at := doc.at[promptFileField]
	delete(doc.members, promptFileField)
	fail := func(code, format string, args ...any) []problem {
		return []problem{{at: at, field: promptFileField, code: code, message: fmt.Sprintf(format, args...)}}
	}
	var path string
	if json.Unmarshal(raw, &path) != nil {
		return fail(agents.CodeWrongType, "systemPromptFile must be a path (a string)")
	}
	if _, both := doc.members["systemPrompt"]; both {
		return fail(agents.CodeInvalidValue, "systemPrompt and systemPromptFile together: use one")
	}
	clean := filepath.Clean(filepath.FromSlash(path))
	if path == "" || !filepath.IsLocal(clean) {
		return fail(agents.CodeInvalidValue, "%q leaves the folder: a prompt file must be inside it", path)
	}
	data, err := root.ReadFile(clean)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail(agents.CodeInvalidValue, "%q does not exist", path)
		}
		return fail(agents.CodeInvalidValue, "%q cannot be read: %v", path, unwrapPath(err))
	}
	prompt, err := promptText(data)
	if err != nil {
		return fail(agents.CodeInvalidFormat, "%q: %v", path, err)
	}
	spec.PromptFile = path
	doc.members["systemPrompt"], _ = json.Marshal(prompt)
	doc.at["systemPrompt"] = at
	return nil
}

// unwrapPath returns the reason of a *PathError, without the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// promptText turns a prompt file's bytes into the prompt: UTF-8, a leading
// BOM removed, CRLF read as LF, one trailing newline removed.
func promptText(data []byte) (string, error) {
	if !utf8.Valid(data) {
		return "", errors.New("not UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	return s, nil
}

// fieldProblems places the field errors of err at their values.
func fieldProblems(doc *document, err error) []problem {
	if err == nil {
		return nil
	}
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		return []problem{{at: doc.start, message: err.Error()}}
	}
	ps := make([]problem, len(ve.Fields))
	for i, fe := range ve.Fields {
		ps[i] = problem{at: doc.place(fe.Field), field: fe.Field, code: fe.Code, message: fe.Message}
	}
	return ps
}

// place returns where field is: its value, or the array it is an item of,
// or the start of the document for a field that is missing.
func (d *document) place(field string) position {
	if at, ok := d.at[field]; ok {
		return at
	}
	base, _, _ := strings.Cut(field, "[")
	if at, ok := d.at[base]; ok {
		return at
	}
	return d.start
}

// fileProblems ties problems to the file name.
func fileProblems(name string, ps []problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{File: name, Line: p.at.line, Column: p.at.col, Field: p.field, Code: p.code, Message: p.message}
	}
	return out
}

// compareProblems orders problems by file, then place.
func compareProblems(a, b Problem) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	return a.Column - b.Column
}

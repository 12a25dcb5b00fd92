package reconcile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
)

// DefaultDir is the folder of specs when the caller names none.
const DefaultDir = "agents"

// keyFormat is what a spec key, a file's base name, may be.
var keyFormat = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// ValidKey reports whether key may name a spec: 1 to 63 of lowercase ASCII
// letters, digits, "_" and "-", starting with a letter or digit.
func ValidKey(key string) bool { return keyFormat.MatchString(key) }

// Spec is one agent spec of a folder.
type Spec struct {
	// Key is the file's base name: the agent's identity in the folder.
	Key string
	// File is the spec file's path relative to the folder ("support.yaml").
	File string
	// PromptFile is the systemPromptFile the spec names, relative to the
	// spec file, or "" when the prompt is inline.
	PromptFile string
	// Params is the create body the spec asks for, with the prompt file
	// read into SystemPrompt.
	Params agents.CreateParams
}

// Folder is a loaded folder of specs.
type Folder struct {
	// Dir is the folder's path as given to [Load].
	Dir string
	// Specs are the folder's specs in key order.
	Specs []Spec
}

// Spec returns the spec with key and whether there is one.
func (f *Folder) Spec(key string) (Spec, bool) {
	for _, s := range f.Specs {
		if s.Key == key {
			return s, true
		}
	}
	return Spec{}, false
}

// Problem is one thing wrong with a spec file, at the line and column of
// the value at fault (a missing field: the start of the document).
type Problem struct {
	File    string // path relative to the folder
	Line    int    // from 1; a problem of the file as a whole (its name) is at 1:1
	Column  int    // from 1
	Field   string // JSON field name ("enabledFunctions[2]"), or "" for the file
	Code    string // a detail code of package agents, or "" for problems that are not a field's
	Message string
}

// String formats p as FILE:LINE:COL: FIELD: message, leaving out what p
// does not have.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// LoadError lists every problem of every spec file of a folder, ordered by
// file, then line and column.
type LoadError struct {
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

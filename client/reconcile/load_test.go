package reconcile_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// writeFiles writes files (name → content) into a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// problems loads dir and returns its problems as text.
func problems(t *testing.T, dir string) []string {
	t.Helper()
	_, err := reconcile.Load(dir)
	var le *reconcile.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load: %v, want a *LoadError", err)
	}
	out := make([]string, len(le.Problems))
	for i, p := range le.Problems {
		out[i] = p.String()
	}
	return out
}

const okText = "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPrompt: Hi.\n"

// TestLoadProblems: every problem of every file, at FILE:LINE:COL of the
// value at fault (the start of the document for a missing field).
func TestLoadProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"unknown key, at its value", map[string]string{"a.yaml": okText + "systemprompt: x\n"},
			[]string{"a.yaml:5:15: systemprompt: systemprompt is not a field of this body"}},
		{"wrong type", map[string]string{"a.yaml": okText + "active: \"yes\"\n"},
			[]string{"a.yaml:5:9: active: active must be a boolean"}},
		{"missing field, at the start of the document", map[string]string{"a.yaml": "# a comment\nname: Chat\nagentArchitecture: text\nsystemPrompt: Hi.\n"},
			[]string{"a.yaml:2:1: model: model is required for text agents"}},
		{"value rule of an array item", map[string]string{"a.yaml": okText + "enabledFunctions:\n  - web_search\n  - web_search\n"},
			[]string{"a.yaml:7:5: enabledFunctions[1]: enabledFunctions[1] repeats an earlier item"}},
		{"several at once, in order", map[string]string{"a.yaml": "name: \"\"\nagentArchitecture: text\nmodel: gpt 4o\nsystemPrompt: Hi.\ntemperature: 3\n"},
			[]string{
				"a.yaml:1:7: name: name must not be empty",
				"a.yaml:3:8: model: model must not contain white space",
				"a.yaml:5:14: temperature: temperature must be between 0 and 2",
			}},
		{"duplicate key", map[string]string{"a.yaml": okText + "model: gpt-4o-mini\n"},
			[]string{`a.yaml:5:1: model: duplicate key "model"`}},
		{"duplicate key in JSON", map[string]string{"a.json": `{"name": "Chat", "agentArchitecture": "text", "model": "gpt-4o", "systemPrompt": "Hi.", "name": "Chat"}`},
			[]string{`a.json:1:89: name: duplicate key "name"`}},
		{"not applicable", map[string]string{"a.json": "{\n  \"name\": \"Chat\",\n  \"agentArchitecture\": \"text\",\n  \"model\": \"gpt-4o\",\n  \"stt\": \"deepgram\",\n  \"systemPrompt\": \"Hi.\"\n}\n"},
			[]string{"a.json:5:10: stt: stt is not applicable to text agents"}},
		{"YAML syntax", map[string]string{"a.yaml": "name: [Chat\n"},
			[]string{"a.yaml:1:7: syntax error: sequence end token ']' not found"}},
		{"JSON syntax", map[string]string{"a.json": "{\n  \"name\": \"Chat\",\n}"},
			[]string{`a.json:3:1: syntax error: invalid character '}' looking for beginning of object key string`}},
		{"a tag", map[string]string{"a.yaml": okText + "active: !!bool true\n"},
			[]string{"a.yaml:5:9: active: YAML tags such as !!bool are not read: a spec is plain JSON data"}},
		{"an alias", map[string]string{"a.yaml": "name: &n Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPrompt: *n\n"},
			[]string{
				"a.yaml:1:7: name: YAML anchors, aliases and merge keys are not read: write the value out",
				"a.yaml:4:15: systemPrompt: YAML anchors, aliases and merge keys are not read: write the value out",
			}},
		{"not a number of JSON", map[string]string{"a.yaml": okText + "temperature: .nan\n"},
			[]string{"a.yaml:5:14: temperature: .nan is not a JSON number"}},
		{"two documents", map[string]string{"a.yaml": okText + "---\n" + okText},
			[]string{"a.yaml:6:1: a spec file holds one document"}},
		{"empty", map[string]string{"a.yaml": "# nothing\n"},
			[]string{"a.yaml:1:1: the file is empty: a spec is one mapping of the create body's fields"}},
		{"a list", map[string]string{"a.yaml": "- a\n"},
			[]string{"a.yaml:1:1: a spec is one mapping of the create body's fields"}},
		{"one key, two files", map[string]string{"a.yaml": okText, "a.json": `{"name":"Chat","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Hi."}`},
			[]string{`a.yaml:1:1: key "a" is also a.json: one file per key`}},
		{"a file name that is no key", map[string]string{"Support Bot.yaml": okText},
			[]string{`Support Bot.yaml:1:1: "Support Bot" is not a valid key: use 1 to 63 of a-z, 0-9, _ and -, starting with a letter or digit`}},
		{"prompt and prompt file", map[string]string{"a.yaml": okText + "systemPromptFile: p.md\n", "p.md": "x"},
			[]string{"a.yaml:5:19: systemPromptFile: systemPrompt and systemPromptFile together: use one"}},
		{"prompt file outside the folder", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: ../p.md\n"},
			[]string{`a.yaml:4:19: systemPromptFile: "../p.md" leaves the folder: a prompt file must be inside it`}},
		{"prompt file by absolute path", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: /etc/passwd\n"},
			[]string{`a.yaml:4:19: systemPromptFile: "/etc/passwd" leaves the folder: a prompt file must be inside it`}},
		{"prompt file missing", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: prompts/a.md\n"},
			[]string{`a.yaml:4:19: systemPromptFile: "prompts/a.md" does not exist`}},
		{"prompt file not UTF-8", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: p.md\n", "p.md": "\xff\xfe"},
			[]string{`a.yaml:4:19: systemPromptFile: "p.md": not UTF-8`}},
		{"prompt file empty: the prompt's own rule, at the path", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: p.md\n", "p.md": "\n"},
			[]string{`a.yaml:4:19: systemPrompt: systemPrompt must not be empty`}},
		{"prompt file of the wrong type", map[string]string{"a.yaml": "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: [p.md]\n"},
			[]string{`a.yaml:4:19: systemPromptFile: systemPromptFile must be a path (a string)`}},
		{"problems of two files", map[string]string{"b.yaml": okText + "x: 1\n", "a.yml": okText + "y: 1\n"},
			[]string{"a.yml:5:4: y: y is not a field of this body", "b.yaml:5:4: x: x is not a field of this body"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, writeFiles(t, tc.files))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadPromptFile: BOM removed, CRLF read as LF, one trailing newline
// removed; the prompt may sit in a subfolder.
func TestLoadPromptFile(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"Be kind.\n", "Be kind."},
		{"Be kind.\n\n", "Be kind.\n"},
		{"\uFEFFLine one\r\nLine two\r\n", "Line one\nLine two"},
		{"No newline", "No newline"},
		{"Keep\r alone\n", "Keep\r alone"},
	} {
		dir := writeFiles(t, map[string]string{
			"chat.yaml":       "name: Chat\nagentArchitecture: text\nmodel: gpt-4o\nsystemPromptFile: prompts/chat.md\n",
			"prompts/chat.md": tc.file,
		})
		f, err := reconcile.Load(dir)
		if err != nil {
			t.Fatalf("%q: %v", tc.file, err)
		}
		s := f.Specs[0]
		if got := s.Params.SystemPrompt.Or("?"); got != tc.want || s.PromptFile != "prompts/chat.md" {
			t.Errorf("file %q: prompt %q (from %q), want %q", tc.file, got, s.PromptFile, tc.want)
		}
	}
}

// TestLoadSpecFileEncoding: a spec file may start with a BOM and end its
// lines with CRLF, as editors on Windows write them; places count from
// after the BOM.
func TestLoadSpecFileEncoding(t *testing.T) {
	const want = `{"name":"Chat","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Hi."}`
	for name, content := range map[string]string{
		"bom.yaml":      "\uFEFF" + okText,
		"crlf.yaml":     "name: Chat\r\nagentArchitecture: text\r\nmodel: gpt-4o\r\nsystemPrompt: Hi.\r\n",
		"bom-crlf.yml":  "\uFEFFname: Chat\r\nagentArchitecture: text\r\nmodel: gpt-4o\r\nsystemPrompt: Hi.\r\n",
		"bom.json":      "\uFEFF" + want,
		"bom-crlf.json": "\uFEFF{\r\n\"name\": \"Chat\", \"agentArchitecture\": \"text\",\r\n\"model\": \"gpt-4o\", \"systemPrompt\": \"Hi.\"}\r\n",
	} {
		f, err := reconcile.Load(writeFiles(t, map[string]string{name: content}))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := mustJSON(f.Specs[0].Params); got != want {
			t.Errorf("%s: params\n got %s\nwant %s", name, got, want)
		}
	}
	got := problems(t, writeFiles(t, map[string]string{"a.yaml": "\uFEFFname: \"\"\r\nagentArchitecture: text\r\nmodel: gpt-4o\r\nsystemPrompt: Hi.\r\ntemperature: 3\r\n"}))
	wantProblems := []string{"a.yaml:1:7: name: name must not be empty", "a.yaml:5:14: temperature: temperature must be between 0 and 2"}
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestLoadScan: only KEY.yaml, KEY.yml and KEY.json at the top level are
// specs; lock files, subfolders and other files are not, and specs come in
// key order.
func TestLoadScan(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.yaml":                      okText,
		"a.json":                      `{"name":"Chat","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Hi."}`,
		"c.yml":                       okText,
		"talkifai.lock.json":          `not a spec`,
		"talkifai.prod.lock.json":     `not a spec`,
		"talkifai.lock.json.lock":     ``,
		"README.md":                   `# agents`,
		"notes.txt":                   `x`,
		"prompts/p.yaml":              `not: a spec`,
		"sub/d.json":                  `{}`,
		".talkifai-123.tmp":           `x`,
		"prompts/prompt-for-b.md":     `x`,
		"archived/old.yaml":           `x: 1`,
		"archived/talkifai.lock.json": `x`,
	})
	f, err := reconcile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, s := range f.Specs {
		got = append(got, [2]string{s.Key, s.File})
	}
	want := [][2]string{{"a", "a.json"}, {"b", "b.yaml"}, {"c", "c.yml"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("specs (-want +got):\n%s", diff)
	}
	if _, err := reconcile.Load(filepath.Join(dir, "nope")); err == nil || errors.As(err, new(*reconcile.LoadError)) {
		t.Errorf("Load of a missing folder: %v, want an I/O error", err)
	}
}

// TestLoadYAMLAsJSON: YAML forms read as the JSON data model.
func TestLoadYAMLAsJSON(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.yaml": "name: 'Chat: the bot'\nagentArchitecture: text\nmodel: gpt-4o\nsystemPrompt: |\n  Line one.\n  Line two.\ntemperature: 1\nactive: true\nvoiceId: ~\nenabledFunctions: []\n"})
	f, err := reconcile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := mustJSON(f.Specs[0].Params)
	want := `{"name":"Chat: the bot","agentArchitecture":"text","model":"gpt-4o","voiceId":null,"systemPrompt":"Line one.\nLine two.\n","active":true,"temperature":1,"enabledFunctions":[]}`
	if got != want {
		t.Errorf("params\n got %s\nwant %s", got, want)
	}
}

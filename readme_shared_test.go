package talkifai_test

import (
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/talkifai-go/talkifai/fake"
)

// readmeSection returns the README's section that starts with heading.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), heading+"\n")
	if !ok {
		t.Fatalf("the README has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestREADMESharedFake runs the shell lines of the README's section on
// sharing one fake, in order, against a fresh fake: each curl must answer
// the status listed here, and the values that one line captures
// (NAME=$(curl ...), NAME=$(echo "$X" | jq -r .path)) are carried into
// the next lines, as the shell would.
func TestREADMESharedFake(t *testing.T) {
	t.Parallel()
	section := readmeSection(t, "## Sharing one fake between test processes")
	block, _, _ := strings.Cut(section[strings.Index(section, "```sh\n")+6:], "```")
	wantStatus := []int{201, 201, 201, 503, 200, 200, 200, 200, 401}
	srv := fake.NewServer(t)
	vars := map[string]string{}
	capture := regexp.MustCompile(`^([A-Z]+)=\$\((.*)\)$`)
	jq := regexp.MustCompile(`^echo "\$([A-Z]+)" \| jq -r ((?:\.[a-z]+)+)$`)
	var statuses []int
	for line := range strings.Lines(block) {
		line = strings.TrimSpace(line)
		name, cmd := "", line
		if m := capture.FindStringSubmatch(line); m != nil {
			name, cmd = m[1], m[2]
		}
		if m := jq.FindStringSubmatch(cmd); m != nil {
			vars[name] = jsonPath(t, vars[m[1]], m[2])
			continue
		}
		if !strings.HasPrefix(cmd, "curl ") {
			t.Fatalf("this test does not know the line %q", line)
		}
		req := parseCurl(t, expand(t, cmd, vars), srv.URL())
		resp, err := srv.HTTPClient().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if name != "" {
			vars[name] = string(body)
		}
		if strings.Contains(cmd, "/_fake/requests?org=") { // the tenant's requests, and only they
			var j struct{ Data []fake.Request }
			if err := json.Unmarshal(body, &j); err != nil || len(j.Data) != 2 {
				t.Errorf("%s answered %s, want the tenant's two requests", line, body)
			}
			for _, q := range j.Data {
				if q.Org != vars["ORG"] {
					t.Errorf("the tenant's journal holds %v", q)
				}
			}
		}
	}
	if len(statuses) != len(wantStatus) {
		t.Fatalf("the README has %d curl lines in the section, this test knows %d: update wantStatus", len(statuses), len(wantStatus))
	}
	for i, s := range statuses {
		if s != wantStatus[i] {
			t.Errorf("curl line %d answered %d, want %d", i+1, s, wantStatus[i])
		}
	}
}

// TestREADMESharedGoExample: the section's Go example is, to the byte, a
// test that runs in examples/testing.
func TestREADMESharedGoExample(t *testing.T) {
	t.Parallel()
	section := readmeSection(t, "## Sharing one fake between test processes")
	_, block, ok := strings.Cut(section, "```go\n")
	block, _, _ = strings.Cut(block, "```")
	src, err := os.ReadFile("examples/testing/shared_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, marked, _ := strings.Cut(string(src), "// README:begin\n")
	marked, _, _ = strings.Cut(marked, "\n// README:end")
	if !ok || block != marked {
		t.Errorf("the README's Go example and examples/testing/shared_test.go differ:\n%s\n---\n%s", block, marked)
	}
}

// jsonPath returns the string at path (".a.b") in the JSON document doc,
// as jq -r prints it.
func jsonPath(t *testing.T, doc, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("jq %s: %v in %s", path, err, doc)
	}
	for _, k := range strings.Split(path[1:], ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("jq %s: no %q in %s", path, k, doc)
		}
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("jq %s: %v is not a string", path, v)
	}
	return s
}

// expand rewrites a shell line into the single-quoted words parseCurl
// knows: double-quoted words with \" escapes, and $NAME taken from vars.
func expand(t *testing.T, line string, vars map[string]string) string {
	t.Helper()
	var out strings.Builder
	inDouble, inSingle := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'' && !inDouble:
			inSingle = !inSingle
			out.WriteByte(c)
		case c == '"' && !inSingle:
			inDouble = !inDouble
			out.WriteByte('\'')
		case c == '\\' && inDouble && i+1 < len(line):
			i++
			out.WriteByte(line[i])
		case c == '$' && !inSingle:
			j := i + 1
			for j < len(line) && line[j] >= 'A' && line[j] <= 'Z' {
				j++
			}
			v, ok := vars[line[i+1:j]]
			if !ok {
				t.Fatalf("%s: $%s is not set by an earlier line", line, line[i+1:j])
			}
			out.WriteString(v)
			i = j - 1
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/cli"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/fake"
	"github.com/talkifai-go/talkifai/internal/curlline"
)

// The README's "Agents as code" section is a script: its spec files are
// written to a folder, its transcript's commands are run in order against
// a fake with sequential ids and a fixed clock, and what they print must be
// what the README shows (-update rewrites the transcript). The CI job's
// talkifai lines are run too.

var readmePath = func() string {
	p, err := filepath.Abs("../../../README.md") // before any test changes folder
	if err != nil {
		panic(err)
	}
	return p
}()

// readmeURL is the base URL the README shows.
const readmeURL = "http://127.0.0.1:8080"

// section returns the README's "Agents as code" section.
func section(t *testing.T) (readme, sec string) {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Agents as code\n")
	if !ok {
		t.Fatal(`the README has no "Agents as code" section`)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	return string(b), sec
}

var specBlockRE = regexp.MustCompile("(?s)`(agents/[^`]+)`:\n\n```[a-z]*\n(.*?)```")

// specFiles returns the files the section shows, by path.
func specFiles(t *testing.T, sec string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, m := range specBlockRE.FindAllStringSubmatch(sec, -1) {
		files[m[1]] = m[2]
	}
	if len(files) != 4 {
		t.Fatalf("the section shows %d files, want 4 (three specs and a prompt)", len(files))
	}
	return files
}

// readmeScene is a fake as the README's session sees it, and a folder.
type readmeScene struct {
	t   *testing.T
	srv *fake.Server
	dir string
}

func newReadmeScene(t *testing.T, files map[string]string) *readmeScene {
	t.Helper()
	clock := fake.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := &readmeScene{
		t:   t,
		srv: fake.NewServer(t, fake.WithIDs(standaloneIDs()), fake.WithClock(clock.Now)),
		dir: t.TempDir(),
	}
	for name, content := range files {
		p := filepath.Join(s.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// standaloneIDs makes the ids of talkifai-fake -ids sequential
// (agent_0000000000000001, ...), the fake the README's session runs.
func standaloneIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("agent_%016d", n) }
}

// lockIDRE matches the README's way to name an agent by its key: the id
// that the lock holds for it, read with jq.
var lockIDRE = regexp.MustCompile(`\$\(jq -r \.agents\.([a-z0-9_-]+)\.id ([^ )]+)\)`)

// expand replaces each $(jq -r .agents.KEY.id LOCK) of line by the id
// that the lock in the scene's folder holds for KEY, as the shell would.
func (s *readmeScene) expand(line string) string {
	s.t.Helper()
	return lockIDRE.ReplaceAllStringFunc(line, func(m string) string {
		sub := lockIDRE.FindStringSubmatch(m)
		b, err := os.ReadFile(sub[2])
		if err != nil {
			s.t.Fatal(err)
		}
		var lock struct {
			Agents map[string]struct{ ID string }
		}
		if err := json.Unmarshal(b, &lock); err != nil {
			s.t.Fatal(err)
		}
		id := lock.Agents[sub[1]].ID
		if id == "" {
			s.t.Fatalf("%s: the lock has no id for %q", m, sub[1])
		}
		return id
	})
}

// talkifai runs the command in-process in the scene's folder and returns
// its exit status and what it printed (standard output, then error).
func (s *readmeScene) talkifai(args []string) (int, string) {
	ios, _, out, errOut := iostreams.Test()
	f := &cli.Factory{
		IO:     ios,
		Client: func() (*client.Client, error) { return s.srv.Client(s.t), nil },
		Now:    func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) },
		// One write at a time, so that the fake's ids follow key order.
		Concurrency: 1,
	}
	code := cli.Main(context.Background(), f, args)
	return code, out.String() + errOut.String()
}

// curl sends a README curl line's words (those after "curl") to the fake.
func (s *readmeScene) curl(words []string) string {
	s.t.Helper()
	req, err := curlline.Request(words, readmeURL, s.srv.URL())
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := s.srv.HTTPClient().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		s.t.Fatalf("curl %s: %d %s", strings.Join(words, " "), resp.StatusCode, b)
	}
	return ""
}

var transcriptRE = regexp.MustCompile("(?s)```console\n(.*?)```")

func TestREADMETranscript(t *testing.T) {
	readme, sec := section(t)
	m := transcriptRE.FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("the section has no console transcript")
	}
	s := newReadmeScene(t, specFiles(t, sec))
	t.Chdir(s.dir)
	var got strings.Builder
	for i, line := range commandLines(m[1]) {
		if i > 0 {
			got.WriteString("\n")
		}
		got.WriteString("$ " + line + "\n")
		words := shellWords(t, s.expand(line))
		switch words[0] {
		case "talkifai":
			code, out := s.talkifai(words[1:])
			if code != 0 {
				t.Errorf("%s: exit status %d\n%s", line, code, out)
			}
			got.WriteString(out)
		case "curl":
			got.WriteString(s.curl(words[1:]))
		default:
			t.Fatalf("the transcript runs %q, which this test does not know", words[0])
		}
	}
	if *update {
		updated := strings.Replace(readme, m[0], "```console\n"+got.String()+"```", 1)
		if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got.String() != m[1] {
		t.Errorf("the README's transcript is stale (go test -run README ./client/cmd/talkifai -update rewrites it); the commands print:\n%s", got.String())
	}
}

// commandLines returns the "$ " lines of a transcript, without the "$ ".
// A transcript still being written may be the word TRANSCRIPT: it runs
// the session the README describes.
func commandLines(transcript string) []string {
	if strings.TrimSpace(transcript) == "TRANSCRIPT" {
		return []string{
			"talkifai validate",
			"talkifai plan",
			"talkifai apply",
			"curl -s -o /dev/null -X PATCH -H 'Authorization: Bearer tk_test_acme_owner' -H 'Content-Type: application/json' -d '{\"temperature\":0.9,\"voiceId\":\"v_ana\"}' http://127.0.0.1:8080/v1/agents/$(jq -r .agents.support.id agents/talkifai.lock.json)",
			"talkifai plan",
		}
	}
	var out []string
	for line := range strings.Lines(transcript) {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			out = append(out, strings.TrimSpace(cmd))
		}
	}
	return out
}

// ciWorkflow is the part of the README's GitHub Actions workflow that
// the test reads.
type ciWorkflow struct {
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		If    string `yaml:"if"`
		Steps []struct {
			Name string `yaml:"name"`
			If   string `yaml:"if"`
			Run  string `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

var ciBlockRE = regexp.MustCompile("(?s)### In CI\n.*?```yaml\n(.*?)```")

// TestREADMECIJob reads the README's CI workflow: one run at a time, plan
// on pull requests, apply on push, the lock committed back even after a
// partial failure; and its talkifai lines, run in order against a fake,
// work: plan's exit status is 0 or 2, apply's 0, and the lock it commits
// is the file apply wrote.
func TestREADMECIJob(t *testing.T) {
	_, sec := section(t)
	m := ciBlockRE.FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("the section shows no CI workflow")
	}
	var wf ciWorkflow
	if err := yaml.Unmarshal([]byte(m[1]), &wf); err != nil {
		t.Fatalf("the CI workflow is not YAML: %v", err)
	}
	if wf.Concurrency.Group == "" || wf.Concurrency.CancelInProgress {
		t.Error("the workflow must queue its runs: a concurrency group without cancel-in-progress")
	}
	plan, apply := wf.Jobs["plan"], wf.Jobs["apply"]
	if !strings.Contains(plan.If, "pull_request") || !strings.Contains(apply.If, "push") {
		t.Errorf("plan runs if %q, apply if %q; want pull requests and pushes", plan.If, apply.If)
	}
	s := newReadmeScene(t, specFiles(t, sec))
	t.Chdir(s.dir)
	committed := false
	for _, job := range []string{"plan", "apply"} {
		for _, step := range wf.Jobs[job].Steps {
			for line := range strings.Lines(step.Run) {
				line = strings.TrimSpace(line)
				if strings.HasPrefix(line, "git add ") {
					committed = step.If == "always()"
					if _, err := os.Stat(strings.TrimPrefix(line, "git add ")); err != nil {
						t.Errorf("the job commits a file apply did not write: %v", err)
					}
				}
				if !strings.HasPrefix(line, "talkifai ") {
					continue
				}
				cmd, _, _ := strings.Cut(line, " >")
				cmd, _, _ = strings.Cut(cmd, " ||")
				code, out := s.talkifai(shellWords(t, cmd)[1:])
				if code != 0 && !(code == 2 && strings.Contains(cmd, "--detailed-exitcode")) {
					t.Errorf("CI job %s: %s: exit status %d\n%s", job, cmd, code, out)
				}
			}
		}
	}
	if !committed {
		t.Error("the apply job must commit the lock back in a step that runs always()")
	}
}

// shellWords splits a line as a shell would, keeping single-quoted words
// whole.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	words, err := curlline.Words(line)
	if err != nil {
		t.Fatal(err)
	}
	return words
}

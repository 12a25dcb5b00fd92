package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/fake"
)

// TestQuickstart runs the README's first command, as a user would, and
// checks that every lifecycle step is in its transcript.
func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Env = withoutAPIKey(os.Environ())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./examples/quickstart: %v\n%s", err, out)
	}
	transcript := string(out)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Using the embedded fake at http://127\.0\.0\.1:\d+`),
		regexp.MustCompile(`1\. Create one agent of each architecture`),
		regexp.MustCompile(`created pipeline\s+agent_[a-z0-9]{16}\s+"Support Bot" \(mode private, active false\)`),
		regexp.MustCompile(`created realtime\s+agent_[a-z0-9]{16}\s+"Voice Concierge" \(mode public, active false\)`),
		regexp.MustCompile(`created text\s+agent_[a-z0-9]{16}\s+"Docs Helper" \(mode private, active false\)`),
		regexp.MustCompile(`2\. Get the pipeline agent\n\s+agent_\w+: model gpt-4o, stt deepgram, tts cartesia, language en-US, functions \[web_search\]`),
		regexp.MustCompile(`3\. Activate it and change its prompt\n\s+active true, prompt "You are Acme's support agent\. Be brief and kind\."`),
		regexp.MustCompile(`4\. List them with the iterator \(newest first\)\n(\s+agent_\w+\s+text .*\n)(\s+agent_\w+\s+realtime .*\n)(\s+agent_\w+\s+pipeline .*active=true .*\n)`),
		regexp.MustCompile(`5\. A body with several mistakes: every failing field at once\n` +
			`\s+name\s+too_long .*\n\s+realtimeProvider\s+not_applicable .*\n\s+stt\s+required .*\n\s+temperature\s+out_of_range .*\n\s+tts\s+invalid_format .*\n`),
		regexp.MustCompile(`6\. Delete them\n(\s+deleted agent_\w+\n){3}\s+get agent_\w+ after delete: not found = true`),
		regexp.MustCompile(`Done: the whole lifecycle worked\.`),
	} {
		if !want.MatchString(transcript) {
			t.Errorf("transcript lacks %q:\n%s", want, transcript)
		}
	}
	if diff := cmp.Diff(normalize(readmeTranscript(t)), normalize(transcript)); diff != "" {
		t.Errorf("the README's transcript is stale (-README +now):\n%s", diff)
	}
	if strings.Contains(transcript, "tk_test_") {
		t.Error("the transcript shows an API key")
	}
}

// readmeTranscript returns the quickstart output that the README shows.
func readmeTranscript(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "Its output, as it is (ids are random):\n\n```\n")
	shown, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("the README no longer shows the quickstart's output")
	}
	return shown
}

// normalize replaces what differs from run to run (ids, the port) with
// placeholders of the same width, so that columns stay aligned.
func normalize(s string) string {
	s = regexp.MustCompile(`agent_[a-z0-9]{16}`).ReplaceAllString(s, "agent_XXXXXXXXXXXXXXXX")
	return regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(s, "127.0.0.1:PORT")
}

func withoutAPIKey(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "TALKIFAI_") {
			out = append(out, e)
		}
	}
	return out
}

// TestQuickstartAgainstAnAPI runs the lifecycle as it runs against the real
// API (TALKIFAI_API_KEY set), pointed at a fake: agents get a unique prefix,
// and none is left behind.
func TestQuickstartAgainstAnAPI(t *testing.T) {
	srv := fake.NewServer(t)
	t.Setenv("TALKIFAI_API_KEY", fake.KeyAcmeOwner)
	t.Setenv("TALKIFAI_BASE_URL", srv.URL())
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Using the API at "+srv.URL()) {
		t.Errorf("transcript does not name the API:\n%s", out.String())
	}
	if !regexp.MustCompile(`created pipeline\s+agent_\w+\s+"quickstart-\w{8} Support Bot"`).MatchString(out.String()) {
		t.Errorf("agents are not named with a unique prefix:\n%s", out.String())
	}
	if left := srv.Agents(t, fake.OrgAcme); len(left) != 0 {
		t.Errorf("%d agents left behind", len(left))
	}
}

// TestQuickstartCleansUpAfterAFailure: when a step fails half way, the
// agents created so far are deleted all the same.
func TestQuickstartCleansUpAfterAFailure(t *testing.T) {
	srv := fake.NewServer(t)
	t.Setenv("TALKIFAI_API_KEY", fake.KeyAcmeOwner)
	t.Setenv("TALKIFAI_BASE_URL", srv.URL())
	srv.AddFault(t, fake.Fault{Method: "PATCH", Path: "/v1/agents/*", Status: 403}) // step 3 fails
	var out bytes.Buffer
	err := run(context.Background(), &out)
	if err == nil || !strings.Contains(err.Error(), "update") {
		t.Fatalf("run = %v, want the update step's error", err)
	}
	if left := srv.Agents(t, fake.OrgAcme); len(left) != 0 {
		t.Errorf("%d agents left behind after a failure", len(left))
	}
	deletes := 0
	for _, r := range srv.Requests() {
		if r.Method == "DELETE" && r.Status == 200 {
			deletes++
		}
	}
	if deletes != 3 {
		t.Errorf("%d successful deletes, want 3", deletes)
	}
}

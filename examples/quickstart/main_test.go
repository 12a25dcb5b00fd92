package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
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
	if strings.Contains(transcript, "tk_test_") {
		t.Error("the transcript shows an API key")
	}
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

package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// result is an apply result with one key of each kind.
func result() *reconcile.Result {
	create := agents.CreateParams{Name: agents.Value("New"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o"), SystemPrompt: agents.Value("Hi")}
	patch := agents.UpdateParams{Temperature: agents.Null[float64](), Name: agents.Value("Renamed")}
	return &reconcile.Result{Outcomes: []reconcile.Outcome{
		{Key: "a-new", Ops: []reconcile.Op{reconcile.OpCreate}, ID: "agent_4", Sent: []any{&create}},
		{Key: "b-edit", Ops: []reconcile.Op{reconcile.OpUpdate}, ID: "agent_1", Sent: []any{&patch}},
		{Key: "c-same", Ops: []reconcile.Op{reconcile.OpNone}, ID: "agent_2"},
		{Key: "d-orphan", Ops: []reconcile.Op{reconcile.OpDelete}, ID: "agent_3"},
		{Key: "e-gone", Ops: []reconcile.Op{reconcile.OpDropEntry}},
		{Key: "f-missing", ID: "agent_5", Err: reconcile.ErrMissing},
		{Key: "g-denied", Ops: []reconcile.Op{reconcile.OpUpdate}, ID: "agent_6", Err: &client.APIError{StatusCode: 403, Code: "FORBIDDEN", Message: "members may not change commercial agents"}},
	}}
}

func TestWriteOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dry  bool
		want string
	}{
		{"apply", false, `+ a-new      created agent_4
~ b-edit     updated agent_1 (name, temperature)
- d-orphan   deleted agent_3
- e-gone     dropped from the lock (its agent was already deleted)
! f-missing  failed: agent missing
    apply --recreate-missing creates it again
! g-denied   failed: 403 FORBIDDEN: members may not change commercial agents
    this key's role may not do this: use a key of an owner or admin of the organization

Apply: 1 created, 1 updated, 1 deleted, 1 dropped from the lock, 2 failed.
`},
		{"dry run", true, `+ a-new      would create agent_4
    POST /v1/agents {"name":"New","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Hi"}
~ b-edit     would update agent_1 (name, temperature)
    PATCH /v1/agents/agent_1 {"name":"Renamed","temperature":null}
- d-orphan   would delete agent_3
    DELETE /v1/agents/agent_3
- e-gone     would drop the lock entry (its agent was already deleted)
! f-missing  failed: agent missing
    apply --recreate-missing creates it again
! g-denied   failed: 403 FORBIDDEN: members may not change commercial agents
    this key's role may not do this: use a key of an owner or admin of the organization

Dry run: would have 1 created, 1 updated, 1 deleted, 1 dropped from the lock, 2 failed. Nothing was sent, and the lock is unchanged.
`},
	}
	for _, tt := range tests {
		ios, _, out, _ := iostreams.Test()
		writeOutcomes(ios, result(), &ApplyOptions{DryRun: tt.dry})
		if diff := cmp.Diff(tt.want, out.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestWriteOutcomesPending: a pending create sent again counts as created,
// with the other creates, and one whose spec is gone is kept after, in
// words that fit a dry run (which knows no id yet) and a real one.
func TestWriteOutcomesPending(t *testing.T) {
	t.Parallel()
	body := agents.CreateParams{Name: agents.Value("Ghost"), Architecture: agents.Value(agents.Text), Model: agents.Value("gpt-4o"), SystemPrompt: agents.Value("Boo")}
	res := func(id string) *reconcile.Result {
		return &reconcile.Result{Outcomes: []reconcile.Outcome{
			{Key: "a-new", Ops: []reconcile.Op{reconcile.OpCreate}, ID: "agent_1", Sent: []any{&body}},
			{Key: "ghost", Ops: []reconcile.Op{reconcile.OpReplay, reconcile.OpKeep}, ID: id, Sent: []any{&body}},
			{Key: "same", Ops: []reconcile.Op{reconcile.OpRefresh}, ID: "agent_3"},
		}}
	}
	for _, tt := range []struct {
		dry  bool
		id   string
		want string
	}{
		{false, "agent_2", `+ a-new  created agent_1
+ ghost  sent the pending create again (same idempotency key): agent_2, then kept agent_2: its spec is gone (--prune deletes it)
= same   lock refreshed (the live agent already matched the spec)

Apply: 2 created, 1 refreshed in the lock.
`},
		{true, "", `+ a-new  would create agent_1
    POST /v1/agents {"name":"Ghost","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Boo"}
+ ghost  would send the pending create again, then would keep the agent: its spec is gone (--prune deletes it)
    POST /v1/agents {"name":"Ghost","agentArchitecture":"text","model":"gpt-4o","systemPrompt":"Boo"}
= same   would refresh the lock (the live agent already matched the spec)

Dry run: would have 2 created, 1 refreshed in the lock. Nothing was sent, and the lock is unchanged.
`},
	} {
		ios, _, out, _ := iostreams.Test()
		writeOutcomes(ios, res(tt.id), &ApplyOptions{DryRun: tt.dry})
		if diff := cmp.Diff(tt.want, out.String()); diff != "" {
			t.Errorf("dry run %t (-want +got):\n%s", tt.dry, diff)
		}
	}
}

// TestColourOnlyOnATerminal checks that the same result is coloured on a
// terminal and plain elsewhere, and that the text is otherwise the same.
func TestColourOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	plain, _, plainOut, _ := iostreams.Test()
	writeOutcomes(plain, result(), &ApplyOptions{})
	tty, _, ttyOut, _ := iostreams.Test()
	tty.SetStdoutTTY(true)
	writeOutcomes(tty, result(), &ApplyOptions{})
	if strings.Contains(plainOut.String(), "\x1b[") {
		t.Errorf("colour without a terminal:\n%q", plainOut)
	}
	for _, want := range []string{"\x1b[32m+\x1b[0m a-new", "\x1b[33m~\x1b[0m b-edit", "\x1b[31m-\x1b[0m d-orphan", "\x1b[31m!\x1b[0m f-missing"} {
		if !strings.Contains(ttyOut.String(), want) {
			t.Errorf("terminal output lacks %q:\n%q", want, ttyOut)
		}
	}
	if got := stripANSI(ttyOut.String()); got != plainOut.String() {
		t.Errorf("without its colour, the terminal output differs:\n%s\nwant\n%s", got, plainOut)
	}
}

func stripANSI(s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], 'm')
		s = s[:i] + s[i+j+1:]
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetStderrTTY(tty)
		p := newProgress(ios)
		p.event(reconcile.Event{Done: 1, Total: 2, Outcome: reconcile.Outcome{Key: "a"}})
		p.event(reconcile.Event{Done: 2, Total: 2, Outcome: reconcile.Outcome{Key: "b"}})
		p.done()
		want := ""
		if tty {
			want = "\r\x1b[Kapplying 1/2 a\r\x1b[Kapplying 2/2 b\r\x1b[K"
		}
		if got := errOut.String(); got != want {
			t.Errorf("stderr a terminal %t: progress %q, want %q", tty, got, want)
		}
	}
}

func TestDescribeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&client.APIError{StatusCode: 401, Code: "UNAUTHORIZED", Message: "unknown API key"}, "401 UNAUTHORIZED: unknown API key\n  check TALKIFAI_API_KEY"},
		{&client.APIError{StatusCode: 429, Code: "RATE_LIMITED", Message: "slow down"}, "429 RATE_LIMITED: slow down\n  the organization's rate limit"},
		{&client.APIError{StatusCode: 503, Code: "SERVICE_UNAVAILABLE", Message: "down"}, "503 SERVICE_UNAVAILABLE: down\n  the server failed"},
		{errors.New("reconcile: open x: no such file"), "open x: no such file"},
	}
	for _, tt := range tests {
		if got := describeError(tt.err); !strings.HasPrefix(got, tt.want) {
			t.Errorf("describeError(%v) = %q, want it to start with %q", tt.err, got, tt.want)
		}
	}
}

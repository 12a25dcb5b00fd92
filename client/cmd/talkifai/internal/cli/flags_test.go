package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
)

// TestFlags checks that each command line reaches its run function as the
// options it should, without running anything.
func TestFlags(t *testing.T) {
	t.Parallel()
	ios, _, _, _ := iostreams.Test()
	f := &Factory{IO: ios}
	ignore := cmpopts.IgnoreFields(EngineDeps{}, "IO")
	tests := []struct {
		args []string
		want any
	}{
		{[]string{"validate"}, &ValidateOptions{Dir: "agents"}},
		{[]string{"validate", "specs"}, &ValidateOptions{Dir: "specs"}},
		{[]string{"plan"}, &PlanOptions{Dir: "agents"}},
		{[]string{"--env", "prod", "plan", "--json", "--out", "p.json", "--detailed-exitcode", "specs"},
			&PlanOptions{Deps: EngineDeps{Env: "prod"}, Dir: "specs", JSON: true, Out: "p.json", DetailedExitcode: true}},
		{[]string{"apply", "--dry-run", "--prune", "--fail-on-drift", "--recreate-missing", "--plan", "p.json"},
			&ApplyOptions{Dir: "agents", PlanFile: "p.json", DryRun: true, Prune: true, FailOnDrift: true, RecreateMissing: true}},
		{[]string{"apply", "--env=staging", "x"}, &ApplyOptions{Deps: EngineDeps{Env: "staging"}, Dir: "x"}},
		{[]string{"pull"}, &PullOptions{Dir: "agents"}},
		{[]string{"import", "support", "agent_7"}, &ImportOptions{Dir: "agents", Key: "support", ID: "agent_7"}},
		{[]string{"import", "--dir", "specs", "support", "agent_7"}, &ImportOptions{Dir: "specs", Key: "support", ID: "agent_7"}},
		{[]string{"mv", "old", "new"}, &MvOptions{Dir: "agents", From: "old", To: "new"}},
		{[]string{"agents", "list", "-o", "json", "--mode", "public"}, &AgentsListOptions{Output: "json", Mode: "public"}},
		{[]string{"agents", "list"}, &AgentsListOptions{Output: "table"}},
		{[]string{"agents", "get", "agent_1", "--output", "json"}, &AgentsGetOptions{ID: "agent_1", Output: "json"}},
		{[]string{"agents", "delete", "agent_1", "agent_2"}, &AgentsDeleteOptions{IDs: []string{"agent_1", "agent_2"}, Output: "table"}},
		{[]string{"agents", "delete", "-o", "json", "agent_1"}, &AgentsDeleteOptions{IDs: []string{"agent_1"}, Output: "json"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			got := parse(t, f, tt.args)
			opts := cmp.Options{ignore, cmpopts.IgnoreUnexported(EngineDeps{}),
				cmpopts.IgnoreFields(AgentsListOptions{}, "IO", "Client"),
				cmpopts.IgnoreFields(AgentsGetOptions{}, "IO", "Client"),
				cmpopts.IgnoreFields(AgentsDeleteOptions{}, "IO", "Client"),
				cmpopts.IgnoreFields(ValidateOptions{}, "IO")}
			if diff := cmp.Diff(tt.want, got, opts); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// parse builds the command tree with every run function replaced by one
// that records its options, runs args, and returns what was recorded.
func parse(t *testing.T, f *Factory, args []string) any {
	t.Helper()
	var got any
	rec := func(o any) { got = o }
	g := &globalOptions{}
	root := NewCmdRoot(f)
	root.ResetCommands()
	agentsCmd := NewCmdAgents(f)
	agentsCmd.ResetCommands()
	agentsCmd.AddCommand(
		NewCmdAgentsList(f, func(_ context.Context, o *AgentsListOptions) error { rec(o); return nil }),
		NewCmdAgentsGet(f, func(_ context.Context, o *AgentsGetOptions) error { rec(o); return nil }),
		NewCmdAgentsDelete(f, func(_ context.Context, o *AgentsDeleteOptions) error { rec(o); return nil }),
	)
	root.ResetFlags()
	root.PersistentFlags().StringVar(&g.Env, "env", "", "")
	root.AddCommand(agentsCmd,
		NewCmdValidate(f, func(_ context.Context, o *ValidateOptions) error { rec(o); return nil }),
		NewCmdPlan(f, g, func(_ context.Context, o *PlanOptions) error { rec(o); return nil }),
		NewCmdApply(f, g, func(_ context.Context, o *ApplyOptions) error { rec(o); return nil }),
		NewCmdPull(f, g, func(_ context.Context, o *PullOptions) error { rec(o); return nil }),
		NewCmdImport(f, g, func(_ context.Context, o *ImportOptions) error { rec(o); return nil }),
		NewCmdMv(f, g, func(_ context.Context, o *MvOptions) error { rec(o); return nil }),
	)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return got
}

// TestUsageErrors checks that wrong command lines exit 1 (never 2, which
// means "changes") and say how to get help.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"nope"},
		{"plan", "a", "b"},
		{"plan", "--detailed"},
		{"import", "Bad Key", "agent_1"},
		{"mv", "a", "B"},
		{"agents", "list", "-o", "yaml"},
		{"agents", "delete", "-o", "yaml", "agent_1"},
		{"agents", "list", "--mode", "secret"},
		{"--env", "Not Valid", "plan", t.TempDir()},
	} {
		ios, _, out, errOut := iostreams.Test()
		f := &Factory{IO: ios, Client: nil}
		code := Main(context.Background(), f, args)
		if code != ExitError {
			t.Errorf("%q: exit status %d, want %d", args, code, ExitError)
		}
		if out.Len() != 0 || !strings.HasPrefix(errOut.String(), "talkifai: ") {
			t.Errorf("%q: stdout %q, stderr %q; want nothing on stdout and the error on stderr", args, out, errOut)
		}
	}
}

// TestFolderArgs: advice names the environment and the folder only when
// they are not the defaults.
func TestFolderArgs(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ env, dir, want string }{
		{"", "agents", ""},
		{"staging", "agents", " --env staging"},
		{"", "specs", " specs"},
		{"prod", "specs", " --env prod specs"},
	} {
		if got := folderArgs(tt.env, tt.dir); got != tt.want {
			t.Errorf("folderArgs(%q, %q) = %q, want %q", tt.env, tt.dir, got, tt.want)
		}
	}
}

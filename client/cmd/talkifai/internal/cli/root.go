package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every command has.
type globalOptions struct {
	// Env names the environment: the lock file is talkifai.ENV.lock.json
	// rather than talkifai.lock.json.
	Env string
}

// NewCmdRoot returns the talkifai command with every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "talkifai",
		Short: "Manage TalkifAI agents as code: validate, plan and apply a folder of agent specs",
		Long: `talkifai keeps a folder of agent specs (agents/KEY.yaml) and the agents of
an organization in step, the way Terraform does: plan shows what would
change, apply makes it so, and a lock file records what was applied.

The API key is read from TALKIFAI_API_KEY and the server from
TALKIFAI_BASE_URL (default https://api.talkifai.dev). --env ENV keeps a
separate lock file per environment (talkifai.ENV.lock.json), so one folder
deploys to several organizations.

Exit status: 0 success (and no changes, for plan --detailed-exitcode),
1 error, 2 changes (plan --detailed-exitcode).`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVar(&g.Env, "env", "", "environment `NAME`: use the lock file talkifai.NAME.lock.json")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{c, err}
	})
	root.AddCommand(
		NewCmdAgents(f),
	)
	addEngineCommands(root, f, g)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	return root
}

// Main runs the command with args, prints any error to standard error, and
// returns the exit status.
func Main(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		printError(f, cmd, err)
	}
	return exitCode(err)
}

// usageError is a mistake in the command line: wrong flags or arguments.
type usageError struct {
	cmd *cobra.Command
	err error
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// printError writes err for people, with a hint at help for usage errors.
func printError(f *Factory, cmd *cobra.Command, err error) {
	var ee *exitError
	if errors.As(err, &ee) && ee.msg == "" {
		return // the command has said what it had to
	}
	fmt.Fprintln(f.IO.ErrOut, "talkifai: "+describeError(err))
	var ue usageError
	if errors.As(err, &ue) || isArgsError(err) {
		fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
}

// isArgsError reports whether err is cobra's complaint about the number of
// arguments or an unknown command, which it does not type.
func isArgsError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "accepts ") || strings.HasPrefix(msg, "requires ") || strings.HasPrefix(msg, "unknown command")
}

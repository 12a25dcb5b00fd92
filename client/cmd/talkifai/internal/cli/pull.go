package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// PullOptions are the inputs of `pull`.
type PullOptions struct {
	Deps EngineDeps
	Dir  string
}

// NewCmdPull returns `pull [DIR]`.
func NewCmdPull(f *Factory, g *globalOptions, runF func(context.Context, *PullOptions) error) *cobra.Command {
	opts := &PullOptions{}
	return &cobra.Command{
		Use:   "pull [DIR]",
		Short: "Write a spec for every live agent not in the lock, and lock them",
		Long: `Write a spec file into the folder (default agents/) for every live agent
that the lock does not name, and lock it, so that a team can start managing
existing agents as code. Keys come from the names (lowercase, other
characters as "-"), with -2, -3... for repeats; a prompt with line breaks
goes to prompts/KEY.md. An existing file is never overwritten.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deps = engineDeps(f, g)
			opts.Dir = dirArg(args)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return pullRun(cmd.Context(), opts)
		},
	}
}

func pullRun(ctx context.Context, opts *PullOptions) error {
	// A first pull or import starts the folder.
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return err
	}
	eng, store, err := opts.Deps.newEngine(opts.Dir, nil)
	if err != nil {
		return err
	}
	pulled, err := eng.Pull(ctx, opts.Dir)
	io := opts.Deps.IO
	cs := io.ColorScheme()
	kept := 0
	for _, ad := range pulled {
		if len(ad.Written) == 0 {
			// A pull cut short wrote this spec and did not lock it.
			kept++
			fmt.Fprintf(io.Out, "%s %s  %s (kept: it already describes the agent)\n", cs.Gray("="), ad.Key, ad.SpecFile)
			continue
		}
		// The spec first, then its prompt file.
		files := append([]string{ad.SpecFile}, ad.Written[:len(ad.Written)-1]...)
		fmt.Fprintf(io.Out, "%s %s  %s\n", cs.Green("+"), ad.Key, strings.Join(files, ", "))
	}
	if err != nil && len(pulled) > 0 {
		// What was pulled is locked; a spec written and not locked is
		// kept by the next pull.
		return fmt.Errorf("%w\n  the agents listed above are pulled and locked: fix the cause and run 'talkifai pull%s' again to finish", describeEngineError(store.Path(), err), folderArgs(opts.Deps.Env, opts.Dir))
	}
	if err != nil {
		return describeEngineError(store.Path(), err)
	}
	if len(pulled) == 0 {
		fmt.Fprintln(io.Out, "Every live agent is in the lock already: nothing to pull.")
		return nil
	}
	keptNote := ""
	if kept > 0 {
		keptNote = fmt.Sprintf(" (%d with the spec already there)", kept)
	}
	fmt.Fprintf(io.Out, "\nPulled %s into %s%s and locked %s in %s. Review, commit, and 'talkifai plan%s' should show no change.\n",
		plural(len(pulled), "agent", "agents"), opts.Dir, keptNote, map[bool]string{true: "it", false: "them"}[len(pulled) == 1], store.Path(), folderArgs(opts.Deps.Env, opts.Dir))
	return nil
}

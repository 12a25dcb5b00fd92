package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/client/reconcile"
)

// ImportOptions are the inputs of `import`.
type ImportOptions struct {
	Deps EngineDeps
	Dir  string
	Key  string
	ID   string
}

// NewCmdImport returns `import KEY ID`.
func NewCmdImport(f *Factory, g *globalOptions, runF func(context.Context, *ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{}
	cmd := &cobra.Command{
		Use:   "import KEY ID",
		Short: "Lock one existing agent under KEY and write its spec",
		Long: `Lock the live agent ID under KEY and write its spec (KEY.yaml, and
prompts/KEY.md for a prompt with line breaks) into the folder, so that
apply manages it instead of creating another. Plan suggests it when a
spec without a lock entry has the name of a live agent.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deps = engineDeps(f, g)
			opts.Key, opts.ID = args[0], args[1]
			if !reconcile.ValidKey(opts.Key) {
				return usageError{cmd, fmt.Errorf("%q is not a valid key: 1 to 63 lowercase letters, digits, _ and -, starting with a letter or digit", opts.Key)}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return importRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", reconcile.DefaultDir, "the folder of specs")
	return cmd
}

func importRun(ctx context.Context, opts *ImportOptions) error {
	// A first pull or import starts the folder.
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return err
	}
	eng, store, err := opts.Deps.newEngine(opts.Dir, nil)
	if err != nil {
		return err
	}
	if err := eng.Import(ctx, opts.Dir, opts.Key, opts.ID); err != nil {
		if errors.Is(err, reconcile.ErrKeyTaken) {
			return fmt.Errorf("%w\n  pick another key, or 'talkifai mv' the existing one first", err)
		}
		return describeEngineError(store.Path(), agentNotFound(opts.ID, err))
	}
	fmt.Fprintf(opts.Deps.IO.Out, "Imported %s as %s: wrote its spec into %s and locked it in %s.\n", opts.ID, opts.Key, opts.Dir, store.Path())
	return nil
}

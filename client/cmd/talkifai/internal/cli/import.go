package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

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
spec without a lock entry has the name of a live agent: then KEY's spec
file is kept as it is, and the next plan shows what applying it would
change on the agent.`,
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
	ad, err := eng.Import(ctx, opts.Dir, opts.Key, opts.ID)
	if err != nil {
		if errors.Is(err, reconcile.ErrKeyTaken) {
			return fmt.Errorf("%w\n  pick another key, or 'talkifai mv' the existing one first", err)
		}
		return describeEngineError(store.Path(), agentNotFound(opts.ID, err))
	}
	out := opts.Deps.IO.Out
	if len(ad.Written) == 0 {
		fmt.Fprintf(out, "Imported %s as %s: kept the spec %s as it is and locked the agent in %s.\n'talkifai plan%s' shows what applying the spec would change on the agent.\n",
			ad.ID, ad.Key, ad.SpecFile, store.Path(), folderArgs(opts.Deps.Env, opts.Dir))
		return nil
	}
	fmt.Fprintf(out, "Imported %s as %s: wrote %s and locked it in %s.\n", ad.ID, ad.Key, strings.Join(ad.Written, " and "), store.Path())
	return nil
}

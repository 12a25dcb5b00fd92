package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/client/reconcile"
)

// MvOptions are the inputs of `mv`.
type MvOptions struct {
	Deps     EngineDeps
	Dir      string
	From, To string
}

// NewCmdMv returns `mv OLD NEW`.
func NewCmdMv(f *Factory, g *globalOptions, runF func(context.Context, *MvOptions) error) *cobra.Command {
	opts := &MvOptions{}
	cmd := &cobra.Command{
		Use:   "mv OLD NEW",
		Short: "Rename a key: its spec file and lock entry; the agent is not touched",
		Long: `Rename the key OLD to NEW: the spec file (keeping its extension) and the
lock entry. No request is sent; the agent keeps its id. Renaming the file
by hand instead would make plan see one agent to create and one orphan.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deps = engineDeps(f, g)
			opts.From, opts.To = args[0], args[1]
			if !reconcile.ValidKey(opts.To) {
				return usageError{cmd, fmt.Errorf("%q is not a valid key: 1 to 63 lowercase letters, digits, _ and -, starting with a letter or digit", opts.To)}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return mvRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", reconcile.DefaultDir, "the folder of specs")
	return cmd
}

func mvRun(ctx context.Context, opts *MvOptions) error {
	// No request is sent: the lock alone, no client and no API key.
	store, err := opts.Deps.store(opts.Dir)
	if err != nil {
		return err
	}
	if err := reconcile.Move(ctx, store, opts.Dir, opts.From, opts.To); err != nil {
		switch {
		case errors.Is(err, reconcile.ErrKeyTaken):
			return fmt.Errorf("%w\n  %s already has a spec or a lock entry: pick another name", err, opts.To)
		case errors.Is(err, reconcile.ErrNoEntry):
			return fmt.Errorf("%w\n  %s has no spec and no lock entry in %s (wrong folder or --env?)", err, opts.From, opts.Dir)
		}
		return describeEngineError(store.Path(), err)
	}
	fmt.Fprintf(opts.Deps.IO.Out, "Renamed %s to %s in %s and %s; the agent is unchanged.\n", opts.From, opts.To, opts.Dir, store.Path())
	return nil
}

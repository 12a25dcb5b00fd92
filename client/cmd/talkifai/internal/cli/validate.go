package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// ValidateOptions are the inputs of `validate`.
type ValidateOptions struct {
	IO  *iostreams.IOStreams
	Dir string
}

// NewCmdValidate returns `validate [DIR]`.
func NewCmdValidate(f *Factory, runF func(context.Context, *ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IO}
	return &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check every spec file of the folder (default agents/), offline",
		Long: `Check every spec file of the folder (default agents/) by the API's rules,
without a key or a network. Every problem of every file is reported at once,
one a line, as FILE:LINE:COL: FIELD: message. Exit status 1 when there is any.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = dirArg(args)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return validateRun(opts)
		},
	}
}

func validateRun(opts *ValidateOptions) error {
	folder, err := loadFolder(opts.IO, opts.Dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "%s: %s valid\n", opts.Dir, plural(len(folder.Specs), "spec", "specs"))
	return nil
}

// loadFolder loads dir; on problems it writes them to standard error, one
// a line with the folder's path in front of each file, and fails.
func loadFolder(io *iostreams.IOStreams, dir string) (*reconcile.Folder, error) {
	folder, err := reconcile.Load(dir)
	var le *reconcile.LoadError
	if errors.As(err, &le) {
		files := map[string]bool{}
		for _, p := range le.Problems {
			p.File = filepath.Join(dir, p.File)
			files[p.File] = true
			fmt.Fprintln(io.ErrOut, p.String())
		}
		return nil, fmt.Errorf("%s in %s: fix them and run again (talkifai validate %s)",
			plural(len(le.Problems), "problem", "problems"), plural(len(files), "file", "files"), dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n  the folder of specs is %s: name another as the argument", err, dir)
	}
	return folder, nil
}

// plural returns "1 spec" or "3 specs".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

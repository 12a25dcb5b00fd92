package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// addEngineCommands adds the commands that work on a folder of specs.
func addEngineCommands(root *cobra.Command, f *Factory, g *globalOptions) {
	root.AddCommand(
		NewCmdValidate(f, nil),
		NewCmdPlan(f, g, nil),
		NewCmdApply(f, g, nil),
		NewCmdPull(f, g, nil),
		NewCmdImport(f, g, nil),
		NewCmdMv(f, g, nil),
	)
}

// EngineDeps are what the commands that use the engine share: the streams,
// the factory (client and clock), the environment.
type EngineDeps struct {
	IO  *iostreams.IOStreams
	f   *Factory
	Env string
}

func engineDeps(f *Factory, g *globalOptions) EngineDeps {
	return EngineDeps{IO: f.IO, f: f, Env: g.Env}
}

// store returns the lock store of the folder dir for d.Env.
func (d EngineDeps) store(dir string) (*reconcile.FileStore, error) {
	store, err := reconcile.NewFileStore(dir, d.Env)
	if err != nil {
		return nil, fmt.Errorf("--env %q: %w", d.Env, err)
	}
	return store, nil
}

// newEngine returns an engine for the folder dir and the lock of d.Env;
// the lock records the client's base URL. progress, when not nil,
// receives apply's events.
func (d EngineDeps) newEngine(dir string, progress func(reconcile.Event)) (*reconcile.Engine, *reconcile.FileStore, error) {
	store, err := d.store(dir)
	if err != nil {
		return nil, nil, err
	}
	c, err := d.f.Client()
	if err != nil {
		return nil, nil, err
	}
	e, err := reconcile.New(reconcile.Config{
		Client:      c,
		Store:       store,
		Now:         d.f.Now,
		Concurrency: d.f.Concurrency,
		Progress:    progress,
	})
	return e, store, err
}

// dirArg returns the folder named by args, or the default.
func dirArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return reconcile.DefaultDir
}

// describeEngineError adds what to do next to the engine's refusals.
func describeEngineError(lockPath string, err error) error {
	switch {
	case errors.Is(err, reconcile.ErrLockHeld):
		return fmt.Errorf("%w\n  another talkifai run is using %s: wait for it to finish (in CI, let one job per environment run at a time)", err, lockPath)
	case errors.Is(err, reconcile.ErrSerialChanged):
		return fmt.Errorf("%w\n  %s was changed by someone else during this run: pull the latest lock and run again", err, lockPath)
	case errors.Is(err, reconcile.ErrBaseURL):
		return fmt.Errorf("%w\n  set TALKIFAI_BASE_URL to the server %s was written for, or pass --env NAME to keep a separate lock for this one", err, lockPath)
	case errors.Is(err, reconcile.ErrDrift):
		return fmt.Errorf("%w\n  someone changed these agents outside the specs: bring the changes into the specs, or apply without --fail-on-drift to overwrite them", err)
	}
	return err
}

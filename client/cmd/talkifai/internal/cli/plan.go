package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// PlanOptions are the inputs of `plan`.
type PlanOptions struct {
	Deps             EngineDeps
	Dir              string
	JSON             bool
	Out              string
	DetailedExitcode bool
}

// NewCmdPlan returns `plan [DIR]`.
func NewCmdPlan(f *Factory, g *globalOptions, runF func(context.Context, *PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{}
	cmd := &cobra.Command{
		Use:   "plan [DIR]",
		Short: "Show what apply would change, and change nothing",
		Long: `Compare every spec of the folder (default agents/) with the lock and the
live agent, and show what apply would do: one line per agent and one per
changed field, old → new, long prompts as a line diff. A field someone
changed outside the specs since the last apply is marked drift. Plan sends
no write.

--json prints the plan in its machine form (see the README's "--json"
section); --out FILE saves it for "apply --plan FILE", which refuses it if
the specs, the lock or a live agent changed since.

Exit status: 0, or with --detailed-exitcode 0 for no changes and 2 for
changes; 1 on error (an agent that could not be read included).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deps = engineDeps(f, g)
			opts.Dir = dirArg(args)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return planRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON (the machine form) instead of text")
	cmd.Flags().StringVar(&opts.Out, "out", "", "save the plan to `FILE` for apply --plan")
	cmd.Flags().BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit 2 when the plan has changes, 0 when it has none")
	return cmd
}

func planRun(ctx context.Context, opts *PlanOptions) error {
	io := opts.Deps.IO
	folder, err := loadFolder(io, opts.Dir)
	if err != nil {
		return err
	}
	eng, store, err := opts.Deps.newEngine(opts.Dir, nil)
	if err != nil {
		return err
	}
	plan, err := eng.Plan(ctx, folder)
	if err != nil {
		return describeEngineError(store.Path(), err)
	}
	if opts.Out != "" {
		if err := savePlan(opts.Out, plan); err != nil {
			return err
		}
	}
	if opts.JSON {
		if err := writeJSON(io.Out, plan); err != nil {
			return err
		}
	} else {
		if err := writePlanText(io, plan, opts.Deps.Env); err != nil {
			return err
		}
		if opts.Out != "" {
			fmt.Fprintf(io.ErrOut, "Saved the plan to %s: apply it with 'talkifai apply --plan %s%s %s'\n", opts.Out, opts.Out, envFlag(opts.Deps.Env), opts.Dir)
		}
	}
	if err := plan.Err(); err != nil {
		return fmt.Errorf("%w\n  plan could not read these agents: fix the cause and run plan again", err)
	}
	if opts.DetailedExitcode && plan.HasChanges() {
		return silentExit(ExitChanges)
	}
	return nil
}

// envFlag returns " --env NAME" when an environment is set, for advice.
func envFlag(env string) string {
	if env == "" {
		return ""
	}
	return " --env " + env
}

// folderArgs returns the arguments that name env and the folder dir in
// advice to run a command on a folder: " --env NAME DIR", each part left
// out when it is the default.
func folderArgs(env, dir string) string {
	s := envFlag(env)
	if dir != reconcile.DefaultDir {
		s += " " + dir
	}
	return s
}

// savePlan writes plan to path as JSON, through a temporary file so that
// a failed write leaves no half plan for apply to refuse later.
func savePlan(path string, plan *reconcile.Plan) error {
	b, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the plan: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	return nil
}

// commandAdvice words the plan's advice as this command's lines and
// flags. The import line names env's lock, so that following it imports
// into that lock.
func commandAdvice(env string) reconcile.Advice {
	return reconcile.Advice{
		Import: func(key, id string) string {
			return "talkifai import" + envFlag(env) + " " + key + " " + id
		},
		Prune:           "--prune",
		RecreateMissing: "--recreate-missing",
	}
}

// writePlanText writes the engine's text form of plan, with the command's
// advice, coloured on a terminal: additions green, removals red, changes
// and drift yellow.
func writePlanText(io *iostreams.IOStreams, plan *reconcile.Plan, env string) error {
	var buf bytes.Buffer
	if err := plan.WriteTextAdvice(&buf, commandAdvice(env)); err != nil {
		return err
	}
	text := buf.String()
	cs := io.ColorScheme()
	if !cs.Enabled() {
		_, err := fmt.Fprint(io.Out, text)
		return err
	}
	for line := range strings.Lines(text) {
		fmt.Fprintln(io.Out, colorLine(cs, strings.TrimSuffix(line, "\n")))
	}
	return nil
}

// colorLine colours one line of the text form: a key's line by its mark
// (+ create, ~ update, - gone, ! missing, E error, ? orphaned, … pending,
// = no change), a field's line yellow when it drifted, and the lines of a
// prompt's diff green or red.
func colorLine(cs *iostreams.ColorScheme, line string) string {
	trimmed := strings.TrimLeft(line, " ")
	if trimmed == line { // a key's line
		mark, _, _ := strings.Cut(line, " ")
		switch mark {
		case "+":
			return cs.Green(line)
		case "-", "!", "E":
			return cs.Red(line)
		case "~", "?", "…":
			return cs.Yellow(line)
		case "=":
			return cs.Gray(line)
		}
		return line
	}
	switch {
	case strings.Contains(line, "(drift)"):
		return cs.Yellow(line)
	case trimmed == "+" || strings.HasPrefix(trimmed, "+ "):
		return cs.Green(line)
	case trimmed == "-" || strings.HasPrefix(trimmed, "- "):
		return cs.Red(line)
	}
	return line
}

package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// ApplyOptions are the inputs of `apply`.
type ApplyOptions struct {
	Deps            EngineDeps
	Dir             string
	PlanFile        string
	DryRun          bool
	Prune           bool
	FailOnDrift     bool
	RecreateMissing bool
}

// NewCmdApply returns `apply [DIR]`.
func NewCmdApply(f *Factory, g *globalOptions, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{}
	cmd := &cobra.Command{
		Use:   "apply [DIR]",
		Short: "Make the agents match the specs, and record it in the lock",
		Long: `Carry out the plan of the folder (default agents/): a fresh one, or the one
saved by "plan --out FILE" (--plan FILE), which is refused if anything it
read has changed since. Apply asks no question: plan is the review step.

What succeeded is recorded in the lock after each operation; every failure
is reported per agent with the API's error, and the exit status is then 1.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deps = engineDeps(f, g)
			opts.Dir = dirArg(args)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return applyRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.PlanFile, "plan", "", "apply the plan saved in `FILE` by plan --out")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print what would be sent, and send nothing")
	fl.BoolVar(&opts.Prune, "prune", false, "delete the agents whose spec was removed")
	fl.BoolVar(&opts.FailOnDrift, "fail-on-drift", false, "write nothing if any agent was changed outside the specs")
	fl.BoolVar(&opts.RecreateMissing, "recreate-missing", false, "create again the agents deleted outside the specs")
	return cmd
}

func applyRun(ctx context.Context, opts *ApplyOptions) error {
	io := opts.Deps.IO
	folder, err := loadFolder(io, opts.Dir)
	if err != nil {
		return err
	}
	var saved *reconcile.Plan
	if opts.PlanFile != "" {
		if saved, err = readPlan(opts.PlanFile); err != nil {
			return err
		}
	}
	p := newProgress(io)
	eng, store, err := opts.Deps.newEngine(opts.Dir, p.event)
	if err != nil {
		return err
	}
	// The ids of the agents apply deletes, which its result no longer has.
	lockBefore, err := store.Read(ctx)
	if err != nil {
		return err
	}
	res, err := eng.Apply(ctx, folder, reconcile.ApplyOptions{
		DryRun:          opts.DryRun,
		Prune:           opts.Prune,
		FailOnDrift:     opts.FailOnDrift,
		RecreateMissing: opts.RecreateMissing,
		Saved:           saved,
	})
	p.done()
	if err != nil {
		return describeEngineError(store.Path(), err)
	}
	fillIDs(res, lockBefore)
	writeOutcomes(io, res, opts)
	if res.Err() != nil {
		return silentExit(ExitError)
	}
	return nil
}

// fillIDs gives each outcome without an id (a deleted agent's) the id the
// lock had for its key before apply.
func fillIDs(res *reconcile.Result, before *reconcile.Lock) {
	for i, o := range res.Outcomes {
		if e, ok := before.Agents[o.Key]; ok && o.ID == "" && e != nil {
			res.Outcomes[i].ID = e.ID
		}
	}
}

// readPlan reads a plan saved by plan --out.
func readPlan(path string) (*reconcile.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w\n  save a plan with 'talkifai plan --out %s' first", err, path)
	}
	defer f.Close()
	plan, err := reconcile.ReadPlan(f)
	if err != nil {
		return nil, fmt.Errorf("%s is not a saved plan: %w", path, err)
	}
	return plan, nil
}

// writeOutcomes writes one line per key (and, in a dry run, the requests
// that would be sent), then a summary.
func writeOutcomes(ios *iostreams.IOStreams, res *reconcile.Result, opts *ApplyOptions) {
	cs := ios.ColorScheme()
	// Keys in a column, padded by hand: a tabwriter would break its
	// columns at the lines of requests and advice between them.
	width := 0
	for _, o := range res.Outcomes {
		width = max(width, len(o.Key))
	}
	w := ios.Out
	counts := map[reconcile.Op]int{}
	failed := 0
	for _, o := range res.Outcomes {
		done := o.Ops
		if o.Err != nil && len(done) > 0 {
			done = done[:len(done)-1] // the op that failed is not done
		}
		for _, op := range done {
			counts[op]++
		}
		if o.Err != nil {
			failed++
			fmt.Fprintf(w, "%s %-*s  %s\n", cs.Red("!"), width, o.Key, cs.Red("failed: "+outcomeError(o, opts)))
			continue
		}
		sign, text := describeOutcome(o, opts.DryRun)
		if text == "" {
			continue
		}
		fmt.Fprintf(w, "%s %-*s  %s\n", colorSign(cs, sign), width, o.Key, text)
		if opts.DryRun {
			writeRequests(w, o)
		}
	}
	var parts []string
	for _, c := range []struct {
		word string
		ops  []reconcile.Op
	}{
		{"created", []reconcile.Op{reconcile.OpCreate, reconcile.OpReplay}},
		{"adopted", []reconcile.Op{reconcile.OpAdopt}},
		{"updated", []reconcile.Op{reconcile.OpUpdate}},
		{"deleted", []reconcile.Op{reconcile.OpDelete}},
		{"refreshed in the lock", []reconcile.Op{reconcile.OpRefresh}},
		{"dropped from the lock", []reconcile.Op{reconcile.OpDropEntry}},
	} {
		n := 0
		for _, op := range c.ops {
			n += counts[op]
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, c.word))
		}
	}
	if len(parts) == 0 && failed == 0 {
		parts = append(parts, "no change")
	}
	if failed > 0 {
		parts = append(parts, cs.Red(fmt.Sprintf("%d failed", failed)))
	}
	if opts.DryRun {
		fmt.Fprintf(ios.Out, "\nDry run: would have %s. Nothing was sent, and the lock is unchanged.\n", strings.Join(parts, ", "))
		return
	}
	fmt.Fprintf(ios.Out, "\nApply: %s.\n", strings.Join(parts, ", "))
}

// describeOutcome returns the sign and the words of a key that succeeded,
// or "" for a key with nothing to say.
func describeOutcome(o reconcile.Outcome, dry bool) (sign, text string) {
	var words []string
	sign = "="
	for _, op := range o.Ops {
		switch op {
		case reconcile.OpCreate:
			sign = "+"
			words = append(words, tense(dry, "create", "created")+" "+idOr(o.ID, "a new agent"))
		case reconcile.OpReplay:
			sign = "+"
			words = append(words, tense(dry, "send the pending create again", "sent the pending create again (same idempotency key)")+idSuffix(o.ID))
		case reconcile.OpAdopt:
			words = append(words, tense(dry, "adopt", "adopted")+" "+o.ID+" (its pending create had reached the server)")
		case reconcile.OpUpdate:
			if sign == "=" {
				sign = "~"
			}
			words = append(words, tense(dry, "update", "updated")+" "+o.ID+fieldsOf(o))
		case reconcile.OpDelete:
			sign = "-"
			words = append(words, tense(dry, "delete", "deleted")+" "+o.ID)
		case reconcile.OpRefresh:
			words = append(words, tense(dry, "refresh the lock", "lock refreshed")+" (the live agent already matched the spec)")
		case reconcile.OpDropEntry:
			sign = "-"
			words = append(words, tense(dry, "drop the lock entry", "dropped from the lock")+" (its agent was already deleted)")
		case reconcile.OpKeep:
			words = append(words, tense(dry, "keep", "kept")+" "+idOr(o.ID, "the agent")+": its spec is gone (--prune deletes it)")
		}
	}
	return sign, strings.Join(words, ", then ")
}

func tense(dry bool, would, did string) string {
	if dry {
		return "would " + would
	}
	return did
}

func idOr(id, none string) string {
	if id == "" {
		return none
	}
	return id
}

func idSuffix(id string) string {
	if id == "" {
		return ""
	}
	return ": " + id
}

// fieldsOf lists the fields of o's patches: " (name, systemPrompt)".
func fieldsOf(o reconcile.Outcome) string {
	var fields []string
	for _, s := range o.Sent {
		if p, ok := s.(*agents.UpdateParams); ok {
			fields = append(fields, jsonKeys(p)...)
		}
	}
	if len(fields) == 0 {
		return ""
	}
	return " (" + strings.Join(fields, ", ") + ")"
}

// jsonKeys returns the keys of v's JSON object, in the order encoded.
func jsonKeys(v any) []string {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var keys []string
	if _, err := dec.Token(); err != nil {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// writeRequests writes the requests a dry run would send for o.
func writeRequests(w io.Writer, o reconcile.Outcome) {
	for _, s := range o.Sent {
		b, _ := json.Marshal(s)
		switch s.(type) {
		case *agents.CreateParams:
			fmt.Fprintf(w, "    POST /v1/agents %s\n", b)
		case *agents.UpdateParams:
			fmt.Fprintf(w, "    PATCH /v1/agents/%s %s\n", o.ID, b)
		}
	}
	for _, op := range o.Ops {
		if op == reconcile.OpDelete {
			fmt.Fprintf(w, "    DELETE /v1/agents/%s\n", o.ID)
		}
	}
}

// outcomeError words a key's failure with what to do next.
func outcomeError(o reconcile.Outcome, opts *ApplyOptions) string {
	msg := describeError(o.Err)
	switch {
	case errors.Is(o.Err, reconcile.ErrMissing):
		return msg + "\n    apply --recreate-missing creates it again"
	case errors.Is(o.Err, reconcile.ErrPendingAmbiguous):
		return msg + "\n    'talkifai import" + envFlag(opts.Deps.Env) + " " + o.Key + " ID' adopts the right one; 'talkifai agents delete ID' deletes each other"
	}
	return strings.ReplaceAll(msg, "\n", "\n  ")
}

func colorSign(cs *iostreams.ColorScheme, sign string) string {
	switch sign {
	case "+":
		return cs.Green(sign)
	case "-":
		return cs.Red(sign)
	case "~":
		return cs.Yellow(sign)
	}
	return cs.Gray(sign)
}

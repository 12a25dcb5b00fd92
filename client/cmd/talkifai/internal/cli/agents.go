package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// NewCmdAgents returns `talkifai agents` and its subcommands, the plain
// endpoints of the API.
func NewCmdAgents(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agents",
		Short: "List, show and delete agents directly (no spec, no lock)",
	}
	cmd.AddCommand(NewCmdAgentsList(f, nil), NewCmdAgentsGet(f, nil), NewCmdAgentsDelete(f, nil))
	return cmd
}

// outputFlag checks -o: "table" or "json".
func outputFlag(o string) error {
	if o != "table" && o != "json" {
		return fmt.Errorf("-o %q: want table or json", o)
	}
	return nil
}

// AgentsListOptions are the inputs of `agents list`.
type AgentsListOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	Mode   string
	Output string
}

// NewCmdAgentsList returns `agents list`. runF, when not nil, replaces the
// run function (for tests of flag parsing).
func NewCmdAgentsList(f *Factory, runF func(context.Context, *AgentsListOptions) error) *cobra.Command {
	opts := &AgentsListOptions{IO: f.IO, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every agent the key may see, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := outputFlag(opts.Output); err != nil {
				return usageError{cmd, err}
			}
			if opts.Mode != "" && !agents.Mode(opts.Mode).Valid() {
				return usageError{cmd, fmt.Errorf("--mode %q: want public, private or commercial", opts.Mode)}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return agentsListRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Mode, "mode", "", "only agents of this `MODE`: public, private or commercial")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output `FORMAT`: table or json")
	return cmd
}

func agentsListRun(ctx context.Context, opts *AgentsListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list := []agents.Summary{}
	for s, err := range c.Agents.All(ctx, client.AgentListParams{Mode: agents.Mode(opts.Mode), Limit: 100}) {
		if err != nil {
			return err
		}
		list = append(list, s)
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "no agents")
		return nil
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tARCHITECTURE\tMODE\tACTIVE\tCREATED")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%t\t%s\n", s.ID, s.Name, s.Architecture, s.Mode, s.Active, rules.FormatTime(s.CreatedAt))
	}
	return tw.Flush()
}

// AgentsGetOptions are the inputs of `agents get`.
type AgentsGetOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	ID     string
	Output string
}

// NewCmdAgentsGet returns `agents get ID`.
func NewCmdAgentsGet(f *Factory, runF func(context.Context, *AgentsGetOptions) error) *cobra.Command {
	opts := &AgentsGetOptions{IO: f.IO, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one agent",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag(opts.Output); err != nil {
				return usageError{cmd, err}
			}
			opts.ID = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return agentsGetRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output `FORMAT`: table or json")
	return cmd
}

func agentsGetRun(ctx context.Context, opts *AgentsGetOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	a, err := c.Agents.Get(ctx, opts.ID)
	if err != nil {
		return agentNotFound(opts.ID, err)
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, a)
	}
	return writeAgent(opts.IO.Out, a)
}

// writeAgent writes a as "field  value" lines, in the API's field names,
// leaving out fields the agent does not have.
func writeAgent(w io.Writer, a *agents.Agent) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("id", a.ID)
	row("name", a.Name)
	row("agentArchitecture", string(a.Architecture))
	row("model", a.Model)
	row("stt", a.STT)
	row("tts", a.TTS)
	row("realtimeProvider", a.RealtimeProvider)
	row("voiceId", a.VoiceID)
	row("language", a.Language)
	row("mode", string(a.Mode))
	row("active", strconv.FormatBool(a.Active))
	if a.Temperature != nil {
		row("temperature", strconv.FormatFloat(*a.Temperature, 'g', -1, 64))
	}
	row("enabledFunctions", strings.Join(a.EnabledFunctions, ", "))
	row("enabledCustomFunctions", strings.Join(a.EnabledCustomFunctions, ", "))
	row("createdAt", rules.FormatTime(a.CreatedAt))
	row("updatedAt", rules.FormatTime(a.UpdatedAt))
	if err := tw.Flush(); err != nil {
		return err
	}
	// The prompt last and whole: it is long and has line breaks.
	_, err := fmt.Fprintf(w, "systemPrompt:\n%s\n", indent(a.SystemPrompt, "  "))
	return err
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// AgentsDeleteOptions are the inputs of `agents delete`.
type AgentsDeleteOptions struct {
	IO     *iostreams.IOStreams
	Client func() (*client.Client, error)
	IDs    []string
	Output string
}

// NewCmdAgentsDelete returns `agents delete ID...`.
func NewCmdAgentsDelete(f *Factory, runF func(context.Context, *AgentsDeleteOptions) error) *cobra.Command {
	opts := &AgentsDeleteOptions{IO: f.IO, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete agents by id (a managed agent stays in the lock: plan will show it missing)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFlag(opts.Output); err != nil {
				return usageError{cmd, err}
			}
			opts.IDs = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return agentsDeleteRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output `FORMAT`: table or json")
	return cmd
}

// deleted is one id's outcome in `agents delete -o json`.
type deleted struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
	Error   string `json:"error,omitempty"` // why it was not deleted
}

// agentsDeleteRun deletes every id, goes on past failures, and reports
// each; it fails when any failed.
func agentsDeleteRun(ctx context.Context, opts *AgentsDeleteOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	failed := 0
	results := make([]deleted, 0, len(opts.IDs))
	for _, id := range opts.IDs {
		if err := c.Agents.Delete(ctx, id); err != nil {
			failed++
			err = agentNotFound(id, err)
			results = append(results, deleted{ID: id, Error: strings.TrimPrefix(err.Error(), "talkifai: ")})
			fmt.Fprintf(opts.IO.ErrOut, "talkifai: %s\n", describeError(err))
			continue
		}
		results = append(results, deleted{ID: id, Deleted: true})
		if opts.Output == "table" {
			fmt.Fprintf(opts.IO.Out, "deleted %s\n", id)
		}
	}
	if opts.Output == "json" {
		// One outcome per id, in argument order, failures included, so
		// that a script reads them all from one place.
		if err := writeJSON(opts.IO.Out, results); err != nil {
			return err
		}
	}
	if failed > 0 {
		return silentExit(ExitError)
	}
	return nil
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

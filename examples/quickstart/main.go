package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run connects to the real API when TALKIFAI_API_KEY is set, else to an
// embedded fake, and runs the lifecycle.
func run(ctx context.Context, out io.Writer) error {
	var c *client.Client
	var err error
	prefix := ""
	if os.Getenv("TALKIFAI_API_KEY") != "" {
		// client.New reads TALKIFAI_API_KEY and TALKIFAI_BASE_URL itself.
		c, err = client.New()
		prefix = "quickstart-" + rand.Text()[:8] + " "
		fmt.Fprintln(out, "Using the API at", baseURL())
	} else {
		srv := httptest.NewServer(fake.NewHandler())
		defer srv.Close()
		c, err = client.New(client.WithAPIKey(fake.KeyAcmeOwner), client.WithBaseURL(srv.URL))
		fmt.Fprintln(out, "Using the embedded fake at", srv.URL, "(set TALKIFAI_API_KEY to use the real API)")
	}
	if err != nil {
		return err
	}
	// Against the fake, small pages show the iterator fetching several; a
	// real organization may hold many agents, so it asks for full pages.
	pageSize := 2
	if prefix != "" {
		pageSize = 100
	}
	l := &lifecycle{c: c, out: out, prefix: prefix, pageSize: pageSize}
	defer l.cleanup(context.WithoutCancel(ctx))
	return l.run(ctx)
}

func baseURL() string {
	if u := os.Getenv("TALKIFAI_BASE_URL"); u != "" {
		return u
	}
	return "https://api.talkifai.dev"
}

// lifecycle remembers what it created, so that cleanup deletes it whatever
// happened in between.
type lifecycle struct {
	c        *client.Client
	out      io.Writer
	prefix   string
	pageSize int
	created  []*agents.Agent
}

func (l *lifecycle) step(n int, title string) {
	fmt.Fprintf(l.out, "\n%d. %s\n", n, title)
}

func (l *lifecycle) run(ctx context.Context) error {
	l.step(1, "Create one agent of each architecture")
	for _, p := range l.params() {
		a, err := l.c.Agents.Create(ctx, p)
		if err != nil {
			return fmt.Errorf("create %s agent: %w", p.Architecture.Or(""), err)
		}
		l.created = append(l.created, a)
		fmt.Fprintf(l.out, "   created %-9s %s  %q (mode %s, active %v)\n", a.Architecture, a.ID, a.Name, a.Mode, a.Active)
	}

	l.step(2, "Get the pipeline agent")
	first := l.created[0]
	a, err := l.c.Agents.Get(ctx, first.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(l.out, "   %s: model %s, stt %s, tts %s, language %s, functions %v\n", a.ID, a.Model, a.STT, a.TTS, a.Language, a.EnabledFunctions)

	l.step(3, "Activate it and change its prompt")
	a, err = l.c.Agents.Update(ctx, first.ID, agents.UpdateParams{
		Active:       agents.Value(true),
		SystemPrompt: agents.Value("You are Acme's support agent. Be brief and kind."),
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Fprintf(l.out, "   active %v, prompt %q\n", a.Active, a.SystemPrompt)

	l.step(4, "List them with the iterator (newest first)")
	mine := make(map[string]bool)
	for _, a := range l.created {
		mine[a.ID] = true
	}
	for s, err := range l.c.Agents.All(ctx, client.AgentListParams{Limit: l.pageSize}) {
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if mine[s.ID] {
			fmt.Fprintf(l.out, "   %s  %-9s %-8s active=%-5v %q\n", s.ID, s.Architecture, s.Mode, s.Active, s.Name)
		}
	}

	l.step(5, "A body with several mistakes: every failing field at once")
	_, err = l.c.Agents.Create(ctx, agents.CreateParams{
		Name:             agents.Value(l.prefix + strings.Repeat("x", 101)),
		Architecture:     agents.Value(agents.Pipeline),
		Model:            agents.Value(agents.ModelGPT4o),
		TTS:              agents.Value("eleven labs"),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		SystemPrompt:     agents.Value("You are helpful."),
		Temperature:      agents.Value(2.5),
	})
	var ve *agents.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("want a validation error, got %v", err)
	}
	for _, f := range ve.Fields {
		fmt.Fprintf(l.out, "   %-17s %-15s %s\n", f.Field, f.Code, f.Message)
	}

	l.step(6, "Delete them")
	for len(l.created) > 0 {
		a := l.created[0]
		if err := l.c.Agents.Delete(ctx, a.ID); err != nil {
			return fmt.Errorf("delete %s: %w", a.ID, err)
		}
		l.created = l.created[1:]
		fmt.Fprintf(l.out, "   deleted %s\n", a.ID)
	}
	_, err = l.c.Agents.Get(ctx, first.ID)
	fmt.Fprintf(l.out, "   get %s after delete: not found = %v\n", first.ID, errors.Is(err, client.ErrNotFound))
	fmt.Fprintln(l.out, "\nDone: the whole lifecycle worked.")
	return nil
}

// cleanup deletes whatever a failed run left behind.
func (l *lifecycle) cleanup(ctx context.Context) {
	for _, a := range l.created {
		if err := l.c.Agents.Delete(ctx, a.ID); err != nil && !errors.Is(err, client.ErrNotFound) {
			fmt.Fprintf(os.Stderr, "quickstart: could not delete %s: %v\n", a.ID, err)
		}
	}
}

// params are the three agents the quickstart creates.
func (l *lifecycle) params() []agents.CreateParams {
	return []agents.CreateParams{{
		Name:             agents.Value(l.prefix + "Support Bot"),
		Architecture:     agents.Value(agents.Pipeline),
		Model:            agents.Value(agents.ModelGPT4o),
		STT:              agents.Value(agents.STTDeepgram),
		TTS:              agents.Value(agents.TTSCartesia),
		VoiceID:          agents.Value("sonic-english-female"),
		SystemPrompt:     agents.Value("You are a helpful support agent for Acme."),
		Language:         agents.Value("en-US"),
		Temperature:      agents.Value(0.7),
		EnabledFunctions: agents.Value([]string{"web_search"}),
	}, {
		Name:             agents.Value(l.prefix + "Voice Concierge"),
		Architecture:     agents.Value(agents.Realtime),
		RealtimeProvider: agents.Value(agents.RealtimeOpenAI),
		VoiceID:          agents.Value("alloy"),
		SystemPrompt:     agents.Value("You greet callers and route them."),
		Mode:             agents.Value(agents.Public),
	}, {
		Name:         agents.Value(l.prefix + "Docs Helper"),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("Answer questions about our documentation."),
	}}
}

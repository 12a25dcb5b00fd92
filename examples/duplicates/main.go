package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/fake"
)

// creates is how many agents each client is asked to create; every other
// answer is lost.
const creates = 200

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "duplicates:", err)
		os.Exit(1)
	}
}

// result is what one client's run left behind.
type result struct {
	name     string
	errors   int // creates that returned an error to the caller
	stored   int // agents in the store afterwards
	attempts int // POSTs the server received
}

func run(ctx context.Context, out io.Writer) error {
	var results []result
	for _, c := range []struct {
		name   string
		create func(*fake.Server) (createFunc, error)
	}{
		{"naive retries (go-retryablehttp defaults)", naive},
		{"talkifai client, default", talkifai()},
		{"talkifai client, WithPOSTRetries", talkifai(client.WithPOSTRetries())},
	} {
		r, err := measure(ctx, c.name, c.create)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	fmt.Fprintf(out, "%d creates; the answers of %d were lost after the agent was stored.\n\n", creates, creates/2)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "client\tPOSTs sent\terrors returned\tagents stored\tduplicates")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", r.name, r.attempts, r.errors, r.stored, r.stored-creates)
	}
	return tw.Flush()
}

// createFunc creates the agent named name, as one caller's call.
type createFunc func(ctx context.Context, name string) error

// measure runs the creates through one client against a fresh fake.
func measure(ctx context.Context, name string, newCreate func(*fake.Server) (createFunc, error)) (result, error) {
	srv := fake.NewHandler()
	r := result{name: name}
	create, err := newCreate(srv)
	if err != nil {
		return r, err
	}
	for i := range creates {
		var err error
		switch i % 4 {
		case 1:
			err = control(srv, http.MethodPost, "/_fake/faults", `{"method":"POST","path":"/v1/agents","status":502,"after":true,"times":1}`, nil)
		case 3:
			err = control(srv, http.MethodPost, "/_fake/faults", `{"method":"POST","path":"/v1/agents","disconnect":true,"after":true,"times":1}`, nil)
		}
		if err != nil {
			return r, err
		}
		if err := create(ctx, fmt.Sprintf("agent %03d", i)); err != nil {
			r.errors++
		}
	}
	var list struct{ Pagination struct{ Total int } }
	if err := control(srv, http.MethodGet, "/v1/agents?limit=1", "", &list); err != nil {
		return r, err
	}
	r.stored = list.Pagination.Total
	r.attempts = len(srv.Requests().Method(http.MethodPost))
	return r, nil
}

// control sends one request as the owner of org_acme to srv, in process,
// and decodes its answer into out, if not nil. A program has no test for
// the fake's test helpers to fail, so it adds faults over HTTP, as a test
// in another language would, and gets an error back.
func control(srv *fake.Server, method, path, body string, out any) error {
	req, err := http.NewRequest(method, "http://fake"+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// talkifai returns the module's client with opts, waiting 1 ms between
// retries so that the measurement does not idle.
func talkifai(opts ...client.Option) func(*fake.Server) (createFunc, error) {
	return func(srv *fake.Server) (createFunc, error) {
		all := append([]client.Option{
			client.WithAPIKey(fake.KeyAcmeOwner),
			client.WithBaseURL("http://localhost"),
			client.WithHTTPClient(srv.HTTPClient()),
			client.WithRetryWait(time.Millisecond, time.Millisecond),
		}, opts...)
		c, err := client.New(all...)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, name string) error {
			_, err := c.Agents.Create(ctx, params(name))
			return err
		}, nil
	}
}

// naive is what a hand-rolled client on go-retryablehttp's defaults does.
func naive(srv *fake.Server) (createFunc, error) {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = srv.HTTPClient()
	rc.Logger = nil
	rc.RetryWaitMin, rc.RetryWaitMax = time.Millisecond, time.Millisecond
	return func(ctx context.Context, name string) error {
		body, err := json.Marshal(params(name))
		if err != nil {
			return err
		}
		req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, "http://fake/v1/agents", body)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+fake.KeyAcmeOwner)
		req.Header.Set("Content-Type", "application/json")
		resp, err := rc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}, nil
}

func params(name string) agents.CreateParams {
	return agents.CreateParams{
		Name:         agents.Value(name),
		Architecture: agents.Value(agents.Text),
		Model:        agents.Value(agents.ModelGPT4oMini),
		SystemPrompt: agents.Value("You chat."),
	}
}

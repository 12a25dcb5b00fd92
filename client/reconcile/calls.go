package reconcile

import (
	"context"
	"errors"
	"net/http"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/client"
)

// Every request the engine sends goes through this file, so that how the
// client is called is in one place.

// api is the engine's view of the Agents API.
type api struct {
	c *client.Client
}

func (a api) get(ctx context.Context, id string) (*agents.Agent, error) {
	return a.c.Agents.Get(ctx, id)
}

// create sends p with key as its Idempotency-Key.
func (a api) create(ctx context.Context, p agents.CreateParams, key string) (*agents.Agent, error) {
	return a.c.Agents.Create(ctx, p, client.WithIdempotencyKey(key))
}

func (a api) update(ctx context.Context, id string, p agents.UpdateParams) (*agents.Agent, error) {
	return a.c.Agents.Update(ctx, id, p)
}

// delete deletes id; an agent already gone counts as deleted.
func (a api) delete(ctx context.Context, id string) error {
	err := a.c.Agents.Delete(ctx, id)
	if errors.Is(err, client.ErrNotFound) {
		return nil
	}
	return err
}

// list returns every agent the caller may see, newest first.
func (a api) list(ctx context.Context) ([]agents.Summary, error) {
	var out []agents.Summary
	for s, err := range a.c.Agents.All(ctx, client.AgentListParams{Limit: 100}) {
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// isNotFound reports whether err is the API's 404.
func isNotFound(err error) bool { return errors.Is(err, client.ErrNotFound) }

// refused reports whether err says for sure that a create made no agent:
// the client refused it before sending, or the server answered a 4xx that
// it gives before or instead of storing (not 408, not an idempotency
// conflict, which says an earlier request with the key may have).
func refused(err error) bool {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		s := apiErr.StatusCode
		return s >= 400 && s < 500 && s != http.StatusRequestTimeout && s != http.StatusConflict
	}
	var ve *agents.ValidationError
	return errors.As(err, &ve) || errors.Is(err, client.ErrInvalidParameter)
}

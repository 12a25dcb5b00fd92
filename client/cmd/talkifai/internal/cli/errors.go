package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/talkifai-go/talkifai/client"
)

// describeError words err for people, with what to do next where the
// error says enough to know it.
func describeError(err error) string {
	msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "talkifai: "), "reconcile: ", "")
	var apiErr *client.APIError
	switch {
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, client.ErrUnauthorized):
		return msg + "\n  check TALKIFAI_API_KEY: the server does not accept this key"
	case errors.Is(err, client.ErrForbidden):
		return msg + "\n  this key's role may not do this: use a key of an owner or admin of the organization"
	case errors.Is(err, client.ErrRateLimited):
		return msg + "\n  the organization's rate limit was reached: wait a minute and run again"
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
		return msg + "\n  the server failed (after retries): run again later; what succeeded is recorded"
	}
	return msg
}

// agentNotFound words a 404 on an agent id.
func agentNotFound(id string, err error) error {
	if errors.Is(err, client.ErrNotFound) {
		return fmt.Errorf("no agent %s: it does not exist, or this key may not see it (check the id and TALKIFAI_BASE_URL)", id)
	}
	return err
}

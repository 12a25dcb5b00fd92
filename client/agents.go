package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// AgentsService is the agents resource of the API: the five endpoints under
// /v1/agents. Reach it as Client.Agents.
type AgentsService struct {
	c *Client
}

// ListParams selects a page of agents. Zero values are left out of the
// query, so the server's defaults apply (every mode, page 1, 20 per page).
type ListParams struct {
	// Mode filters by mode; "" lists every mode the caller may see.
	Mode agents.Mode
	// Page is the page number, from 1.
	Page int
	// Limit is the page size; the server serves more than 100 as 100.
	Limit int
}

// Page is one page of agents with its place in the whole list.
type Page struct {
	Agents  []agents.Summary // newest first
	Page    int              // this page's number, from 1
	Limit   int              // the page size the server used
	Total   int              // agents matching the filter that the caller may see
	HasNext bool             // a later page has agents
	HasPrev bool             // this is not page 1
}

// checkID refuses an id that cannot name an agent: empty, or a dot segment
// that a proxy could resolve to another path.
func checkID(id string) error {
	if id == "" || id == "." || id == ".." {
		return fmt.Errorf("client: %w: agent id %q", ErrInvalidParameter, id)
	}
	return nil
}

// List returns one page of the agents the caller may see, newest first.
// It fails without sending anything when p has a negative Page or Limit or
// an unknown Mode (the error wraps ErrInvalidParameter). Otherwise it fails
// as every call does: an *APIError for an error answer, the context's error
// when ctx ends, a transport error wrapped with method and path.
func (s *AgentsService) List(ctx context.Context, p ListParams) (*Page, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	var env wire.ListResponse[agents.Summary]
	if err := s.c.do(ctx, http.MethodGet, wire.AgentsPath, q, nil, &env); err != nil {
		return nil, err
	}
	pg := env.Pagination
	return &Page{Agents: env.Data, Page: pg.Page, Limit: pg.Limit, Total: pg.Total, HasNext: pg.HasNext, HasPrev: pg.HasPrev}, nil
}

// query encodes p, leaving zero values out, or fails for values the server
// must refuse.
func (p ListParams) query() (string, error) {
	switch {
	case p.Page < 0:
		return "", fmt.Errorf("client: list: %w: page %d is below 1", ErrInvalidParameter, p.Page)
	case p.Limit < 0:
		return "", fmt.Errorf("client: list: %w: limit %d is below 1", ErrInvalidParameter, p.Limit)
	case p.Mode != "" && !p.Mode.Valid():
		return "", fmt.Errorf("client: list: %w: unknown mode %q", ErrInvalidParameter, p.Mode)
	}
	q := url.Values{}
	if p.Mode != "" {
		q.Set(wire.QueryMode, string(p.Mode))
	}
	if p.Page > 0 {
		q.Set(wire.QueryPage, strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set(wire.QueryLimit, strconv.Itoa(p.Limit))
	}
	return q.Encode(), nil
}

// Create creates an agent and returns it.
//
// p is validated first; when it is invalid, Create returns the
// *agents.ValidationError of [agents.CreateParams.Validate] and sends
// nothing. Otherwise it fails as [AgentsService.List] does.
//
// The API's create response carries only id, name, agentArchitecture,
// active and createdAt. Create fills every other field from p, with the
// create defaults for what p leaves out (mode private, language en, empty
// function lists), and sets UpdatedAt to CreatedAt as the API does on
// creation. Call Get for the stored agent as the server has it.
//
// The POST carries an Idempotency-Key, random unless ctx has one from
// [WithIdempotencyKey] (refused without sending when malformed, with an
// error matching ErrInvalidParameter); see [WithPOSTRetries] for when it is
// retried.
func (s *AgentsService) Create(ctx context.Context, p agents.CreateParams) (*agents.Agent, error) {
	if key, ok := idempotencyKey(ctx); ok {
		if err := checkIdempotencyKey(key); err != nil {
			return nil, err
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var env wire.Response[wire.Created]
	if err := s.c.do(ctx, http.MethodPost, wire.AgentsPath, "", p, &env); err != nil {
		return nil, err
	}
	cr := env.Data
	a := domain.NewAgent(p, cr.ID, cr.CreatedAt)
	a.Name, a.Architecture, a.Active = cr.Name, cr.Architecture, cr.Active
	return &a, nil
}

// Get returns the agent with the given id, or an error matching ErrNotFound
// when there is none the caller may see. An id that cannot name an agent
// ("", "." or "..") is refused without sending, with an error matching
// ErrInvalidParameter. Otherwise it fails as [AgentsService.List] does.
func (s *AgentsService) Get(ctx context.Context, id string) (*agents.Agent, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	var env wire.Response[agents.Agent]
	if err := s.c.do(ctx, http.MethodGet, agentPath(id), "", nil, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Update applies p to the agent as a JSON merge patch and returns the agent
// as the server stored it.
//
// Before sending, Update refuses what [agents.UpdateParams.Validate] finds
// wrong with p whatever the stored agent is (value rules, null on a field
// that always has a value, the new architecture's table). Failures are an
// *agents.ValidationError, as from [agents.UpdateParams.Apply], and nothing
// is sent. What depends on the stored agent is the server's to judge: its
// refusal is an *APIError matching ErrValidation. Ids are refused as by
// [AgentsService.Get], and other failures are as for [AgentsService.List].
func (s *AgentsService) Update(ctx context.Context, id string, p agents.UpdateParams) (*agents.Agent, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var env wire.Response[agents.Agent]
	if err := s.c.do(ctx, http.MethodPatch, agentPath(id), "", p, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Delete deletes the agent with the given id. A DELETE that was retried
// and then answered 404 counts as success: an earlier attempt (one whose
// connection was lost after sending, or that got a 5xx) deleted the agent
// and its answer was lost. Otherwise an absent agent is an error matching
// ErrNotFound; so is a 404 after retries that only met 429s or failed
// dials, since those attempts never reached the agent. Ids are refused as
// by [AgentsService.Get], and other failures are as for [AgentsService.List].
func (s *AgentsService) Delete(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	return s.c.do(ctx, http.MethodDelete, agentPath(id), "", nil, nil)
}

// agentPath is the path of one agent, its id escaped as one path segment.
func agentPath(id string) string {
	return wire.AgentsPath + "/" + url.PathEscape(id)
}

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
//
// Every method takes [Option]s after its own arguments, for that call only:
// a timeout, a retry count, a header, another API key, where to put the
// [Response], and for Create an idempotency key. An option that means
// nothing for the method fails the call before sending, with an error
// matching [ErrInvalidOption].
type AgentsService struct {
	s *state
}

// AgentListParams selects a page of agents. Zero values are left out of the
// query, so the server's defaults apply (every mode, page 1, 20 per page).
type AgentListParams struct {
	// Mode filters by mode; "" lists every mode the caller may see.
	Mode agents.Mode
	// Page is the page number, from 1.
	Page int
	// Limit is the page size; the server serves more than 100 as 100.
	Limit int
}

// AgentPage is one page of agents with its place in the whole list.
type AgentPage struct {
	Agents  []agents.Summary // newest first
	Number  int              // this page's number, from 1
	Limit   int              // the page size the server used
	Total   int              // agents matching the filter that the caller may see
	HasNext bool             // a later page has agents
	HasPrev bool             // this is not page 1
}

// checkID refuses an id that cannot name an agent: empty, or a dot segment
// that a proxy could resolve to another path.
func checkID(id string) error {
	if id == "" || id == "." || id == ".." {
		return fmt.Errorf("%w: agent id %q", ErrInvalidParameter, id)
	}
	return nil
}

// List returns one page of the agents the caller may see, newest first.
// It fails without sending anything when p has a negative Page or Limit or
// an unknown Mode (the error wraps ErrInvalidParameter), or an option does
// not apply ([ErrInvalidOption]). Otherwise it fails as every call does:
// an error wrapping the *APIError of an error answer, the context's error
// when ctx (or [WithTimeout]) ends, a transport error.
func (s *AgentsService) List(ctx context.Context, p AgentListParams, opts ...Option) (*AgentPage, error) {
	st, err := s.s.newCall(onList, http.MethodGet, wire.AgentsPath, opts)
	if err != nil {
		return nil, err
	}
	return st.list(ctx, p)
}

// list sends one List call.
func (st *call) list(ctx context.Context, p AgentListParams) (*AgentPage, error) {
	q, err := p.query()
	if err != nil {
		return nil, st.errorf(err)
	}
	var env wire.ListResponse[agents.Summary]
	if err := st.do(ctx, q, nil, &env); err != nil {
		return nil, err
	}
	pg := env.Pagination
	return &AgentPage{Agents: env.Data, Number: pg.Page, Limit: pg.Limit, Total: pg.Total, HasNext: pg.HasNext, HasPrev: pg.HasPrev}, nil
}

// query encodes p, leaving zero values out, or fails for values the server
// must refuse.
func (p AgentListParams) query() (string, error) {
	switch {
	case p.Page < 0:
		return "", fmt.Errorf("%w: page %d is below 1", ErrInvalidParameter, p.Page)
	case p.Limit < 0:
		return "", fmt.Errorf("%w: limit %d is below 1", ErrInvalidParameter, p.Limit)
	case p.Mode != "" && !p.Mode.Valid():
		return "", fmt.Errorf("%w: unknown mode %q", ErrInvalidParameter, p.Mode)
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
// p is validated first (unless [WithValidation](false)); when it is
// invalid, Create returns an error wrapping the *agents.ValidationError of
// [agents.CreateParams.Validate], and matching [ErrValidation] as the
// server's refusal would, and sends nothing. Otherwise it fails as
// [AgentsService.List] does.
//
// The API's create response carries only id, name, agentArchitecture,
// active and createdAt. Create fills every other field from p, with the
// create defaults for what p leaves out (mode private, language en, empty
// function lists), and sets UpdatedAt to CreatedAt as the API does on
// creation. Call Get for the stored agent as the server has it.
//
// The POST carries an Idempotency-Key, random unless [WithIdempotencyKey]
// gives one; see [WithPOSTRetries] for when it is retried.
func (s *AgentsService) Create(ctx context.Context, p agents.CreateParams, opts ...Option) (*agents.Agent, error) {
	st, err := s.s.newCall(onCreate, http.MethodPost, wire.AgentsPath, opts)
	if err != nil {
		return nil, err
	}
	if st.cfg.validate {
		if err := checkBody(p.Validate); err != nil {
			return nil, st.errorf(err)
		}
	}
	var env wire.Response[wire.Created]
	if err := st.do(ctx, "", p, &env); err != nil {
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
func (s *AgentsService) Get(ctx context.Context, id string, opts ...Option) (*agents.Agent, error) {
	st, err := s.s.newCall(onGet, http.MethodGet, agentPath(id), opts)
	if err != nil {
		return nil, err
	}
	if err := checkID(id); err != nil {
		return nil, st.errorf(err)
	}
	var env wire.Response[agents.Agent]
	if err := st.do(ctx, "", nil, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Update applies p to the agent as a JSON merge patch and returns the agent
// as the server stored it.
//
// Before sending (unless [WithValidation](false)), Update refuses what
// [agents.UpdateParams.Validate] finds wrong with p whatever the stored agent
// is (value rules, null on a field that always has a value, the new
// architecture's table), with an error wrapping the
// *agents.ValidationError and matching [ErrValidation], and sends nothing.
// What depends on the stored agent is the server's to judge: its refusal
// is an *APIError matching ErrValidation. Ids are refused as by
// [AgentsService.Get], and other failures are as for [AgentsService.List].
func (s *AgentsService) Update(ctx context.Context, id string, p agents.UpdateParams, opts ...Option) (*agents.Agent, error) {
	st, err := s.s.newCall(onUpdate, http.MethodPatch, agentPath(id), opts)
	if err != nil {
		return nil, err
	}
	if err := checkID(id); err != nil {
		return nil, st.errorf(err)
	}
	if st.cfg.validate {
		if err := checkBody(p.Validate); err != nil {
			return nil, st.errorf(err)
		}
	}
	var env wire.Response[agents.Agent]
	if err := st.do(ctx, "", p, &env); err != nil {
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
func (s *AgentsService) Delete(ctx context.Context, id string, opts ...Option) error {
	st, err := s.s.newCall(onDelete, http.MethodDelete, agentPath(id), opts)
	if err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return st.errorf(err)
	}
	return st.do(ctx, "", nil, nil)
}

// agentPath is the path of one agent, its id escaped as one path segment.
func agentPath(id string) string {
	return wire.AgentsPath + "/" + url.PathEscape(id)
}

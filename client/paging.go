package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// All returns an iterator over every agent that List(ctx, p) and the pages
// after it hold, newest first, starting at p.Page (page 1 when 0).
//
// It fetches a page only when the loop needs its first item, so a loop that
// breaks after three items costs one request. It never yields the same id
// twice: agents created while it runs push older ones onto later pages,
// where they would otherwise come round again. It stops after the last
// page, or with one error as its last item: a failed List, an option that
// does not apply, or a server that answers a page other than the one asked
// for (which would loop forever).
//
// opts apply to each page's call: [WithTimeout] bounds each page, not the
// whole loop (the context does that), and [WithResponse] is filled after
// every page, so that it describes the last page fetched.
func (s *AgentsService) All(ctx context.Context, p AgentListParams, opts ...Option) iter.Seq2[agents.Summary, error] {
	return func(yield func(agents.Summary, error) bool) {
		seen := make(map[string]struct{})
		q := p // a copy: the caller's params are not changed
		q.Page = max(q.Page, 1)
		for {
			page, err := s.page(ctx, q, opts)
			if err != nil {
				yield(agents.Summary{}, err)
				return
			}
			for _, a := range page.Agents {
				if _, dup := seen[a.ID]; dup {
					continue
				}
				seen[a.ID] = struct{}{}
				if !yield(a, nil) {
					return
				}
			}
			if !page.HasNext || len(page.Agents) == 0 {
				return
			}
			q.Page++
		}
	}
}

// page fetches page q.Page for All, refusing an answer for another page.
func (s *AgentsService) page(ctx context.Context, q AgentListParams, opts []Option) (*AgentPage, error) {
	st, err := s.s.newCall(onList, http.MethodGet, wire.AgentsPath, opts)
	if err != nil {
		return nil, err
	}
	page, err := st.list(ctx, q)
	if err == nil && page.Number != q.Page {
		err = st.errorf(fmt.Errorf("asked for page %d, the server answered page %d", q.Page, page.Number))
	}
	return page, err
}

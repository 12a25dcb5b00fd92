package fake

import (
	"encoding/json"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/fake/internal/store"
)

// newRecord encodes a into a store record owned by user owner of org.
func newRecord(a agents.Agent, org, owner string) (*store.Record, error) {
	c, err := encodeContent(a)
	if err != nil {
		return nil, err
	}
	return &store.Record{
		ID: a.ID, Org: org, Owner: owner, Created: a.CreatedAt.UnixMilli(),
		Mode: c.Mode, Full: c.Full, Summary: c.Summary,
	}, nil
}

// encodeContent encodes a as the store keeps it: the JSON of GET and of a
// list item.
func encodeContent(a agents.Agent) (store.Content, error) {
	// The MarshalJSON methods directly: json.Marshal would scan and copy
	// their output once more, for the same bytes.
	full, err := a.MarshalJSON()
	if err != nil {
		return store.Content{}, err
	}
	summary, err := a.Summary().MarshalJSON()
	if err != nil {
		return store.Content{}, err
	}
	return store.Content{Mode: a.Mode, Full: full, Summary: summary}, nil
}

// decodeAgent decodes a stored agent's JSON.
func decodeAgent(full []byte) (agents.Agent, error) {
	var a agents.Agent
	err := json.Unmarshal(full, &a)
	return a, err
}

// stamp returns t as the store keeps timestamps: UTC, whole milliseconds,
// exactly what the JSON carries.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

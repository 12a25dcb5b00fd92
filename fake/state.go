package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// stateVersion is the version of the state format written by WriteState.
const stateVersion = 1

// state is the saved form of the store: every agent with its organization
// and owner, in creation order.
type state struct {
	Version int          `json:"version"`
	Agents  []savedAgent `json:"agents"`
}

type savedAgent struct {
	Org   string          `json:"org"`
	Owner string          `json:"owner"`
	Agent json.RawMessage `json:"agent"`
}

// WriteState writes every agent of every organization to w as one JSON
// document that [Server.ReadState] reads back: the standalone fake's
// -state file. Agents keep their ids, timestamps, organization, owner and
// list order. It returns w's error.
func (s *Server) WriteState(w io.Writer) error {
	recs := s.store.created()
	st := state{Version: stateVersion, Agents: make([]savedAgent, len(recs))}
	for i, r := range recs {
		st.Agents[i] = savedAgent{Org: r.org, Owner: r.owner, Agent: r.full}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(st)
}

// ReadState replaces every agent by those of a document written by
// [Server.WriteState]. It returns an error, and changes nothing, when the
// document is not such a state: malformed JSON, an unknown version or
// member, an agent that breaks the API's rules, or an id given twice. The
// journal, faults, idempotency memory and rate limits are left as they
// are.
func (s *Server) ReadState(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var st state
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("fake: state: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("fake: state: data after the document")
	}
	if st.Version != stateVersion {
		return fmt.Errorf("fake: state: version %d, want %d", st.Version, stateVersion)
	}
	fresh := newStore()
	for i, sa := range st.Agents {
		rec, id, err := loadAgent(sa)
		if err != nil {
			return fmt.Errorf("fake: state: agent %d: %w", i, err)
		}
		if !fresh.insertLocked(rec, id) {
			return fmt.Errorf("fake: state: agent %d: id %s is given twice", i, id)
		}
	}
	s.store.replace(fresh)
	return nil
}

// loadAgent checks one saved agent against the API's rules and makes its
// record.
func loadAgent(sa savedAgent) (*record, string, error) {
	if sa.Org == "" || sa.Owner == "" {
		return nil, "", errors.New("org and owner must be set")
	}
	dec := json.NewDecoder(bytes.NewReader(sa.Agent))
	dec.DisallowUnknownFields()
	var a agents.Agent
	if err := dec.Decode(&a); err != nil {
		return nil, "", err
	}
	switch {
	case !agents.ValidID(a.ID):
		return nil, "", fmt.Errorf("id %q is not agent_ and 1-64 letters or digits", truncate(a.ID, 80))
	case a.CreatedAt.IsZero() || a.UpdatedAt.Before(a.CreatedAt):
		return nil, "", fmt.Errorf("%s: createdAt must be set and updatedAt not before it", a.ID)
	}
	a.CreatedAt, a.UpdatedAt = stamp(a.CreatedAt), stamp(a.UpdatedAt)
	if err := validate.Create(writable(a)); err != nil {
		return nil, "", fmt.Errorf("%s: %w", a.ID, err)
	}
	rec, err := newRecord(a, sa.Org, sa.Owner)
	return rec, a.ID, err
}

// writable returns a's writable fields as a create body, so that the
// create rules judge a loaded agent.
func writable(a agents.Agent) []byte {
	b, err := json.Marshal(a)
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil { // an Agent always encodes
		panic(err)
	}
	delete(m, "id")
	delete(m, "createdAt")
	delete(m, "updatedAt")
	b, err = json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

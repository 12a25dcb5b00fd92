package fake

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/fake/internal/store"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// stateVersion is the version of the state format written by WriteState.
const stateVersion = 1

// The saved form of the store is one JSON document, {"version":1,
// "agents":[...]}: every agent with its organization and owner, in
// creation order. It is written and read one agent at a time, so that
// neither a save nor a load holds a second copy of the whole store.

// savedAgent is one agent of a state document.
type savedAgent struct {
	Org   string          `json:"org"`
	Owner string          `json:"owner"`
	Agent json.RawMessage `json:"agent"`
}

// WriteState writes every agent of every organization but the tenants'
// to w as one JSON document that [Server.ReadState] reads back: the
// standalone fake's -state file. Agents keep their ids, timestamps, organization, owner and
// list order. It returns w's error.
func (s *Server) WriteState(w io.Writer) error {
	recs := slices.DeleteFunc(s.store.Created(), func(r store.Record) bool {
		o := s.keys.org(r.Org)
		return o != nil && o.tenant != nil // a tenant lives as long as the process, no longer
	})
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n  \"version\": %d,\n  \"agents\": [", stateVersion)
	for i, r := range recs {
		b, err := json.MarshalIndent(savedAgent{Org: r.Org, Owner: r.Owner, Agent: r.Full}, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if len(recs) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// ReadState replaces every agent by those of a document written by
// [Server.WriteState]. It returns an error, and changes nothing, when the
// document is not such a state: malformed JSON, an unknown version or
// member, an agent that breaks the API's rules, or an id given twice. The
// journal, faults, idempotency memory and rate limits are left as they
// are.
func (s *Server) ReadState(r io.Reader) error {
	recs, err := readState(r)
	if err != nil {
		return fmt.Errorf("fake: state: %w", err)
	}
	if i := s.store.Load(recs); i >= 0 {
		return fmt.Errorf("fake: state: agent %d: id %s is given twice", i, recs[i].ID)
	}
	return nil
}

// readState decodes a state document into records, one agent at a time.
func readState(r io.Reader) ([]*store.Record, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, cmp.Or(err, errors.New("the document is not a JSON object"))
	}
	version := 0
	var recs []*store.Record
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		switch key, _ := tok.(string); key {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return nil, unexpectedEOF(err)
			}
			if version != stateVersion {
				return nil, fmt.Errorf("version %d, want %d", version, stateVersion)
			}
		case "agents":
			if recs, err = readAgents(dec); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("json: unknown field %q", key)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the document")
	}
	if version != stateVersion {
		return nil, fmt.Errorf("version %d, want %d", version, stateVersion)
	}
	return recs, nil
}

// loadedAgent is one agent of a state document as read: decoded at once
// into an Agent, so that the document is scanned once.
type loadedAgent struct {
	Org   string       `json:"org"`
	Owner string       `json:"owner"`
	Agent agents.Agent `json:"agent"`
}

// readAgents decodes the "agents" array of a state document. The decoder
// refuses unknown members, the agent's included.
func readAgents(dec *json.Decoder) ([]*store.Record, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	var recs []*store.Record
	for i := 0; dec.More(); i++ {
		var la loadedAgent
		if err := dec.Decode(&la); err != nil {
			return nil, fmt.Errorf("agent %d: %w", i, unexpectedEOF(err))
		}
		rec, err := loadAgent(la)
		if err != nil {
			return nil, fmt.Errorf("agent %d: %w", i, err)
		}
		recs = append(recs, rec)
	}
	return recs, expectDelim(dec, ']')
}

// expectDelim reads the next token and fails unless it is d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return unexpectedEOF(err)
	}
	if tok != d {
		return fmt.Errorf("found %v where %q was due", tok, string(d))
	}
	return nil
}

// unexpectedEOF names the end of the input inside the document as such.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// loadAgent checks one saved agent against the API's rules and makes its
// record. The agent is judged as a create body of its writable fields, by
// package agents: the agreement of agents and validate (a test of package
// validate) makes that the same judgement as POST /v1/agents, at a small
// part of the cost, so that loading a large state takes about as long as
// saving it.
func loadAgent(la loadedAgent) (*store.Record, error) {
	a := la.Agent
	switch {
	case la.Org == "" || la.Owner == "":
		return nil, errors.New("org and owner must be set")
	case !rules.ValidID(a.ID):
		return nil, fmt.Errorf("id %q is not agent_ and 1-64 letters or digits", truncate(a.ID, 80))
	case a.CreatedAt.IsZero() || a.UpdatedAt.Before(a.CreatedAt):
		return nil, fmt.Errorf("%s: createdAt must be set and updatedAt not before it", a.ID)
	}
	if err := domain.Draft(a).Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", a.ID, err)
	}
	a.CreatedAt, a.UpdatedAt = stamp(a.CreatedAt), stamp(a.UpdatedAt)
	return newRecord(a, la.Org, la.Owner)
}

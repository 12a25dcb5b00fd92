package fake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/fake/internal/store"
	"github.com/talkifai-go/talkifai/internal/domain"
	"github.com/talkifai-go/talkifai/internal/rules"
	"github.com/talkifai-go/talkifai/internal/wire"
	"github.com/talkifai-go/talkifai/validate"
)

// The five /v1/agents endpoints. Each checks permissions before fields,
// and takes its field rules from package validate and package agents,
// never from a copy here.

// listAgents serves GET /v1/agents.
func (s *Server) listAgents(w http.ResponseWriter, r *http.Request, p *principal) {
	q, err := parseListQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, err)
		return
	}
	offset := math.MaxInt // a page so far out that it is past any end
	if q.page-1 <= math.MaxInt/q.limit {
		offset = (q.page - 1) * q.limit
	}
	v := store.View{Org: p.org, Mode: q.mode, Elevated: p.elevated()}
	if !v.Elevated {
		v.Member = p.user
	}
	items, total := s.store.List(v, offset, q.limit)
	pg := wire.Pagination{Page: q.page, Limit: q.limit, Total: total, HasPrev: true}
	if offset < math.MaxInt {
		pg = wire.NewPagination(q.page, q.limit, total)
	}
	writeJSON(w, http.StatusOK, listEnvelope(items, pg))
}

// listQuery is the parsed query of GET /v1/agents.
type listQuery struct {
	mode        agents.Mode // "" for all
	page, limit int
}

// parseListQuery reads mode, page and limit from a raw query string, and
// ignores every other parameter. A limit above wire.MaxLimit is served as
// wire.MaxLimit. A parameter given more than once is judged each time, and
// its first value is used.
//
// It splits the query itself, on "&" and then on the first "=", because
// url.ParseQuery silently drops the pairs it cannot unescape or that hold
// a ";": "?limit=0%zz" or "?page=0;x" would be served with the defaults
// instead of 400. Here ";" is an ordinary character, which no valid value
// holds, and a known parameter that cannot be unescaped is 400. A name
// that cannot be unescaped names no known parameter, so it is ignored.
func parseListQuery(raw string) (listQuery, *apiError) {
	var q listQuery
	for pair := range strings.SplitSeq(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || (name != wire.QueryMode && name != wire.QueryPage && name != wire.QueryLimit) {
			continue
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return q, errorCode(http.StatusBadRequest, wire.CodeInvalidParameter, "%s is not percent-encoded correctly", name)
		}
		if err := q.set(name, value); err != nil {
			return q, err
		}
	}
	q.page = cmp.Or(q.page, 1)
	q.limit = min(cmp.Or(q.limit, wire.DefaultLimit), wire.MaxLimit)
	return q, nil
}

// set judges one value of the known parameter name and keeps it unless
// the parameter already has one. No valid value is zero, so zero means
// "not given yet".
func (q *listQuery) set(name, value string) *apiError {
	if name == wire.QueryMode {
		m := agents.Mode(value)
		if !m.Valid() {
			return errorCode(http.StatusBadRequest, wire.CodeInvalidParameter, "mode must be one of public, private, commercial")
		}
		q.mode = cmp.Or(q.mode, m)
		return nil
	}
	n, err := positive(name, value)
	if err != nil {
		return err
	}
	if name == wire.QueryPage {
		q.page = cmp.Or(q.page, n)
	} else {
		q.limit = cmp.Or(q.limit, n)
	}
	return nil
}

// positive parses a decimal integer of at least 1. Values too large for an
// int are taken as math.MaxInt: they are integers all the same, and a page
// that far is simply past the end.
func positive(name, s string) (int, *apiError) {
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			n = 0
			break
		}
		if n > (math.MaxInt-9)/10 {
			n = math.MaxInt
		} else {
			n = n*10 + int(c-'0')
		}
	}
	if n < 1 {
		return 0, errorCode(http.StatusBadRequest, wire.CodeInvalidParameter, "%s must be an integer of at least 1", name)
	}
	return n, nil
}

// listEnvelope writes a list page around list items that are already
// encoded.
func listEnvelope(items [][]byte, pg wire.Pagination) []byte {
	pj, err := json.Marshal(pg)
	if err != nil { // five numbers and booleans: cannot fail
		panic(err)
	}
	var b bytes.Buffer
	b.WriteString(`{"success":true,"data":[`)
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteString(`],"pagination":`)
	b.Write(pj)
	b.WriteByte('}')
	return b.Bytes()
}

// createAgent serves POST /v1/agents.
func (s *Server) createAgent(w http.ResponseWriter, r *http.Request, p *principal, body []byte) {
	if err := checkBody(r, body, false); err != nil {
		writeError(w, err)
		return
	}
	a, err := s.create(p, body)
	if err != nil {
		writeError(w, err)
		return
	}
	writeData(w, http.StatusCreated, wire.NewCreated(a))
}

// create makes the agent of a create body as p, after the transport checks.
// It is the one way agents are created, for POST and for
// [Server.CreateAgent] alike. The permission check comes before the
// fields.
func (s *Server) create(p *principal, body []byte) (agents.Agent, *apiError) {
	if params, ok := fastCreate(body); ok {
		if aerr := mayCreate(p, string(params.Mode.Or(""))); aerr != nil {
			return agents.Agent{}, aerr
		}
		return s.insertNew(p, params)
	}
	j, aerr := judge(validate.Create, body)
	if aerr == nil {
		aerr = mayCreate(p, rawString(j.members, "mode"))
	}
	if aerr == nil && len(j.found) > 0 {
		aerr = validationError(&agents.ValidationError{Fields: j.found})
	}
	if aerr != nil {
		return agents.Agent{}, aerr
	}
	var params agents.CreateParams
	if err := json.Unmarshal(body, &params); err != nil {
		return agents.Agent{}, internalError(fmt.Errorf("validate accepted a create body that does not decode: %w", err))
	}
	if err := params.Validate(); err != nil {
		return agents.Agent{}, internalError(fmt.Errorf("validate and agents disagree on a create body: %w", err))
	}
	return s.insertNew(p, params)
}

// insertNew stores a new agent of params, owned by p, under an id from the
// id source. It returns a 500 when the source makes an id that is not an
// agent id, or only ids that are taken: a random source collides
// so rarely that ten tries mean a source that repeats itself, a bug to
// report rather than a loop to hang in.
func (s *Server) insertNew(p *principal, params agents.CreateParams) (agents.Agent, *apiError) {
	now := stamp(s.cfg.now())
	for range 10 {
		id := s.cfg.nextID()
		if !rules.ValidID(id) {
			return agents.Agent{}, internalError(fmt.Errorf("the id source made %q, which is not agent_ and 1-64 letters or digits", truncate(id, 80)))
		}
		a := domain.NewAgent(params, id, now)
		rec, err := newRecord(a, p.org, p.user)
		if err != nil {
			return agents.Agent{}, internalError(err)
		}
		if s.store.Insert(rec) {
			if p.gone() {
				// The tenant was removed while this request ran, and
				// its agents with it: do not leave this one behind.
				s.store.Remove(p.org, id, func(*store.Record) error { return nil })
			}
			return a, nil
		}
	}
	return agents.Agent{}, internalError(errors.New("the id source keeps making ids that are taken"))
}

// judged is a request body after package validate: its top-level members,
// and the fields validate found wrong.
type judged struct {
	members map[string]json.RawMessage
	found   []agents.FieldError
}

// judge runs check (validate.Create or validate.Update) on body. It
// returns the 400 INVALID_JSON of a body that is not one JSON object, and a
// 500 when validate answers otherwise than it documents. The failing fields
// are returned, not answered, because the permission checks come first.
func judge(check func([]byte) error, body []byte) (judged, *apiError) {
	var j judged
	var ve *agents.ValidationError
	switch err := check(body); {
	case errors.Is(err, validate.ErrInvalidJSON):
		return j, invalidJSON(err)
	case errors.As(err, &ve):
		j.found = ve.Fields
	case err != nil:
		return j, internalError(err)
	}
	if err := json.Unmarshal(body, &j.members); err != nil {
		return j, internalError(fmt.Errorf("validate accepted a body that is not an object: %w", err))
	}
	return j, nil
}

// getAgent serves GET /v1/agents/{id}.
func (s *Server) getAgent(w http.ResponseWriter, p *principal, id string) {
	rec, ok := s.store.Get(p.org, id)
	if !ok || !canSee(p, rec.Mode, rec.Owner) {
		writeError(w, notFound(id))
		return
	}
	writeDataJSON(w, http.StatusOK, rec.Full)
}

// updateAgent serves PATCH /v1/agents/{id}.
func (s *Server) updateAgent(w http.ResponseWriter, r *http.Request, p *principal, id string, body []byte) {
	if err := checkBody(r, body, true); err != nil {
		writeError(w, err)
		return
	}
	full, err := s.update(p, id, body)
	if err != nil {
		writeError(w, err)
		return
	}
	writeDataJSON(w, http.StatusOK, full)
}

// update applies a PATCH body to the agent id as p, after the transport
// checks, and returns the agent's JSON as it now is.
//
// validate.Update judges the fields that are present on their own; the
// rules that need the stored agent (the architecture table, null on a
// required field) are judged by agents.UpdateParams.Apply. Fields that
// validate found of the wrong type, unknown or read-only cannot be decoded,
// so they are left out of what Apply sees, and the two lists are merged
// into one, one entry per field.
func (s *Server) update(p *principal, id string, body []byte) ([]byte, *apiError) {
	j, aerr := judge(validate.Update, body)
	if aerr != nil {
		return nil, aerr
	}
	params, err := decodeUpdate(j.members, j.found)
	if err != nil {
		return nil, internalError(fmt.Errorf("validate accepted a patch field that does not decode: %w", err))
	}
	c := change{by: p, id: id, params: params, found: j.found, newMode: rawString(j.members, "mode"), now: stamp(s.cfg.now())}
	full, err := s.store.Update(p.org, id, c.apply)
	if err != nil {
		return nil, asAnswer(err)
	}
	return full, nil
}

// change is a decoded PATCH on its way into the store.
type change struct {
	by      *principal
	id      string
	params  agents.UpdateParams
	found   []agents.FieldError // what validate found wrong
	newMode string              // the raw "mode" of the body, for the permission check
	now     time.Time
}

// apply judges c against the stored record r (nil when there is none),
// under the store's lock, in the API's order: see (404), act (403),
// then every field at once (400). It returns the content to store, or the
// zero Content for a no-op, which leaves updatedAt alone.
func (c change) apply(r *store.Record) (store.Content, error) {
	var none store.Content
	if r == nil || !canSee(c.by, r.Mode, r.Owner) {
		return none, notFound(c.id)
	}
	if err := mayUpdate(c.by, r.Mode, c.newMode); err != nil {
		return none, err
	}
	cur, err := decodeAgent(r.Full)
	if err != nil {
		return none, err
	}
	next, err := c.params.Apply(cur)
	found := c.found
	var applied *agents.ValidationError
	if errors.As(err, &applied) {
		found = slices.Concat(found, applied.Fields)
	} else if err != nil {
		return none, err
	}
	if ve := domain.NewValidationError(found...); ve != nil {
		return none, validationError(ve)
	}
	if domain.SameContent(next, cur) {
		return none, nil
	}
	next.UpdatedAt = changedAt(c.now, cur.UpdatedAt)
	return encodeContent(next)
}

// changedAt returns the updatedAt of a change made at now to an agent
// last updated at prev: now, or one millisecond after prev when the clock
// has not passed it (two changes within one millisecond, a clock that went
// back). Every change must move updatedAt forward and never back, and the
// fake writes milliseconds, so a change can run ahead of the clock by a
// millisecond per change.
func changedAt(now, prev time.Time) time.Time {
	if floor := prev.Add(time.Millisecond); now.Before(floor) {
		return floor
	}
	return now
}

// unusable are the detail codes of fields that cannot be decoded into
// agents.UpdateParams: they are reported as they are and kept from Apply.
var unusable = map[string]bool{agents.CodeWrongType: true, agents.CodeUnknownField: true, agents.CodeReadOnly: true}

// decodeUpdate decodes the members of a PATCH body into UpdateParams for
// Apply, leaving out every top-level field that found flags as unusable (an
// item error such as enabledFunctions[2] leaves out the whole list), and a
// flagged field that does not decode (a number too large for a float64).
// Fields with value errors stay: Apply reports them again, and
// domain.NewValidationError keeps one entry per field. A left-out
// agentArchitecture counts as an unknown architecture (as a wrong-typed
// one does in the API), so Apply judges only the rules that do not
// depend on it. A
// field that does not decode although validate passed it is an error: the
// two packages disagree.
func decodeUpdate(members map[string]json.RawMessage, found []agents.FieldError) (agents.UpdateParams, error) {
	flagged := make(map[string]bool, len(found))
	skip := make(map[string]bool, len(found))
	for _, f := range found {
		name := fieldName(f.Field)
		flagged[name] = true
		skip[name] = skip[name] || unusable[f.Code]
	}
	var params agents.UpdateParams
	for name, raw := range members {
		if skip[name] {
			continue
		}
		one, err := json.Marshal(map[string]json.RawMessage{name: raw})
		if err == nil {
			err = json.Unmarshal(one, &params)
		}
		switch {
		case err != nil && flagged[name]:
			skip[name] = true
		case err != nil:
			return params, fmt.Errorf("field %s: %w", name, err)
		}
	}
	if skip["agentArchitecture"] {
		params.Architecture = agents.Value(agents.Architecture(""))
	}
	return params, nil
}

// fieldName returns the top-level member of a detail's field:
// "enabledFunctions" for "enabledFunctions[2]".
func fieldName(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 {
		return field[:i]
	}
	return field
}

// deleteAgent serves DELETE /v1/agents/{id}.
func (s *Server) deleteAgent(w http.ResponseWriter, p *principal, id string) {
	err := s.store.Remove(p.org, id, func(r *store.Record) error {
		if r == nil || !canSee(p, r.Mode, r.Owner) {
			return notFound(id)
		}
		if err := mayDelete(p); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		writeError(w, asAnswer(err))
		return
	}
	writeData(w, http.StatusOK, wire.Deleted{Message: wire.DeletedMessage})
}

// asAnswer returns err as the apiError to answer: itself when it is one, a
// 500 otherwise.
func asAnswer(err error) *apiError {
	var e *apiError
	if errors.As(err, &e) {
		return e
	}
	return internalError(err)
}

package store

import "github.com/talkifai-go/talkifai/agents"

// Record is one stored agent. Its JSON is encoded by the caller once, when
// the agent is created or changed, so that a GET or a list page only
// copies bytes. The byte slices are never modified once stored: a change
// replaces them, so a reader may keep them after a call returns.
type Record struct {
	ID      string
	Org     string
	Owner   string // the user whose key created the agent
	Mode    agents.Mode
	Created int64  // createdAt in Unix milliseconds: the list order's key
	Full    []byte // the agent as GET returns it
	Summary []byte // the agent as a list item
}

// Content is what a change replaces in a record: its mode and its JSON.
// The zero Content means "no change".
type Content struct {
	Mode    agents.Mode
	Full    []byte
	Summary []byte
}

// View says which agents of an organization a lister may see, and which
// mode it asked for.
type View struct {
	Org      string
	Member   string      // the member's user id; "" for owners and admins
	Mode     agents.Mode // "" for every mode
	Elevated bool        // owner or admin: sees every agent
}

// Store is the fake's database. Its methods are safe for concurrent use.
// Every method that takes an org finds only the agents of that
// organization: another organization's agent is "not there".
type Store interface {
	// Insert adds a copy of r, with the next creation sequence. It
	// reports false, and adds nothing, when r.ID is taken in any
	// organization.
	Insert(r *Record) bool
	// Get returns a copy of the record of id in org, and false when there
	// is none.
	Get(org, id string) (Record, bool)
	// Find returns a copy of the record of id in whichever organization
	// holds it, and false when there is none.
	Find(id string) (Record, bool)
	// Update calls fn, under the store's lock, with a copy of the record
	// of id in org (nil when there is none). fn's error is returned as is
	// and changes nothing; a zero Content changes nothing either. Otherwise
	// the record takes the new content, moving between indexes when its
	// mode changed. Update returns the record's Full JSON as it now is
	// (nil when there is no record).
	Update(org, id string, fn func(cur *Record) (Content, error)) ([]byte, error)
	// Remove calls fn, under the store's lock, with a copy of the record
	// of id in org (nil when there is none), and deletes the record when
	// fn returns nil. fn's error is returned as is.
	Remove(org, id string, fn func(cur *Record) error) error
	// List returns the Summary JSON of up to limit agents of v, starting
	// at offset in list order, and how many agents v holds in all.
	List(v View, offset, limit int) (items [][]byte, total int)
	// Ordered returns copies of the records of org, in list order.
	Ordered(org string) []Record
	// Created returns copies of every record, in creation order.
	Created() []Record
	// Load replaces every record by recs, in creation order. It returns
	// the index of the first record whose id is already among the
	// earlier ones, and changes nothing, or -1 when all were loaded.
	Load(recs []*Record) int
	// RemoveOrg removes every record of org.
	RemoveOrg(org string)
	// Reset removes every record.
	Reset()
	// Len returns how many agents the store holds.
	Len() int
}

package agents

import (
	"slices"
	"time"
)

// eachField is the only place that names every writable field of an
// agent, in JSON order. The merge of a patch, the fields a patch touches,
// the nulls it may not hold, the create defaults, the content comparison
// and Diff all walk it, so adding a field is one line here (plus its rule
// in check).
//
// Each line passes the field's place in p, in q and in a to a helper that
// does w's one operation on it. The calls are direct, not through a table
// of functions, so that p, q and a can stay on the caller's stack: a
// table's function values made every Apply copy three structs to the heap.
// All three pointers must be non-nil; an operation that needs fewer reads
// only its own.
func eachField(w *walker, p, q *CreateParams, a *Agent) {
	required(w, "name", &p.Name, &q.Name, &a.Name)
	required(w, "agentArchitecture", &p.Architecture, &q.Architecture, &a.Architecture)
	unlessEmpty(w, "model", &p.Model, &q.Model, &a.Model)
	unlessEmpty(w, "stt", &p.STT, &q.STT, &a.STT)
	unlessEmpty(w, "tts", &p.TTS, &q.TTS, &a.TTS)
	unlessEmpty(w, "realtimeProvider", &p.RealtimeProvider, &q.RealtimeProvider, &a.RealtimeProvider)
	unlessEmpty(w, "voiceId", &p.VoiceID, &q.VoiceID, &a.VoiceID)
	required(w, "systemPrompt", &p.SystemPrompt, &q.SystemPrompt, &a.SystemPrompt)
	always(w, "language", true, DefaultLanguage, &p.Language, &q.Language, &a.Language) // null restores the default
	always(w, "mode", false, Private, &p.Mode, &q.Mode, &a.Mode)
	always(w, "active", false, false, &p.Active, &q.Active, &a.Active)
	pointer(w, "temperature", &p.Temperature, &q.Temperature, &a.Temperature)
	list(w, "enabledFunctions", &p.EnabledFunctions, &q.EnabledFunctions, &a.EnabledFunctions) // null empties it
	list(w, "enabledCustomFunctions", &p.EnabledCustomFunctions, &q.EnabledCustomFunctions, &a.EnabledCustomFunctions)
}

// walkOp is what eachField does to every field.
type walkOp uint8

const (
	toAgent       walkOp = iota // a's field = p's, with the create default for absent or null
	toParams                    // p's field = a's, absent where a has it unset
	overlay                     // p's field = q's, unless q's is absent (one merge-patch field)
	visit                       // call w.visit with the field's name and the state of p's
	keepChanged                 // Diff's first pass, q the live agent's draft (see keepIfChanged)
	clearDefaults               // Diff's second pass, q the desired params (see clearIfDefault)
)

// walker is one walk over the fields: its operation, and for visit the
// function to call.
type walker struct {
	op    walkOp
	visit func(name string, nullable bool, s state)
}

// move does the operation of w that is the same for every field: all but
// toAgent and toParams, which depend on how the field is held in an Agent
// and for which it reports false. A field that is not nullable always has
// a value, so null on it is "required"; sendDefault marks those of them
// that have a create default, which Diff sends instead of null.
func move[T any](w *walker, name string, nullable, sendDefault bool, p, q *Optional[T]) bool {
	switch w.op {
	case overlay:
		if !q.IsZero() {
			*p = *q
		}
	case visit:
		w.visit(name, nullable, p.state)
	case keepChanged:
		keepIfChanged(p, q)
	case clearDefaults:
		clearIfDefault(p, q, sendDefault)
	default:
		return false
	}
	return true
}

// always is a field that every agent holds a value of: def when the
// params leave it out, and always a value in the params. When it is not
// nullable, Diff sends def instead of null.
func always[T any](w *walker, name string, nullable bool, def T, p, q *Optional[T], a *T) {
	if move(w, name, nullable, !nullable, p, q) {
		return
	}
	if w.op == toAgent {
		*a = p.Or(def)
	} else {
		*p = Value(*a)
	}
}

// required is a field that a create must set and a patch may not null:
// the agent holds its value, the zero T until there is one.
func required[T any](w *walker, name string, p, q *Optional[T], a *T) {
	if move(w, name, false, false, p, q) {
		return
	}
	if w.op == toAgent {
		*a = p.Or(*new(T))
	} else {
		*p = Value(*a)
	}
}

// unlessEmpty is an optional string field: "" in the agent is absent.
func unlessEmpty(w *walker, name string, p, q *Optional[string], a *string) {
	switch {
	case move(w, name, true, false, p, q):
	case w.op == toAgent:
		*a = p.Or("")
	case *a == "":
		*p = Optional[string]{}
	default:
		*p = Value(*a)
	}
}

// pointer is an optional number, held in the agent as a pointer: nil is
// absent.
func pointer[T any](w *walker, name string, p, q *Optional[T], a **T) {
	switch {
	case move(w, name, true, false, p, q):
	case w.op == toAgent:
		*a = nil
		if v, ok := p.Get(); ok {
			*a = &v
		}
	case *a == nil:
		*p = Optional[T]{}
	default:
		*p = Value(**a)
	}
}

// list is a function list: never nil in an agent, and never shared
// between the params and the agent.
func list(w *walker, name string, p, q *Optional[[]string], a *[]string) {
	switch {
	case move(w, name, true, false, p, q):
	case w.op == toAgent:
		*a = slices.Clone(nonNil(p.Or(nil)))
	default:
		*p = Value(slices.Clone(nonNil(*a)))
	}
}

// visitFields calls fn with every field's JSON name, whether a patch may
// null it, and its state in p.
func visitFields(p *CreateParams, fn func(name string, nullable bool, s state)) {
	var a Agent
	eachField(&walker{op: visit, visit: fn}, p, p, &a)
}

// overlayPatch sets every field of dst that patch sets or nulls: one JSON
// merge patch.
func overlayPatch(dst, patch *CreateParams) {
	var a Agent
	eachField(&walker{op: overlay}, dst, patch, &a)
}

// newAgent returns the agent that creating p makes, with the create
// defaults for what p leaves out or nulls: mode private, language en,
// active false, empty function lists. CreatedAt and UpdatedAt are both
// now. It does not validate p.
func newAgent(p CreateParams, id string, now time.Time) Agent {
	a := Agent{ID: id, CreatedAt: now, UpdatedAt: now}
	eachField(&walker{op: toAgent}, &p, &p, &a)
	return a
}

// draft returns a's writable fields as create params: every field a has a
// value, and the optional fields it leaves unset absent. The function
// lists are copies.
func draft(a Agent) CreateParams {
	var p CreateParams
	eachField(&walker{op: toParams}, &p, &p, &a)
	return p
}

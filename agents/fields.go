package agents

import (
	"slices"
	"time"
)

// field is one writable field of an agent: its JSON name, whether a patch
// may null it, and how its value moves between the params and an [Agent].
//
// The list fields is the only place that names every writable field. The
// merge of a patch, the fields a patch touches, the nulls it may not hold,
// the create defaults and the content comparison all walk it, so adding a
// field is one entry here (plus its rule in check).
type field struct {
	name     string // the JSON name
	nullable bool   // false: the field always has a value, and null on it is "required"
	state    func(p *CreateParams) state
	overlay  func(dst, patch *CreateParams) // one merge-patch field: absent keeps dst
	toAgent  func(a *Agent, p *CreateParams)
	toParams func(p *CreateParams, a *Agent)
}

// link builds a field from its two places: param in the params, agent in
// the agent. in turns the params' Optional into the agent's value (filling
// in the default), and out turns the agent's value back into an Optional.
func link[T, V any](name string, nullable bool, param func(*CreateParams) *Optional[T], agent func(*Agent) *V,
	in func(Optional[T]) V, out func(V) Optional[T]) field {
	return field{
		name:     name,
		nullable: nullable,
		state:    func(p *CreateParams) state { return param(p).state },
		overlay: func(dst, patch *CreateParams) {
			if o := *param(patch); !o.IsZero() {
				*param(dst) = o
			}
		},
		toAgent:  func(a *Agent, p *CreateParams) { *agent(a) = in(*param(p)) },
		toParams: func(p *CreateParams, a *Agent) { *param(p) = out(*agent(a)) },
	}
}

// always links a field that every agent holds a value of: a default when
// the params leave it out, and always a value in the params.
func always[T any](name string, nullable bool, def T, param func(*CreateParams) *Optional[T], agent func(*Agent) *T) field {
	return link(name, nullable, param, agent, func(o Optional[T]) T { return o.Or(def) }, Value[T])
}

// unlessEmpty links an optional string field: "" in the agent is absent.
func unlessEmpty(name string, param func(*CreateParams) *Optional[string], agent func(*Agent) *string) field {
	return link(name, true, param, agent, func(o Optional[string]) string { return o.Or("") },
		func(s string) Optional[string] {
			if s == "" {
				return Optional[string]{}
			}
			return Value(s)
		})
}

// list links a function list: never nil in an agent, and never shared
// between the params and the agent.
func list(name string, param func(*CreateParams) *Optional[[]string], agent func(*Agent) *[]string) field {
	return link(name, true, param, agent,
		func(o Optional[[]string]) []string { return slices.Clone(nonNil(o.Or(nil))) },
		func(s []string) Optional[[]string] { return Value(slices.Clone(nonNil(s))) })
}

// fields lists every writable field of an agent, in JSON order.
var fields = []field{
	always("name", false, "", func(p *CreateParams) *Optional[string] { return &p.Name }, func(a *Agent) *string { return &a.Name }),
	always("agentArchitecture", false, "", func(p *CreateParams) *Optional[Architecture] { return &p.Architecture }, func(a *Agent) *Architecture { return &a.Architecture }),
	unlessEmpty("model", func(p *CreateParams) *Optional[string] { return &p.Model }, func(a *Agent) *string { return &a.Model }),
	unlessEmpty("stt", func(p *CreateParams) *Optional[string] { return &p.STT }, func(a *Agent) *string { return &a.STT }),
	unlessEmpty("tts", func(p *CreateParams) *Optional[string] { return &p.TTS }, func(a *Agent) *string { return &a.TTS }),
	unlessEmpty("realtimeProvider", func(p *CreateParams) *Optional[string] { return &p.RealtimeProvider }, func(a *Agent) *string { return &a.RealtimeProvider }),
	unlessEmpty("voiceId", func(p *CreateParams) *Optional[string] { return &p.VoiceID }, func(a *Agent) *string { return &a.VoiceID }),
	always("systemPrompt", false, "", func(p *CreateParams) *Optional[string] { return &p.SystemPrompt }, func(a *Agent) *string { return &a.SystemPrompt }),
	// Null on language restores the default.
	always("language", true, DefaultLanguage, func(p *CreateParams) *Optional[string] { return &p.Language }, func(a *Agent) *string { return &a.Language }),
	always("mode", false, Private, func(p *CreateParams) *Optional[Mode] { return &p.Mode }, func(a *Agent) *Mode { return &a.Mode }),
	always("active", false, false, func(p *CreateParams) *Optional[bool] { return &p.Active }, func(a *Agent) *bool { return &a.Active }),
	link("temperature", true, func(p *CreateParams) *Optional[float64] { return &p.Temperature }, func(a *Agent) **float64 { return &a.Temperature },
		func(o Optional[float64]) *float64 {
			if t, ok := o.Get(); ok {
				return &t
			}
			return nil
		},
		func(t *float64) Optional[float64] {
			if t == nil {
				return Optional[float64]{}
			}
			return Value(*t)
		}),
	// Null on a list empties it.
	list("enabledFunctions", func(p *CreateParams) *Optional[[]string] { return &p.EnabledFunctions }, func(a *Agent) *[]string { return &a.EnabledFunctions }),
	list("enabledCustomFunctions", func(p *CreateParams) *Optional[[]string] { return &p.EnabledCustomFunctions }, func(a *Agent) *[]string { return &a.EnabledCustomFunctions }),
}

// newAgent returns the agent that creating p makes, with the create
// defaults for what p leaves out or nulls: mode private, language en,
// active false, empty function lists. CreatedAt and UpdatedAt are both
// now. It does not validate p.
func newAgent(p CreateParams, id string, now time.Time) Agent {
	a := Agent{ID: id, CreatedAt: now, UpdatedAt: now}
	for _, f := range fields {
		f.toAgent(&a, &p)
	}
	return a
}

// draft returns a's writable fields as create params: every field a has a
// value, and the optional fields it leaves unset absent. The function
// lists are copies.
func draft(a Agent) CreateParams {
	var p CreateParams
	for _, f := range fields {
		f.toParams(&p, &a)
	}
	return p
}

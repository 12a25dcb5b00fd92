package client

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
)

// checkUpdate returns the *agents.ValidationError of everything in p that
// the server must refuse whatever the stored agent is, or nil. What depends
// on the stored agent (a field its architecture requires, say) is left to
// the server.
func checkUpdate(p agents.UpdateParams) error {
	touched, err := fieldsOf(p)
	if err != nil {
		return nil // do fails on the same encoding, and says why
	}
	var fs []agents.FieldError
	// The create rules judge each field on its own, null counting as absent,
	// and the architecture's table only when p sets the architecture: the
	// same judgement Apply makes of those fields on any stored agent. Their
	// entries about fields p leaves alone ("systemPrompt is required") are
	// about the stored agent, not p.
	var ve *agents.ValidationError
	if errors.As(agents.CreateParams(p).Validate(), &ve) {
		for _, f := range ve.Fields {
			if _, ok := touched[baseField(f.Field)]; ok {
				fs = append(fs, f)
			}
		}
	}
	// Mode and active may be absent on create (they have defaults), so only
	// Apply refuses null on them; these are its entries.
	if p.Mode.IsNull() {
		fs = append(fs, agents.FieldError{Field: "mode", Code: agents.CodeRequired, Message: "mode cannot be null"})
	}
	if p.Active.IsNull() {
		fs = append(fs, agents.FieldError{Field: "active", Code: agents.CodeRequired, Message: "active cannot be null"})
	}
	if err := agents.NewValidationError(fs...); err != nil {
		return err
	}
	return nil
}

// fieldsOf returns the JSON names of the fields p sets or nulls: the keys
// of its encoding, so the names come from the struct tags of package agents.
func fieldsOf(p agents.UpdateParams) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	err = json.Unmarshal(b, &fields)
	return fields, err
}

// baseField is the field an entry names, without an array index:
// "enabledFunctions[2]" is "enabledFunctions".
func baseField(field string) string {
	name, _, _ := strings.Cut(field, "[")
	return name
}

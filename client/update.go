package client

import (
	"errors"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
)

// checkUpdate returns the *agents.ValidationError of everything in p that
// the server must refuse whatever the stored agent is, or nil. It cannot
// judge what depends on the stored agent (a field the stored architecture
// requires, say): that is left to the server.
func checkUpdate(p agents.UpdateParams) error {
	set := valuesOf(p)
	var fs []agents.FieldError
	// The create rules judge each value the patch sets. Their "required"
	// entries for fields the patch leaves out are not the patch's fault, so
	// only entries about fields the patch sets are kept.
	var ve *agents.ValidationError
	if errors.As(set.Validate(), &ve) {
		for _, f := range ve.Fields {
			if isSet(p, baseField(f.Field)) {
				fs = append(fs, f)
			}
		}
	}
	fs = append(fs, nullErrors(p)...)
	if err := agents.NewValidationError(fs...); err != nil {
		return err
	}
	return nil
}

// nullErrors reports null on fields that must keep a value: those that
// always have one, and (when p sets a valid architecture) those that the
// architecture requires. The messages are those of agents.UpdateParams.Apply.
func nullErrors(p agents.UpdateParams) []agents.FieldError {
	var fs []agents.FieldError
	required := func(field, msg string) {
		fs = append(fs, agents.FieldError{Field: field, Code: agents.CodeRequired, Message: msg})
	}
	if p.Name.IsNull() {
		required("name", "name is required")
	}
	if p.Architecture.IsNull() {
		required("agentArchitecture", "agentArchitecture is required")
	}
	if p.SystemPrompt.IsNull() {
		required("systemPrompt", "systemPrompt is required")
	}
	if p.Mode.IsNull() {
		required("mode", "mode cannot be null")
	}
	if p.Active.IsNull() {
		required("active", "active cannot be null")
	}
	arch, ok := p.Architecture.Get()
	if !ok || !arch.Valid() {
		return fs
	}
	for _, f := range []struct {
		field string
		null  bool
	}{
		{"model", p.Model.IsNull()},
		{"stt", p.STT.IsNull()},
		{"tts", p.TTS.IsNull()},
		{"realtimeProvider", p.RealtimeProvider.IsNull()},
		{"voiceId", p.VoiceID.IsNull()},
	} {
		if f.null && agents.Needs(arch, f.field) == "required" {
			required(f.field, f.field+" is required for "+string(arch)+" agents")
		}
	}
	return fs
}

// valuesOf returns the fields that p sets to a value, as create params
// (absent and null both left out).
func valuesOf(p agents.UpdateParams) agents.CreateParams {
	return agents.CreateParams{
		Name:                   valueOnly(p.Name),
		Architecture:           valueOnly(p.Architecture),
		Model:                  valueOnly(p.Model),
		STT:                    valueOnly(p.STT),
		TTS:                    valueOnly(p.TTS),
		RealtimeProvider:       valueOnly(p.RealtimeProvider),
		VoiceID:                valueOnly(p.VoiceID),
		SystemPrompt:           valueOnly(p.SystemPrompt),
		Language:               valueOnly(p.Language),
		Mode:                   valueOnly(p.Mode),
		Active:                 valueOnly(p.Active),
		Temperature:            valueOnly(p.Temperature),
		EnabledFunctions:       valueOnly(p.EnabledFunctions),
		EnabledCustomFunctions: valueOnly(p.EnabledCustomFunctions),
	}
}

func valueOnly[T any](o agents.Optional[T]) agents.Optional[T] {
	if o.IsSet() {
		return o
	}
	return agents.Optional[T]{}
}

// isSet reports whether p sets the JSON field to a value.
func isSet(p agents.UpdateParams, field string) bool {
	switch field {
	case "name":
		return p.Name.IsSet()
	case "agentArchitecture":
		return p.Architecture.IsSet()
	case "model":
		return p.Model.IsSet()
	case "stt":
		return p.STT.IsSet()
	case "tts":
		return p.TTS.IsSet()
	case "realtimeProvider":
		return p.RealtimeProvider.IsSet()
	case "voiceId":
		return p.VoiceID.IsSet()
	case "systemPrompt":
		return p.SystemPrompt.IsSet()
	case "language":
		return p.Language.IsSet()
	case "mode":
		return p.Mode.IsSet()
	case "active":
		return p.Active.IsSet()
	case "temperature":
		return p.Temperature.IsSet()
	case "enabledFunctions":
		return p.EnabledFunctions.IsSet()
	case "enabledCustomFunctions":
		return p.EnabledCustomFunctions.IsSet()
	}
	return false
}

// baseField is the field an entry names, without an array index:
// "enabledFunctions[2]" is "enabledFunctions".
func baseField(field string) string {
	name, _, _ := strings.Cut(field, "[")
	return name
}

package validate_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/validate"
)

// A create body with a typo, a missing provider and a bad value: every
// failing field is reported at once, ordered by field name.
func ExampleCreate() {
	body := []byte(`{
		"name": "Support Bot",
		"agentArchitecture": "pipeline",
		"model": "gpt-4o",
		"stt": "deepgram",
		"systemprompt": "You are a helpful support agent for Acme.",
		"temperature": 3
	}`)
	err := validate.Create(body)
	var ve *agents.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Printf("%s %s: %s\n", f.Field, f.Code, f.Message)
		}
	}
	// Output:
	// systemPrompt required: systemPrompt is required
	// systemprompt unknown_field: systemprompt is not a field of this body
	// temperature out_of_range: temperature must be between 0 and 2
	// tts required: tts is required for pipeline agents
}

// A valid body gives nil.
func ExampleCreate_valid() {
	body := []byte(`{"name":"Helper","agentArchitecture":"realtime","realtimeProvider":"openai","systemPrompt":"Be brief."}`)
	fmt.Println(validate.Create(body))
	// Output: <nil>
}

// A body that is not one JSON object is ErrInvalidJSON (the API's
// INVALID_JSON), not a validation error.
func ExampleCreate_invalidJSON() {
	err := validate.Create([]byte(`[{"name":"Support Bot"}]`))
	fmt.Println(errors.Is(err, validate.ErrInvalidJSON))
	fmt.Println(err)
	// Output:
	// true
	// validate: body is not one JSON object: the body is an array, not an object
}

// A patch may clear optional fields with null, but not fields that always
// have a value.
func ExampleUpdate() {
	fmt.Println(validate.Update([]byte(`{"voiceId":null,"temperature":null,"language":null}`)))
	fmt.Println(validate.Update([]byte(`{"mode":null,"createdAt":"2024-01-15T10:30:00Z"}`)))
	// Output:
	// <nil>
	// validation failed: 2 invalid fields: createdAt is read-only: the server sets it; mode cannot be null
}

// The schema documents are plain JSON Schema, for tools in any language.
func ExampleSchema() {
	b, _ := validate.Schema("create")
	var doc struct {
		ID       string   `json:"$id"`
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(err)
	}
	fmt.Println(doc.ID)
	fmt.Println(doc.Required)
	// Output:
	// https://api.talkifai.dev/schemas/v1/create.json
	// [name agentArchitecture systemPrompt]
}

// The OpenAPI document lists the five operations of the API.
func ExampleOpenAPI() {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(validate.OpenAPI(), &doc); err != nil {
		panic(err)
	}
	for _, path := range []string{"/v1/agents", "/v1/agents/{id}"} {
		for _, method := range []string{"get", "post", "patch", "delete"} {
			var op struct {
				OperationID string `json:"operationId"`
			}
			if raw, ok := doc.Paths[path][method]; ok && json.Unmarshal(raw, &op) == nil {
				fmt.Println(method, path, op.OperationID)
			}
		}
	}
	// Output:
	// get /v1/agents listAgents
	// post /v1/agents createAgent
	// get /v1/agents/{id} getAgent
	// patch /v1/agents/{id} updateAgent
	// delete /v1/agents/{id} deleteAgent
}

// Where an agent's fields depend on its architecture, the OpenAPI document
// has one schema per architecture, joined by a oneOf that code generators
// turn into a type per architecture.
func ExampleOpenAPI_architectures() {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Discriminator struct {
					PropertyName string            `json:"propertyName"`
					Mapping      map[string]string `json:"mapping"`
				} `json:"discriminator"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(validate.OpenAPI(), &doc); err != nil {
		panic(err)
	}
	d := doc.Components.Schemas["Agent"].Discriminator
	fmt.Println(d.PropertyName)
	for _, arch := range []string{"pipeline", "realtime", "text"} {
		fmt.Println(arch, d.Mapping[arch])
	}
	// Output:
	// agentArchitecture
	// pipeline #/components/schemas/PipelineAgent
	// realtime #/components/schemas/RealtimeAgent
	// text #/components/schemas/TextAgent
}

package rules_test

import (
	"fmt"

	"github.com/talkifai-go/talkifai/internal/rules"
)

func ExampleMessage() {
	fmt.Println(rules.Message("stt", rules.CodeRequired, rules.Pipeline))
	fmt.Println(rules.Message("stt", rules.CodeNotApplicable, rules.Text))
	fmt.Println(rules.Message("enabledFunctions[3]", rules.CodeTooLong, ""))
	fmt.Println(rules.NullMessage("mode"))
	fmt.Println(rules.BlankMessage("name"))
	// Output:
	// stt is required for pipeline agents
	// stt is not applicable to text agents
	// enabledFunctions[3] must be at most 100 characters
	// mode cannot be null
	// name must not be blank
}

func ExampleNeeds() {
	for _, arch := range []string{rules.Pipeline, rules.Realtime, rules.Text} {
		fmt.Println(arch, rules.Needs(arch, "stt") == rules.Required, rules.Needs(arch, "model") == rules.Required)
	}
	// Output:
	// pipeline true true
	// realtime false false
	// text false true
}

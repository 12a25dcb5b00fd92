package client_test

import (
	"fmt"
	"log"

	"github.com/talkifai-go/talkifai/client"
)

// BaseURL reports where the client sends requests, as New settled it: a
// trailing "/" is not part of it.
func ExampleClient_BaseURL() {
	c, err := client.New(client.WithAPIKey("tk_test_example"), client.WithBaseURL("https://gateway.example.com/talkifai/"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())
	// Output: https://gateway.example.com/talkifai
}

package curlline_test

import (
	"fmt"

	"github.com/talkifai-go/talkifai/internal/curlline"
)

// A README's curl line, sent to a test server instead.
func Example() {
	words, err := curlline.Words(`curl -s -X PATCH -H 'Content-Type: application/json' -d '{"active":true}' http://127.0.0.1:8080/v1/agents/agent_1`)
	if err != nil {
		panic(err)
	}
	req, err := curlline.Request(words[1:], "http://127.0.0.1:8080", "http://127.0.0.1:9999")
	if err != nil {
		panic(err)
	}
	fmt.Println(req.Method, req.URL, req.Header.Get("Content-Type"))
	// Output: PATCH http://127.0.0.1:9999/v1/agents/agent_1 application/json
}

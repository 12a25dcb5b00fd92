// The helpers that both lifecycles share. This file is copied, beside one
// generator's main.go, into a scratch module that holds that generator's
// client; it is not part of the library's module.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// fakeURL is the standalone fake's base URL, from the first argument.
var fakeURL = func() string {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: lifecycle FAKE_URL")
		os.Exit(2)
	}
	return os.Args[1]
}()

// The fake's default keys: the lifecycle acts as acme's owner
// (enterprise tier) and reaches the rate limit with globex's owner (free
// tier: 60 requests a minute).
const (
	ownerKey = "tk_test_acme_owner"
	freeKey  = "tk_test_globex_owner"
)

// reset empties the fake, so that each lifecycle starts from nothing.
func reset() { control("POST", "/_fake/reset", "", nil) }

// injectFault adds a fault rule.
func injectFault(rule string) { control("POST", "/_fake/faults", rule, nil) }

// control calls one of the fake's control endpoints, which are not part
// of the API document.
func control(method, path, body string, out any) {
	req, err := http.NewRequest(method, fakeURL+path, bytes.NewReader([]byte(body)))
	must(err)
	resp, err := http.DefaultClient.Do(req)
	must(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		fail("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		must(json.Unmarshal(b, out))
	}
}

// methodKey marks a context whose request must go out with another
// method: a generated client sends only the methods the document lists,
// and the lifecycle wants the API's 405 for one it does not.
type methodKey struct{}

func withMethod(ctx context.Context, method string) context.Context {
	return context.WithValue(ctx, methodKey{}, method)
}

// methodRewriter sends a marked request with its context's method.
type methodRewriter struct{}

func (methodRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	if m, ok := r.Context().Value(methodKey{}).(string); ok {
		r = r.Clone(r.Context())
		r.Method = m
	}
	return http.DefaultTransport.RoundTrip(r)
}

// httpClient is the client both generated clients send through.
var httpClient = &http.Client{Transport: methodRewriter{}}

// step prints one step of the lifecycle.
func step(format string, args ...any) {
	fmt.Printf("  ok  "+format+"\n", args...)
}

// check fails the lifecycle when ok is false.
func check(ok bool, format string, args ...any) {
	if !ok {
		fail(format, args...)
	}
}

// want takes a generated call's results and returns a function that,
// given what the call was, fails unless the call returned no error and a
// response of type T, and returns that response. (Go passes a call's
// results on whole only as all of another call's arguments.)
func want[T any](res any, err error) func(what string) T {
	return func(what string) T {
		if err != nil {
			fail("%s: %v", what, err)
		}
		t, ok := res.(T)
		if !ok {
			fail("%s: got %T %+v, want %T", what, res, res, *new(T))
		}
		return t
	}
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

package validate

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/talkifai-go/talkifai/agents"
)

// A JSON string may spell a UTF-16 surrogate on its own ("\ud800"), which
// is no character: encoding/json decodes it as U+FFFD, so the value stored
// would not be the value sent, and a Go string cannot carry it for
// package agents to judge. Only the raw JSON shows it, so it is judged
// here: invalid_format on the field that holds it.

// loneSurrogates returns an invalid_format error for each member of the
// object body (valid JSON, no key twice) whose string value, or string
// item of an array, holds a lone surrogate escape.
func loneSurrogates(body []byte) []agents.FieldError {
	if !bytes.Contains(body, []byte(`\u`)) {
		return nil // the common case: no escape at all
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return nil
	}
	var out []agents.FieldError
	bad := func(field string) {
		out = append(out, agents.FieldError{Field: field, Code: agents.CodeInvalidFormat, Message: surrogateMessage(field)})
	}
	for name, raw := range members {
		switch raw = bytes.TrimSpace(raw); {
		case len(raw) > 0 && raw[0] == '"':
			if loneSurrogate(raw) {
				bad(name)
			}
		case len(raw) > 0 && raw[0] == '[':
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) != nil {
				continue
			}
			for i, it := range items {
				if it = bytes.TrimSpace(it); len(it) > 0 && it[0] == '"' && loneSurrogate(it) {
					bad(name + "[" + strconv.Itoa(i) + "]")
				}
			}
		}
	}
	return out
}

// withoutJudged drops from lone the items of a member that found already
// judges by its key or type (read_only, unknown_field, wrong_type): such
// a member gets one entry, on itself, and none on its items.
func withoutJudged(lone, found []agents.FieldError) []agents.FieldError {
	judged := map[string]bool{}
	for _, f := range found {
		switch f.Code {
		case agents.CodeReadOnly, agents.CodeUnknownField, agents.CodeWrongType:
			judged[f.Field] = true
		}
	}
	out := lone[:0:0]
	for _, l := range lone {
		if name, _, _ := strings.Cut(l.Field, "["); !judged[name] {
			out = append(out, l)
		}
	}
	return out
}

// surrogateMessage is the message of a lone surrogate in field.
func surrogateMessage(field string) string {
	return field + ` must not contain a lone UTF-16 surrogate (a \ud800-\udfff escape without its pair)`
}

// loneSurrogate reports whether the JSON string literal s (quotes
// included) holds a \uXXXX escape of a surrogate that is not a high
// surrogate followed at once by a low one.
func loneSurrogate(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		i++ // the escaped character
		if i >= len(s) || s[i] != 'u' {
			continue
		}
		v, ok := hex4(s, i+1)
		if !ok {
			continue
		}
		i += 4
		switch {
		case v >= 0xdc00 && v <= 0xdfff:
			return true // a low surrogate first
		case v >= 0xd800 && v <= 0xdbff:
			if i+2 >= len(s) || s[i+1] != '\\' || s[i+2] != 'u' {
				return true
			}
			if w, ok := hex4(s, i+3); !ok || w < 0xdc00 || w > 0xdfff {
				return true
			}
			i += 6
		}
	}
	return false
}

// hex4 decodes the four hex digits of s at i.
func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var v rune
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

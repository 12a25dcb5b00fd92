package client

import "strings"

// redacted stands where the API key was.
const redacted = "[REDACTED]"

// wholeKeyLen is the length from which a key is hidden wherever it occurs.
// A real key is longer (and random): it occurs in a text only when the
// text quotes it. A shorter one ("a", "k", a test's "tk_x") also occurs
// inside ordinary words.
const wholeKeyLen = 16

// redact hides apiKey in s, a text that came from outside: a server's
// message, a URL the caller gave; never the client's own text. A key of
// wholeKeyLen bytes or more is hidden wherever it occurs. A shorter one is
// hidden where it stands as a whole word, not preceded or followed by a
// letter, digit, '_' or '-' (as an echo stands: "invalid key k",
// `"k"`, "Bearer k"), and left alone inside a word ("a" in "agent"), so
// that no text is damaged to hide something that is not there.
func redact(s, apiKey string) string {
	if apiKey == "" || !strings.Contains(s, apiKey) {
		return s
	}
	if len(apiKey) >= wholeKeyLen {
		return strings.ReplaceAll(s, apiKey, redacted)
	}
	var b strings.Builder
	for {
		i := strings.Index(s, apiKey)
		if i < 0 {
			break
		}
		end := i + len(apiKey)
		if (i > 0 && isWordByte(s[i-1])) || (end < len(s) && isWordByte(s[end])) {
			b.WriteString(s[:i+1]) // not a whole word: look again one byte on
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(redacted)
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// isWordByte reports whether c can be part of a key-like word.
func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

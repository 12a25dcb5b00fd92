package validate

import (
	"encoding/json"
	"strconv"
	"testing"
	"unicode/utf16"
)

// FuzzLoneSurrogate compares loneSurrogate with a reference that reads
// every run of \u escapes as UTF-16 and asks unicode/utf16 whether it
// decodes without a replacement character that was not sent as such.
func FuzzLoneSurrogate(f *testing.F) {
	for _, s := range []string{`a`, `\ud800`, `\ud83d\ude00`, `\udc00\ud800`, `\\ud800`, `\ud800\u0041`, `\uD83D\uDE00x\uDE00`, `\ufffd`, `\u00e9\"\/`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, inner string) {
		lit := []byte(`"` + inner + `"`)
		if !json.Valid(lit) {
			return
		}
		if got, want := loneSurrogate(lit), referenceLone(lit); got != want {
			t.Errorf("loneSurrogate(%s) = %v, want %v", lit, got, want)
		}
	})
}

// referenceLone is loneSurrogate written the other way round.
func referenceLone(lit []byte) bool {
	var run []uint16
	lone := false
	flush := func() {
		sent := 0
		for _, u := range run {
			if u == 0xfffd {
				sent++
			}
		}
		for _, r := range utf16.Decode(run) {
			if r == 0xfffd {
				sent--
			}
		}
		lone = lone || sent < 0
		run = run[:0]
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] == '\\' && lit[i+1] == 'u' {
			v, _ := strconv.ParseUint(string(lit[i+2:i+6]), 16, 16)
			run = append(run, uint16(v))
			i += 5
			continue
		}
		flush()
		if lit[i] == '\\' {
			i++ // another escape: one character
		}
	}
	flush()
	return lone
}

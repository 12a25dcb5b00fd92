package curlline

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Words splits line on spaces, keeping a single-quoted part whole, quotes
// removed ('a b'c is one word, "a bc"). It fails on an unbalanced quote.
func Words(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, inWord := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			inQuote, inWord = !inQuote, true
		case r == ' ' && !inQuote:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("unbalanced quote in %s", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// Request returns the request curl sends for args, the words after
// "curl": -s and -o FILE are taken and change nothing here; -X METHOD,
// -H 'NAME: VALUE' and -d BODY as curl reads them (-d makes the method
// POST and the Content-Type curl's form type, unless -X or -H say
// otherwise); and one URL, which must start with from, put in to's place
// (the README's server, then the test's). It fails on any other option, an
// option without its value, or a URL that does not start with from.
func Request(args []string, from, to string) (*http.Request, error) {
	method, url, body := "", "", ""
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		switch w := args[i]; w {
		case "-s":
		case "-o", "-X", "-H", "-d":
			if i+1 == len(args) {
				return nil, fmt.Errorf("curl %s needs a value", w)
			}
			i++
			switch w {
			case "-X":
				method = args[i]
			case "-H":
				k, v, _ := strings.Cut(args[i], ":")
				header.Add(k, strings.TrimSpace(v))
			case "-d":
				body = args[i]
			}
		default:
			if strings.HasPrefix(w, "-") {
				return nil, fmt.Errorf("curl %s is not understood here", w)
			}
			if url != "" {
				return nil, errors.New("curl line with two URLs")
			}
			url = w
		}
	}
	if method == "" {
		method = http.MethodGet
		if body != "" {
			method = http.MethodPost
		}
	}
	if body != "" && header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/x-www-form-urlencoded") // what curl -d sends
	}
	rest, ok := strings.CutPrefix(url, from)
	if !ok {
		return nil, fmt.Errorf("the URL %q does not start with %s", url, from)
	}
	req, err := http.NewRequest(method, to+rest, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = header
	return req, nil
}

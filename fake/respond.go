package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/wire"
)

// apiError is an answer in the error envelope: a status, its code and
// message, and the failing fields of a VALIDATION_ERROR.
type apiError struct {
	status  int
	code    string
	message string
	details []agents.FieldError
	allow   string // the Allow header of a 405
}

// Error returns the message, for logs.
func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

// errorf returns an apiError with the code of status (see wire.CodeForStatus);
// 400s name their code with errorCode instead.
func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, code: wire.CodeForStatus(status), message: fmt.Sprintf(format, args...)}
}

// errorCode returns an apiError with an explicit code.
func errorCode(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// validationError returns the 400 VALIDATION_ERROR of ve.
func validationError(ve *agents.ValidationError) *apiError {
	return &apiError{
		status:  http.StatusBadRequest,
		code:    wire.CodeValidation,
		message: fmt.Sprintf("validation failed: %s", plural(len(ve.Fields), "invalid field")),
		details: ve.Fields,
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// internalError is a 500 for a bug in the fake itself (never sent unless
// something is broken).
func internalError(err error) *apiError {
	return errorf(http.StatusInternalServerError, "fake: internal error: %v", err)
}

// describe returns e's message and, for a VALIDATION_ERROR, what is wrong
// with each field, for errors returned in Go.
func (e *apiError) describe() string {
	msg := e.message
	for _, d := range e.details {
		msg += "; " + d.Message
	}
	return msg
}

// body returns e's error envelope.
func (e *apiError) body() []byte {
	b, err := json.Marshal(wire.ErrorResponse{Error: e.message, Code: e.code, Details: e.details})
	if err != nil { // a FieldError is three strings: this cannot happen
		panic(err)
	}
	return b
}

// writeError answers with e.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.allow != "" {
		w.Header().Set(wire.HeaderAllow, e.allow)
	}
	writeJSON(w, e.status, e.body())
}

// writeJSON answers with status and the JSON body.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	setHeaders(w, len(body))
	w.WriteHeader(status)
	w.Write(body) // an error means the client has gone: nothing to do
}

// writeDataJSON answers with status and {"success":true,"data":data},
// data already encoded, written around it without a copy.
func writeDataJSON(w http.ResponseWriter, status int, data []byte) {
	setHeaders(w, len(dataHead)+len(data)+len(dataTail))
	w.WriteHeader(status)
	// An error means the client has gone: nothing to do.
	w.Write(dataHead)
	w.Write(data)
	w.Write(dataTail)
}

// The pieces of a success envelope, and the Content-Type value of every
// answer, made once. The value is shared by every header that holds it:
// net/http only reads it, and its length equals its capacity, so an
// append makes a copy.
var (
	dataHead        = []byte(`{"success":true,"data":`)
	dataTail        = []byte(`}`)
	contentTypeJSON = []string{wire.ContentTypeJSON}
)

// setHeaders sets the Content-Type of a JSON answer of n bytes, and its
// Content-Length when net/http would not: net/http holds an answer of up
// to autoLengthMax bytes until the handler returns, and then sets
// Content-Length itself, for less than it costs a handler (the answer of
// a GET by id is one of these). TestContentLength holds net/http to it.
func setHeaders(w http.ResponseWriter, n int) {
	h := w.Header()
	h[wire.HeaderContentType] = contentTypeJSON
	if n > autoLengthMax {
		h[headerContentLength] = []string{strconv.Itoa(n)}
	}
}

// autoLengthMax is net/http's buffer before it sends an answer in chunks.
const autoLengthMax = 2048

// headerContentLength is assigned into the header map as is, canonical
// already, to skip Set's canonicalization.
const headerContentLength = "Content-Length"

// writeData answers with status and {"success":true,"data":v}.
func writeData(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(wire.Response[any]{Success: true, Data: v})
	if err != nil {
		writeError(w, internalError(err))
		return
	}
	writeJSON(w, status, b)
}

package cli

import (
	"errors"
	"fmt"
)

// Exit statuses of the command.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // plan --detailed-exitcode: the plan has changes
)

// exitError ends a command with a status, having printed what it had to
// say already (a plan with changes, a list of failures).
type exitError struct {
	code int
	msg  string // printed as an error when not empty
}

func (e *exitError) Error() string {
	if e.msg == "" {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.msg
}

// silentExit ends the command with code and no further message.
func silentExit(code int) error { return &exitError{code: code} }

// exitCode returns the status that err calls for: 0 for nil, the code of
// an exitError, 1 for anything else.
func exitCode(err error) int {
	var e *exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &e):
		return e.code
	default:
		return ExitError
	}
}

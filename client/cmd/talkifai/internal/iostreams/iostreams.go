package iostreams

import (
	"bytes"
	"io"
	"os"
)

// IOStreams is where a command reads and writes. The zero value is not
// usable: make one with [System] or [Test].
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY  bool
	errTTY  bool
	noColor bool
}

// System returns the process's own streams. Colour is off when NO_COLOR is
// set to anything, or TERM is "dumb", as is the custom among commands.
func System() *IOStreams {
	return &IOStreams{
		In:      os.Stdin,
		Out:     os.Stdout,
		ErrOut:  os.Stderr,
		outTTY:  isTerminal(os.Stdout),
		errTTY:  isTerminal(os.Stderr),
		noColor: os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
	}
}

// Test returns streams over fresh buffers, none of them a terminal, and the
// buffers: standard input, output and error.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// SetStdoutTTY says whether standard output is a terminal (for tests).
func (s *IOStreams) SetStdoutTTY(tty bool) { s.outTTY = tty }

// SetStderrTTY says whether standard error is a terminal (for tests).
func (s *IOStreams) SetStderrTTY(tty bool) { s.errTTY = tty }

// ColorEnabled reports whether standard output may carry colour: only when
// it is a terminal and colour was not turned off.
func (s *IOStreams) ColorEnabled() bool { return s.outTTY && !s.noColor }

// ProgressEnabled reports whether progress may be drawn on standard error:
// only when it is a terminal, so that logs and CI output stay clean.
func (s *IOStreams) ProgressEnabled() bool { return s.errTTY && !s.noColor }

// ColorScheme returns the colours for standard output: real ones when
// [IOStreams.ColorEnabled], else functions that return their text as it is.
func (s *IOStreams) ColorScheme() *ColorScheme {
	return &ColorScheme{enabled: s.ColorEnabled()}
}

// isTerminal reports whether f is a character device, which a terminal is
// and a pipe or a file is not.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Package iostreams is the talkifai command's standard input, output and
// error, with what it knows about them: whether each is a terminal, and so
// whether output may carry colour and progress. Commands write through it
// rather than to os.Stdout, so tests give them buffers and decide what is
// a terminal.
package iostreams

package cli

import (
	"fmt"

	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
	"github.com/talkifai-go/talkifai/client/reconcile"
)

// progress draws "applying 3/10 support" on standard error while apply
// runs, when standard error is a terminal; elsewhere (CI logs, pipes) it
// draws nothing, so the output stays one clean copy of the results.
type progress struct {
	io    *iostreams.IOStreams
	drawn bool
}

func newProgress(io *iostreams.IOStreams) *progress { return &progress{io: io} }

// event is the engine's Progress callback; the engine calls it from one
// goroutine at a time.
func (p *progress) event(ev reconcile.Event) {
	if !p.io.ProgressEnabled() {
		return
	}
	fmt.Fprintf(p.io.ErrOut, "\r\x1b[Kapplying %d/%d %s", ev.Done, ev.Total, ev.Outcome.Key)
	p.drawn = true
}

// done clears the progress line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.io.ErrOut, "\r\x1b[K")
		p.drawn = false
	}
}

package iostreams

import (
	"fmt"
	"testing"
)

func TestColour(t *testing.T) {
	t.Parallel()
	tests := []struct {
		outTTY, errTTY, noColor  bool
		wantColour, wantProgress bool
		wantGreen                string
	}{
		{false, false, false, false, false, "new"},
		{true, false, false, true, false, "\x1b[32mnew\x1b[0m"},
		{true, true, true, false, false, "new"},
		{false, true, false, false, true, "new"},
	}
	for _, tt := range tests {
		ios, _, _, _ := Test()
		ios.SetStdoutTTY(tt.outTTY)
		ios.SetStderrTTY(tt.errTTY)
		ios.noColor = tt.noColor
		name := fmt.Sprintf("out %t err %t NO_COLOR %t", tt.outTTY, tt.errTTY, tt.noColor)
		if got := ios.ColorEnabled(); got != tt.wantColour {
			t.Errorf("%s: ColorEnabled = %t", name, got)
		}
		if got := ios.ProgressEnabled(); got != tt.wantProgress {
			t.Errorf("%s: ProgressEnabled = %t", name, got)
		}
		if got := ios.ColorScheme().Green("new"); got != tt.wantGreen {
			t.Errorf("%s: Green = %q, want %q", name, got, tt.wantGreen)
		}
	}
}

func ExampleIOStreams_ColorScheme() {
	ios, _, out, _ := Test()
	cs := ios.ColorScheme() // not a terminal: no colour
	fmt.Fprintln(ios.Out, cs.Green("+ support"), cs.Enabled())
	ios.SetStdoutTTY(true)
	fmt.Fprintf(ios.Out, "%q\n", ios.ColorScheme().Red("- old"))
	fmt.Print(out)
	// Output:
	// + support false
	// "\x1b[31m- old\x1b[0m"
}

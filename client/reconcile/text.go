package reconcile

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of the text form of a plan.
const (
	shortString = 60  // a longer string, or one with a line break, is shown as a line diff
	longLine    = 100 // lines are cut to this many characters
	diffContext = 1   // unchanged lines shown around each changed one
)

// marks are the first column of each key's line.
var marks = map[Action]string{
	Create: "+", NoChange: "=", Update: "~", Missing: "!", Pending: "…", Orphaned: "?", Gone: "-", Failed: "E",
}

// Advice words the steps that a plan's text form suggests, in the terms of
// the program that shows it (a command's flags, a service's buttons), so
// that the engine names no program. Each part left empty or nil is said
// in the engine's own terms: its methods and options.
type Advice struct {
	// Import returns how to adopt the live agent id under key; by
	// default "Engine.Import of ID as KEY".
	Import func(key, id string) string
	// Prune is what deletes the agents of removed specs; by default
	// "ApplyOptions.Prune".
	Prune string
	// RecreateMissing is what creates a missing agent again; by default
	// "ApplyOptions.RecreateMissing".
	RecreateMissing string
}

// withDefaults returns a with every empty part in the engine's terms.
func (a Advice) withDefaults() Advice {
	if a.Import == nil {
		a.Import = func(key, id string) string { return "Engine.Import of " + id + " as " + key }
	}
	if a.Prune == "" {
		a.Prune = "ApplyOptions.Prune"
	}
	if a.RecreateMissing == "" {
		a.RecreateMissing = "ApplyOptions.RecreateMissing"
	}
	return a
}

// WriteText writes p for people: a summary line, then one line per key and
// one per changed field, old → new (long strings as a shortened line
// diff), in key order, with advice in the engine's terms. It returns the
// first error of w.
func (p *Plan) WriteText(w io.Writer) error {
	return p.WriteTextAdvice(w, Advice{})
}

// WriteTextAdvice writes p as [Plan.WriteText] does, with the advice worded
// by a. It returns the first error of w.
func (p *Plan) WriteTextAdvice(w io.Writer, a Advice) error {
	a = a.withDefaults()
	var b strings.Builder
	b.WriteString(p.summary() + "\n")
	for _, c := range p.Changes {
		b.WriteString(c.line(a) + "\n")
		for _, f := range c.Fields {
			writeField(&b, f)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// summary counts the changes by action.
func (p *Plan) summary() string {
	counts := map[Action]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
	}
	var parts []string
	for _, a := range []Action{Create, Update, Missing, Pending, Orphaned, Gone, Failed, NoChange} {
		if counts[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[a], a))
		}
	}
	if len(parts) == 0 {
		return "Plan: no agents."
	}
	return "Plan: " + strings.Join(parts, ", ") + "."
}

// line is the key's line: mark, key, action, id and what apply does.
func (c Change) line(a Advice) string {
	s := fmt.Sprintf("%s %s: %s", marks[c.Action], c.Key, c.Action)
	if c.ID != "" {
		s += " (" + c.ID + ")"
	}
	switch c.Action {
	case NoChange:
		if c.LockRefreshed {
			s += "; lock refreshed"
		}
	case Create:
		for _, id := range c.Adopt {
			s += "; a live agent has this name: " + a.Import(c.Key, id) + " adopts it"
		}
	case Update:
		if c.Drift() {
			s += "; overwrites changes made outside (drift)"
		}
	case Missing:
		s += "; the agent is gone: " + a.RecreateMissing + " creates it again"
	case Pending:
		s += "; a create was cut short: apply " + resolution(c.Adopt)
		if len(c.Fields) > 0 {
			s += ", then updates it to the spec"
		}
		if !c.HasSpec {
			s += ", then keeps it as an orphan (the spec is gone; " + a.Prune + " deletes it)"
		}
	case Orphaned:
		s += "; no spec: kept (" + a.Prune + " deletes it)"
	case Gone:
		s += "; no spec and no agent: the entry is dropped"
	case Failed:
		s += ": " + c.Error
	}
	return s
}

// resolution says what apply does with a pending create whose possible
// agents are ids.
func resolution(ids []string) string {
	switch len(ids) {
	case 0:
		return "sends it again with its Idempotency-Key (no agent of it is listed)"
	case 1:
		return "adopts " + ids[0] + ", the agent it made"
	}
	return "adopts the one of " + names(ids) + " with its content, or stops if not exactly one has it"
}

// writeField writes one field's change.
func writeField(b *strings.Builder, f FieldChange) {
	name := "    " + f.Field
	if f.Drift {
		name += " (drift)"
	}
	oldS, oldStr := jsonString(f.Old)
	newS, newStr := jsonString(f.New)
	if oldStr && newStr && (long(oldS) || long(newS)) || f.Old == nil && newStr && long(newS) {
		b.WriteString(name + ":\n")
		for _, l := range lineDiff(oldS, newS) {
			b.WriteString(strings.TrimRight("      "+l, " ") + "\n")
		}
		return
	}
	if f.Old == nil {
		fmt.Fprintf(b, "%s: %s\n", name, cut(string(f.New)))
		return
	}
	fmt.Fprintf(b, "%s: %s → %s\n", name, cut(string(f.Old)), cut(string(f.New)))
}

// jsonString returns raw as a string when it is a JSON string.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func long(s string) bool { return strings.Contains(s, "\n") || utf8.RuneCountInString(s) > shortString }

// cut shortens s to longLine characters.
func cut(s string) string {
	if utf8.RuneCountInString(s) <= longLine {
		return s
	}
	r := []rune(s)
	return string(r[:longLine-1]) + "…"
}

// lineDiff returns the lines of a unified-style diff of a and b: "- " for
// lines only in a, "+ " for lines only in b, "  " for a line of context
// around them, and "…" for unchanged lines left out. Where lines changed,
// the old ones come before the new ones. Each line is cut to longLine
// characters, and white space at its end is shown (see showTrailing), so
// that the caller may trim the line's end.
func lineDiff(a, b string) []string {
	x, y := splitLines(a), splitLines(b)
	// lcs[i][j] is the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		mark string
		text string
	}
	var ops []op
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops = append(ops, op{"  ", x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] > lcs[i+1][j]):
			ops = append(ops, op{"+ ", y[j]})
			j++
		default:
			ops = append(ops, op{"- ", x[i]})
			i++
		}
	}
	var out []string
	elided := false
	for k, o := range ops {
		near := o.mark != "  "
		for d := 1; d <= diffContext && !near; d++ {
			near = k-d >= 0 && ops[k-d].mark != "  " || k+d < len(ops) && ops[k+d].mark != "  "
		}
		if !near {
			if !elided {
				out = append(out, "…")
			}
			elided = true
			continue
		}
		elided = false
		out = append(out, o.mark+showTrailing(cut(o.text)))
	}
	return out
}

// splitLines splits s into lines; "" has none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// showTrailing shows the spaces and tabs at the end of a line of a prompt,
// as "·" and "⇥": a change of trailing white space alone must not look
// like no change, and the text form ends no line with white space.
func showTrailing(line string) string {
	body := strings.TrimRight(line, " \t")
	tail := strings.NewReplacer(" ", "·", "\t", "⇥").Replace(line[len(body):])
	return body + tail
}

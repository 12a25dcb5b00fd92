package iostreams

// ColorScheme wraps text in ANSI colours when colour is enabled, and
// returns it unchanged otherwise. Its zero value has colour off.
type ColorScheme struct {
	enabled bool
}

// Enabled reports whether the scheme adds colour.
func (c *ColorScheme) Enabled() bool { return c.enabled }

// Green is for what is added or created.
func (c *ColorScheme) Green(s string) string { return c.wrap("32", s) }

// Red is for what is removed, deleted or failed.
func (c *ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Yellow is for what is changed, drifted or needs attention.
func (c *ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Bold is for headings and keys.
func (c *ColorScheme) Bold(s string) string { return c.wrap("1", s) }

// Gray is for what is unchanged or secondary.
func (c *ColorScheme) Gray(s string) string { return c.wrap("90", s) }

func (c *ColorScheme) wrap(code, s string) string {
	if !c.enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

package cli

import "github.com/spf13/cobra"

// addEngineCommands adds the commands that work on a folder of specs.
func addEngineCommands(root *cobra.Command, f *Factory, g *globalOptions) {}

package reconcile

// Load reads the specs of the folder dir: every KEY.yaml, KEY.yml and
// KEY.json at its top level (lock files, subfolders and other files are
// not specs), with prompt files read. It returns the folder, or a
// *[LoadError] listing every problem of every file at once, each at its
// file, line and column; or another error when dir cannot be read.
func Load(dir string) (*Folder, error) {
	return nil, ErrNotImplemented
}

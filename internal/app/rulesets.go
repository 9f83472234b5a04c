package app

import (
	"errors"
	"io/fs"
	"os"
	"sort"

	"ktgs/internal/rules"
)

// LoadRules returns the rule registry: the rule sets embedded in the
// binary, plus the *.json files of dir when dir is not empty. A file in
// dir with the name of an embedded one replaces it (for example when the
// official text of a provisional rule set has been checked), so an
// operator adds or corrects a rule set with a data file and no code
// change. The result must pass rules.Lint as a whole.
func LoadRules(dir string) (*rules.Registry, error) {
	if dir == "" {
		return rules.Default(), nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, errors.New("rules directory " + dir + " is not a readable directory")
	}
	return rules.LoadFS(RulesFS(dir))
}

// RulesFS is the embedded rule sets overlaid with the files of dir.
func RulesFS(dir string) fs.FS {
	return overlay{top: os.DirFS(dir), base: rules.EmbeddedData()}
}

// overlay is a read-only file system whose top layer hides files of the
// same name in the base layer.
type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		if st, err := f.Stat(); err == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.base.Open(name)
}

// ReadDir merges the directories of both layers.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	var firstErr error
	for _, layer := range []fs.FS{o.base, o.top} {
		ents, err := fs.ReadDir(layer, name)
		if err != nil {
			firstErr = err
			continue
		}
		for _, e := range ents {
			seen[e.Name()] = e
		}
	}
	if len(seen) == 0 && firstErr != nil {
		return nil, firstErr
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

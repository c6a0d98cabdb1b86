// Package buildinfo tells which build of the project is running: its
// version, VCS revision and Go version (for `tokenserver version` and the
// oma_build_info metric).
//
// The version is the module version Go recorded (a tagged `go install`), or
// what the build set with
//
//	go build -ldflags "-X github.com/openmobileauth/oma/internal/buildinfo.version=1.2.3"
//
// and "devel" otherwise. The revision comes from the VCS stamp Go embeds
// when building inside a git checkout (-buildvcs, on by default).
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// version is set by -ldflags -X (see the package comment).
var version string

// Info describes the running build.
type Info struct {
	Version   string // "1.2.3", a pseudo-version, or "devel"
	Revision  string // VCS revision ("" when not stamped); "+dirty" when modified
	GoVersion string // runtime.Version()
}

var (
	once sync.Once
	info Info
)

// Get returns the running build's Info.
func Get() Info {
	once.Do(func() {
		info = Info{Version: version, GoVersion: runtime.Version()}
		bi, ok := debug.ReadBuildInfo()
		if ok {
			if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				info.Version = bi.Main.Version
			}
			dirty := false
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					info.Revision = s.Value
				case "vcs.modified":
					dirty = s.Value == "true"
				}
			}
			if dirty && info.Revision != "" {
				info.Revision += "+dirty"
			}
		}
		if info.Version == "" {
			info.Version = "devel"
		}
	})
	return info
}

// String is the one-line form printed by `tokenserver version`.
func (i Info) String() string {
	s := "tokenserver " + i.Version
	if i.Revision != "" {
		s += " (" + i.Revision + ")"
	}
	return s + " " + i.GoVersion
}

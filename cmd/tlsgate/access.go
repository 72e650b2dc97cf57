package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/tlsgate/tlsgate/rules"
)

// serviceUser is the system user the package runs tlsgate as (a variable
// for tests).
var serviceUser = "tlsgate"

// identity is a user as the kernel checks file access: uid and groups.
type identity struct {
	name string
	uid  uint32
	gids map[uint32]bool
}

// lookupIdentity reads name's uid and groups from the system's user
// database (supplementary groups included, as systemd's User= gives them).
func lookupIdentity(name string) (identity, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return identity{}, err
	}
	id := identity{name: name, gids: map[uint32]bool{}}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return identity{}, err
	}
	id.uid = uint32(uid)
	groups, err := u.GroupIds()
	if err != nil {
		groups = []string{u.Gid}
	}
	for _, g := range append(groups, u.Gid) {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			id.gids[uint32(n)] = true
		}
	}
	return id, nil
}

// Access bits as in a file mode's rwx triplet.
const (
	accRead  = 4
	accWrite = 2
	accExec  = 1
)

// may reports whether id has the access bits want on fi by its owner,
// group and mode (POSIX ACLs are not read).
func (id identity) may(fi os.FileInfo, want os.FileMode) bool {
	if id.uid == 0 {
		return true
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	perm := fi.Mode().Perm()
	switch {
	case st.Uid == id.uid:
		perm >>= 6
	case id.gids[st.Gid]:
		perm >>= 3
	}
	return perm&want == want
}

// reach checks that id can search every directory above path.
func (id identity) reach(path string) error {
	dir := filepath.Dir(path)
	var dirs []string
	for d := dir; ; d = filepath.Dir(d) {
		dirs = append([]string{d}, dirs...)
		if d == "/" || d == "." {
			break
		}
	}
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if !id.may(fi, accExec) {
			return fmt.Errorf("user %s cannot enter %s (%s)", id.name, d, describe(fi))
		}
	}
	return nil
}

// canRead checks that id can open path for reading.
func (id identity) canRead(path string) error {
	if err := id.reach(path); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !id.may(fi, accRead) {
		return fmt.Errorf("user %s cannot read %s (%s)", id.name, path, describe(fi))
	}
	return nil
}

// canCreate checks that id can open path for appending, creating it when
// it is missing, or (a unix socket) replace it.
func (id identity) canCreate(path string, replace bool) error {
	if err := id.reach(path); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && !replace:
		if !id.may(fi, accWrite) {
			return fmt.Errorf("user %s cannot write %s (%s)", id.name, path, describe(fi))
		}
		return nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	}
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !id.may(di, accWrite|accExec) {
		return fmt.Errorf("user %s cannot create files in %s (%s)", id.name, dir, describe(di))
	}
	return nil
}

// describe gives a file's mode and owners as ls -l shows them.
func describe(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fi.Mode().String()
	}
	return fmt.Sprintf("%s %s:%s", fi.Mode(), userName(st.Uid), groupName(st.Gid))
}

func userName(uid uint32) string {
	if u, err := user.LookupId(strconv.Itoa(int(uid))); err == nil {
		return u.Username
	}
	return strconv.Itoa(int(uid))
}

func groupName(gid uint32) string {
	if g, err := user.LookupGroupId(strconv.Itoa(int(gid))); err == nil {
		return g.Name
	}
	return strconv.Itoa(int(gid))
}

// writablePaths are the directories the systemd unit lets tlsgate write
// (ProtectSystem=strict makes everything else read-only).
var writablePaths = []string{"/var/log/tlsgate/", "/run/tlsgate/"}

// accessProblems checks that id can open what the configuration at path
// names: the file itself, the audit file, a unix socket. Problems stop the
// daemon at start; notes are worth a look.
func accessProblems(id identity, path, src string, cfg *rules.Config) (problems, notes []string) {
	at := func(key string) string {
		if n := rules.KeyLine(src, key); n > 0 {
			return fmt.Sprintf("%s:%d: %s", path, n, key)
		}
		return fmt.Sprintf("%s: %s", path, key)
	}
	if path != "" {
		if err := id.canRead(path); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", path, err))
		}
	}
	sandboxed := func(key, p string) {
		for _, w := range writablePaths {
			if strings.HasPrefix(p, w) {
				return
			}
		}
		notes = append(notes, fmt.Sprintf("%s: %s is outside %s: the systemd unit (ProtectSystem=strict) needs ReadWritePaths=%s in a drop-in (systemctl edit tlsgate)",
			at(key), p, strings.Join(writablePaths, " and "), filepath.Dir(p)))
	}
	if f := cfg.Audit.File; f != "" {
		if err := id.canCreate(f, false); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", at("audit.file"), err))
		}
		sandboxed("audit.file", f)
	}
	if network, addr, err := rules.SplitListen(cfg.Listen); err == nil && network == "unix" {
		if err := id.canCreate(addr, true); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", at("listen"), err))
		}
		sandboxed("listen", addr)
	}
	return problems, notes
}

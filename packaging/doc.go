// Package packaging holds no code: it is the home of the Debian packaging
// (build-deb.sh, the systemd unit, the shipped tlsgate.toml, man pages) and of
// the tests that keep them in step with the program.
package packaging

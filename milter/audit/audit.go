// Package audit writes the audit log: one JSON line per outbound message,
// holding what an auditor needs to see which mail left without enforced TLS
// and why — and never the personal data itself, not even hashed (the CPR
// space is small enough to brute-force a hash).
package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Record is one decision.
type Record struct {
	Time        time.Time `json:"time"`
	QueueID     string    `json:"queue_id"`
	User        string    `json:"user,omitempty"`
	Client      string    `json:"client,omitempty"`
	RcptDomains []string  `json:"rcpt_domains"`
	Decision    string    `json:"decision"`
	Action      string    `json:"action,omitempty"`
	Reasons     []string  `json:"reasons,omitempty"`
	// Rules is the digest of the effective rules (rules.Policy.Version);
	// RulesVersion is the site's label for them, when set.
	Rules        string `json:"rules"`
	RulesVersion string `json:"rules_version,omitempty"`
}

// File appends records to a file. Reopen (on SIGHUP, after logrotate moved
// the file) starts a new one.
type File struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// Open opens (creating, mode 0640) the audit file at path for appending.
func Open(path string) (*File, error) {
	a := &File{path: path}
	if err := a.Reopen(); err != nil {
		return nil, err
	}
	return a, nil
}

// Reopen closes and opens the file again.
func (a *File) Reopen() error {
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.mu.Lock()
	old := a.f
	a.f = f
	a.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return nil
}

// Write appends one record as a JSON line. A single write(2) with O_APPEND
// keeps lines whole.
func (a *File) Write(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err = a.f.Write(b)
	return err
}

// Close closes the file.
func (a *File) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.f.Close()
}

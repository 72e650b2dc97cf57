package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/tlsgate/tlsgate/classify"
)

// Verdict is the outcome for one outbound message.
type Verdict string

// Verdicts, as written to the audit log.
const (
	// Require: no opt-out asked; TLS required.
	Require Verdict = "require"
	// Granted: opt-out asked and the message is clean; opportunistic TLS.
	Granted Verdict = "optout-granted"
	// Refused: opt-out asked but the message is sensitive, uninspectable,
	// or its Subject is in doubt; TLS required (or rejected).
	Refused Verdict = "optout-refused"
	// Pass: not outbound mail; left untouched.
	Pass Verdict = "pass"
)

// Policy is a compiled configuration: what the milter consults for every
// message. It is immutable; a reload builds a new one.
type Policy struct {
	Config     *Config
	Classifier *classify.Classifier
	trusted    []netip.Prefix
	loaded     time.Time
	digest     string
}

// Compile builds a Policy from a validated Config.
func Compile(cfg *Config) (*Policy, error) {
	p := &Policy{Config: cfg, loaded: time.Now(), digest: digest(cfg)}
	for _, n := range cfg.TrustedNetworks {
		pfx, err := parseNetwork(n)
		if err != nil {
			return nil, fmt.Errorf("trusted_networks: %q: %w", n, err)
		}
		p.trusted = append(p.trusted, pfx)
	}
	c, err := classify.New(classify.Options{
		Terms:          cfg.TermLists(),
		MaxDepth:       cfg.Limits.MaxDepth,
		MaxParts:       cfg.Limits.MaxParts,
		MaxHeaderBytes: cfg.Limits.MaxHeaderBytes,
		IgnoreImages:   cfg.Content.Images == ImagesIgnore,
		Timeout:        cfg.Limits.ScanTimeout.Duration,
	})
	if err != nil {
		return nil, fmt.Errorf("terms: %w", err)
	}
	p.Classifier = c
	return p, nil
}

// Version names the rules for the audit log: a digest of the effective
// rules (see digest), the same for the same rules whatever file held them.
func (p *Policy) Version() string { return p.digest }

// Label is the site's own name for its rules (rules_version), written
// beside the digest; "" when not set.
func (p *Policy) Label() string { return p.Config.RulesVersion }

// Outbound reports whether a message is outbound: the client authenticated
// (Postfix and Sendmail set {auth_authen}), or it connected from a trusted
// network. An unknown client address is not trusted.
func (p *Policy) Outbound(authUser string, client netip.Addr) bool {
	if authUser != "" {
		return true
	}
	if !client.IsValid() {
		return false
	}
	client = client.Unmap()
	for _, pfx := range p.trusted {
		if pfx.Contains(client) {
			return true
		}
	}
	return false
}

// Input is what the milter learned about one outbound message.
type Input struct {
	// Tagged: some Subject carried an opt-out tag.
	Tagged bool
	// SubjectProblems are reasons that forbid the opt-out whatever the
	// content: classify.SubjectMultiple, classify.SubjectUndecodable.
	SubjectProblems []classify.Reason
	// Scan is the classifier's result; nil when it was not run.
	Scan *classify.Result
	// Errors are reasons for failures around the scan
	// (classify.LimitSize, classify.ErrorInternal).
	Errors []classify.Reason
}

// Decision is the outcome and its reasons.
type Decision struct {
	Verdict Verdict
	// Reasons are reason codes (cpr:2, term:health,
	// uninspectable:attachment, subject:multiple, …), sorted by wire form.
	// A granted opt-out has none, except classify.ContentEncrypted when it
	// was granted because the message is encrypted as a whole (recorded in
	// the audit log).
	Reasons classify.Codes
	// Reject is set when a refused opt-out is to be rejected (550 5.7.1)
	// rather than delivered with TLS required.
	Reject bool
}

// Decide applies the decision table of the reference design: without a tag
// TLS is required; with one the opt-out is granted only when the Subject is
// sound, the classifier ran, found nothing and could read everything, and
// nothing failed around it.
func (p *Policy) Decide(in Input) Decision {
	if !in.Tagged {
		return Decision{Verdict: Require}
	}
	var reasons classify.Codes
	reasons = append(reasons, classify.Of(in.SubjectProblems...)...)
	reasons = append(reasons, classify.Of(in.Errors...)...)
	if in.Scan == nil {
		if len(reasons) == 0 {
			reasons = append(reasons, classify.Code{Reason: classify.ErrorNotScanned})
		}
	} else {
		reasons = append(reasons, in.Scan.Codes()...)
	}
	if len(reasons) == 0 && in.Scan != nil && in.Scan.ContentEncrypted {
		// Nothing was found in what could be read, and the body is
		// already protected end to end (content.encrypted).
		if p.Config.Content.Encrypted != EncryptedRefuse {
			return Decision{Verdict: Granted, Reasons: classify.Of(classify.ContentEncrypted)}
		}
		reasons = append(reasons, classify.Code{Reason: classify.UninspectableContentEncrypted})
	}
	if len(reasons) == 0 {
		return Decision{Verdict: Granted}
	}
	reasons.Sort()
	return Decision{Verdict: Refused, Reasons: reasons, Reject: p.Config.RefusedAction == ActionReject}
}

// HeaderValue is the routing header value for a decision.
func (p *Policy) HeaderValue(d Decision) string {
	if d.Verdict == Granted {
		return p.Config.Header.Opportunistic
	}
	return p.Config.Header.Require
}

// Explain gives the reply text for a rejected opt-out in Danish and in
// English: plain words, ASCII only (RFC 5321 replies are ASCII; "oe", "ae"
// and "aa" stand in for ø, æ and å). It names the kinds of content, never
// the content.
func (p *Policy) Explain(reasons classify.Codes) (da, en string) {
	das, ens := Kinds(reasons)
	tag := p.Config.OptOutTags[0]
	da = fmt.Sprintf("Beskeden maa ikke sendes ukrypteret, fordi den indeholder %s. Fjern %s fra emnet og send den igen.", asciiDanish.Replace(strings.Join(das, ", ")), tag)
	en = fmt.Sprintf("The message may not be sent unencrypted because it contains %s. Remove %s from the subject and send it again.", strings.Join(ens, ", "), tag)
	return da, en
}

// asciiDanish spells Danish letters the way Danes do without them.
var asciiDanish = strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa")

// Kinds names, in Danish and in English, the kinds of content behind a
// refusal's reason codes: each category found once, then "content that
// could not be checked" for every other reason (uninspectable parts,
// limits, Subject problems, errors).
func Kinds(reasons classify.Codes) (da, en []string) {
	seen := map[string]bool{}
	unreadable := false
	for _, r := range reasons {
		cat := ""
		switch r.Kind() {
		case classify.KindCPR:
			cat = classify.CategoryCPR
		case classify.KindTerm:
			cat = r.Category
		default:
			unreadable = true
			continue
		}
		if seen[cat] {
			continue
		}
		seen[cat] = true
		if n, ok := categoryNames[cat]; ok {
			da, en = append(da, n[0]), append(en, n[1])
		} else {
			da, en = append(da, "følsomme oplysninger"), append(en, "sensitive data")
		}
	}
	if unreadable {
		da = append(da, "indhold der ikke kunne kontrolleres")
		en = append(en, "content that could not be checked")
	}
	return da, en
}

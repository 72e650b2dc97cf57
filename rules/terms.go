package rules

import (
	"sort"
	"strings"
)

// DefaultTerms are the built-in sensitive-term lists, Danish and English, one
// per GDPR art. 9 category plus the kinds of personal data the Danish data
// protection authority treats as confidential (income, debt, employment
// matters, social cases, criminal records, CPR). See TermsConfig for the
// pattern syntax ("gæld*" would also match "gælder", "applies"). Words that are everyday business vocabulary ("løn" as a
// prefix also matches "lønsom", "treatment" is mostly about data) are left
// out or written as whole words on purpose.
var DefaultTerms = map[string][]string{
	"health": {
		"helbred*", "*helbred*", "sundhedsoplysning*", "*sygdom*", "syg", "syge", "sygemeld*", "*sygemeld*",
		"sygeorlov*", "sygefravær*", "*sygefravær*", "diagnose*", "*diagnose*", "medicin*", "*medicinsk*",
		"patient*", "*patientjournal*", "journalnotat*", "hospital*", "sygehus*", "indlæggelse*", "indlagt",
		"lægeerklæring*", "*lægeerklæring*", "psykiat*", "psykolog*", "depression*", "kræft", "cancer",
		"hiv", "aids", "handicap*", "*handicap*", "graviditet*", "gravid", "abort", "misbrug*", "*misbrug",
		"demens", "diabetes", "epilepsi", "skizofreni", "angst", "stresssygemeld*",
		"health condition*", "health record*", "health data", "medical*", "diagnos*", "illness*", "sick leave",
		"sickness*", "disease*", "prescription*", "mental health", "therapy", "psychiatr*", "pregnan*",
		"disabilit*", "depression", "surgery", "dementia",
	},
	"union": {
		"fagforening*", "*fagforening*", "fagforbund*", "*fagforbund*", "tillidsrepræsentant*", "*tillidsrepræsentant*",
		"trade union*", "labour union*", "labor union*", "union member*", "union dues", "shop steward*",
	},
	"ethnicity": {
		"etnicitet*", "etnisk*", "*etnisk*", "race", "racemæssig*", "hudfarve*", "herkomst",
		"ethnic*", "racial*", "skin colour", "skin color",
	},
	"politics": {
		"politisk overbevisning*", "politiske overbevisning*", "politisk holdning*", "politiske holdning*",
		"partimedlem*", "*partimedlem*", "partitilhørsforhold",
		"political opinion*", "political view*", "political affiliation*", "party member*",
	},
	"religion": {
		"religion*", "*religion*", "religiøs*", "*religiøs*", "trosretning*", "trossamfund*", "livssyn*",
		"muslim*", "jøde", "jøder", "jødisk*", "moské*", "synagoge*",
		"religio*", "religious belief*", "philosophical belief*", "jewish", "catholic*", "hindu*",
		"buddhis*", "atheis*",
	},
	"sexlife": {
		"seksuel*", "*seksuel*", "sexliv*", "seksualitet*", "*seksualitet*", "lesbisk*", "bøsse*", "transkøn*",
		"kønsidentitet*", "sexual*", "*sexual*", "sex life", "lesbian*", "bisexual*", "transgender*",
	},
	"biometric": {
		"biometri*", "*biometri*", "fingeraftryk*", "*fingeraftryk*", "ansigtsgenkendelse*", "irisscanning*",
		"biometric*", "fingerprint*", "facial recognition", "retina scan*", "iris scan*",
	},
	"genetic": {
		"genetisk*", "*genetisk*", "dna", "arvelig*", "gentest*", "genanalyse*",
		"genetic*", "genome*", "hereditary",
	},
	"criminal": {
		"straffeattest*", "*straffeattest*", "strafferegister*", "kriminalregister*", "straffesag*", "*straffesag*",
		"dømt", "sigtet", "tiltalt", "criminal record*", "criminal conviction*", "convicted",
	},
	"income": {
		"indkomst*", "*indkomst*", "løn", "lønnen", "lønseddel*", "lønsedl*", "*lønseddel*", "*lønsedl*",
		"lønoplysning*", "lønsamtale*", "lønforhøjelse*", "lønindplacering*", "årsopgørelse*", "*årsopgørelse*",
		"skatteopgørelse*", "forskudsopgørelse*", "salary*", "payslip*", "pay slip*", "income*", "tax return*",
	},
	"debt": {
		"gæld", "gælden", "*gæld", "*gælden", "gælds*", "*gælds*", "inkasso*", "*inkasso*", "restance*", "*restance*",
		"betalingsanmærkning*", "rki", "lønindeholdelse*", "udlægsforretning*", "gældssanering*",
		"personlig konkurs", "debt*", "debt collection", "arrears", "bankruptcy",
	},
	"employment": {
		"afskedig*", "*afskedig*", "bortvis*", "tjenstlig*", "personalesag*", "*personalesag*", "fratrædelse*",
		"disciplinær*", "advarsel om afsked*", "opsigelse af ansættelse*", "a-kasse*", "dagpenge*",
		"dismissal*", "disciplinary*", "personnel file*", "termination of employment", "performance review*",
		"grievance*", "unemployment benefit*",
	},
	"social": {
		"kontanthjælp*", "*kontanthjælp*", "førtidspension*", "fleksjob*", "anbringelse*", "*anbringelse*",
		"underretning*", "børnesag*", "socialsag*", "social sag", "misbrugsbehandling*",
		"social benefit*", "welfare benefit*", "child protection",
	},
}

// categoryNames gives each category in the words a sender reads: Danish
// first, then English.
var categoryNames = map[string][2]string{
	"cpr":        {"CPR-nummer", "CPR number"},
	"health":     {"helbredsoplysninger", "health data"},
	"union":      {"fagforeningsforhold", "trade-union membership"},
	"ethnicity":  {"etnisk oprindelse", "ethnic origin"},
	"politics":   {"politisk overbevisning", "political opinions"},
	"religion":   {"religion eller livssyn", "religious beliefs"},
	"sexlife":    {"seksuelle forhold", "sex life or orientation"},
	"biometric":  {"biometriske data", "biometric data"},
	"genetic":    {"genetiske data", "genetic data"},
	"criminal":   {"strafbare forhold", "criminal records"},
	"income":     {"indkomst eller løn", "income or salary"},
	"debt":       {"gæld", "debts"},
	"employment": {"ansættelsesforhold", "employment matters"},
	"social":     {"sociale forhold", "social welfare matters"},
}

// TermCategories lists the built-in categories, sorted.
func TermCategories() []string {
	cats := make([]string, 0, len(DefaultTerms))
	for c := range DefaultTerms {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	return cats
}

// TermLists returns the effective term lists: built-ins, replaced by
// terms.lists, then edited by terms.add and terms.remove. The CPR keywords
// form the "cpr" category.
func (c *Config) TermLists() map[string][]string {
	out := make(map[string][]string, len(DefaultTerms)+1)
	for cat, l := range DefaultTerms {
		out[cat] = append([]string(nil), l...)
	}
	for cat, l := range c.Terms.Lists {
		out[cat] = append([]string(nil), l...)
	}
	for cat, l := range c.Terms.Add {
		out[cat] = append(out[cat], l...)
	}
	for cat, l := range c.Terms.Remove {
		drop := make(map[string]bool, len(l))
		for _, p := range l {
			drop[strings.ToLower(p)] = true
		}
		kept := out[cat][:0]
		for _, p := range out[cat] {
			if !drop[strings.ToLower(p)] {
				kept = append(kept, p)
			}
		}
		out[cat] = kept
	}
	out["cpr"] = append(out["cpr"], c.CPR.Keywords...)
	return out
}

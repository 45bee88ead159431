package report

import (
	"io"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/vocab"
)

// SARIF constants.
const (
	sarifSchemaURI  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion    = "2.1.0"
	sarifInfoURI    = "https://github.com/stratatools/strata"
	sarifSrcRoot    = "%SRCROOT%"
	sarifColumnKind = "utf16CodeUnits"
	unknownRuleID   = "unknown"
)

// The SARIF 2.1.0 subset strata writes. Field order is the output key
// order.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		Results    []sarifResult `json:"results"`
		ColumnKind string        `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name,omitempty"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		Help                 *sarifHelp         `json:"help,omitempty"`
		HelpURI              string             `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Category  string   `json:"category,omitempty"`
		Checklist string   `json:"checklist,omitempty"`
		Aliases   []string `json:"aliases"`
		Tags      []string `json:"tags"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		EndLine     int `json:"endLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// SARIF writes a SARIF 2.1.0 log with one run. tool.driver.rules lists
// every rule of r.Rules (by ID), plus a minimal entry for any rule a
// finding names that r.Rules lacks. Severities map to levels: error →
// error, warning → warning, info and style → note. Relative paths are
// given against %SRCROOT%; lines are clamped to ≥ 1 and byte columns are
// converted to UTF-16 code units when the source line is known.
func SARIF(w io.Writer, r *Report, _ Options) error {
	var version string
	var infos []RuleInfo
	if r != nil {
		version = r.Version
		infos = r.Rules
	}
	rules, index := sarifRules(infos)

	entries := sortedEntries(r)
	results := make([]sarifResult, 0, len(entries))
	for _, e := range entries {
		id := e.Rule
		if id == "" {
			id = unknownRuleID
		}
		i, ok := index[id]
		if !ok {
			i = len(rules)
			index[id] = i
			rules = append(rules, minimalSARIFRule(id, e.Finding))
		}
		msg := e.Message
		if strings.TrimSpace(msg) == "" {
			msg = firstNonEmpty(e.Name, id)
		}
		res := sarifResult{
			RuleID:    id,
			RuleIndex: i,
			Level:     sarifLevel(e.Severity),
			Message:   sarifText{Text: msg},
		}
		if e.File != "" {
			uri, base := sarifURI(e.File)
			start, end := lineSpan(e.Finding)
			res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: base},
				Region: sarifRegion{
					StartLine:   start,
					EndLine:     end,
					StartColumn: utf16Column(e.lines, e.Line, e.Column),
				},
			}}}
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  sarifSchemaURI,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName(r),
				Version:        version,
				InformationURI: sarifInfoURI,
				Rules:          rules,
			}},
			Results:    results,
			ColumnKind: sarifColumnKind,
		}},
	}
	return WriteJSON(w, log, "SARIF")
}

// sarifRules converts the rule metadata, sorted by ID with duplicates
// dropped, and indexes it by ID.
func sarifRules(infos []RuleInfo) ([]sarifRule, map[string]int) {
	sorted := append([]RuleInfo(nil), infos...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	rules := make([]sarifRule, 0, len(sorted))
	index := map[string]int{}
	for _, ri := range sorted {
		id := ri.ID
		if id == "" {
			id = unknownRuleID
		}
		if _, dup := index[id]; dup {
			continue
		}
		index[id] = len(rules)
		summary := firstNonEmpty(ri.Summary, ri.Name, id)
		rule := sarifRule{
			ID:                   id,
			Name:                 ri.Name,
			ShortDescription:     sarifText{Text: summary},
			FullDescription:      sarifText{Text: summary},
			HelpURI:              sarifHelpURI(ri.HelpURI),
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(ri.Severity)},
			Properties:           sarifProps(ri.Category, ri.Checklist, ri.Aliases),
		}
		help := ri.Help
		if strings.TrimSpace(help) == "" {
			help = summary
		}
		rule.Help = &sarifHelp{Text: help, Markdown: help}
		rules = append(rules, rule)
	}
	return rules, index
}

// minimalSARIFRule describes a rule known only from a finding.
func minimalSARIFRule(id string, f Finding) sarifRule {
	summary := firstNonEmpty(f.Name, id)
	return sarifRule{
		ID:                   id,
		Name:                 f.Name,
		ShortDescription:     sarifText{Text: summary},
		FullDescription:      sarifText{Text: summary},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(f.Severity)},
		Properties:           sarifProps(f.Category, f.Checklist, f.Aliases),
	}
}

func sarifProps(cat vocab.Category, checklist string, aliases []string) sarifRuleProps {
	category := string(cat)
	tags := []string{"dockerfile"}
	if category != "" && category != "dockerfile" {
		tags = append(tags, category)
	}
	return sarifRuleProps{
		Category:  category,
		Checklist: checklist,
		Aliases:   uniqueStrings(aliases),
		Tags:      tags,
	}
}

// uniqueStrings returns ss without duplicates or empty strings, in order,
// never nil (SARIF property arrays must hold unique items).
func uniqueStrings(ss []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range ss {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// sarifHelpURI keeps u only when it is an absolute URI, as SARIF requires.
func sarifHelpURI(u string) string {
	p, err := url.Parse(u)
	if err != nil || !p.IsAbs() {
		return ""
	}
	return u
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(sev vocab.Severity) string {
	switch normSeverity(sev) {
	case vocab.Error:
		return "error"
	case vocab.Warning:
		return "warning"
	}
	return "note"
}

// sarifURI turns a file path into a SARIF artifact URI: a relative path
// becomes a relative reference (forward slashes, percent-encoded) against
// %SRCROOT%, an absolute path a file: URI.
func sarifURI(file string) (uri, baseID string) {
	// An image in a registry (strata audit) is named by an absolute URI.
	if u, err := url.Parse(file); err == nil && u.Scheme == "docker" && u.Host != "" {
		return u.String(), ""
	}
	slashed := filepath.ToSlash(file)
	if filepath.IsAbs(file) || path.IsAbs(slashed) {
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // a Windows drive path
		}
		return (&url.URL{Scheme: "file", Path: slashed}).String(), ""
	}
	clean := path.Clean(slashed)
	return (&url.URL{Path: clean}).String(), sarifSrcRoot
}

// utf16Column converts the 1-based byte column col on line n of lines to
// a 1-based column in UTF-16 code units. Without the line text the byte
// column is kept (they agree for ASCII). It returns 0 when col is unknown.
func utf16Column(lines []string, n, col int) int {
	if col < 1 {
		return 0
	}
	if n < 1 || n > len(lines) {
		return col
	}
	line := lines[n-1]
	if col-1 > len(line) {
		return col
	}
	units := 0
	for prefix := line[:col-1]; prefix != ""; {
		r, size := utf8.DecodeRuneInString(prefix)
		if n := utf16.RuneLen(r); n > 0 {
			units += n
		} else {
			units++
		}
		prefix = prefix[size:]
	}
	return units + 1
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

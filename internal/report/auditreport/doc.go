// Package auditreport renders strata audit's report of a registry (the
// model is internal/audit's): the images ranked and the layers they share,
// as text, JSON and a self-contained HTML page, and the audit's findings
// as a lint report for SARIF and the other lint formats. The shared
// helpers (palette, JSON and HTML page writers) are internal/report's.
package auditreport

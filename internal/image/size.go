package image

import "github.com/stratatools/strata/internal/vocab"

// FormatSize renders bytes with a decimal unit and three significant
// digits: "512 B", "14.1 MB", "1.41 GB" (vocab.FormatSize).
func FormatSize(n int64) string { return vocab.FormatSize(n) }

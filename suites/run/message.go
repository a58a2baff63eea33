package run

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// gomegaDump is where Gomega's rendering of a failed assertion starts, after
// the assertion's own annotation: "Expected" or "Unexpected error:" on a
// line of its own, then the values with their Go types and addresses.
var gomegaDump = regexp.MustCompile(`(?m)^(Expected|Unexpected error:)$`)

// gomegaValue is a value line of the dump: "    <type | 0xc000...>: value".
var gomegaValue = regexp.MustCompile(`^\s+<[^>]*>: ?(.*)$`)

// maxObserved bounds the observed value quoted from a dump: a long one is
// in the evidence, not the message.
const maxObserved = 80

// plainFailure is a failure message as people read it: the assertion's own
// annotation, which says what the check requires, with the observed value
// when the dump shows it on one short line, is not a boolean, and the
// annotation does not quote it already. Without an annotation the dump is condensed to one line
// ("expected 500 to equal 401"). Other messages are left as they are.
func plainFailure(msg string) string {
	loc := gomegaDump.FindStringIndex(msg)
	if loc == nil {
		return msg
	}
	annotation := strings.TrimSpace(msg[:loc[0]])
	dump := strings.Split(msg[loc[0]:], "\n")
	var words, values []string
	for i := 0; i < len(dump); i++ {
		line := dump[i]
		m := gomegaValue.FindStringSubmatch(line)
		switch {
		case m != nil:
			value := m[1]
			if value == "" && i+1 < len(dump) && strings.HasPrefix(dump[i+1], "    ") {
				i++ // an error's message is on the line after its type
				value = strings.TrimSpace(dump[i])
			}
			value = shorten(value)
			values = append(values, value)
			words = append(words, value)
		case strings.HasPrefix(line, " "), strings.TrimSpace(line) == "":
			// the rest of a value printed over several lines
		default:
			words = append(words, strings.TrimSpace(line))
		}
	}
	if annotation == "" {
		condensed := strings.Join(words, " ")
		return strings.ToLower(condensed[:1]) + condensed[1:]
	}
	if len(values) == 0 || !telling(values[0]) || strings.Contains(annotation, values[0]) {
		return annotation
	}
	return annotation + " (got " + values[0] + ")"
}

// telling: the observed value adds to an annotation. A boolean does not:
// an assertion on one is annotated with what was observed.
func telling(value string) bool {
	return value != "" && value != "…" && value != "true" && value != "false"
}

// shorten cuts a value past maxObserved runes to "…".
func shorten(value string) string {
	if utf8.RuneCountInString(value) > maxObserved {
		return "…"
	}
	return value
}

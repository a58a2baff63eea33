package evidence

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Redacted replaces every secret value in recorded evidence.
const Redacted = "[REDACTED]"

// secretParams are OAuth parameter and member names whose values are secrets.
var secretParams = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true, "code": true,
	"code_verifier": true, "client_secret": true, "client_assertion": true,
	"registration_access_token": true, "initial_access_token": true,
	"token": true, "assertion": true, "subject_token": true, "actor_token": true,
	"password": true,
}

// secretHeaders carry credentials in their whole value.
var secretHeaders = map[string]bool{
	"Cookie": true, "Set-Cookie": true, "Dpop": true, "X-Api-Key": true,
}

// urlHeaders carry URLs whose query may hold a code or a token.
var urlHeaders = map[string]bool{"Location": true, "Content-Location": true, "Referer": true}

// credentialHeaders carry "scheme credentials": the scheme stays visible.
var credentialHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true}

var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)

// secretParamInText finds a secret parameter of a URL inside any text: an
// HTML page's link to the redirect URI (its & escaped as &amp;), an error
// message quoting a URL. Group 1 is the parameter's name and separator.
var secretParamInText = func() *regexp.Regexp {
	names := make([]string, 0, len(secretParams))
	for name := range secretParams {
		names = append(names, regexp.QuoteMeta(name))
	}
	sort.Strings(names)
	return regexp.MustCompile(`(?i)([?&;#](?:` + strings.Join(names, "|") + `)=)[^&\s"'<>#]+`)
}()

// Redactor removes secrets from headers, URLs and bodies. Besides the
// well-known secret names it removes any literal value registered with Add,
// such as a configured initial access token. It is safe for concurrent use:
// client mode's scenarios teach it secrets side by side.
type Redactor struct {
	mu       sync.RWMutex
	literals []string
	// credentials numbers the credentials redacted from Authorization
	// headers, in order of first appearance (fingerprint).
	credentials map[string]int
}

// maxFingerprints bounds the credentials numbered apart; later ones share
// one mark.
const maxFingerprints = 10000

// Add registers literal secret values to remove wherever they appear.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 4 && !slices.Contains(r.literals, s) {
			r.literals = append(r.literals, s)
		}
	}
	// Longest first, so a secret containing another is removed whole.
	sort.Slice(r.literals, func(i, j int) bool { return len(r.literals[i]) > len(r.literals[j]) })
}

// AddClient registers a client's secret and its HTTP Basic credentials,
// which a target may echo: base64 of id:secret, standard and URL-safe,
// padded or not, of the pair as is and form-urlencoded first as RFC 6749
// §2.3.1 has it.
func (r *Redactor) AddClient(id, secret string) {
	if secret == "" {
		return
	}
	forms := []string{secret}
	for _, pair := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(pair)))
		}
	}
	r.Add(forms...)
}

// minSecretPrefix is the shortest start of a secret removed where a text
// ends: a body recorded up to its cap can end inside a longer secret.
const minSecretPrefix = 8

// Header returns a redacted copy of h.
func (r *Redactor) Header(h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		key := http.CanonicalHeaderKey(k)
		for _, v := range vs {
			switch {
			case secretHeaders[key]:
				v = Redacted
			case credentialHeaders[key]:
				v = r.redactCredentials(v)
			case urlHeaders[key]:
				v = r.URL(v)
			default:
				v = r.Text(v)
			}
			out[key] = append(out[key], v)
		}
	}
	return out
}

// URL returns u with secret query parameters redacted.
func (r *Redactor) URL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.RawQuery == "" {
		return r.Text(u)
	}
	parsed.RawQuery = redactForm(parsed.RawQuery)
	return r.Text(parsed.String())
}

// Body redacts a request or response body according to its content type.
func (r *Redactor) Body(contentType, body string) string {
	switch {
	case strings.Contains(contentType, "application/x-www-form-urlencoded"):
		body = redactForm(body)
	case strings.Contains(contentType, "json"):
		body = redactJSON(body)
	}
	return r.Text(body)
}

// Text removes JWT-shaped strings, secret parameters of URLs and registered
// literals from free text.
func (r *Redactor) Text(s string) string {
	s = jwtLike.ReplaceAllString(s, Redacted)
	s = secretParamInText.ReplaceAllString(s, "${1}"+Redacted)
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, lit := range r.literals {
		s = strings.ReplaceAll(s, lit, Redacted)
	}
	if cut := secretCut(s, r.literals); cut >= 0 {
		s = s[:cut] + Redacted
	}
	return s
}

// secretCut is where s ends inside a known secret: the start of its longest
// suffix of at least minSecretPrefix bytes that begins a literal; -1 if none.
func secretCut(s string, literals []string) int {
	cut := -1
	for _, lit := range literals {
		if len(lit) <= minSecretPrefix {
			continue
		}
		head, end := lit[:minSecretPrefix], len(s)
		if cut >= 0 {
			end = cut // only a longer suffix can replace it
		}
		for from := max(0, len(s)-len(lit)+1); from < end; from++ {
			i := strings.Index(s[from:], head)
			if i < 0 || from+i >= end {
				break
			}
			from += i
			if strings.HasPrefix(lit, s[from:]) {
				cut = from
				break
			}
		}
	}
	return cut
}

// redactCredentials keeps the scheme and replaces the credentials with
// their fingerprint.
func (r *Redactor) redactCredentials(v string) string {
	scheme, credentials, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found {
		return Redacted
	}
	return scheme + " " + r.fingerprint(strings.TrimSpace(credentials))
}

// fingerprint marks a redacted credential so that evidence tells one from
// another (a forged token from the control beside it) without showing
// either: its order of first appearance and, for a JWT, its alg, which is
// no secret: [REDACTED jwt alg=none #2].
func (r *Redactor) fingerprint(credential string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.credentials == nil {
		r.credentials = map[string]int{}
	}
	n, seen := r.credentials[credential]
	if !seen && len(r.credentials) < maxFingerprints {
		n = len(r.credentials) + 1
		r.credentials[credential] = n
	}
	mark := "[REDACTED "
	if alg := jwtAlg(credential); alg != "" {
		mark += "jwt alg=" + alg + " "
	}
	if n == 0 {
		return mark + "#more]"
	}
	return mark + "#" + strconv.Itoa(n) + "]"
}

// algName is what a JWT's alg may show in a fingerprint: a short name.
var algName = regexp.MustCompile(`^[A-Za-z0-9+_-]{1,16}$`)

// jwtAlg is the alg of a JWT's header; "" when credential is no JWT or
// its alg no plain name.
func jwtAlg(credential string) string {
	header, _, found := strings.Cut(credential, ".")
	if !found || strings.Count(credential, ".") != 2 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return ""
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(raw, &h) != nil || !algName.MatchString(h.Alg) {
		return ""
	}
	return h.Alg
}

func redactForm(raw string) string {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return raw
	}
	changed := false
	for k := range values {
		if secretParams[strings.ToLower(k)] {
			values[k] = []string{Redacted}
			changed = true
		}
	}
	if !changed {
		return raw
	}
	return values.Encode()
}

func redactJSON(body string) string {
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		return body
	}
	if !redactValue(doc) {
		return body
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return string(out)
}

// redactValue blanks secret members in place and reports whether it did.
func redactValue(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, member := range t {
			if secretParams[strings.ToLower(k)] {
				if _, isString := member.(string); isString {
					t[k] = Redacted
					changed = true
					continue
				}
			}
			changed = redactValue(member) || changed
		}
	case []any:
		for _, item := range t {
			changed = redactValue(item) || changed
		}
	}
	return changed
}

package mockserver

import (
	"crypto/subtle"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"sync"
)

// The resource owner's sign-in and consent, as HTML forms, for the
// authorization strategies that get through them (form, browser) to prove
// themselves against. Without WithLoginForm the authorization endpoint
// approves at once.

// LoginForm is the resource owner's sign-in at the authorization endpoint.
type LoginForm struct {
	Username, Password string
	// Scripted pages build their forms with JavaScript: only a browser
	// gets through them.
	Scripted bool
}

// WithLoginForm makes the authorization endpoint ask the resource owner to
// sign in, then to approve the client, in HTML forms, before it redirects
// back; a LoginForm without a username changes nothing. Signing in sets a
// session cookie, so a user agent that keeps it is only asked to approve.
func WithLoginForm(form LoginForm) Option {
	return func(c *config) {
		if form.Username != "" {
			c.login = &loginState{form: form, sessions: map[string]string{}, approvals: map[string]bool{}}
		}
	}
}

// WithoutDynamicRegistration offers no registration endpoint: clients are
// registered in advance (WithClient), as at many enterprise identity
// providers.
func WithoutDynamicRegistration() Option {
	return func(c *config) { c.noRegistration = true }
}

const (
	sessionCookie = "mcpconform_session"
	maxLoginForm  = 64 << 10
)

// loginState is who signed in and what they approved.
type loginState struct {
	form      LoginForm
	mu        sync.Mutex
	sessions  map[string]string // session cookie → its consent form's CSRF token
	approvals map[string]bool   // session and request approved, not yet used
}

func (s *Server) mountLogin(as *http.ServeMux) {
	if s.cfg.login == nil {
		return
	}
	as.HandleFunc("POST "+pathOf(s.asOrigin, s.loginEndpoint()), s.signIn)
	as.HandleFunc("POST "+pathOf(s.asOrigin, s.consentEndpoint()), s.consent)
}

func (s *Server) loginEndpoint() string   { return s.authorizationEndpoint() + "/login" }
func (s *Server) consentEndpoint() string { return s.authorizationEndpoint() + "/consent" }

// awaitResourceOwner answers a valid authorization request from client c
// with the login page or the consent page until the resource owner has
// approved exactly this request; it reports whether it answered.
func (s *Server) awaitResourceOwner(w http.ResponseWriter, r *http.Request, c *client) bool {
	l := s.cfg.login
	if l == nil {
		return false
	}
	request := r.URL.Query().Encode()
	session, csrf := l.session(r)
	switch {
	case session == "":
		decide(r, "login page shown")
		s.loginPage(w, request, "")
	case l.takeApproval(session, request):
		decide(r, "approved by %s", l.form.Username)
		return false
	default:
		decide(r, "consent page shown")
		l.render(w, http.StatusOK, formPage{Title: "Allow " + c.ID + " to access the MCP server?", Action: s.consentEndpoint(),
			Hidden:  map[string]string{"request": request, "csrf": csrf},
			Notes:   []string{"Scope: " + r.URL.Query().Get("scope")},
			Buttons: []formButton{{"decision", "deny", "Deny"}, {"decision", "approve", "Allow"}}})
	}
	return true
}

func (s *Server) loginPage(w http.ResponseWriter, request, problem string) {
	status := http.StatusOK
	var notes []string
	if problem != "" {
		status, notes = http.StatusUnauthorized, []string{problem}
	}
	s.cfg.login.render(w, status, formPage{Title: "Sign in to the mcpconform reference", Action: s.loginEndpoint(),
		Hidden: map[string]string{"request": request}, Notes: notes,
		Inputs:  []formInput{{"text", "username", "Username"}, {"password", "password", "Password"}},
		Buttons: []formButton{{"", "", "Sign in"}}})
}

// signIn checks the credentials, starts a session and sends the user agent
// back to the authorization request.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	l := s.cfg.login
	request, ok := readLoginForm(w, r)
	if !ok {
		return
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if subtle.ConstantTimeCompare([]byte(username), []byte(l.form.Username))&
		subtle.ConstantTimeCompare([]byte(password), []byte(l.form.Password)) != 1 {
		decide(r, "sign-in refused")
		s.loginPage(w, request, "Wrong username or password.")
		return
	}
	session := randomValue()
	l.mu.Lock()
	l.sessions[session] = randomValue()
	l.mu.Unlock()
	decide(r, "signed in as %s", username)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.authorizationEndpoint()+"?"+request, http.StatusSeeOther)
}

// consent records the approval of a request and sends the user agent back
// to it, or refuses the request with access_denied.
func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	l := s.cfg.login
	request, ok := readLoginForm(w, r)
	if !ok {
		return
	}
	session, csrf := l.session(r)
	if session == "" || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(csrf)) != 1 {
		decide(r, "consent refused: no session or a wrong CSRF token")
		http.Error(w, "mockserver: sign in first", http.StatusForbidden)
		return
	}
	if r.PostForm.Get("decision") == "approve" {
		l.mu.Lock()
		l.approvals[session+"\n"+request] = true
		l.mu.Unlock()
		decide(r, "consent given")
		http.Redirect(w, r, s.authorizationEndpoint()+"?"+request, http.StatusSeeOther)
		return
	}
	q, _ := url.ParseQuery(request)
	_, redirectURI, err := s.authorizationClient(r, q)
	if err != nil {
		s.refuseUnvalidated(w, r, q, err)
		return
	}
	decide(r, "consent refused by the resource owner")
	s.redirectAuthorizationResponse(w, r, redirectURI, q, url.Values{"error": {oauthAccessDenied}})
}

// readLoginForm parses a posted form and returns its authorization request
// in canonical form; it answers 400 itself when it cannot.
func readLoginForm(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := w.Header()
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "mockserver: the form does not parse", http.StatusBadRequest)
		return "", false
	}
	q, err := url.ParseQuery(r.PostForm.Get("request"))
	if err != nil || len(q) == 0 {
		http.Error(w, "mockserver: the form carries no authorization request", http.StatusBadRequest)
		return "", false
	}
	return q.Encode(), true
}

// session is the signed-in session of the request and its CSRF token;
// empty when there is none.
func (l *loginState) session(r *http.Request) (session, csrf string) {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	csrf, ok := l.sessions[cookie.Value]
	if !ok {
		return "", ""
	}
	return cookie.Value, csrf
}

// takeApproval uses up the approval of request in session.
func (l *loginState) takeApproval(session, request string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := session + "\n" + request
	approved := l.approvals[key]
	delete(l.approvals, key)
	return approved
}

// formPage is a page with one form; scripted pages build it in the browser.
type formPage struct {
	Title   string
	Notes   []string
	Action  string
	Hidden  map[string]string
	Inputs  []formInput
	Buttons []formButton
}

type formInput struct{ Type, Name, Label string }

type formButton struct{ Name, Value, Label string }

var (
	plainPage = template.Must(template.New("plain").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1>{{range .Notes}}
<p>{{.}}</p>{{end}}
<form method="post" action="{{.Action}}">{{range $name, $value := .Hidden}}
<input type="hidden" name="{{$name}}" value="{{$value}}">{{end}}{{range .Inputs}}
<label>{{.Label}} <input type="{{.Type}}" name="{{.Name}}"></label>{{end}}{{range .Buttons}}
<button type="submit"{{if .Name}} name="{{.Name}}" value="{{.Value}}"{{end}}>{{.Label}}</button>{{end}}
</form></body></html>
`))
	// The form exists only once the script has run.
	scriptedPage = template.Must(template.New("scripted").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><div id="app" data-page="{{.JSON}}"></div><noscript>This page needs JavaScript.</noscript>
<script>
const page = JSON.parse(document.getElementById('app').dataset.page);
const add = (parent, tag, props) => parent.appendChild(Object.assign(document.createElement(tag), props));
const app = document.getElementById('app');
add(app, 'h1', {textContent: page.Title});
(page.Notes || []).forEach(note => add(app, 'p', {textContent: note}));
const form = add(app, 'form', {method: 'post', action: page.Action});
Object.entries(page.Hidden).forEach(([name, value]) => add(form, 'input', {type: 'hidden', name, value}));
(page.Inputs || []).forEach(input => {
  const label = add(form, 'label', {textContent: input.Label + ' '});
  add(label, 'input', {type: input.Type, name: input.Name});
});
page.Buttons.forEach(b => add(form, 'button', {type: 'submit', name: b.Name, value: b.Value, textContent: b.Label}));
</script></body></html>
`))
)

func (l *loginState) render(w http.ResponseWriter, status int, page formPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if !l.form.Scripted {
		plainPage.Execute(w, page)
		return
	}
	data, _ := json.Marshal(page) // strings, slices and maps of strings always encode
	scriptedPage.Execute(w, struct {
		Title string
		JSON  string
	}{page.Title, string(data)})
}

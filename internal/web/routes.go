package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
)

const ctxDate ctxKey = 100

// handlerFunc is a handler that returns its error; html and api render it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// routes registers every route, each with its access policy (auth.go).
// All routes are here.
func (s *Server) routes() {
	// Operations.
	s.handleFunc("GET /healthz", public, s.handleHealthz)
	s.handleFunc("GET /readyz", public, s.handleReadyz)
	s.handleFunc("GET /metrics", public, s.handleMetrics)
	s.handleFunc("GET /static/{hash}/{path...}", public, s.handleStatic)
	s.handleFunc("GET /favicon.ico", public, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

	// Signing in and one's own account.
	s.handle("GET /login", public, s.html(s.handleLoginForm))
	s.handle("POST /login", public, s.html(s.handleLogin))
	s.handle("GET /login/totp", preMFA, s.html(s.handleTOTPForm))
	s.handle("POST /login/totp", preMFA, s.html(s.handleTOTP))
	s.handle("POST /logout", preMFA, s.html(s.handleLogout))
	s.handle("GET /setup/{token}", public, s.html(s.handleSetupForm))
	s.handle("POST /setup/{token}", public, s.html(s.handleSetup))
	s.handle("GET /account", signedIn, s.html(s.handleAccount))
	s.handle("POST /account/password", signedIn, s.html(s.handlePassword))
	s.handle("POST /account/logout-all", signedIn, s.html(s.handleLogoutAll))
	s.handle("GET /account/2fa", preMFA, s.html(s.handleEnrolForm))
	s.handle("POST /account/2fa", preMFA, s.html(s.handleEnrol))
	s.handle("POST /account/tokens", signedIn, s.html(s.handleCreateToken))
	s.handle("POST /account/tokens/{id}/revoke", signedIn, s.html(s.handleRevokeToken))

	// The public channel (public_letter.go): anyone, without an account,
	// sends a letter and looks its status up by receipt code. Abuse is
	// held off by same-origin checks, form tokens, a honeypot, rate
	// limits and body limits, not by sign-in.
	s.handle("GET /public/letter", public, s.html(s.handlePublicLetterForm))
	s.handle("POST /public/letter", public, s.html(s.handlePublicLetter))
	s.handle("GET /public/status", public, s.html(s.handlePublicStatusForm))
	s.handle("POST /public/status", public, s.html(s.handlePublicStatus))

	// Administration.
	s.handle("GET /admin/users", anyScope(authz.UserAdmin), s.html(s.handleUsers))
	s.handle("GET /admin/users/new", anyScope(authz.UserAdmin), s.html(s.handleUserNew))
	s.handle("POST /admin/users", anyScope(authz.UserAdmin), s.html(s.handleUserCreate))
	s.handle("GET /admin/users/{id}", anyScope(authz.UserAdmin), s.html(s.handleUserEdit))
	s.handle("POST /admin/users/{id}", anyScope(authz.UserAdmin), s.html(s.handleUserUpdate))
	s.handle("POST /admin/users/{id}/setup-link", anyScope(authz.UserAdmin), s.html(s.handleUserSetupLink))
	s.handle("POST /admin/users/{id}/revoke-sessions", anyScope(authz.UserAdmin), s.html(s.handleUserRevoke))
	s.handle("GET /admin/audit", anyScope(authz.AuditRead), s.html(s.handleAudit))
	s.handle("GET /audit/head", signedIn, s.html(s.handleAuditHeadFile))

	// HTML.
	s.handle("GET /{$}", signedIn, s.html(s.handleHome))
	s.handle("GET /lang", public, s.html(s.handleLang))
	s.handle("GET /orgs/search", anyScope(authz.OrgBrowse), s.html(s.handleOrgSearch))
	s.handle("GET /orgs/{id}", onOrg(authz.OrgRead), s.html(s.handleOrg))
	s.handle("GET /orgs/{id}/tree", onOrg(authz.OrgBrowse), s.html(s.handleTreeChildren))
	s.handle("GET /orgs/{id}/counts", onOrg(authz.OrgRead), s.html(s.handleOrgCounts))
	s.handle("GET /members/{id}", onMember(authz.MemberRead), s.html(s.handleMember))
	s.handle("GET /rules", anyScope(authz.RulesRead), s.html(s.handleRules))

	// Inspection and supervision. Case pages need case:read on the case;
	// every change is authorised again by the use case (case:write, the
	// step's actor, the team).
	s.handle("GET /cases", anyScope(authz.CaseRead), s.html(s.handleCases))
	s.handle("GET /cases/new", anyScope(authz.CaseCreate), s.html(s.handleCaseNew))
	s.handle("POST /cases", anyScope(authz.CaseCreate), s.html(s.handleCaseCreate))
	s.handle("GET /cases/{id}", onCase(authz.CaseRead), s.html(s.handleCase))
	s.handle("POST /cases/{id}/transition", onCase(authz.CaseRead), s.html(s.handleCaseTransition))
	s.handle("POST /cases/{id}/team", onCase(authz.CaseRead), s.html(s.handleCaseTeam))
	s.handle("POST /cases/{id}/team/{user}/recuse", onCase(authz.CaseRead), s.html(s.handleCaseRecuse))
	s.handle("POST /cases/{id}/subjects/{seq}/{what}", onCase(authz.CaseRead), s.html(s.handleSubjectDoc))
	s.handle("POST /cases/{id}/findings", onCase(authz.CaseRead), s.html(s.handleFinding))
	s.handle("POST /cases/{id}/files", onCase(authz.CaseRead), s.html(s.handleCaseFileUpload))
	s.handle("POST /cases/{id}/documents", onCase(authz.CaseRead), s.html(s.handleDocumentCreate))
	s.handle("POST /remediations/{id}", anyScope(authz.CaseRead), s.html(s.handleRemediation))
	s.handle("GET /files/{id}", anyScope(authz.CaseRead), s.html(s.handleFile))
	s.handle("GET /documents/{id}", anyScope(authz.CaseRead), s.html(s.handleDocument))
	s.handle("POST /documents/{id}", anyScope(authz.CaseRead), s.html(s.handleDocumentUpdate))
	s.handle("POST /documents/{id}/issue", anyScope(authz.CaseRead), s.html(s.handleDocumentIssue))
	s.handle("GET /documents/{id}/docx", anyScope(authz.CaseRead), s.html(s.handleDocumentFile("docx")))
	s.handle("GET /documents/{id}/pdf", anyScope(authz.CaseRead), s.html(s.handleDocumentFile("pdf")))
	s.handle("GET /programmes", anyScope(authz.CaseRead), s.html(s.handleProgrammes))
	s.handle("POST /programmes", anyScope(authz.CaseCreate), s.html(s.handleProgrammeCreate))
	s.handle("GET /programmes/progress", anyScope(authz.CaseRead), s.html(s.handleProgress))
	s.handle("GET /programmes/{id}", anyScope(authz.CaseRead), s.html(s.handleProgramme))
	s.handle("POST /programmes/{id}/items", anyScope(authz.CaseCreate), s.html(s.handleProgrammeItem))
	s.handle("POST /programme-items/{id}/case", anyScope(authz.CaseCreate), s.html(s.handleItemCase))
	s.handle("GET /work", signedIn, s.html(s.handleWork))
	// Discipline proceedings: the same policy as cases (case:read to
	// reach the page; the use case authorises case:write on the
	// proceeding, and the decision needs the head of the body).
	s.handle("GET /proceedings", anyScope(authz.CaseRead), s.html(s.handleProceedings))
	s.handle("GET /proceedings/new", anyScope(authz.CaseCreate), s.html(s.handleProceedingNew))
	s.handle("POST /proceedings", anyScope(authz.CaseCreate), s.html(s.handleProceedingCreate))
	s.handle("GET /proceedings/{id}", anyScope(authz.CaseRead), s.html(s.handleProceeding))
	s.handle("POST /proceedings/{id}/{step}", anyScope(authz.CaseRead), s.html(s.handleProceedingStep))
	s.handle("GET /complaints", anyScope(authz.CaseRead), s.html(s.handleComplaints))
	s.handle("GET /complaints/new", anyScope(authz.CaseCreate), s.html(s.handleComplaintNew))
	s.handle("POST /complaints", anyScope(authz.CaseCreate), s.html(s.handleComplaintCreate))
	s.handle("GET /complaints/{id}", anyScope(authz.CaseRead), s.html(s.handleComplaint))
	s.handle("POST /complaints/{id}/{step}", anyScope(authz.CaseRead), s.html(s.handleComplaintStep))
	s.handle("GET /suspensions", anyScope(authz.CaseRead), s.html(s.handleSuspensions))
	s.handle("GET /suspensions/new", anyScope(authz.CaseCreate), s.html(s.handleSuspensionNew))
	s.handle("POST /suspensions", anyScope(authz.CaseCreate), s.html(s.handleSuspensionCreate))
	s.handle("GET /suspensions/{id}", anyScope(authz.CaseRead), s.html(s.handleSuspension))
	s.handle("POST /suspensions/{id}/{step}", anyScope(authz.CaseRead), s.html(s.handleSuspensionStep))
	// Letters (đơn thư): the inbox, its export, intake and the letter page
	// need case:read or case:create in scope; the use cases authorise each
	// letter (case:read, case:write, the handling team for the sender and
	// the attachments).
	s.handle("GET /letters", anyScope(authz.CaseRead), s.html(s.handleLetters))
	s.handle("GET /letters.csv", anyScope(authz.CaseRead), s.html(s.handleLettersCSV))
	s.handle("GET /letters/new", anyScope(authz.CaseCreate), s.html(s.handleLetterNew))
	s.handle("POST /letters", anyScope(authz.CaseCreate), s.html(s.handleLetterCreate))
	s.handle("GET /letters/{id}", anyScope(authz.CaseRead), s.html(s.handleLetter))
	s.handle("POST /letters/{id}/sender", anyScope(authz.CaseRead), s.html(s.handleLetterSender))
	s.handle("POST /letters/{id}/files/{fid}", anyScope(authz.CaseRead), s.html(s.handleLetterFile))
	s.handle("POST /letters/{id}/{step}", anyScope(authz.CaseRead), s.html(s.handleLetterStep))
	s.handle("GET /practices", anyScope(authz.CaseRead), s.html(s.handlePractices))
	// Periodic reports (reports.go): stats:read to reach them; each step
	// is decided by the use case (case:write on the unit, or on the level
	// above to return and approve).
	s.handle("GET /reports", anyScope(authz.StatsRead), s.html(s.handleReports))
	s.handle("POST /reports", anyScope(authz.StatsRead), s.html(s.handleReportCreate))
	s.handle("POST /reports/deadline", anyScope(authz.StatsRead), s.html(s.handleReportDeadline))
	s.handle("GET /reports/{id}", anyScope(authz.StatsRead), s.html(s.handleReport))
	s.handle("POST /reports/{id}", anyScope(authz.StatsRead), s.html(s.reportStep("save")))
	for _, step := range []string{"submit", "return", "approve", "version"} {
		s.handle("POST /reports/{id}/"+step, anyScope(authz.StatsRead), s.html(s.reportStep(step)))
	}
	s.handle("GET /reports/{id}/docx", anyScope(authz.StatsRead), s.html(s.handleReportFile("docx")))
	s.handle("GET /reports/{id}/pdf", anyScope(authz.StatsRead), s.html(s.handleReportFile("pdf")))
	// The dashboard (dashboard.go): stats:read; the statistics engine
	// decides what counts, overdue work needs case:read.
	s.handle("GET /dashboard", anyScope(authz.StatsRead), s.html(s.handleDashboard))
	// Statistics (stats.go): stats:read; the engine authorises the unit
	// and counts only what the actor may read, drill-down lists included.
	s.handle("GET /stats", anyScope(authz.StatsRead), s.html(s.handleStats))
	s.handle("GET /stats/drill", anyScope(authz.StatsRead), s.html(s.handleStatsDrill))
	s.handle("GET /stats.xlsx", anyScope(authz.StatsRead), s.html(s.handleStatsXLSX))
	s.handle("GET /stats.csv", anyScope(authz.StatsRead), s.html(s.handleStatsCSV))

	// JSON API, described in docs/openapi.yaml.
	s.handle("GET /api/v1/me", signedIn, s.api(s.apiMe))
	s.handle("GET /api/v1/orgs", anyScope(authz.OrgBrowse), s.api(s.apiRoots))
	s.handle("GET /api/v1/orgs/search", anyScope(authz.OrgBrowse), s.api(s.apiOrgSearch))
	s.handle("GET /api/v1/orgs/{id}", onOrg(authz.OrgRead), s.api(s.apiOrg))
	s.handle("GET /api/v1/orgs/{id}/children", onOrg(authz.OrgBrowse), s.api(s.apiChildren))
	s.handle("GET /api/v1/orgs/{id}/subtree", onOrg(authz.OrgRead), s.api(s.apiSubtree))
	s.handle("GET /api/v1/orgs/{id}/history", onOrg(authz.OrgRead), s.api(s.apiHistory))
	s.handle("GET /api/v1/orgs/{id}/successors", onOrg(authz.OrgRead), s.api(s.apiSuccessors))
	s.handle("GET /api/v1/orgs/{id}/bodies", onOrg(authz.OrgRead), s.api(s.apiBodies))
	s.handle("GET /api/v1/orgs/{id}/members", onOrg(authz.MemberRead), s.api(s.apiOrgMembers))
	s.handle("GET /api/v1/members/{id}", onMember(authz.MemberRead), s.api(s.apiMember))
	s.handle("GET /api/v1/rules", anyScope(authz.RulesRead), s.api(s.apiRules))
	s.handle("POST /api/v1/rules/{rule}/evaluate", anyScope(authz.RulesRead), s.api(s.apiEvaluate))
	s.handle("GET /api/v1/users", anyScope(authz.UserAdmin), s.api(s.apiUsers))
	s.handle("POST /api/v1/users", anyScope(authz.UserAdmin), s.api(s.apiCreateUser))
	s.handle("GET /api/v1/audit", anyScope(authz.AuditRead), s.api(s.apiAudit))
	s.handle("GET /api/v1/audit/head", signedIn, s.api(s.apiAuditHead))
	s.handle("GET /api/v1/cases", anyScope(authz.CaseRead), s.api(s.apiCases))
	s.handle("POST /api/v1/cases", anyScope(authz.CaseCreate), s.api(s.apiCreateCase))
	s.handle("GET /api/v1/cases/{id}", onCase(authz.CaseRead), s.api(s.apiCase))
	s.handle("POST /api/v1/cases/{id}/transitions", onCase(authz.CaseRead), s.api(s.apiTransition))
	s.handle("POST /api/v1/cases/{id}/team", onCase(authz.CaseRead), s.api(s.apiTeam))
	s.handle("POST /api/v1/cases/{id}/team/{user}/recuse", onCase(authz.CaseRead), s.api(s.apiRecuse))
	s.handle("POST /api/v1/cases/{id}/subjects/{seq}/{what}", onCase(authz.CaseRead), s.api(s.apiSubjectDoc))
	s.handle("POST /api/v1/cases/{id}/findings", onCase(authz.CaseRead), s.api(s.apiFinding))
	s.handle("POST /api/v1/cases/{id}/files", onCase(authz.CaseRead), s.api(s.apiUpload))
	s.handle("POST /api/v1/cases/{id}/documents", onCase(authz.CaseRead), s.api(s.apiCreateDocument))
	s.handle("POST /api/v1/remediations/{id}", anyScope(authz.CaseRead), s.api(s.apiRemediation))
	s.handle("GET /api/v1/documents/{id}", anyScope(authz.CaseRead), s.api(s.apiDocument))
	s.handle("PUT /api/v1/documents/{id}", anyScope(authz.CaseRead), s.api(s.apiUpdateDocument))
	s.handle("POST /api/v1/documents/{id}/issue", anyScope(authz.CaseRead), s.api(s.apiIssueDocument))
	s.handle("GET /api/v1/programmes", anyScope(authz.CaseRead), s.api(s.apiProgrammes))
	s.handle("POST /api/v1/programmes", anyScope(authz.CaseCreate), s.api(s.apiCreateProgramme))
	s.handle("GET /api/v1/programmes/progress", anyScope(authz.CaseRead), s.api(s.apiProgress))
	s.handle("GET /api/v1/programmes/{id}", anyScope(authz.CaseRead), s.api(s.apiProgramme))
	s.handle("POST /api/v1/programmes/{id}/items", anyScope(authz.CaseCreate), s.api(s.apiProgrammeItem))
	s.handle("POST /api/v1/programme-items/{id}/case", anyScope(authz.CaseCreate), s.api(s.apiItemCase))
	s.handle("GET /api/v1/work", signedIn, s.api(s.apiWork))
	s.handle("GET /api/v1/proceedings", anyScope(authz.CaseRead), s.api(s.apiProceedings))
	s.handle("POST /api/v1/proceedings", anyScope(authz.CaseCreate), s.api(s.apiOpenProceeding))
	s.handle("GET /api/v1/proceedings/{id}", anyScope(authz.CaseRead), s.api(s.apiProceeding))
	s.handle("GET /api/v1/complaints", anyScope(authz.CaseRead), s.api(s.apiComplaints))
	s.handle("POST /api/v1/complaints", anyScope(authz.CaseCreate), s.api(s.apiFileComplaint))
	s.handle("GET /api/v1/complaints/{id}", anyScope(authz.CaseRead), s.api(s.apiComplaint))
	for _, step := range []string{ktgs.StepComplaintResolve, ktgs.StepComplaintEscalate, ktgs.StepComplaintWithdraw} {
		s.handle("POST /api/v1/complaints/{id}/"+step, anyScope(authz.CaseRead), s.api(s.apiComplaintStep(step)))
	}
	s.handle("GET /api/v1/suspensions", anyScope(authz.CaseRead), s.api(s.apiSuspensions))
	s.handle("POST /api/v1/suspensions", anyScope(authz.CaseCreate), s.api(s.apiSuspend))
	s.handle("GET /api/v1/suspensions/{id}", anyScope(authz.CaseRead), s.api(s.apiSuspension))
	s.handle("POST /api/v1/suspensions/{id}/extend", anyScope(authz.CaseRead), s.api(s.apiSuspensionStep(ktgs.SuspensionStepExtend)))
	s.handle("POST /api/v1/suspensions/{id}/end", anyScope(authz.CaseRead), s.api(s.apiSuspensionStep(ktgs.SuspensionStepEnd)))
	s.handle("GET /api/v1/letters", anyScope(authz.CaseRead), s.api(s.apiLetters))
	s.handle("POST /api/v1/letters", anyScope(authz.CaseCreate), s.api(s.apiReceiveLetter))
	s.handle("GET /api/v1/letters/{id}", anyScope(authz.CaseRead), s.api(s.apiLetter))
	for _, step := range letterAPISteps {
		s.handle("POST /api/v1/letters/{id}/"+step, anyScope(authz.CaseRead), s.api(s.apiLetterStep(step)))
	}
	s.handle("POST /api/v1/letters/{id}/sender", anyScope(authz.CaseRead), s.api(s.apiLetterSender))
	s.handle("POST /api/v1/letters/{id}/files/{fid}", anyScope(authz.CaseRead), s.api(s.apiLetterFile))
	s.handle("POST /api/v1/proceedings/{id}/persons", anyScope(authz.CaseRead), s.api(s.apiAssessPerson))
	for _, step := range []string{ktgs.StepHear, ktgs.StepVote, ktgs.StepDecide, ktgs.StepPostpone, ktgs.StepResume, ktgs.StepCancel, ktgs.StepWrongful, ktgs.StepExempt} {
		s.handle("POST /api/v1/proceedings/{id}/"+step, anyScope(authz.CaseRead), s.api(s.apiProceedingStep(step)))
	}
	s.handle("POST /api/v1/conflicts", signedIn, s.api(s.apiConflict))
	s.handle("GET /api/v1/practices", anyScope(authz.CaseRead), s.api(s.apiPractices))
	s.handle("GET /api/v1/reports", anyScope(authz.StatsRead), s.api(s.apiReports))
	s.handle("POST /api/v1/reports", anyScope(authz.StatsRead), s.api(s.apiCreateReport))
	s.handle("POST /api/v1/report-deadlines", anyScope(authz.StatsRead), s.api(s.apiReportDeadline))
	s.handle("GET /api/v1/reports/{id}", anyScope(authz.StatsRead), s.api(s.apiReport))
	s.handle("PUT /api/v1/reports/{id}", anyScope(authz.StatsRead), s.api(s.apiUpdateReport))
	for _, step := range []string{"submit", "return", "approve", "version"} {
		s.handle("POST /api/v1/reports/{id}/"+step, anyScope(authz.StatsRead), s.api(s.apiReportStep(step)))
	}
	s.handle("GET /api/v1/stats", anyScope(authz.StatsRead), s.api(s.apiStats))
	s.handle("GET /api/v1/stats/drill", anyScope(authz.StatsRead), s.api(s.apiStatsDrill))

	// Anything else is a 404 page (or JSON error under /api/).
	s.mux.Handle("/", s.guard(public, s.html(func(w http.ResponseWriter, r *http.Request) error {
		return ktgs.Errorf(ktgs.ENOTFOUND, "page.not_found")
	})))
}

// handle registers pattern with its access policy; guard enforces it.
func (s *Server) handle(pattern string, p policy, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.policies[pattern] = p
	s.mux.Handle(pattern, s.guard(p, h))
}

func (s *Server) handleFunc(pattern string, p policy, h http.HandlerFunc) { s.handle(pattern, p, h) }

// Routes returns every registered route pattern, in registration order,
// for the OpenAPI and route-coverage tests.
func (s *Server) Routes() []string { return append([]string(nil), s.patterns...) }

// html adapts an HTML handler: it reads the "date" query parameter and
// renders errors as pages.
func (s *Server) html(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, err := withDate(r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})
}

// api adapts a JSON handler.
func (s *Server) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, err := withDate(r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.renderError(w, r, err)
		}
	})
}

// withDate parses ?date= (dd/mm/yyyy or yyyy-mm-dd) into the context.
func withDate(r *http.Request) (*http.Request, error) {
	v := strings.TrimSpace(r.URL.Query().Get("date"))
	if v == "" {
		return r, nil
	}
	d, err := civil.Parse(v)
	switch {
	case err == civil.ErrRange:
		return r, ktgs.Invalid("date", "err.date_nonexistent")
	case err != nil:
		return r, ktgs.Invalid("date", "err.date_syntax")
	case d.Year() < 1930 || d.Year() > 2100:
		return r, ktgs.Invalid("date", "err.date_range", "01/01/1930", "31/12/2100")
	}
	return r.WithContext(context.WithValue(r.Context(), ctxDate, d)), nil
}

// dateOf returns the request's date, today by default.
func (s *Server) dateOf(r *http.Request) civil.Date {
	if d, ok := r.Context().Value(ctxDate).(civil.Date); ok {
		return d
	}
	return s.App.Today()
}

// pathID reads a positive integer path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ktgs.Errorf(ktgs.ENOTFOUND, "err.not_found")
	}
	return id, nil
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Ready(r.Context()); err != nil {
		s.Log.WarnContext(r.Context(), "not ready", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.Metrics.Write(w)
}

// handleLang stores the language choice in a cookie and returns to the
// page (only a local path: no open redirect).
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	if to != "vi" && to != "en" {
		return ktgs.Invalid("to", "err.bad_request")
	}
	back := r.URL.Query().Get("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		back = "/"
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: to, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

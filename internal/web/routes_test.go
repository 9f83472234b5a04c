package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"ktgs"
	"ktgs/internal/app"
	"ktgs/internal/auth"
	"ktgs/internal/authz"
	"ktgs/internal/civil"
	"ktgs/internal/store"
	"ktgs/internal/testdb"
	"ktgs/internal/web"
)

// Route-test outcomes.
const (
	denied   = iota // 403 or 404: the object is outside the caller's scope or role
	filtered        // allowed (a list, a search, the caller's own page), but shows nothing of the other subtree
	refused         // 400: the input names something outside the caller's scope
	public          // open to anyone; checked only for leaks
	fresh           // ends the session: run on a throwaway sign-in
)

type routeCase struct {
	method, path string
	form         url.Values
	body         string // JSON body
	outcome      int
	// adminOutcome and chairOutcome, if set, replace outcome for the
	// sibling administrator and commission chair.
	adminOutcome int
	chairOutcome int
	// echo is a value the caller typed that the page may show back.
	echo string
}

// TestEveryRouteFromSiblingSubtree calls every registered route as users
// scoped to another province (Thanh Hóa, P08) and targets objects of Ninh
// Bình (P19). Every route must be listed here: a new route without a case
// fails the test. Routes addressing a P19 object must answer 403 or 404;
// lists and the caller's own pages may answer 200 but must not contain any
// protected value of P19 (names of its units, its members' names and card
// numbers, its accounts).
func TestEveryRouteFromSiblingSubtree(t *testing.T) {
	db := testdb.OpenSQLite(t)
	ts, svc := demoServer(t, db)
	x := lookup(t, db)
	srv := ts.Config.Handler.(*web.Server)

	// Sibling accounts: the demo viewer "xem" and an administrator and a
	// commission chair of P08 (demo-flagged, so no TOTP is needed).
	var p08 int64
	var chairID int64
	var member *ktgs.Member
	var tokenID int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if p08, err = tx.OrgIDByCode(ctx, "P08"); err != nil {
			return err
		}
		hash, err := (&auth.Hasher{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}).Hash(ctx, app.DemoPassword)
		if err != nil {
			return err
		}
		for _, u := range []*ktgs.User{
			{Username: "qt-thanhhoa", DisplayName: "Quản trị Thanh Hóa", Role: authz.RoleAdmin, Scope: []int64{p08}, PasswordHash: hash, Demo: true},
			{Username: "cn-thanhhoa", DisplayName: "Chủ nhiệm Thanh Hóa", Role: authz.RoleChair, Clearance: authz.TopSecret, Scope: []int64{p08}, PasswordHash: hash, Demo: true},
		} {
			if err := tx.InsertUser(ctx, u); err != nil {
				return err
			}
		}
		chair, err := tx.UserByName(ctx, "chunhiem")
		if err != nil {
			return err
		}
		chairID = chair.ID
		tok := &ktgs.APIToken{UserID: chair.ID, Name: "chair token", Hash: auth.HashToken("ktgs_secret_of_the_chair"), Role: authz.RoleChair,
			Scope: chair.Scope, ExpiresAt: time.Now().Add(time.Hour)}
		if err := tx.InsertAPIToken(ctx, tok); err != nil {
			return err
		}
		tokenID = tok.ID
		member, err = tx.Member(ctx, x.member, civil.MustParse("2026-11-28"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A concluded inspection case in Ninh Bình with all its parts.
	cw := buildCase(t, db, svc)
	// A letter received by the UBKT of xã Gia Tường, with an attachment.
	lw := buildLetter(t, db, svc)
	// A submitted periodic report of Ninh Bình (reports_test.go).
	rpID := buildReport(t, svc, x.province)
	// The P19 values that must never reach a P08 user.
	secrets := []string{"Ninh Bình", "Gia Tường", "Chi bộ thôn Đoàn Kết", member.FullName, member.CardNumber,
		"Chủ nhiệm UBKT tỉnh Ninh Bình", "chair token", "Sinh hoạt chi bộ đều đặn", "quỹ chi bộ", "KT-2026-"}
	secrets = append(secrets, append(senderSecrets, "Tố cáo việc chi quỹ", "ĐT-2026-")...)

	id := func(n int64) string { return fmt.Sprint(n) }
	cases := map[string]routeCase{
		"GET /healthz":                     {method: "GET", path: "/healthz", outcome: public},
		"GET /readyz":                      {method: "GET", path: "/readyz", outcome: public},
		"GET /metrics":                     {method: "GET", path: "/metrics", outcome: public},
		"GET /static/{hash}/{path...}":     {method: "GET", path: "/static/x/css/app.css", outcome: public},
		"GET /favicon.ico":                 {method: "GET", path: "/favicon.ico", outcome: public},
		"GET /login":                       {method: "GET", path: "/login", outcome: public},
		"POST /login":                      {method: "POST", path: "/login", form: url.Values{"username": {"nobody"}, "password": {"wrong password"}}, outcome: fresh},
		"GET /login/totp":                  {method: "GET", path: "/login/totp", outcome: filtered},
		"POST /login/totp":                 {method: "POST", path: "/login/totp", form: url.Values{"code": {"123456"}}, outcome: filtered},
		"POST /logout":                     {method: "POST", path: "/logout", outcome: fresh},
		"GET /setup/{token}":               {method: "GET", path: "/setup/not-a-real-token", outcome: denied},
		"POST /setup/{token}":              {method: "POST", path: "/setup/not-a-real-token", form: url.Values{"password": {"x"}}, outcome: denied},
		"GET /account":                     {method: "GET", path: "/account", outcome: filtered},
		"POST /account/password":           {method: "POST", path: "/account/password", form: url.Values{"current": {"wrong"}}, outcome: refused},
		"POST /account/logout-all":         {method: "POST", path: "/account/logout-all", outcome: fresh},
		"GET /account/2fa":                 {method: "GET", path: "/account/2fa", outcome: filtered},
		"POST /account/2fa":                {method: "POST", path: "/account/2fa", form: url.Values{"secret": {"AAAA"}, "code": {"000000"}}, outcome: refused},
		"POST /account/tokens":             {method: "POST", path: "/account/tokens", form: url.Values{"name": {"t"}, "role": {"VIEWER"}, "days": {"5"}, "scope": {"P19"}}, outcome: refused},
		"POST /account/tokens/{id}/revoke": {method: "POST", path: "/account/tokens/" + id(tokenID) + "/revoke", outcome: denied},
		"GET /public/letter":               {method: "GET", path: "/public/letter", outcome: public},
		"POST /public/letter":              {method: "POST", path: "/public/letter", form: url.Values{"subject": {"x"}}, outcome: public},
		"GET /public/status":               {method: "GET", path: "/public/status", outcome: public},
		"POST /public/status":              {method: "POST", path: "/public/status", form: url.Values{"receipt_code": {"ABCD-EFGH-IJKL-MNOP-QRST-UVWX"}}, outcome: public},
		"GET /admin/users":                 {method: "GET", path: "/admin/users", outcome: denied, adminOutcome: filtered},
		"GET /admin/users/new":             {method: "GET", path: "/admin/users/new", outcome: denied, adminOutcome: filtered},
		"POST /admin/users": {method: "POST", path: "/admin/users", form: url.Values{"username": {"spy"}, "display_name": {"Spy"}, "role": {"VIEWER"}, "scope": {"P19"}},
			outcome: denied, adminOutcome: refused},
		"GET /admin/users/{id}":                  {method: "GET", path: "/admin/users/" + id(chairID), outcome: denied},
		"POST /admin/users/{id}":                 {method: "POST", path: "/admin/users/" + id(chairID), form: url.Values{"display_name": {"x"}, "role": {"VIEWER"}, "scope": {"P08"}}, outcome: denied},
		"POST /admin/users/{id}/setup-link":      {method: "POST", path: "/admin/users/" + id(chairID) + "/setup-link", outcome: denied},
		"POST /admin/users/{id}/revoke-sessions": {method: "POST", path: "/admin/users/" + id(chairID) + "/revoke-sessions", outcome: denied},
		"GET /admin/audit":                       {method: "GET", path: "/admin/audit", outcome: denied, adminOutcome: filtered},
		"GET /audit/head":                        {method: "GET", path: "/audit/head", outcome: filtered},
		"GET /{$}":                               {method: "GET", path: "/", outcome: filtered},
		"GET /lang":                              {method: "GET", path: "/lang?to=en&back=/orgs/" + id(x.province), outcome: public},
		"GET /orgs/search":                       {method: "GET", path: "/orgs/search?q=" + url.QueryEscape("ninh bình"), outcome: filtered},
		"GET /orgs/{id}":                         {method: "GET", path: "/orgs/" + id(x.branch), outcome: denied},
		"GET /orgs/{id}/tree":                    {method: "GET", path: "/orgs/" + id(x.province) + "/tree", outcome: denied},
		"GET /orgs/{id}/counts":                  {method: "GET", path: "/orgs/" + id(x.province) + "/counts", outcome: denied},
		"GET /members/{id}":                      {method: "GET", path: "/members/" + id(x.member), outcome: denied},
		"GET /rules":                             {method: "GET", path: "/rules?ask=1&subject_kind=MEMBER&card_number=" + member.CardNumber, outcome: filtered, echo: member.CardNumber},
		"GET /api/v1/me":                         {method: "GET", path: "/api/v1/me", outcome: filtered},
		"GET /api/v1/orgs":                       {method: "GET", path: "/api/v1/orgs", outcome: filtered},
		"GET /api/v1/orgs/search":                {method: "GET", path: "/api/v1/orgs/search?q=ninh+binh", outcome: filtered},
		"GET /api/v1/orgs/{id}":                  {method: "GET", path: "/api/v1/orgs/" + id(x.province), outcome: denied},
		"GET /api/v1/orgs/{id}/children":         {method: "GET", path: "/api/v1/orgs/" + id(x.commune) + "/children", outcome: denied},
		"GET /api/v1/orgs/{id}/subtree":          {method: "GET", path: "/api/v1/orgs/" + id(x.commune) + "/subtree", outcome: denied},
		"GET /api/v1/orgs/{id}/history":          {method: "GET", path: "/api/v1/orgs/" + id(x.ended) + "/history", outcome: denied},
		"GET /api/v1/orgs/{id}/successors":       {method: "GET", path: "/api/v1/orgs/" + id(x.ended) + "/successors", outcome: denied},
		"GET /api/v1/orgs/{id}/bodies":           {method: "GET", path: "/api/v1/orgs/" + id(x.province) + "/bodies", outcome: denied},
		"GET /api/v1/orgs/{id}/members":          {method: "GET", path: "/api/v1/orgs/" + id(x.branch) + "/members", outcome: denied},
		"GET /api/v1/members/{id}":               {method: "GET", path: "/api/v1/members/" + id(x.member), outcome: denied},
		"GET /api/v1/rules":                      {method: "GET", path: "/api/v1/rules", outcome: filtered},
		"POST /api/v1/rules/{rule}/evaluate":     {method: "POST", path: "/api/v1/rules/R1/evaluate", body: `{}`, outcome: refused},
		"GET /api/v1/users":                      {method: "GET", path: "/api/v1/users", outcome: denied, adminOutcome: filtered},
		"POST /api/v1/users": {method: "POST", path: "/api/v1/users", body: fmt.Sprintf(`{"username":"spy2","display_name":"Spy","role":"VIEWER","scope":[%d]}`, x.province),
			outcome: denied, adminOutcome: refused},
		"GET /api/v1/audit": {method: "GET", path: "/api/v1/audit", outcome: denied, adminOutcome: filtered},
		// Inspection and supervision: the viewer and the administrator
		// have no case role (403); the sibling chair sees only its own
		// scope (lists empty of P19, objects 404).
		"GET /cases":                             {method: "GET", path: "/cases", outcome: denied, chairOutcome: filtered},
		"GET /cases/new":                         {method: "GET", path: "/cases/new", outcome: denied, chairOutcome: filtered},
		"POST /cases":                            {method: "POST", path: "/cases", form: url.Values{"kind": {"KT_DHVP"}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "title": {"x"}, "subjects": {"P19-O1-D01-C01-VM1"}}, outcome: denied},
		"GET /cases/{id}":                        {method: "GET", path: "/cases/" + id(cw.caseID), outcome: denied},
		"POST /cases/{id}/transition":            {method: "POST", path: "/cases/" + id(cw.caseID) + "/transition", form: url.Values{"name": {"follow_up"}}, outcome: denied},
		"POST /cases/{id}/team":                  {method: "POST", path: "/cases/" + id(cw.caseID) + "/team", form: url.Values{"username": {"cn-thanhhoa"}, "role": {"MEMBER"}}, outcome: denied},
		"POST /cases/{id}/team/{user}/recuse":    {method: "POST", path: "/cases/" + id(cw.caseID) + "/team/" + id(cw.leadID) + "/recuse", form: url.Values{"reason": {"thử rút"}}, outcome: denied},
		"POST /cases/{id}/subjects/{seq}/{what}": {method: "POST", path: "/cases/" + id(cw.caseID) + "/subjects/1/comments", form: url.Values{"date": {"27/11/2026"}}, outcome: denied},
		"POST /cases/{id}/findings":              {method: "POST", path: "/cases/" + id(cw.caseID) + "/findings", form: url.Values{"subject_seq": {"1"}, "kind": {"STRENGTH"}, "text": {"x"}}, outcome: denied},
		"POST /cases/{id}/files":                 {method: "POST", path: "/cases/" + id(cw.caseID) + "/files", form: url.Values{}, outcome: denied},
		"POST /cases/{id}/documents":             {method: "POST", path: "/cases/" + id(cw.caseID) + "/documents", form: url.Values{"type": {"TB"}}, outcome: denied},
		"POST /remediations/{id}":                {method: "POST", path: "/remediations/" + id(cw.remID), form: url.Values{"kind": {"report"}, "text": {"x"}}, outcome: denied},
		"GET /files/{id}":                        {method: "GET", path: "/files/" + id(cw.fileID), outcome: denied},
		"GET /documents/{id}":                    {method: "GET", path: "/documents/" + id(cw.docID), outcome: denied},
		"POST /documents/{id}":                   {method: "POST", path: "/documents/" + id(cw.draftID), form: url.Values{"summary": {"x"}, "issuing_body": {"x"}}, outcome: denied},
		"POST /documents/{id}/issue":             {method: "POST", path: "/documents/" + id(cw.draftID) + "/issue", form: url.Values{}, outcome: denied},
		"GET /documents/{id}/docx":               {method: "GET", path: "/documents/" + id(cw.docID) + "/docx", outcome: denied},
		"GET /documents/{id}/pdf":                {method: "GET", path: "/documents/" + id(cw.docID) + "/pdf", outcome: denied},
		"GET /programmes":                        {method: "GET", path: "/programmes", outcome: denied, chairOutcome: filtered},
		"POST /programmes":                       {method: "POST", path: "/programmes", form: url.Values{"kind": {"ANNUAL"}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "year": {"2026"}, "title": {"x"}, "adopted_on": {"01/11/2026"}}, outcome: denied},
		"GET /programmes/progress":               {method: "GET", path: "/programmes/progress?org=P19&year=2026", outcome: denied},
		"GET /api/v1/programmes/progress":        {method: "GET", path: "/api/v1/programmes/progress?org=P19&year=2026", outcome: denied},
		"GET /programmes/{id}":                   {method: "GET", path: "/programmes/" + id(cw.programmeID), outcome: denied},
		"POST /programmes/{id}/items":            {method: "POST", path: "/programmes/" + id(cw.programmeID) + "/items", form: url.Values{"kind": {"GS_CHUYEN_DE"}, "subject": {"P19-O1-D01-C01-VM1"}, "content": {"x"}, "from": {"01/12/2026"}, "to": {"02/12/2026"}}, outcome: denied},
		"POST /programme-items/{id}/case":        {method: "POST", path: "/programme-items/" + id(cw.itemID) + "/case", outcome: denied},
		"GET /work":                              {method: "GET", path: "/work", outcome: filtered},
		"GET /practices":                         {method: "GET", path: "/practices?q=sinh+hoat", outcome: denied, chairOutcome: filtered},
		"GET /dashboard":                         {method: "GET", path: "/dashboard?org=P19", outcome: denied},
		// Statistics: a report of P19, its drill-down and exports are
		// refused by the engine (403) for every sibling user.
		"GET /stats":              {method: "GET", path: "/stats?org=P19&year=2025", outcome: denied},
		"GET /stats/drill":        {method: "GET", path: "/stats/drill?org=P19&year=2025&cell=COMMITTEE_INSPECTION/INSPECTED/MEMBER@total", outcome: denied},
		"GET /stats.xlsx":         {method: "GET", path: "/stats.xlsx?org=P19&year=2025", outcome: denied},
		"GET /stats.csv":          {method: "GET", path: "/stats.csv?org=P19&year=2025", outcome: denied},
		"GET /api/v1/stats":       {method: "GET", path: "/api/v1/stats?org=P19&year=2025", outcome: denied},
		"GET /api/v1/stats/drill": {method: "GET", path: "/api/v1/stats/drill?org=P19&year=2025&cell=COMMITTEE_INSPECTION/INSPECTED/MEMBER@total", outcome: denied},
		// Periodic reports: the board and every step of a P19 report are
		// refused (403 for the unit, 404 for the report).
		"GET /reports":                                  {method: "GET", path: "/reports?org=P19&year=2025", outcome: denied},
		"POST /reports":                                 {method: "POST", path: "/reports", form: url.Values{"org": {"P19"}, "kind": {"YEAR"}, "year": {"2024"}}, outcome: denied},
		"POST /reports/deadline":                        {method: "POST", path: "/reports/deadline", form: url.Values{"org": {"P19"}, "kind": {"YEAR"}, "year": {"2025"}, "due_on": {"20/01/2026"}}, outcome: denied},
		"GET /reports/{id}":                             {method: "GET", path: "/reports/" + id(rpID), outcome: denied},
		"POST /reports/{id}":                            {method: "POST", path: "/reports/" + id(rpID), form: url.Values{"results": {"x"}}, outcome: denied},
		"POST /reports/{id}/submit":                     {method: "POST", path: "/reports/" + id(rpID) + "/submit", outcome: denied},
		"POST /reports/{id}/return":                     {method: "POST", path: "/reports/" + id(rpID) + "/return", form: url.Values{"comment": {"x"}}, outcome: denied},
		"POST /reports/{id}/approve":                    {method: "POST", path: "/reports/" + id(rpID) + "/approve", outcome: denied},
		"POST /reports/{id}/version":                    {method: "POST", path: "/reports/" + id(rpID) + "/version", outcome: denied},
		"GET /reports/{id}/docx":                        {method: "GET", path: "/reports/" + id(rpID) + "/docx", outcome: denied},
		"GET /reports/{id}/pdf":                         {method: "GET", path: "/reports/" + id(rpID) + "/pdf", outcome: denied},
		"GET /api/v1/reports":                           {method: "GET", path: "/api/v1/reports?org=P19&year=2025", outcome: denied},
		"POST /api/v1/reports":                          {method: "POST", path: "/api/v1/reports", body: `{"org":"P19","period":{"kind":"YEAR","year":2024}}`, outcome: denied},
		"POST /api/v1/report-deadlines":                 {method: "POST", path: "/api/v1/report-deadlines", body: `{"org":"P19","period":{"kind":"YEAR","year":2025},"due_on":"2026-01-20"}`, outcome: denied},
		"GET /api/v1/reports/{id}":                      {method: "GET", path: "/api/v1/reports/" + id(rpID), outcome: denied},
		"PUT /api/v1/reports/{id}":                      {method: "PUT", path: "/api/v1/reports/" + id(rpID), body: `{"sections":{"results":"x"}}`, outcome: denied},
		"POST /api/v1/reports/{id}/submit":              {method: "POST", path: "/api/v1/reports/" + id(rpID) + "/submit", body: `{}`, outcome: denied},
		"POST /api/v1/reports/{id}/return":              {method: "POST", path: "/api/v1/reports/" + id(rpID) + "/return", body: `{"comment":"x"}`, outcome: denied},
		"POST /api/v1/reports/{id}/approve":             {method: "POST", path: "/api/v1/reports/" + id(rpID) + "/approve", body: `{}`, outcome: denied},
		"POST /api/v1/reports/{id}/version":             {method: "POST", path: "/api/v1/reports/" + id(rpID) + "/version", body: `{}`, outcome: denied},
		"GET /proceedings":                              {method: "GET", path: "/proceedings", outcome: denied, chairOutcome: filtered},
		"GET /proceedings/new":                          {method: "GET", path: "/proceedings/new", outcome: denied, chairOutcome: filtered},
		"POST /proceedings":                             {method: "POST", path: "/proceedings", form: url.Values{"subject_kind": {"MEMBER"}, "card_number": {cw.card}, "body_org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "origin": {"DIRECT"}, "violation": {"x"}, "violation_on": {"01/11/2026"}, "warranted_form": {"KHIEN_TRACH"}}, outcome: denied},
		"GET /proceedings/{id}":                         {method: "GET", path: "/proceedings/" + id(cw.procID), outcome: denied},
		"POST /proceedings/{id}/{step}":                 {method: "POST", path: "/proceedings/" + id(cw.procID) + "/cancel", form: url.Values{"reason": {"thử hủy"}}, outcome: denied},
		"GET /complaints":                               {method: "GET", path: "/complaints", outcome: denied, chairOutcome: filtered},
		"GET /complaints/new":                           {method: "GET", path: "/complaints/new?proceeding=" + id(cw.decidedID), outcome: denied},
		"POST /complaints":                              {method: "POST", path: "/complaints", form: url.Values{"proceeding_id": {id(cw.decidedID)}, "content": {"x"}}, outcome: denied},
		"GET /complaints/{id}":                          {method: "GET", path: "/complaints/" + id(cw.complaintID), outcome: denied},
		"POST /complaints/{id}/{step}":                  {method: "POST", path: "/complaints/" + id(cw.complaintID) + "/withdraw", form: url.Values{"reason": {"x"}}, outcome: denied},
		"GET /api/v1/complaints":                        {method: "GET", path: "/api/v1/complaints", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/complaints":                       {method: "POST", path: "/api/v1/complaints", body: `{"proceeding_id":` + id(cw.decidedID) + `,"content":"x"}`, outcome: denied, chairOutcome: refused},
		"GET /api/v1/complaints/{id}":                   {method: "GET", path: "/api/v1/complaints/" + id(cw.complaintID), outcome: denied},
		"POST /api/v1/complaints/{id}/resolve":          {method: "POST", path: "/api/v1/complaints/" + id(cw.complaintID) + "/resolve", body: `{"outcome":"ANNUL","resolution":"x"}`, outcome: denied},
		"POST /api/v1/complaints/{id}/escalate":         {method: "POST", path: "/api/v1/complaints/" + id(cw.complaintID) + "/escalate", body: `{"content":"x"}`, outcome: denied},
		"POST /api/v1/complaints/{id}/withdraw":         {method: "POST", path: "/api/v1/complaints/" + id(cw.complaintID) + "/withdraw", body: `{"reason":"x"}`, outcome: denied},
		"GET /suspensions":                              {method: "GET", path: "/suspensions", outcome: denied, chairOutcome: filtered},
		"GET /suspensions/new":                          {method: "GET", path: "/suspensions/new", outcome: denied, chairOutcome: filtered},
		"POST /suspensions":                             {method: "POST", path: "/suspensions", form: url.Values{"card_number": {cw.card}, "body_org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "reason": {"x"}}, outcome: denied},
		"GET /suspensions/{id}":                         {method: "GET", path: "/suspensions/" + id(cw.suspID), outcome: denied},
		"POST /suspensions/{id}/{step}":                 {method: "POST", path: "/suspensions/" + id(cw.suspID) + "/end", form: url.Values{"reason": {"x"}}, outcome: denied},
		"GET /api/v1/suspensions":                       {method: "GET", path: "/api/v1/suspensions", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/suspensions":                      {method: "POST", path: "/api/v1/suspensions", body: `{"card_number":"` + cw.card + `","body_org_code":"P19-O1-D01-C01","body_kind":"UBKT","reason":"x"}`, outcome: denied},
		"GET /api/v1/suspensions/{id}":                  {method: "GET", path: "/api/v1/suspensions/" + id(cw.suspID), outcome: denied},
		"POST /api/v1/suspensions/{id}/extend":          {method: "POST", path: "/api/v1/suspensions/" + id(cw.suspID) + "/extend", body: `{"length":1,"reason":"x"}`, outcome: denied},
		"POST /api/v1/suspensions/{id}/end":             {method: "POST", path: "/api/v1/suspensions/" + id(cw.suspID) + "/end", body: `{"reason":"x"}`, outcome: denied},
		"GET /api/v1/proceedings":                       {method: "GET", path: "/api/v1/proceedings", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/proceedings":                      {method: "POST", path: "/api/v1/proceedings", body: `{"subject_kind":"MEMBER","card_number":"` + cw.card + `","body_org_code":"P19-O1-D01-C01","body_kind":"UBKT","origin":"DIRECT","violation":"x","violation_on":"2026-11-01","warranted_form":"KHIEN_TRACH"}`, outcome: denied},
		"GET /api/v1/proceedings/{id}":                  {method: "GET", path: "/api/v1/proceedings/" + id(cw.procID), outcome: denied},
		"POST /api/v1/proceedings/{id}/persons":         {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/persons", body: `{"card_number":"` + cw.card + `","assessment":"x"}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/hear":            {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/hear", body: `{"heard_on":"2026-11-27","self_criticism_on":"2026-11-27"}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/vote":            {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/vote", body: `{"held_on":"2026-11-28","official":7,"votes":{"KHIEN_TRACH":7}}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/decide":          {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/decide", body: `{}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/postpone":        {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/postpone", body: `{"ground":"SERIOUSLY_ILL","reason":"x"}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/resume":          {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/resume", body: `{}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/wrongful":        {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/wrongful", body: `{"ground":"PARTY_CONCLUSION","finding_received_on":"2026-11-27","reference":"x"}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/exempt":          {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/exempt", body: `{"ground":"SUPERIOR_DECISION_RESERVED","reason":"x"}`, outcome: denied},
		"POST /api/v1/proceedings/{id}/cancel":          {method: "POST", path: "/api/v1/proceedings/" + id(cw.procID) + "/cancel", body: `{"reason":"thử hủy"}`, outcome: denied},
		"GET /api/v1/cases":                             {method: "GET", path: "/api/v1/cases", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/cases":                            {method: "POST", path: "/api/v1/cases", body: `{"kind":"KT_DHVP","org_code":"P19-O1-D01-C01","body_kind":"UBKT","title":"x","Subjects":[{"kind":"ORG","org_code":"P19-O1-D01-C01-VM1"}]}`, outcome: denied},
		"GET /api/v1/cases/{id}":                        {method: "GET", path: "/api/v1/cases/" + id(cw.caseID), outcome: denied},
		"POST /api/v1/cases/{id}/transitions":           {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/transitions", body: `{"name":"follow_up"}`, outcome: denied},
		"POST /api/v1/cases/{id}/team":                  {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/team", body: `{"username":"cn-thanhhoa","role":"MEMBER"}`, outcome: denied},
		"POST /api/v1/cases/{id}/team/{user}/recuse":    {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/team/" + id(cw.leadID) + "/recuse", body: `{"reason":"thử rút"}`, outcome: denied},
		"POST /api/v1/cases/{id}/subjects/{seq}/{what}": {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/subjects/1/comments", body: `{"date":"2026-11-27"}`, outcome: denied},
		"POST /api/v1/cases/{id}/findings":              {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/findings", body: `{"subject_seq":1,"kind":"STRENGTH","text":"x"}`, outcome: denied},
		"POST /api/v1/cases/{id}/files":                 {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/files?name=a.pdf", body: string(pdfBytes), outcome: denied},
		"POST /api/v1/cases/{id}/documents":             {method: "POST", path: "/api/v1/cases/" + id(cw.caseID) + "/documents", body: `{"type":"TB"}`, outcome: denied},
		"POST /api/v1/remediations/{id}":                {method: "POST", path: "/api/v1/remediations/" + id(cw.remID), body: `{"kind":"report","text":"x"}`, outcome: denied},
		"GET /api/v1/documents/{id}":                    {method: "GET", path: "/api/v1/documents/" + id(cw.docID), outcome: denied},
		"PUT /api/v1/documents/{id}":                    {method: "PUT", path: "/api/v1/documents/" + id(cw.draftID), body: `{"summary":"x","issuing_body":"x"}`, outcome: denied},
		"POST /api/v1/documents/{id}/issue":             {method: "POST", path: "/api/v1/documents/" + id(cw.draftID) + "/issue", body: `{}`, outcome: denied},
		"GET /api/v1/programmes":                        {method: "GET", path: "/api/v1/programmes", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/programmes":                       {method: "POST", path: "/api/v1/programmes", body: `{"org_code":"P19-O1-D01-C01","body_kind":"UBKT","kind":"ANNUAL","year":2026,"title":"x","adopted_on":"2026-11-01"}`, outcome: denied},
		"GET /api/v1/programmes/{id}":                   {method: "GET", path: "/api/v1/programmes/" + id(cw.programmeID), outcome: denied},
		"POST /api/v1/programmes/{id}/items":            {method: "POST", path: "/api/v1/programmes/" + id(cw.programmeID) + "/items", body: `{"kind":"GS_CHUYEN_DE","subject":{"kind":"ORG","org_code":"P19-O1-D01-C01-VM1"},"content":"x","from":"2026-12-01","to":"2026-12-02"}`, outcome: denied},
		"POST /api/v1/programme-items/{id}/case":        {method: "POST", path: "/api/v1/programme-items/" + id(cw.itemID) + "/case", body: `{}`, outcome: denied},
		"GET /api/v1/work":                              {method: "GET", path: "/api/v1/work", outcome: filtered},
		"POST /api/v1/conflicts":                        {method: "POST", path: "/api/v1/conflicts", body: fmt.Sprintf(`{"user_id":%d,"kind":"RELATIVE","card_number":"%s"}`, chairID, member.CardNumber), outcome: denied},
		"GET /api/v1/practices":                         {method: "GET", path: "/api/v1/practices?q=sinh", outcome: denied, chairOutcome: filtered},
		"GET /api/v1/audit/head":                        {method: "GET", path: "/api/v1/audit/head", outcome: filtered},
		// Letters: the viewer and the administrator have no case role
		// (403); the sibling chair sees only its own scope.
		"GET /letters":                          {method: "GET", path: "/letters", outcome: denied, chairOutcome: filtered},
		"GET /letters.csv":                      {method: "GET", path: "/letters.csv", outcome: denied, chairOutcome: filtered},
		"GET /letters/new":                      {method: "GET", path: "/letters/new", outcome: denied, chairOutcome: filtered},
		"POST /letters":                         {method: "POST", path: "/letters", form: url.Values{"channel": {"LETTER"}, "sender_name": {"x"}, "title": {"Thử"}, "content": {"Nội dung thử đủ hai mươi ký tự trở lên."}, "org_code": {"P19-O1-D01-C01"}, "body_kind": {"UBKT"}, "a0_name": {"x"}}, outcome: denied},
		"GET /letters/{id}":                     {method: "GET", path: "/letters/" + id(lw.id), outcome: denied},
		"POST /letters/{id}/sender":             {method: "POST", path: "/letters/" + id(lw.id) + "/sender", form: url.Values{"reason": {"Cần xem người gửi để xác minh"}}, outcome: denied},
		"POST /letters/{id}/files/{fid}":        {method: "POST", path: "/letters/" + id(lw.id) + "/files/" + id(lw.fileID), form: url.Values{"reason": {"Cần xem tệp để xác minh"}}, outcome: denied},
		"POST /letters/{id}/{step}":             {method: "POST", path: "/letters/" + id(lw.id) + "/classify", form: url.Values{"rows": {"1"}}, outcome: denied},
		"GET /api/v1/letters":                   {method: "GET", path: "/api/v1/letters", outcome: denied, chairOutcome: filtered},
		"POST /api/v1/letters":                  {method: "POST", path: "/api/v1/letters", body: `{"channel":"API","sender":{"name":"x"},"title":"Thử","content":"Nội dung thử đủ hai mươi ký tự trở lên.","org_code":"P19-O1-D01-C01","body_kind":"UBKT","allegations":[{"accused_name":"x"}]}`, outcome: denied},
		"GET /api/v1/letters/{id}":              {method: "GET", path: "/api/v1/letters/" + id(lw.id), outcome: denied},
		"POST /api/v1/letters/{id}/classify":    {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/classify", body: `{}`, outcome: denied},
		"POST /api/v1/letters/{id}/transfer":    {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/transfer", body: `{"org_code":"P08","body_kind":"UBKT"}`, outcome: denied},
		"POST /api/v1/letters/{id}/arrive":      {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/arrive", body: `{}`, outcome: denied},
		"POST /api/v1/letters/{id}/release":     {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/release", body: `{}`, outcome: denied},
		"POST /api/v1/letters/{id}/team":        {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/team", body: fmt.Sprintf(`{"team":[{"user_id":%d,"role":"PRESIDE"}]}`, chairID), outcome: denied},
		"POST /api/v1/letters/{id}/verify":      {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/verify", body: `{"note":"Ghi chú xác minh thử"}`, outcome: denied},
		"POST /api/v1/letters/{id}/extend":      {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/extend", body: `{"days":10,"reason":"Lý do gia hạn thử"}`, outcome: denied},
		"POST /api/v1/letters/{id}/conclude":    {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/conclude", body: `{"results":[{"seq":1,"result":"UNFOUNDED","conclusion":"Kết luận thử đủ dài"}]}`, outcome: denied},
		"POST /api/v1/letters/{id}/notify":      {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/notify", body: `{}`, outcome: denied},
		"POST /api/v1/letters/{id}/withdraw":    {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/withdraw", body: `{"reason":"Lý do rút đơn thử"}`, outcome: denied},
		"POST /api/v1/letters/{id}/case":        {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/case", body: `{"title":"x"}`, outcome: denied},
		"POST /api/v1/letters/{id}/proceeding":  {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/proceeding", body: `{"seq":1}`, outcome: denied},
		"POST /api/v1/letters/{id}/sender":      {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/sender", body: `{"reason":"Cần xem người gửi để xác minh"}`, outcome: denied},
		"POST /api/v1/letters/{id}/files/{fid}": {method: "POST", path: "/api/v1/letters/" + id(lw.id) + "/files/" + id(lw.fileID), body: `{"reason":"Cần xem tệp để xác minh"}`, outcome: denied},
	}
	for _, pattern := range srv.Routes() {
		if _, ok := cases[pattern]; !ok {
			t.Errorf("route %s has no case in the sibling-subtree test: add one", pattern)
		}
	}
	for _, user := range []string{"xem", "qt-thanhhoa", "cn-thanhhoa"} {
		for _, pattern := range srv.Routes() {
			rc, ok := cases[pattern]
			if !ok {
				continue
			}
			outcome := rc.outcome
			if user == "qt-thanhhoa" && rc.adminOutcome != 0 {
				outcome = rc.adminOutcome
			}
			if user == "cn-thanhhoa" && rc.chairOutcome != 0 {
				outcome = rc.chairOutcome
			}
			t.Run(user+" "+pattern, func(t *testing.T) {
				c := client(t, ts, user)
				if outcome == fresh {
					c = freshClient(t, ts, user)
				}
				status, body := call(t, c, ts, rc)
				if outcome == fresh {
					// Logging out everywhere also ended the cached session.
					forgetClient(ts, user)
				}
				switch outcome {
				case denied:
					if status != http.StatusForbidden && status != http.StatusNotFound {
						t.Errorf("%s %s as %s: status %d, want 403 or 404", rc.method, rc.path, user, status)
					}
				case refused:
					if status != http.StatusBadRequest {
						t.Errorf("%s %s as %s: status %d, want 400", rc.method, rc.path, user, status)
					}
				case filtered:
					if status >= 500 || status == http.StatusUnauthorized {
						t.Errorf("%s %s as %s: status %d", rc.method, rc.path, user, status)
					}
				}
				for _, sec := range secrets {
					if sec == rc.echo {
						// The caller's own input, shown back next to
						// "no member has this card".
						continue
					}
					if strings.Contains(body, sec) {
						t.Errorf("%s %s as %s (status %d): the response contains %q, a value of the other subtree", rc.method, rc.path, user, status, sec)
					}
				}
			})
		}
	}
	// The test can fail: the administrator of the whole tree does see them.
	_, body := call(t, client(t, ts, "quantri"), ts, cases["GET /members/{id}"])
	if !strings.Contains(body, member.CardNumber) {
		t.Fatal("control: the whole-tree administrator should see the member's card number")
	}
	_ = svc
}

func call(t *testing.T, c *http.Client, ts *httptest.Server, rc routeCase) (int, string) {
	t.Helper()
	var req *http.Request
	switch {
	case rc.form != nil || (rc.method == "POST" && rc.body == ""):
		req, _ = http.NewRequest(rc.method, ts.URL+rc.path, strings.NewReader(rc.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case rc.body != "":
		req, _ = http.NewRequest(rc.method, ts.URL+rc.path, strings.NewReader(rc.body))
		req.Header.Set("Content-Type", "application/json")
	default:
		req, _ = http.NewRequest(rc.method, ts.URL+rc.path, nil)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// freshClient signs in anew (not cached), for routes that end sessions.
func freshClient(t *testing.T, ts *httptest.Server, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(ts.URL+"/login", url.Values{"username": {user}, "password": {app.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", user, resp.StatusCode)
	}
	return c
}

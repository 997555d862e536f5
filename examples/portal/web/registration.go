package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/templates"
)

// The 定期注册 business platform (业务平台, manual §3.1.1): 须知, the window query (网报时间查询)
// with cascading selects, and the start of the wizard from a confirmation point.

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		p := newRegistrationPages(s)
		rt.Applicant("GET /platform", p.platformPage)
		rt.Public("GET /platform/notice", p.noticePage)
		rt.Applicant("GET /platform/windows", p.windowsPage)
		rt.Applicant("POST /platform/wizard/start", p.wizardStart)
		p.wizardRoutes(rt)
		p.applicationRoutes(rt)
	})
}

// platformView is the business platform's model.
type platformView struct {
	// DraftStep is the step of a wizard in progress (1–6), 0 when there is none.
	DraftStep    registration.Step
	Applications int
}

func (p *registrationPages) platformPage(w http.ResponseWriter, r *http.Request) {
	a, _ := CurrentAccount(r.Context())
	var v platformView
	if wz, _ := p.loadWizard(r, a); wz != nil && wz.Step() > registration.StepWindow && wz.Step() < registration.StepReminder {
		v.DraftStep = wz.Step()
	}
	apps, err := p.backend().ApplicationsOf(r.Context(), a.ID)
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	cat, err := p.backend().Catalogue(r.Context())
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	v.Applications = len(currentBatch(cat, apps, p.s.now()))
	p.s.render(w, r, http.StatusOK, PlatformPage(v))
}

func (p *registrationPages) noticePage(w http.ResponseWriter, r *http.Request) {
	p.s.render(w, r, http.StatusOK, NoticePage())
}

// windowSearchView is the window query's model: the four cascading selects and the result.
type windowSearchView struct {
	Province, City, Stage, Authority       string
	Provinces, Cities, Stages, Authorities []templates.Option
	Searched                               bool
	NoPlan                                 string
	Results                                []windowResult
	Error                                  string
}

// windowResult is one authority found, with its windows for the stage.
type windowResult struct {
	Authority string
	Windows   []windowRow
}

// windowRow is one window (网报时间) with its confirmation points.
type windowRow struct {
	ID, Stage, Opens, Closes string
	// Message is "" while open, else 还未到网报时间… / 网报时间已截止….
	Message string
	Points  []pointRow
}

// pointRow is a confirmation point (确认点) with its scope (确认范围).
type pointRow struct {
	ID, Name, Scope, Address, Notes string
}

// cstTime formats an instant for people, in China Standard Time.
func cstTime(t time.Time) string { return t.In(registration.CST).Format("2006-01-02 15:04") }

// buildWindowSearch fills the cascading selects from the query, dropping a choice that does not
// belong to the level above it (a province changed under a chosen city), and runs the search
// once province, city and stage are chosen.
func buildWindowSearch(cat *registration.Catalogue, q map[string]string, now time.Time) windowSearchView {
	v := windowSearchView{Province: q["province"], City: q["city"], Stage: q["stage"], Authority: q["authority"]}
	for _, pr := range cat.ProvinceList() {
		v.Provinces = append(v.Provinces, templates.Option{Value: pr.Code, Label: pr.Name})
	}
	if !slices.ContainsFunc(v.Provinces, func(o templates.Option) bool { return o.Value == v.Province }) {
		v.Province = ""
	}
	for _, c := range cat.CitiesOf(v.Province) {
		v.Cities = append(v.Cities, templates.Option{Value: c.Code, Label: c.Name})
	}
	if !slices.ContainsFunc(v.Cities, func(o templates.Option) bool { return o.Value == v.City }) {
		v.City = ""
	}
	if v.City != "" {
		for _, st := range cat.StagesOf(v.Province, v.City) {
			v.Stages = append(v.Stages, templates.Option{Value: itoa(int(st)), Label: st.String()})
		}
		if len(v.Stages) == 0 {
			v.Searched, v.NoPlan = true, registration.ErrNoPlan.Message
			return v
		}
	}
	stage, err := registration.ParseStage(v.Stage)
	if err != nil || !slices.ContainsFunc(v.Stages, func(o templates.Option) bool { return o.Value == v.Stage }) {
		v.Stage, stage = "", 0
	}
	if v.Stage != "" {
		for _, a := range cat.AuthoritiesOf(v.Province, v.City, stage) {
			v.Authorities = append(v.Authorities, templates.Option{Value: a.ID, Label: a.Name})
		}
	}
	if !slices.ContainsFunc(v.Authorities, func(o templates.Option) bool { return o.Value == v.Authority }) {
		v.Authority = ""
	}
	if v.Stage == "" {
		return v
	}
	v.Searched = true
	results, err := cat.Search(registration.Query{Province: v.Province, City: v.City, Stage: stage, AuthorityID: v.Authority})
	if err != nil {
		v.NoPlan = registration.ErrNoPlan.Message
		return v
	}
	for _, res := range results {
		wr := windowResult{Authority: res.Authority.Name}
		for _, win := range res.Windows {
			row := windowRow{ID: win.ID, Stage: win.Stage.String(), Opens: cstTime(win.Opens), Closes: cstTime(win.Closes)}
			if err := win.Check(now); err != nil {
				row.Message = err.Error()
			}
			for _, pt := range res.Points {
				if len(pt.Scope.Stages) == 0 || slices.Contains(pt.Scope.Stages, win.Stage) {
					row.Points = append(row.Points, pointRow{ID: pt.ID, Name: pt.Name, Scope: pt.ScopeText, Address: pt.Address, Notes: pt.Notes})
				}
			}
			wr.Windows = append(wr.Windows, row)
		}
		v.Results = append(v.Results, wr)
	}
	return v
}

func (p *registrationPages) windowsPage(w http.ResponseWriter, r *http.Request) {
	cat, err := p.backend().Catalogue(r.Context())
	if err != nil {
		p.s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := buildWindowSearch(cat, map[string]string{
		"province": q.Get("province"), "city": q.Get("city"), "stage": q.Get("stage"), "authority": q.Get("authority"),
	}, p.s.now())
	p.s.render(w, r, http.StatusOK, WindowsPage(v))
}

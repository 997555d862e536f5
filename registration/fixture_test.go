package registration_test

import (
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

// Fixture times: the Guangzhou window runs through July 2026 (CST).
var (
	opens   = time.Date(2026, 7, 1, 9, 0, 0, 0, registration.CST)
	closes  = time.Date(2026, 8, 1, 0, 0, 0, 0, registration.CST)
	inside  = time.Date(2026, 7, 10, 10, 0, 0, 0, registration.CST)
	primary = registration.StagePrimary
)

// catalogue is a small Guangdong/Guangxi catalogue used across the tests.
func catalogue() *registration.Catalogue {
	return &registration.Catalogue{
		Provinces: []registration.Province{{Code: "44", Name: "广东省"}, {Code: "45", Name: "广西壮族自治区"}},
		Cities: []registration.City{
			{Code: "440100", Name: "广州市", Province: "44"},
			{Code: "440300", Name: "深圳市", Province: "44"},
			{Code: "450100", Name: "南宁市", Province: "45"},
		},
		Authorities: []registration.Authority{
			{ID: "gz-th", Name: "广州市天河区教育局", Province: "44", City: "440100",
				Stages: []registration.Stage{registration.StagePrimary, registration.StageJuniorMiddle},
				Kinds:  []certificate.Kind{certificate.Primary, certificate.JuniorMiddle}},
			{ID: "gz", Name: "广州市教育局", Province: "44", City: "440100",
				Stages: []registration.Stage{registration.StageSeniorMiddle, registration.StageVocational},
				Kinds:  []certificate.Kind{certificate.SeniorMiddle, certificate.Vocational, certificate.VocationalPractice}},
			{ID: "sz", Name: "深圳市教育局", Province: "44", City: "440300",
				Stages: []registration.Stage{registration.StageKindergarten},
				Kinds:  []certificate.Kind{certificate.Kindergarten}},
			{ID: "nn", Name: "南宁市教育局", Province: "45", City: "450100",
				Stages: []registration.Stage{registration.StagePrimary},
				Kinds:  []certificate.Kind{certificate.Primary}},
		},
		Points: []registration.ConfirmationPoint{
			{ID: "th-1", AuthorityID: "gz-th", Name: "天河区教师发展中心", ScopeText: "天河区公办中小学教师",
				Scope: registration.Scope{Districts: []string{"440106"}}, Address: "天河路1号"},
			{ID: "th-2", AuthorityID: "gz-th", Name: "天河区小学语文确认点", ScopeText: "天河区小学语文教师",
				Scope: registration.Scope{Stages: []registration.Stage{registration.StagePrimary}, Subjects: []string{"01"}, Districts: []string{"440106"}}},
			{ID: "gz-1", AuthorityID: "gz", Name: "广州市教育局确认点", ScopeText: "全市高中及中职教师"},
			{ID: "sz-1", AuthorityID: "sz", Name: "深圳市确认点", ScopeText: "全市幼儿园教师"},
			{ID: "nn-1", AuthorityID: "nn", Name: "南宁市确认点", ScopeText: "全市小学教师"},
		},
		Windows: []registration.Window{
			{ID: "w-th-p", AuthorityID: "gz-th", Province: "44", City: "440100", Stage: registration.StagePrimary, Opens: opens, Closes: closes},
			{ID: "w-th-j", AuthorityID: "gz-th", Province: "44", City: "440100", Stage: registration.StageJuniorMiddle, Opens: opens.AddDate(0, 1, 0), Closes: closes.AddDate(0, 1, 0)},
			{ID: "w-gz-s", AuthorityID: "gz", Province: "44", City: "440100", Stage: registration.StageSeniorMiddle, Opens: opens, Closes: closes},
			{ID: "w-nn-p", AuthorityID: "nn", Province: "45", City: "450100", Stage: registration.StagePrimary, Opens: opens, Closes: closes},
			// 深圳 has authorities but no plan.
		},
	}
}

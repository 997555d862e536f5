package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdministratorAddsACity: a city missing from the reference list is added by its GB/T 2260
// code (audited); a code outside the chosen province, a province-level code, a taken code and a
// missing name are refused with the form kept; other staff get 404.
func TestAdministratorAddsACity(t *testing.T) {
	h := newReviewHarness(t)
	_, secret := h.demoStaff(adminUser)
	c := h.staffLogin(adminUser, secret)
	existing := h.Cat.Cities[0]

	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"code of another province", url.Values{"province": {"44"}, "code": {"450300"}, "name": {"某市"}}, "前两位为所选省份的代码"},
		{"province-level code", url.Values{"province": {"44"}, "code": {"440000"}, "name": {"某市"}}, "前两位为所选省份的代码"},
		{"not digits", url.Values{"province": {"44"}, "code": {"44O3OO"}, "name": {"某市"}}, "6位数字"},
		{"no province", url.Values{"code": {"440300"}, "name": {"某市"}}, "请选择省份"},
		{"no name", url.Values{"province": {"44"}, "code": {"449900"}}, "请填写城市名称"},
		{"taken code", url.Values{"province": {existing.Province}, "code": {existing.Code}, "name": {"重复"}}, "已有城市"},
	} {
		r := c.post("/review/admin/cities", tc.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.find("admin-errors").Text(), tc.want) {
			t.Errorf("%s: %d %q, want 422 with %q", tc.name, r.StatusCode, r.find("admin-errors").Text(), tc.want)
		}
		if got := r.Doc.Find(`[data-testid="city-form"] input[name="code"]`).AttrOr("value", ""); got != tc.form.Get("code") {
			t.Errorf("%s: the form lost the code: %q", tc.name, got)
		}
	}

	wantStatus(t, c.post("/review/admin/cities", url.Values{"province": {"44"}, "code": {"449901"}, "name": {"测试新市"}}), http.StatusSeeOther)
	cat, err := h.Store.Catalogue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, city := range cat.Cities {
		found = found || city.Code == "449901" && city.Name == "测试新市" && city.Province == "44"
	}
	if !found {
		t.Fatal("the city is not in the catalogue")
	}
	lines := auditLines(c.get("/review/admin/audit"))
	if len(lines) == 0 || lines[0].action != "新增城市" || !strings.Contains(lines[0].to, "测试新市") {
		t.Errorf("audit: %+v", lines)
	}
	// The new city is offered to the authority form.
	if c.get("/review/admin").Doc.Find(`[data-testid="authority-form"] select[name="city"] option[value="449901"]`).Length() != 1 {
		t.Error("the authority form does not offer the new city")
	}

	_, pointSecret := h.demoStaff(pointUser)
	pc := h.staffLogin(pointUser, pointSecret)
	wantStatus(t, pc.post("/review/admin/cities", url.Values{"province": {"44"}, "code": {"449902"}, "name": {"x"}}), http.StatusNotFound)
}

package templates_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/tqreg/tqreg/templates"
)

func render(t *testing.T, ctx context.Context, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func byID(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[data-testid="` + id + `"]`)
}

func TestLayoutShowsWhoIsLoggedInAndGuardsPrivatePages(t *testing.T) {
	tests := []struct {
		name    string
		page    templates.Page
		user    bool
		private bool
		outbox  bool
	}{
		{"anonymous public page", templates.Page{Title: "首页"}, false, false, false},
		{"logged in private page", templates.Page{Title: "个人信息中心", UserName: "张三", Private: true}, true, true, false},
		{"dev mode links the outbox", templates.Page{Title: "首页", Dev: true}, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, context.Background(), templates.Layout(tt.page))
			if got := doc.Find("html").AttrOr("lang", ""); got != "zh-CN" {
				t.Errorf("lang %q", got)
			}
			if byID(doc, "page-title").Text() != tt.page.Title {
				t.Errorf("title %q", byID(doc, "page-title").Text())
			}
			if (byID(doc, "user-name").Length() == 1) != tt.user || (byID(doc, "login-link").Length() == 1) == tt.user {
				t.Error("header does not match the login state")
			}
			if (doc.Find(`[hx-history="false"]`).Length() > 0) != tt.private {
				t.Errorf("hx-history guard present = %v, want %v", !tt.private, tt.private)
			}
			if (doc.Find(`a[href="/dev/outbox"]`).Length() > 0) != tt.outbox {
				t.Error("outbox link does not match dev mode")
			}
			if doc.Find("script:not([src])").Length() != 0 {
				t.Error("inline script")
			}
		})
	}
}

func TestLayoutFragmentIsTheMainContentOnly(t *testing.T) {
	var buf bytes.Buffer
	page := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return templates.Layout(templates.Page{Title: "登录", Private: true}).Render(templ.WithChildren(ctx, templ.Raw(`<p data-testid="body">内容</p>`)), w)
	})
	if err := templ.RenderFragments(context.Background(), &buf, page, templates.MainFragment); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<html") || strings.Contains(out, "site-header") {
		t.Errorf("fragment has the layout: %s", out)
	}
	for _, want := range []string{`data-testid="body"`, `data-testid="page-title"`, `hx-history="false"`} {
		if !strings.Contains(out, want) {
			t.Errorf("fragment lacks %s: %s", want, out)
		}
	}
}

func TestFieldsShowTheirErrorAndTheSummaryLinksToThem(t *testing.T) {
	errs := templates.Errors{{Field: "name", Message: "请填写姓名"}, {Field: "kind", Message: "请选择证件类型"}}
	c := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for _, c := range []templ.Component{
			templates.ErrorSummary(errs),
			templates.Input(templates.Field{Name: "name", Label: "姓名", Error: errs.For("name"), Required: true}),
			templates.Select(templates.Field{Name: "kind", Label: "证件类型", Value: "2", Error: errs.For("kind"),
				Options: []templates.Option{{Value: "1", Label: "居民身份证"}, {Value: "2", Label: "护照"}}}),
			templates.Input(templates.Field{Name: "password", Label: "密码", Type: "password", Value: "secret"}),
		} {
			if err := c.Render(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	doc := render(t, context.Background(), c)
	items := byID(doc, "summary-error")
	if items.Length() != 2 {
		t.Fatalf("summary has %d entries", items.Length())
	}
	items.Each(func(_ int, s *goquery.Selection) {
		href := s.Find("a").AttrOr("href", "")
		target := doc.Find(href)
		if target.Length() != 1 {
			t.Errorf("summary link %s points nowhere", href)
		}
		if target.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s is not marked invalid", href)
		}
	})
	if byID(doc, "field-error").Length() != 2 {
		t.Error("inline errors missing")
	}
	if doc.Find(`#field-kind option[selected]`).AttrOr("value", "") != "2" {
		t.Error("the chosen option is not selected")
	}
	if doc.Find(`#field-password`).AttrOr("value", "") != "" {
		t.Error("a password value was echoed back")
	}
	if render(t, context.Background(), templates.ErrorSummary(nil)).Find("[data-testid]").Length() != 0 {
		t.Error("an empty summary rendered")
	}
}

func TestFieldsDescribeHintAndErrorAndKeepIDsUniqueAcrossForms(t *testing.T) {
	c := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for _, c := range []templ.Component{
			templates.Input(templates.Field{Form: "window", Name: "id", Label: "代码", Hint: "新增时留空"}),
			templates.Input(templates.Field{Form: "point", Name: "id", Label: "代码", Hint: "新增时留空", Error: "代码已存在"}),
			templates.Select(templates.Field{Name: "kind", Label: "类型", Hint: "选择一项"}),
			templates.Input(templates.Field{Name: "plain", Label: "无提示"}),
		} {
			if err := c.Render(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	doc := render(t, context.Background(), c)
	for _, tc := range []struct{ control, describedBy string }{
		{"#field-window-id", "field-window-id-hint"},
		{"#field-point-id", "field-point-id-hint field-point-id-error"},
		{"#field-kind", "field-kind-hint"},
		{"#field-plain", ""},
	} {
		el := doc.Find(tc.control)
		if el.Length() != 1 {
			t.Errorf("%s: %d controls", tc.control, el.Length())
			continue
		}
		if got := el.AttrOr("aria-describedby", ""); got != tc.describedBy {
			t.Errorf("%s: aria-describedby %q, want %q", tc.control, got, tc.describedBy)
		}
		for _, id := range strings.Fields(tc.describedBy) {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("%s: described by %s, which is not on the page once", tc.control, id)
			}
		}
		if doc.Find(`label[for="`+tc.control[1:]+`"]`).Length() != 1 {
			t.Errorf("%s: no label of its own", tc.control)
		}
	}
	if byID(doc, "field-id").Length() != 2 {
		t.Error("the data-testid of a field must not depend on its form")
	}
}

func TestStepBarMarksDoneCurrentAndLater(t *testing.T) {
	steps := []templates.Step{{Label: "协议", Href: "/w/1"}, {Label: "信息"}, {Label: "机构"}}
	doc := render(t, context.Background(), templates.StepBar(steps, 1))
	li := byID(doc, "step")
	if li.Length() != 3 {
		t.Fatalf("%d steps", li.Length())
	}
	if !li.Eq(0).HasClass("done") || li.Eq(0).Find("a").AttrOr("href", "") != "/w/1" {
		t.Error("first step not done with its link")
	}
	if li.Eq(1).AttrOr("aria-current", "") != "step" || li.Eq(2).HasClass("done") {
		t.Error("current/later steps wrong")
	}
	// Not by colour alone (WCAG 1.4.1): each state is also in the text a screen reader reads.
	for i, want := range []string{"(已完成)", "(当前步骤)", ""} {
		if got := li.Eq(i).Find(".visually-hidden").Text(); got != want {
			t.Errorf("step %d: hidden state %q, want %q", i+1, got, want)
		}
	}
	if byID(doc, "step-bar").AttrOr("aria-label", "") == "" {
		t.Error("the step bar's list has no accessible name")
	}
}

func TestStatusBadgeAndTable(t *testing.T) {
	doc := render(t, context.Background(), templates.StatusBadge(templates.ToneOK, "注册合格"))
	if b := byID(doc, "status-badge"); b.Text() != "注册合格" || !b.HasClass("badge-ok") {
		t.Errorf("badge %q", b.Text())
	}
	rows := templ.Raw(`<tr data-testid="row"><td>1</td></tr>`)
	doc = render(t, templ.WithChildren(context.Background(), rows), templates.Table("t", "标题", []string{"甲", "乙"}))
	if byID(doc, "t").Find("th").Length() != 2 || byID(doc, "row").Length() != 1 || doc.Find("caption").Text() != "标题" {
		t.Error("table structure")
	}
	// A wide table scrolls in its wrapper: keyboard users reach it, and it is named.
	for _, tc := range []struct {
		caption string
		headers []string
		name    string
	}{
		{"标题", []string{"甲"}, "标题"},
		{"", []string{"甲", "乙"}, "表格:甲、乙"},
		{"", []string{"甲", "乙", "丙", "丁"}, "表格:甲、乙、丙等"},
	} {
		doc = render(t, templ.WithChildren(context.Background(), rows), templates.Table("t", tc.caption, tc.headers))
		wrap := byID(doc, "t").Parent()
		if wrap.AttrOr("tabindex", "") != "0" || wrap.AttrOr("role", "") != "region" || wrap.AttrOr("aria-label", "") != tc.name {
			t.Errorf("caption %q: the scrolling wrapper is tabindex=%q role=%q aria-label=%q, want 0, region, %q", tc.caption,
				wrap.AttrOr("tabindex", ""), wrap.AttrOr("role", ""), wrap.AttrOr("aria-label", ""), tc.name)
		}
	}
}

func TestLayoutOnAStaffPageHidesTheApplicantAccountLinks(t *testing.T) {
	for _, p := range []templates.Page{{Title: "审核人员登录", Staff: true}, {Title: "待确认", Staff: true, UserName: "张三"}} {
		t.Run(p.Title, func(t *testing.T) {
			doc := render(t, context.Background(), templates.Layout(p))
			box := byID(doc, "account-box")
			if box.Length() != 1 {
				t.Fatal("no account box")
			}
			for _, id := range []string{"login-link", "register-link", "user-name", "logout"} {
				if byID(doc, id).Length() != 0 {
					t.Errorf("a staff page shows %s", id)
				}
			}
		})
	}
}

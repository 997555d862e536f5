package main

import (
	"net/http"
	"testing"
)

func TestBadInputAnswersMustBeClear4xxPages(t *testing.T) {
	html := func(body string) []byte {
		return []byte(`<!doctype html><html lang="zh-CN"><body>` + body + `</body></html>`)
	}
	photoError := `<p data-testid="field-error" data-field="photo">照片文件已损坏或不完整,无法读取图片信息</p>`
	cases := []struct {
		name   string
		field  string
		status int
		body   []byte
		ok     bool
	}{
		{"a refused upload on the form again with 422 and the field's error", "photo", 422, html(photoError), true},
		{"a refused upload shown with 200 is not a refusal", "photo", 200, html(`<li data-testid="photo-problem">照片文件已损坏</li>` + photoError), false},
		{"a 422 without the field's error", "photo", 422, html(`<p>请检查</p>`), false},
		{"a refused upload with another 4xx", "photo", 400, html(photoError), false},
		{"a 413 page for a case without a field", "", 413, html(`<p>请求过大</p>`), true},
		{"a 5xx is never clear", "", 500, html(`<p>错误</p>`), false},
		{"a 4xx that is not the zh-CN page", "", 400, []byte(`bad request`), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &page{Status: tc.status, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: tc.body}
			err := badCase{name: tc.name, field: tc.field}.check(p)
			if (err == nil) != tc.ok {
				t.Errorf("check = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

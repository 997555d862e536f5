package loadgen

import (
	"net/url"

	"github.com/PuerkitoBio/goquery"
)

// FormValues returns what a browser would submit for form (a <form> selection) without user
// input: named inputs with their value (checkboxes and radios only when checked; file and
// submit inputs left out), textareas, and selects with their selected option (else the first
// option), in document order.
func FormValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "" {
			return
		}
		if _, dis := s.Attr("disabled"); dis {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, s.Text())
		case "select":
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			if opt.Length() == 0 {
				return
			}
			val, ok := opt.Attr("value")
			if !ok {
				val = opt.Text()
			}
			v.Add(name, val)
		default:
			typ, _ := s.Attr("type")
			switch typ {
			case "file", "submit", "button", "image", "reset":
				return
			case "checkbox", "radio":
				if _, checked := s.Attr("checked"); !checked {
					return
				}
				v.Add(name, s.AttrOr("value", "on"))
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	return v
}

// FirstOption returns the first non-empty option value of the select named name inside sel.
func FirstOption(sel *goquery.Selection, name string) string {
	out := ""
	sel.Find(`select[name="` + name + `"] option`).EachWithBreak(func(_ int, o *goquery.Selection) bool {
		if v := o.AttrOr("value", ""); v != "" {
			out = v
			return false
		}
		return true
	})
	return out
}

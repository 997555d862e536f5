package form_test

import (
	"errors"
	"testing"

	"github.com/tqreg/tqreg/form"
)

// checkList proves the closed-set contract of one code list: codes and labels unique and
// non-empty, Parse accepts code and label, String is the label, All and Options agree, and
// anything else is refused with a *CodeError.
func checkList[T interface {
	~string
	String() string
}](t *testing.T, l *form.CodeList[T], want map[T]string, size int) {
	t.Helper()
	all := l.All()
	if len(all) != size {
		t.Errorf("%s has %d values, want %d", l.Name(), len(all), size)
	}
	opts := l.Options()
	seenLabel := map[string]bool{}
	for i, v := range all {
		if string(v) == "" || v.String() == "" {
			t.Errorf("%s: empty code or label at %d", l.Name(), i)
		}
		if seenLabel[v.String()] {
			t.Errorf("%s: duplicate label %s", l.Name(), v.String())
		}
		seenLabel[v.String()] = true
		if opts[i].Code != string(v) || opts[i].Label != v.String() || l.Label(v) != v.String() || !l.Valid(v) {
			t.Errorf("%s: option %d = %+v, value %q label %q", l.Name(), i, opts[i], string(v), v.String())
		}
		for _, in := range []string{string(v), v.String(), " " + string(v) + " "} {
			if got, err := l.Parse(in); err != nil || got != v {
				t.Errorf("%s.Parse(%q) = %q, %v; want %q", l.Name(), in, string(got), err, string(v))
			}
		}
	}
	for code, label := range want {
		if got := code.String(); got != label {
			t.Errorf("%s: code %s is %q, want %q", l.Name(), string(code), got, label)
		}
	}
	var zero T
	if zero.String() != "" || l.Valid(zero) {
		t.Errorf("%s: zero value has label %q or is valid", l.Name(), zero.String())
	}
	if got := T("zz").String(); got != "未知代码(zz)" {
		t.Errorf("%s: unknown code prints %q", l.Name(), got)
	}
	for _, in := range []string{"", "  ", "zz", "00x", "<script>"} {
		_, err := l.Parse(in)
		var ce *form.CodeError
		if !errors.Is(err, form.ErrInvalidCode) || !errors.As(err, &ce) || ce.List != l.Name() {
			t.Errorf("%s.Parse(%q) err = %v", l.Name(), in, err)
		}
		if ce != nil && ce.Empty != (in == "" || in == "  ") {
			t.Errorf("%s.Parse(%q) Empty = %v", l.Name(), in, ce.Empty)
		}
	}
	// All returns a copy.
	if len(all) > 0 {
		all[0] = "changed"
		if l.All()[0] == "changed" {
			t.Errorf("%s.All shares its slice", l.Name())
		}
	}
}

func TestCodeLists(t *testing.T) {
	t.Run("普通话等级", func(t *testing.T) {
		checkList(t, form.MandarinLevels, map[form.MandarinLevel]string{"11": "一级甲等", "32": "三级乙等"}, 6)
	})
	t.Run("学历 uses GB/T 4658 codes", func(t *testing.T) {
		checkList(t, form.Educations, map[form.Education]string{"11": "研究生(博士)", "14": "研究生(硕士)", "21": "大学本科", "31": "大学专科", "41": "中等专科", "44": "职业高中", "47": "技工学校", "61": "普通高中", "70": "初中及以下"}, 9)
	})
	t.Run("学位", func(t *testing.T) {
		checkList(t, form.Degrees, map[form.Degree]string{"2": "博士", "3": "硕士", "4": "学士", "0": "无"}, 4)
	})
	t.Run("学历专业类别", func(t *testing.T) {
		checkList(t, form.MajorCategories, map[form.MajorCategory]string{"1": "师范类", "2": "非师范类"}, 2)
	})
	t.Run("学习形式", func(t *testing.T) {
		checkList(t, form.StudyModes, map[form.StudyMode]string{"1": "全日制", "5": "自学考试"}, 8)
	})
	t.Run("任教学校性质", func(t *testing.T) {
		checkList(t, form.SchoolOwnerships, map[form.SchoolOwnership]string{"1": "公办", "2": "民办"}, 4)
	})
	t.Run("教师职务", func(t *testing.T) {
		checkList(t, form.TeacherTitles, map[form.TeacherTitle]string{"1": "正高级教师", "9": "未定级"}, 6)
	})
	t.Run("岗位性质", func(t *testing.T) {
		checkList(t, form.PostTypes, map[form.PostType]string{"1": "专任教师"}, 4)
	})
	t.Run("政治面貌 uses GB/T 4762 codes", func(t *testing.T) {
		checkList(t, form.Politicals, map[form.Political]string{"01": "中共党员", "02": "中共预备党员", "03": "共青团员", "10": "九三学社社员", "12": "无党派人士", "13": "群众"}, 13)
	})
	t.Run("办学类型", func(t *testing.T) {
		checkList(t, form.SchoolTypes, map[form.SchoolType]string{"1": "普通高等学校", "2": "成人高等学校", "3": "中等职业学校"}, 7)
	})
	t.Run("任教学段 matches registration.Stage codes", func(t *testing.T) {
		checkList(t, form.TeachingStages, map[form.TeachingStage]string{"1": "幼儿园", "2": "小学", "3": "初级中学", "4": "高级中学", "5": "中等职业学校"}, 5)
	})
	t.Run("任教学科", func(t *testing.T) {
		checkList(t, form.Subjects, map[form.Subject]string{"01": "语文", "02": "数学", "03": "英语", "17": "学前教育"}, 27)
	})
	t.Run("性别 uses GB/T 2261.1 codes", func(t *testing.T) {
		checkList(t, form.Genders, map[form.Gender]string{"1": "男", "2": "女"}, 2)
	})
}

// parser adapts a code list's Parse to strings, so one table can test several lists.
func parser[T ~string](l *form.CodeList[T]) func(string) (string, error) {
	return func(s string) (string, error) {
		v, err := l.Parse(s)
		return string(v), err
	}
}

func TestCodeListAliases(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (string, error)
		in    string
		want  string
	}{
		{"full party name is 01", parser(form.Politicals), "中国共产党党员", "01"},
		{"本科 is 21", parser(form.Educations), "本科", "21"},
		{"全角括号 label is accepted", parser(form.Educations), "研究生（硕士）", "14"},
		{"初中 is stage 3", parser(form.TeachingStages), "初中", "3"},
		{"中职 is stage 5", parser(form.TeachingStages), "中职", "5"},
		{"体育 is 体育与健康", parser(form.Subjects), "体育", "12"},
		{"政治 is 思想政治", parser(form.Subjects), "政治", "09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.parse(tt.in); err != nil || got != tt.want {
				t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

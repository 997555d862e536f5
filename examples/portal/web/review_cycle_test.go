package web_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/web"
)

func ExampleParseCycleCSV() {
	in := "报名号,培训学时,年度考核,严重违反师德,教师资格被撤销或丧失,无正当理由超过一个学期未在岗,身心健康不能胜任\n" +
		"20264400000001,400,合格/优秀/合格,否,否,否,否\n" +
		"20264400000002,三百,合格,否,否,否,否\n"
	lines, errs, err := web.ParseCycleCSV(strings.NewReader(in))
	fmt.Println(err)
	for _, l := range lines {
		fmt.Println(l.Line, l.Number, l.Record.TrainingHours, l.Record.Appraisals)
	}
	for _, e := range errs {
		fmt.Println(e)
	}
	// Output:
	// <nil>
	// 2 20264400000001 400 [合格 优秀 合格]
	// 第 3 行:培训学时“三百”无效,应为 0 到 10000 的整数
}

func TestParseCycleCSV(t *testing.T) {
	header := strings.Join(web.CycleCSVHeader, ",") + "\n"
	cases := []struct {
		name     string
		in       string
		lines    int
		errLines []int
		fileErr  bool
	}{
		{"BOM and CRLF are accepted", "\ufeff" + strings.ReplaceAll(header, "\n", "\r\n") + "20264400000001,360,,否,否,否,否\r\n", 1, nil, false},
		{"codes and labels for appraisals, 是/否 and 1/0 for flags", header + "20264400000001,0,1/合格/4,是,0,1,否\n", 1, nil, false},
		{"blank lines are skipped", header + "\n20264400000001,360,,否,否,否,否\n\n", 1, nil, false},
		{"empty file", "", 0, nil, true},
		{"wrong header", "a,b,c\n", 0, nil, true},
		{"not UTF-8", header + "20264400000001,360,\xff,否,否,否,否\n", 0, nil, true},
		{"bad number, hours, appraisal, flag, columns each name their line", header +
			"123,360,,否,否,否,否\n" +
			"20264400000002,-1,,否,否,否,否\n" +
			"20264400000003,360,良好,否,否,否,否\n" +
			"20264400000004,360,,也许,否,否,否\n" +
			"20264400000005,360\n", 0, []int{2, 3, 4, 5, 6}, false},
		{"six years of appraisals are too many", header + "20264400000001,360,1/1/1/1/1/1,否,否,否,否\n", 0, []int{2}, false},
		{"a repeated number is refused", header + "20264400000001,360,,否,否,否,否\n20264400000001,400,,否,否,否,否\n", 1, []int{3}, false},
		{"broken quotes", header + "\"20264400000001,360,,否,否,否,否\n", 0, []int{2}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines, errs, err := web.ParseCycleCSV(strings.NewReader(tc.in))
			if tc.fileErr {
				if !errors.Is(err, web.ErrCycleCSV) {
					t.Fatalf("err %v, want ErrCycleCSV", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != tc.lines {
				t.Errorf("%d lines, want %d", len(lines), tc.lines)
			}
			var got []int
			for _, e := range errs {
				got = append(got, e.Line)
				if !strings.HasPrefix(e.Error(), fmt.Sprintf("第 %d 行:", e.Line)) {
					t.Errorf("message %q does not name its line", e.Error())
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.errLines) && !(len(got) == 0 && len(tc.errLines) == 0) {
				t.Errorf("error lines %v, want %v", got, tc.errLines)
			}
		})
	}
	t.Run("a file over the limit is refused unread", func(t *testing.T) {
		big := header + strings.Repeat("20264400000001,360,,否,否,否,否\n", 300<<10/40)
		if _, _, err := web.ParseCycleCSV(strings.NewReader(big)); !errors.Is(err, web.ErrCycleCSV) {
			t.Errorf("err %v", err)
		}
	})
}

func FuzzParseCycleCSV(f *testing.F) {
	header := strings.Join(web.CycleCSVHeader, ",") + "\n"
	f.Add(header + "20264400000001,400,合格/优秀,否,否,否,否\n")
	f.Add("\ufeff" + header + "20264400000001,abc,,是,否,否,否\r\n")
	f.Add(header + "\"unterminated\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		lines, errs, err := web.ParseCycleCSV(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, web.ErrCycleCSV) || len(lines)+len(errs) > 0 {
				t.Fatalf("file error %v with %d lines and %d line errors", err, len(lines), len(errs))
			}
			return
		}
		for _, l := range lines {
			if len(l.Number) != 14 || l.Record.TrainingHours < 0 || len(l.Record.Appraisals) > web.MaxAppraisalYears {
				t.Fatalf("accepted a bad line: %+v", l)
			}
			for _, a := range l.Record.Appraisals {
				if !a.Valid() {
					t.Fatalf("accepted appraisal %d", a)
				}
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Message == "" {
				t.Fatalf("line error %+v", e)
			}
		}
	})
}

// cycleCSV is an import of n lines.
func cycleCSV(n int) string {
	var b strings.Builder
	b.WriteString(strings.Join(web.CycleCSVHeader, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&b, "2026440%07d,%d,合格/优秀/合格/合格/基本合格,否,否,否,否\n", i+1, 300+i%100)
	}
	return b.String()
}

// BenchmarkParseCycleCSV parses a 1000-line import; compare with BenchmarkCycleCSVReadAll, the
// bare encoding/csv read of the same bytes (the floor).
func BenchmarkParseCycleCSV(b *testing.B) {
	in := cycleCSV(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		lines, errs, err := web.ParseCycleCSV(strings.NewReader(in))
		if err != nil || len(errs) != 0 || len(lines) != 1000 {
			b.Fatal(err, errs)
		}
	}
}

func BenchmarkCycleCSVReadAll(b *testing.B) {
	in := cycleCSV(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		recs, err := csv.NewReader(strings.NewReader(in)).ReadAll()
		if err != nil || len(recs) != 1001 {
			b.Fatal(err)
		}
	}
}

package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/registration"
)

// The applicant's registration cycle (注册周期) as the authority records it: training hours, the
// annual appraisals and the four flags of the rules, entered on the detail page or imported from
// a CSV file; registration.Assess turns it into the suggested conclusion.

// MaxAppraisalYears is how many annual appraisals a cycle holds (a cycle is five years).
const MaxAppraisalYears = 5

// cycleCSVLimit bounds an uploaded cycle-record CSV file.
const cycleCSVLimit = 256 << 10

// maxCycleLines bounds the data lines of one import.
const maxCycleLines = 2000

// CycleCSVHeader is the header row of the cycle-record CSV (培训学时与考核导入模板).
var CycleCSVHeader = []string{"报名号", "培训学时", "年度考核", "严重违反师德", "教师资格被撤销或丧失", "无正当理由超过一个学期未在岗", "身心健康不能胜任"}

// reviewCycleView is the cycle-record form's model.
type reviewCycleView struct {
	Exists                          bool
	Hours                           string
	Appraisals                      []string // stored codes, "" for a year not entered
	Misconduct, Lost, Absent, Unfit bool
	Errs                            []string
}

func reviewCycleViewOf(rec registration.CycleRecord, exists bool) reviewCycleView {
	v := reviewCycleView{Exists: exists, Appraisals: make([]string, MaxAppraisalYears),
		Misconduct: rec.SeriousMisconduct, Lost: rec.QualificationLost, Absent: rec.AbsentBeyondSemester, Unfit: rec.Unfit}
	if exists {
		v.Hours = strconv.Itoa(rec.TrainingHours)
	}
	for i, a := range rec.Appraisals {
		if i < MaxAppraisalYears {
			v.Appraisals[i] = strconv.Itoa(int(a))
		}
	}
	return v
}

// CycleLineError is one refused line of a cycle-record import, numbered as a spreadsheet shows
// it (the header is line 1).
type CycleLineError struct {
	Line    int
	Message string
}

func (e CycleLineError) Error() string { return "第 " + strconv.Itoa(e.Line) + " 行:" + e.Message }

// CycleLine is one accepted line of a cycle-record import.
type CycleLine struct {
	Line   int
	Number string
	Record registration.CycleRecord
}

// ErrCycleCSV is the refusal of a whole cycle-record file (empty, wrong header, too many lines).
var ErrCycleCSV = errors.New("导入文件格式有误")

// ParseCycleCSV reads a cycle-record CSV (UTF-8, optional BOM, header CycleCSVHeader): one line
// per application with the training hours, the appraisals of the years oldest first separated
// by "/" (labels such as 合格 or stored codes), and the four flags as 是/否. It returns every
// good line and a zh-CN error for every bad one; err is set only when the file as a whole cannot
// be read.
func ParseCycleCSV(r io.Reader) (lines []CycleLine, lineErrs []CycleLineError, err error) {
	data, err := io.ReadAll(io.LimitReader(r, cycleCSVLimit+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > cycleCSVLimit {
		return nil, nil, fmt.Errorf("%w:文件超过 %dKB", ErrCycleCSV, cycleCSVLimit>>10)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, fmt.Errorf("%w:请以 UTF-8 编码保存(可在表格软件中选择“CSV UTF-8”)", ErrCycleCSV)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%w:文件为空", ErrCycleCSV)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w:第 1 行无法识别", ErrCycleCSV)
	}
	if len(header) != len(CycleCSVHeader) || strings.TrimSpace(header[0]) != CycleCSVHeader[0] {
		return nil, nil, fmt.Errorf("%w:第 1 行应为表头:%s", ErrCycleCSV, strings.Join(CycleCSVHeader, ","))
	}
	seen := map[string]int{}
	lastLine := 1
	for {
		rec, rerr := cr.Read()
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			line := lastLine + 1
			var pe *csv.ParseError
			if errors.As(rerr, &pe) {
				line = pe.StartLine
			}
			lineErrs = append(lineErrs, CycleLineError{line, "格式无法识别(请检查引号和逗号)"})
			if len(lineErrs) > 100 {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(lines)+len(lineErrs) >= maxCycleLines {
			return nil, nil, fmt.Errorf("%w:一次最多导入 %d 行", ErrCycleCSV, maxCycleLines)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		cl, msg := reviewParseCycleRecord(rec)
		if msg == "" {
			if prev, dup := seen[cl.Number]; dup {
				msg = "报名号 " + cl.Number + " 与第 " + strconv.Itoa(prev) + " 行重复"
			}
		}
		if msg != "" {
			lineErrs = append(lineErrs, CycleLineError{line, msg})
			continue
		}
		cl.Line = line
		seen[cl.Number] = line
		lines = append(lines, cl)
	}
	return lines, lineErrs, nil
}

// reviewParseCycleRecord reads one data line; msg is the zh-CN problem ("" when the line is good).
func reviewParseCycleRecord(rec []string) (CycleLine, string) {
	if len(rec) != len(CycleCSVHeader) {
		return CycleLine{}, "应有 " + strconv.Itoa(len(CycleCSVHeader)) + " 列,实际 " + strconv.Itoa(len(rec)) + " 列"
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	var cl CycleLine
	if _, err := registration.ParseApplicationNumber(rec[0]); err != nil {
		return cl, "报名号“" + reviewClip(rec[0]) + "”无效,应为14位数字"
	}
	cl.Number = rec[0]
	h, err := strconv.Atoi(rec[1])
	if err != nil || h < 0 || h > 10000 {
		return cl, "培训学时“" + reviewClip(rec[1]) + "”无效,应为 0 到 10000 的整数"
	}
	cl.Record.TrainingHours = h
	if rec[2] != "" {
		parts := strings.FieldsFunc(rec[2], func(r rune) bool { return r == '/' || r == ';' || r == '、' || r == '|' })
		if len(parts) > MaxAppraisalYears {
			return cl, "年度考核最多 " + strconv.Itoa(MaxAppraisalYears) + " 年,实际 " + strconv.Itoa(len(parts)) + " 年"
		}
		for _, p := range parts {
			a, err := registration.ParseAppraisal(strings.TrimSpace(p))
			if err != nil {
				return cl, "年度考核“" + reviewClip(p) + "”无效,应为 优秀、合格、基本合格 或 不合格,多年用“/”分隔"
			}
			cl.Record.Appraisals = append(cl.Record.Appraisals, a)
		}
	}
	flags := []*bool{&cl.Record.SeriousMisconduct, &cl.Record.QualificationLost, &cl.Record.AbsentBeyondSemester, &cl.Record.Unfit}
	for i, f := range flags {
		switch rec[3+i] {
		case "是", "1", "Y", "y":
			*f = true
		case "否", "0", "N", "n", "":
		default:
			return cl, CycleCSVHeader[3+i] + "“" + reviewClip(rec[3+i]) + "”无效,应为“是”或“否”"
		}
	}
	return cl, ""
}

// reviewClip shortens an echoed cell so an error line stays readable.
func reviewClip(s string) string {
	if utf8.RuneCountInString(s) > 20 {
		return string([]rune(s)[:20]) + "…"
	}
	return s
}

// reviewCycleFromForm reads the detail page's cycle form.
func reviewCycleFromForm(r *http.Request) (registration.CycleRecord, reviewCycleView) {
	v := reviewCycleView{Exists: true, Hours: strings.TrimSpace(r.PostFormValue("hours")), Appraisals: make([]string, MaxAppraisalYears),
		Misconduct: r.PostFormValue("misconduct") != "", Lost: r.PostFormValue("lost") != "",
		Absent: r.PostFormValue("absent") != "", Unfit: r.PostFormValue("unfit") != ""}
	rec := registration.CycleRecord{SeriousMisconduct: v.Misconduct, QualificationLost: v.Lost, AbsentBeyondSemester: v.Absent, Unfit: v.Unfit}
	h, err := strconv.Atoi(v.Hours)
	if err != nil || h < 0 || h > 10000 {
		v.Errs = append(v.Errs, "请填写培训学时(0 到 10000 的整数)")
	}
	rec.TrainingHours = h
	for i := range MaxAppraisalYears {
		code := r.PostFormValue("appraisal" + strconv.Itoa(i+1))
		v.Appraisals[i] = code
		if code == "" {
			continue
		}
		a, err := registration.ParseAppraisal(code)
		if err != nil {
			v.Errs = append(v.Errs, "第 "+strconv.Itoa(i+1)+" 年的年度考核等次无效")
			continue
		}
		rec.Appraisals = append(rec.Appraisals, a)
	}
	return rec, v
}

func (c *reviewConsole) saveCycle(w http.ResponseWriter, r *http.Request) {
	if !c.s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	st, a, ok := c.openApp(w, r)
	if !ok {
		return
	}
	rec, v := reviewCycleFromForm(r)
	if len(v.Errs) > 0 {
		c.rerender(w, r, st, http.StatusUnprocessableEntity, func(dv *reviewDetailView) { dv.Cycle = v })
		return
	}
	if err := c.s.cfg.Store.SaveCycleRecord(ctx, a.Certificate, rec, c.s.now(), st.Username); err != nil {
		c.s.fail(w, r, err)
		return
	}
	c.s.setFlash(w, r, "ok", "注册周期记录已保存,下方显示结论建议。")
	c.s.redirect(w, r, "/review/applications/"+a.Number)
}

// reviewImportView is the result of a cycle-record import.
type reviewImportView struct {
	Bar      staffBar
	Imported int
	Errors   []string
}

// importCycles imports a cycle-record CSV for applications of the authority. Nothing is saved
// unless every line is good, so a corrected file can simply be uploaded again.
func (c *reviewConsole) importCycles(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, _ := currentStaff(ctx)
	v := reviewImportView{Bar: c.bar(ctx, st)}
	if err := r.ParseMultipartForm(cycleCSVLimit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			c.s.errorPage(w, r, http.StatusRequestEntityTooLarge, "导入文件不能超过 "+strconv.Itoa(cycleCSVLimit>>10)+"KB。")
			return
		}
		v.Errors = []string{"请选择要导入的 CSV 文件"}
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewImportPage(v))
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		v.Errors = []string{"请选择要导入的 CSV 文件"}
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewImportPage(v))
		return
	}
	defer file.Close()
	lines, lineErrs, err := ParseCycleCSV(file)
	if err != nil {
		if !errors.Is(err, ErrCycleCSV) {
			c.s.fail(w, r, err)
			return
		}
		v.Errors = []string{err.Error()}
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewImportPage(v))
		return
	}
	certs := make([]certificate.Number, len(lines))
	for i, l := range lines {
		r2 := r.Clone(ctx)
		r2.SetPathValue("number", l.Number)
		a, err := c.loadApp(r2, st)
		if err != nil {
			if !errors.Is(err, errNotFound) {
				c.s.fail(w, r, err)
				return
			}
			lineErrs = append(lineErrs, CycleLineError{l.Line, "报名号 " + l.Number + " 不存在或不属于本注册机构"})
			continue
		}
		certs[i] = a.Certificate
	}
	if len(lineErrs) == 0 && len(lines) == 0 {
		lineErrs = append(lineErrs, CycleLineError{2, "文件中没有数据行"})
	}
	if len(lineErrs) > 0 {
		slices.SortStableFunc(lineErrs, func(a, b CycleLineError) int { return a.Line - b.Line })
		for _, e := range lineErrs {
			v.Errors = append(v.Errors, e.Error())
		}
		v.Errors = append(v.Errors, "未导入任何记录,请修改后重新上传。")
		c.s.render(w, r, http.StatusUnprocessableEntity, ReviewImportPage(v))
		return
	}
	for i, l := range lines {
		if err := c.s.cfg.Store.SaveCycleRecord(ctx, certs[i], l.Record, c.s.now(), st.Username); err != nil {
			c.s.fail(w, r, err)
			return
		}
	}
	v.Imported = len(lines)
	c.s.render(w, r, http.StatusOK, ReviewImportPage(v))
}

package pdf

import (
	"strings"

	"github.com/tqreg/tqreg/form"
)

// commitmentText is the 个人承诺 printed above the applicant's signature.
const commitmentText = "本人承诺：以上所填写的信息和提交的材料真实、准确、完整，本人在注册有效期内遵守国家法律法规和教师职业道德规范。如有虚假或违反承诺，本人愿意承担由此产生的一切后果。"

// photoRows is how many rows of the first section (姓名, 性别, 出生日期, 证件类型, 证件号码)
// are printed beside the photo.
const photoRows = 5

// defaultSignatures are printed when the form names no signature lines.
var defaultSignatures = []string{"申请人签名", "签名日期", "确认点审核意见", "注册机构审核意见"}

// sheetOf lays f out in print order: its sections and rows exactly as the form orders them,
// the first rows of the first section beside the photo, then the commitment with the
// signature lines, and a box for each office's opinion (labels ending in 意见).
func sheetOf(f form.ApplicationForm) sheet {
	s := sheet{
		title:      f.Title,
		number:     f.Submission.ApplicationNumber,
		commitment: commitmentText,
	}
	if s.title == "" {
		s.title = form.ApplicationFormTitle
	}
	for _, sec := range f.Sections {
		fs := make([]field, len(sec.Rows))
		for i, r := range sec.Rows {
			fs[i] = field{label: r.Label, value: r.Value}
		}
		s.sections = append(s.sections, section{title: sec.Title, fields: fs})
	}
	if len(s.sections) > 0 {
		n := min(photoRows, len(s.sections[0].fields))
		s.identity = s.sections[0].fields[:n]
		s.sections[0].fields = s.sections[0].fields[n:]
	}

	signatures := f.Signatures
	if len(signatures) == 0 {
		signatures = defaultSignatures
	}
	var lines []string
	for _, label := range signatures {
		switch {
		case strings.HasSuffix(label, "意见"):
			o := opinion{title: label}
			switch {
			case strings.Contains(label, "确认点"):
				o.name = f.Submission.ConfirmationPoint
			case strings.Contains(label, "注册机构"):
				o.name = f.Submission.Authority
			}
			s.opinions = append(s.opinions, o)
		case strings.Contains(label, "日期"):
			lines = append(lines, label+"：      年    月    日")
		default:
			lines = append(lines, label+"：________________")
		}
	}
	s.signature = strings.Join(lines, "    ")
	return s
}

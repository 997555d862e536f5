package form

import (
	"errors"
	"strings"
)

// Option is one entry of a code list, ready for a <select>: the stored code as the value and
// the zh-CN label as the text.
type Option struct {
	Code  string
	Label string
}

// ErrInvalidCode matches (errors.Is) every failure of a code list's Parse.
var ErrInvalidCode = errors.New("选项无效")

// CodeError is the typed error of CodeList.Parse. It names the list, never echoes the input.
type CodeError struct {
	List  string // the list's zh-CN name, e.g. "最高学历"
	Empty bool   // nothing was chosen
}

// Error returns a zh-CN message: "请选择最高学历" or "最高学历的选项无效，请重新选择".
func (e *CodeError) Error() string {
	if e.Empty {
		return "请选择" + e.List
	}
	return e.List + "的选项无效，请重新选择"
}

// Is makes errors.Is(err, ErrInvalidCode) true.
func (e *CodeError) Is(target error) bool { return target == ErrInvalidCode }

// CodeList is a closed code list (代码表): an ordered set of stored codes with zh-CN labels.
// Each list is a package variable (MandarinLevels, Educations, ...); its values are typed
// string constants whose value is the stored code.
type CodeList[T ~string] struct {
	name   string
	codes  []T
	labels map[T]string
	accept map[string]T // code, label and aliases → value
}

type entry[T ~string] struct {
	code    T
	label   string
	aliases []string
}

func newCodeList[T ~string](name string, entries ...entry[T]) *CodeList[T] {
	l := &CodeList[T]{name: name, labels: map[T]string{}, accept: map[string]T{}}
	for _, e := range entries {
		if _, dup := l.labels[e.code]; dup || e.code == "" {
			panic("form: bad code in list " + name)
		}
		l.codes = append(l.codes, e.code)
		l.labels[e.code] = e.label
		l.accept[string(e.code)] = e.code
		l.accept[e.label] = e.code
		for _, a := range e.aliases {
			l.accept[a] = e.code
		}
	}
	return l
}

// Name returns the list's zh-CN name, e.g. "最高学历".
func (l *CodeList[T]) Name() string { return l.name }

// Parse reads a value from its stored code (the <option> value) or its zh-CN label;
// surrounding spaces are ignored. An empty or unknown input gives a *CodeError matching
// ErrInvalidCode.
func (l *CodeList[T]) Parse(s string) (T, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &CodeError{List: l.name, Empty: true}
	}
	if v, ok := l.accept[s]; ok {
		return v, nil
	}
	return "", &CodeError{List: l.name}
}

// All returns every value in display order (a fresh slice).
func (l *CodeList[T]) All() []T { return append([]T(nil), l.codes...) }

// Options returns every value as an Option in display order, for select boxes.
func (l *CodeList[T]) Options() []Option {
	out := make([]Option, len(l.codes))
	for i, c := range l.codes {
		out[i] = Option{Code: string(c), Label: l.labels[c]}
	}
	return out
}

// Valid reports whether v is one of the list's values.
func (l *CodeList[T]) Valid(v T) bool {
	_, ok := l.labels[v]
	return ok
}

// Label returns v's zh-CN label; "" for the zero value and "未知代码(v)" for an unknown one.
func (l *CodeList[T]) Label(v T) string {
	if v == "" {
		return ""
	}
	if s, ok := l.labels[v]; ok {
		return s
	}
	return "未知代码(" + string(v) + ")"
}

// MandarinLevel is a 普通话水平测试等级 (Mandarin proficiency level). No national code
// standard exists; the codes are level digit + grade digit. Stored codes: do not change.
type MandarinLevel string

// The Mandarin levels, best first.
const (
	MandarinFirstA  MandarinLevel = "11" // 一级甲等
	MandarinFirstB  MandarinLevel = "12" // 一级乙等
	MandarinSecondA MandarinLevel = "21" // 二级甲等
	MandarinSecondB MandarinLevel = "22" // 二级乙等
	MandarinThirdA  MandarinLevel = "31" // 三级甲等
	MandarinThirdB  MandarinLevel = "32" // 三级乙等
)

// MandarinLevels is the 普通话等级 code list.
var MandarinLevels = newCodeList("普通话等级",
	entry[MandarinLevel]{MandarinFirstA, "一级甲等", nil},
	entry[MandarinLevel]{MandarinFirstB, "一级乙等", nil},
	entry[MandarinLevel]{MandarinSecondA, "二级甲等", nil},
	entry[MandarinLevel]{MandarinSecondB, "二级乙等", nil},
	entry[MandarinLevel]{MandarinThirdA, "三级甲等", nil},
	entry[MandarinLevel]{MandarinThirdB, "三级乙等", nil},
)

// String returns the zh-CN label, e.g. "二级甲等".
func (v MandarinLevel) String() string { return MandarinLevels.Label(v) }

// Education is a 学历 (highest education) coded by GB/T 4658-2006 《学历代码》: the graduate
// codes 11 博士研究生毕业, 14 硕士研究生毕业, 21 大学本科毕业, 31 大学专科毕业, 41 中等专科毕业,
// 44 职业高中毕业, 47 技工学校毕业, 61 普通高中毕业; 初中及以下 uses the standard's group code
// 70 (初级中学教育). Stored codes: do not change.
type Education string

// The education levels, highest first.
const (
	EducationDoctor               Education = "11" // 研究生(博士)
	EducationMaster               Education = "14" // 研究生(硕士)
	EducationBachelor             Education = "21" // 大学本科
	EducationJuniorCollege        Education = "31" // 大学专科
	EducationSecondarySpecialized Education = "41" // 中等专科
	EducationVocationalHighSchool Education = "44" // 职业高中
	EducationTechnicalSchool      Education = "47" // 技工学校
	EducationHighSchool           Education = "61" // 普通高中
	EducationJuniorMiddleOrBelow  Education = "70" // 初中及以下
)

// Educations is the 最高学历 code list (GB/T 4658-2006).
var Educations = newCodeList("最高学历",
	entry[Education]{EducationDoctor, "研究生(博士)", []string{"博士研究生", "研究生（博士）"}},
	entry[Education]{EducationMaster, "研究生(硕士)", []string{"硕士研究生", "研究生（硕士）"}},
	entry[Education]{EducationBachelor, "大学本科", []string{"本科"}},
	entry[Education]{EducationJuniorCollege, "大学专科", []string{"专科", "大专"}},
	entry[Education]{EducationSecondarySpecialized, "中等专科", []string{"中专"}},
	entry[Education]{EducationVocationalHighSchool, "职业高中", []string{"职高"}},
	entry[Education]{EducationTechnicalSchool, "技工学校", []string{"技校"}},
	entry[Education]{EducationHighSchool, "普通高中", []string{"高中"}},
	entry[Education]{EducationJuniorMiddleOrBelow, "初中及以下", []string{"初中"}},
)

// String returns the zh-CN label, e.g. "大学本科".
func (v Education) String() string { return Educations.Label(v) }

// Degree is a 学位 (highest degree), coded by the level digit of GB/T 6864-2003
// 《中华人民共和国学位代码》 (2 博士, 3 硕士, 4 学士); 无 (no degree) is not in the standard and
// uses 0. Stored codes: do not change.
type Degree string

// The degrees, highest first.
const (
	DegreeDoctor   Degree = "2" // 博士
	DegreeMaster   Degree = "3" // 硕士
	DegreeBachelor Degree = "4" // 学士
	DegreeNone     Degree = "0" // 无
)

// Degrees is the 最高学位 code list.
var Degrees = newCodeList("最高学位",
	entry[Degree]{DegreeDoctor, "博士", []string{"博士学位"}},
	entry[Degree]{DegreeMaster, "硕士", []string{"硕士学位"}},
	entry[Degree]{DegreeBachelor, "学士", []string{"学士学位"}},
	entry[Degree]{DegreeNone, "无", []string{"无学位"}},
)

// String returns the zh-CN label, e.g. "学士".
func (v Degree) String() string { return Degrees.Label(v) }

// MajorCategory is a 学历专业类别 (category of the highest education's major): teacher
// training or not. No national code standard; own codes. Stored codes: do not change.
type MajorCategory string

// The major categories.
const (
	MajorTeacherTraining    MajorCategory = "1" // 师范类
	MajorNonTeacherTraining MajorCategory = "2" // 非师范类
)

// MajorCategories is the 最高学历专业类别 code list.
var MajorCategories = newCodeList("最高学历专业类别",
	entry[MajorCategory]{MajorTeacherTraining, "师范类", []string{"师范"}},
	entry[MajorCategory]{MajorNonTeacherTraining, "非师范类", []string{"非师范"}},
)

// String returns the zh-CN label, e.g. "师范类".
func (v MajorCategory) String() string { return MajorCategories.Label(v) }

// StudyMode is a 学习形式 (mode of study for the highest education). Own codes.
// Stored codes: do not change.
type StudyMode string

// The study modes.
const (
	StudyFullTime       StudyMode = "1" // 全日制
	StudyPartTime       StudyMode = "2" // 非全日制
	StudyCorrespondence StudyMode = "3" // 函授
	StudySpareTime      StudyMode = "4" // 业余
	StudySelfExam       StudyMode = "5" // 自学考试
	StudyOnline         StudyMode = "6" // 网络教育
	StudyOpen           StudyMode = "7" // 开放教育
	StudyOther          StudyMode = "9" // 其他
)

// StudyModes is the 学习形式 code list.
var StudyModes = newCodeList("学习形式",
	entry[StudyMode]{StudyFullTime, "全日制", []string{"普通全日制"}},
	entry[StudyMode]{StudyPartTime, "非全日制", nil},
	entry[StudyMode]{StudyCorrespondence, "函授", nil},
	entry[StudyMode]{StudySpareTime, "业余", nil},
	entry[StudyMode]{StudySelfExam, "自学考试", []string{"自考"}},
	entry[StudyMode]{StudyOnline, "网络教育", []string{"网络"}},
	entry[StudyMode]{StudyOpen, "开放教育", nil},
	entry[StudyMode]{StudyOther, "其他", nil},
)

// String returns the zh-CN label, e.g. "全日制".
func (v StudyMode) String() string { return StudyModes.Label(v) }

// SchoolOwnership is a 任教学校性质 (ownership of the school where the applicant teaches).
// Own codes. Stored codes: do not change.
type SchoolOwnership string

// The school ownerships.
const (
	OwnershipPublic      SchoolOwnership = "1" // 公办
	OwnershipPrivate     SchoolOwnership = "2" // 民办
	OwnershipCooperative SchoolOwnership = "3" // 中外合作办学
	OwnershipOther       SchoolOwnership = "9" // 其他
)

// SchoolOwnerships is the 任教学校性质 code list.
var SchoolOwnerships = newCodeList("任教学校性质",
	entry[SchoolOwnership]{OwnershipPublic, "公办", []string{"公办学校"}},
	entry[SchoolOwnership]{OwnershipPrivate, "民办", []string{"民办学校"}},
	entry[SchoolOwnership]{OwnershipCooperative, "中外合作办学", nil},
	entry[SchoolOwnership]{OwnershipOther, "其他", nil},
)

// String returns the zh-CN label, e.g. "公办".
func (v SchoolOwnership) String() string { return SchoolOwnerships.Label(v) }

// TeacherTitle is a 教师职务 (professional title of primary and secondary school teachers,
// after the 2015 title reform). Own codes, highest first. Stored codes: do not change.
type TeacherTitle string

// The teacher titles.
const (
	TitleFullSenior TeacherTitle = "1" // 正高级教师
	TitleSenior     TeacherTitle = "2" // 高级教师
	TitleFirst      TeacherTitle = "3" // 一级教师
	TitleSecond     TeacherTitle = "4" // 二级教师
	TitleThird      TeacherTitle = "5" // 三级教师
	TitleNone       TeacherTitle = "9" // 未定级
)

// TeacherTitles is the 教师职务 code list.
var TeacherTitles = newCodeList("教师职务",
	entry[TeacherTitle]{TitleFullSenior, "正高级教师", []string{"正高级"}},
	entry[TeacherTitle]{TitleSenior, "高级教师", []string{"高级"}},
	entry[TeacherTitle]{TitleFirst, "一级教师", []string{"一级"}},
	entry[TeacherTitle]{TitleSecond, "二级教师", []string{"二级"}},
	entry[TeacherTitle]{TitleThird, "三级教师", []string{"三级"}},
	entry[TeacherTitle]{TitleNone, "未定级", []string{"未评", "无"}},
)

// String returns the zh-CN label, e.g. "一级教师".
func (v TeacherTitle) String() string { return TeacherTitles.Label(v) }

// PostType is a 岗位性质 (nature of the applicant's post). Own codes.
// Stored codes: do not change.
type PostType string

// The post types.
const (
	PostFullTimeTeacher   PostType = "1" // 专任教师
	PostConcurrentTeacher PostType = "2" // 兼任教师 (e.g. administrators who also teach)
	PostTeachingSupport   PostType = "3" // 教辅人员
	PostOther             PostType = "9" // 其他
)

// PostTypes is the 岗位性质 code list.
var PostTypes = newCodeList("岗位性质",
	entry[PostType]{PostFullTimeTeacher, "专任教师", nil},
	entry[PostType]{PostConcurrentTeacher, "兼任教师", nil},
	entry[PostType]{PostTeachingSupport, "教辅人员", nil},
	entry[PostType]{PostOther, "其他", nil},
)

// String returns the zh-CN label, e.g. "专任教师".
func (v PostType) String() string { return PostTypes.Label(v) }

// Political is a 政治面貌 (political status) coded by GB/T 4762-1984 《政治面貌代码》
// (01 中国共产党党员 … 13 群众), labelled with the standard's short names.
// Stored codes: do not change.
type Political string

// The political statuses of GB/T 4762.
const (
	PoliticalCPC             Political = "01" // 中共党员
	PoliticalCPCProbationary Political = "02" // 中共预备党员
	PoliticalCYL             Political = "03" // 共青团员
	PoliticalRCCK            Political = "04" // 民革党员
	PoliticalCDL             Political = "05" // 民盟盟员
	PoliticalCDNCA           Political = "06" // 民建会员
	PoliticalCAPD            Political = "07" // 民进会员
	PoliticalCPWDP           Political = "08" // 农工党党员
	PoliticalCZGP            Political = "09" // 致公党党员
	PoliticalJiusan          Political = "10" // 九三学社社员
	PoliticalTDSGL           Political = "11" // 台盟盟员
	PoliticalNonParty        Political = "12" // 无党派人士
	PoliticalMasses          Political = "13" // 群众
)

// Politicals is the 政治面貌 code list (GB/T 4762-1984).
var Politicals = newCodeList("政治面貌",
	entry[Political]{PoliticalCPC, "中共党员", []string{"中国共产党党员"}},
	entry[Political]{PoliticalCPCProbationary, "中共预备党员", []string{"中国共产党预备党员"}},
	entry[Political]{PoliticalCYL, "共青团员", []string{"中国共产主义青年团团员"}},
	entry[Political]{PoliticalRCCK, "民革党员", []string{"中国国民党革命委员会会员", "民革会员"}},
	entry[Political]{PoliticalCDL, "民盟盟员", []string{"中国民主同盟盟员"}},
	entry[Political]{PoliticalCDNCA, "民建会员", []string{"中国民主建国会会员"}},
	entry[Political]{PoliticalCAPD, "民进会员", []string{"中国民主促进会会员"}},
	entry[Political]{PoliticalCPWDP, "农工党党员", []string{"中国农工民主党党员"}},
	entry[Political]{PoliticalCZGP, "致公党党员", []string{"中国致公党党员"}},
	entry[Political]{PoliticalJiusan, "九三学社社员", nil},
	entry[Political]{PoliticalTDSGL, "台盟盟员", []string{"台湾民主自治同盟盟员"}},
	entry[Political]{PoliticalNonParty, "无党派人士", []string{"无党派民主人士"}},
	entry[Political]{PoliticalMasses, "群众", nil},
)

// String returns the zh-CN label, e.g. "群众".
func (v Political) String() string { return Politicals.Label(v) }

// SchoolType is a 办学类型 (type of institution), chosen when adding a graduation school that
// the search did not find (新增学校). Own codes. Stored codes: do not change.
type SchoolType string

// The school types.
const (
	SchoolTypeRegularHigher SchoolType = "1" // 普通高等学校
	SchoolTypeAdultHigher   SchoolType = "2" // 成人高等学校
	SchoolTypeVocational    SchoolType = "3" // 中等职业学校
	SchoolTypeHighSchool    SchoolType = "4" // 普通高级中学
	SchoolTypeMilitary      SchoolType = "5" // 军队院校
	SchoolTypeOverseas      SchoolType = "6" // 境外院校
	SchoolTypeOther         SchoolType = "9" // 其他
)

// SchoolTypes is the 办学类型 code list.
var SchoolTypes = newCodeList("办学类型",
	entry[SchoolType]{SchoolTypeRegularHigher, "普通高等学校", []string{"普通高校"}},
	entry[SchoolType]{SchoolTypeAdultHigher, "成人高等学校", []string{"成人高校"}},
	entry[SchoolType]{SchoolTypeVocational, "中等职业学校", []string{"中职"}},
	entry[SchoolType]{SchoolTypeHighSchool, "普通高级中学", []string{"普通高中"}},
	entry[SchoolType]{SchoolTypeMilitary, "军队院校", nil},
	entry[SchoolType]{SchoolTypeOverseas, "境外院校", nil},
	entry[SchoolType]{SchoolTypeOther, "其他", nil},
)

// String returns the zh-CN label, e.g. "普通高等学校".
func (v SchoolType) String() string { return SchoolTypes.Label(v) }

// TeachingStage is a 任教学段 (teaching stage). The codes are the same as
// registration.Stage's. Stored codes: do not change.
type TeachingStage string

// The teaching stages.
const (
	StageKindergarten TeachingStage = "1" // 幼儿园
	StagePrimary      TeachingStage = "2" // 小学
	StageJuniorMiddle TeachingStage = "3" // 初级中学
	StageSeniorMiddle TeachingStage = "4" // 高级中学
	StageVocational   TeachingStage = "5" // 中等职业学校
)

// TeachingStages is the 任教学段 code list.
var TeachingStages = newCodeList("任教学段",
	entry[TeachingStage]{StageKindergarten, "幼儿园", nil},
	entry[TeachingStage]{StagePrimary, "小学", nil},
	entry[TeachingStage]{StageJuniorMiddle, "初级中学", []string{"初中"}},
	entry[TeachingStage]{StageSeniorMiddle, "高级中学", []string{"高中"}},
	entry[TeachingStage]{StageVocational, "中等职业学校", []string{"中职"}},
)

// String returns the zh-CN label, e.g. "初级中学".
func (v TeachingStage) String() string { return TeachingStages.Label(v) }

// Subject is a 任教学科 (subject taught): the common subjects of primary and secondary
// schools and kindergartens. Own two-digit codes. Stored codes: do not change.
type Subject string

// The subjects.
const (
	SubjectChinese          Subject = "01" // 语文
	SubjectMathematics      Subject = "02" // 数学
	SubjectEnglish          Subject = "03" // 英语
	SubjectPhysics          Subject = "04" // 物理
	SubjectChemistry        Subject = "05" // 化学
	SubjectBiology          Subject = "06" // 生物
	SubjectHistory          Subject = "07" // 历史
	SubjectGeography        Subject = "08" // 地理
	SubjectPolitics         Subject = "09" // 思想政治
	SubjectMoralityLaw      Subject = "10" // 道德与法治
	SubjectMusic            Subject = "11" // 音乐
	SubjectPE               Subject = "12" // 体育与健康
	SubjectArt              Subject = "13" // 美术
	SubjectIT               Subject = "14" // 信息技术
	SubjectScience          Subject = "15" // 科学
	SubjectMentalHealth     Subject = "16" // 心理健康教育
	SubjectPreschool        Subject = "17" // 学前教育
	SubjectJapanese         Subject = "18" // 日语
	SubjectRussian          Subject = "19" // 俄语
	SubjectTechnology       Subject = "20" // 通用技术
	SubjectPractice         Subject = "21" // 综合实践活动
	SubjectLabour           Subject = "22" // 劳动
	SubjectCalligraphy      Subject = "23" // 书法
	SubjectSpecialEducation Subject = "24" // 特殊教育
	SubjectDance            Subject = "25" // 舞蹈
	SubjectVocationalCourse Subject = "26" // 中职专业课
	SubjectOther            Subject = "99" // 其他
)

// Subjects is the 任教学科 code list.
var Subjects = newCodeList("任教学科",
	entry[Subject]{SubjectChinese, "语文", nil},
	entry[Subject]{SubjectMathematics, "数学", nil},
	entry[Subject]{SubjectEnglish, "英语", []string{"外语(英语)"}},
	entry[Subject]{SubjectPhysics, "物理", nil},
	entry[Subject]{SubjectChemistry, "化学", nil},
	entry[Subject]{SubjectBiology, "生物", []string{"生物学"}},
	entry[Subject]{SubjectHistory, "历史", nil},
	entry[Subject]{SubjectGeography, "地理", nil},
	entry[Subject]{SubjectPolitics, "思想政治", []string{"政治"}},
	entry[Subject]{SubjectMoralityLaw, "道德与法治", []string{"思想品德", "品德与社会"}},
	entry[Subject]{SubjectMusic, "音乐", nil},
	entry[Subject]{SubjectPE, "体育与健康", []string{"体育"}},
	entry[Subject]{SubjectArt, "美术", nil},
	entry[Subject]{SubjectIT, "信息技术", nil},
	entry[Subject]{SubjectScience, "科学", nil},
	entry[Subject]{SubjectMentalHealth, "心理健康教育", []string{"心理健康"}},
	entry[Subject]{SubjectPreschool, "学前教育", []string{"幼儿园"}},
	entry[Subject]{SubjectJapanese, "日语", nil},
	entry[Subject]{SubjectRussian, "俄语", nil},
	entry[Subject]{SubjectTechnology, "通用技术", nil},
	entry[Subject]{SubjectPractice, "综合实践活动", nil},
	entry[Subject]{SubjectLabour, "劳动", nil},
	entry[Subject]{SubjectCalligraphy, "书法", nil},
	entry[Subject]{SubjectSpecialEducation, "特殊教育", nil},
	entry[Subject]{SubjectDance, "舞蹈", nil},
	entry[Subject]{SubjectVocationalCourse, "中职专业课", nil},
	entry[Subject]{SubjectOther, "其他", nil},
)

// String returns the zh-CN label, e.g. "数学".
func (v Subject) String() string { return Subjects.Label(v) }

// Gender is a 性别 coded by GB/T 2261.1-2003 (1 男, 2 女), printed on the application form.
// Stored codes: do not change.
type Gender string

// The genders.
const (
	GenderMale   Gender = "1" // 男
	GenderFemale Gender = "2" // 女
)

// Genders is the 性别 code list (GB/T 2261.1).
var Genders = newCodeList("性别",
	entry[Gender]{GenderMale, "男", nil},
	entry[Gender]{GenderFemale, "女", nil},
)

// String returns the zh-CN label, "男" or "女".
func (v Gender) String() string { return Genders.Label(v) }

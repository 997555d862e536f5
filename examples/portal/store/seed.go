package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// DemoApplicant is a demo applicant account (演示申请人) of the seeded dataset.
type DemoApplicant struct {
	Name      string
	DocType   account.DocType
	DocNumber string
	Password  string
	Phone     string
	Email     string
	Note      string // what the account demonstrates, in zh-CN
}

// DemoStaff is a demo reviewer account (演示工作人员) of the seeded dataset.
type DemoStaff struct {
	Username   string
	Name       string
	Role       StaffRole
	Password   string
	TOTPSecret string // base32, for enrolling an authenticator app in development
	Place      string // the point or authority it is bound to, in zh-CN
}

// DemoCredentials are the logins of the demo dataset, for the portal to print at start in
// development mode. They are constants of this package: the same on every machine.
type DemoCredentials struct {
	Applicants []DemoApplicant
	Staff      []DemoStaff
}

// demoPassword and staffPassword are the demo passwords (they pass account.CheckPassword).
const (
	demoPassword  = "Tqreg-Demo-2026"
	staffPassword = "Tqreg-Staff-2026"
)

// Demo holds the demo dataset's credentials (see SeedDemo).
var Demo = DemoCredentials{
	Applicants: []DemoApplicant{
		{Name: "张伟", DocType: account.DocResidentID, DocNumber: residentID("440106", "19880315", "011"),
			Password: demoPassword, Phone: "13800138001", Email: "zhangwei@example.com",
			Note: "广州市天河区教师:初级中学(2012)与高级中学(2019)证书,已关联微信"},
		{Name: "黄丽", DocType: account.DocResidentID, DocNumber: residentID("450103", "19900708", "022"),
			Password: demoPassword, Phone: "13800138002", Email: "huangli@example.com",
			Note: "南宁市青秀区教师:广西小学(2013)与幼儿园(2018)证书"},
		{Name: "王建国", DocType: account.DocResidentID, DocNumber: residentID("110108", "19680220", "013"),
			Password: demoPassword, Phone: "13800138003", Email: "wangjianguo@example.com",
			Note: "2019年3月1日前注册(不能找回密码);持2008年前的15位证书(1998)及高级中学(2009)证书"},
		{Name: "陈嘉欣", DocType: account.DocHKMacaoPermit, DocNumber: "H12345678",
			Password: demoPassword, Phone: "13800138004", Email: "chenjiaxin@example.com",
			Note: "港澳居民来往内地通行证:深圳市幼儿园证书(2020)"},
		{Name: "刘洋", DocType: account.DocResidentID, DocNumber: residentID("510104", "19820910", "035"),
			Password: demoPassword, Phone: "13800138005", Email: "liuyang@example.com",
			Note: "成都市教师:中等职业学校、实习指导与高等学校(不参加定期注册)证书"},
	},
	Staff: []DemoStaff{
		{Username: "point-tianhe", Name: "天河区确认点工作人员", Role: RoleConfirmationPoint, Password: staffPassword,
			TOTPSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Place: "天河区教育局定期注册确认点"},
		{Username: "authority-guangzhou", Name: "广州市注册机构工作人员", Role: RoleAuthority, Password: staffPassword,
			TOTPSecret: "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA", Place: "广州市教育局"},
		{Username: "admin", Name: "系统管理员", Role: RoleAdmin, Password: staffPassword,
			TOTPSecret: "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", Place: "全部"},
	},
}

// residentID builds an 18-character resident ID (GB 11643-1999) with its check character.
func residentID(region, birth, seq string) string {
	base := region + birth + seq
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(base[i]-'0') * weights[i]
	}
	return base + string("10X98765432"[sum%11])
}

// provinces are the 31 provincial divisions of the mainland (GB/T 2260) and a few cities of
// each: code, name.
var seedProvinces = []struct {
	code, name string
	cities     [][2]string
}{
	{"11", "北京市", [][2]string{{"110100", "北京市"}}},
	{"12", "天津市", [][2]string{{"120100", "天津市"}}},
	{"13", "河北省", [][2]string{{"130100", "石家庄市"}, {"130200", "唐山市"}}},
	{"14", "山西省", [][2]string{{"140100", "太原市"}, {"140200", "大同市"}}},
	{"15", "内蒙古自治区", [][2]string{{"150100", "呼和浩特市"}, {"150200", "包头市"}}},
	{"21", "辽宁省", [][2]string{{"210100", "沈阳市"}, {"210200", "大连市"}}},
	{"22", "吉林省", [][2]string{{"220100", "长春市"}, {"220200", "吉林市"}}},
	{"23", "黑龙江省", [][2]string{{"230100", "哈尔滨市"}, {"230200", "齐齐哈尔市"}}},
	{"31", "上海市", [][2]string{{"310100", "上海市"}}},
	{"32", "江苏省", [][2]string{{"320100", "南京市"}, {"320500", "苏州市"}}},
	{"33", "浙江省", [][2]string{{"330100", "杭州市"}, {"330200", "宁波市"}}},
	{"34", "安徽省", [][2]string{{"340100", "合肥市"}, {"340200", "芜湖市"}}},
	{"35", "福建省", [][2]string{{"350100", "福州市"}, {"350200", "厦门市"}}},
	{"36", "江西省", [][2]string{{"360100", "南昌市"}, {"360400", "九江市"}}},
	{"37", "山东省", [][2]string{{"370100", "济南市"}, {"370200", "青岛市"}}},
	{"41", "河南省", [][2]string{{"410100", "郑州市"}, {"410300", "洛阳市"}}},
	{"42", "湖北省", [][2]string{{"420100", "武汉市"}, {"420500", "宜昌市"}}},
	{"43", "湖南省", [][2]string{{"430100", "长沙市"}, {"430200", "株洲市"}}},
	{"44", "广东省", [][2]string{{"440100", "广州市"}, {"440300", "深圳市"}, {"440600", "佛山市"}}},
	{"45", "广西壮族自治区", [][2]string{{"450100", "南宁市"}, {"450200", "柳州市"}, {"450300", "桂林市"}}},
	{"46", "海南省", [][2]string{{"460100", "海口市"}, {"460200", "三亚市"}}},
	{"50", "重庆市", [][2]string{{"500100", "重庆市"}}},
	{"51", "四川省", [][2]string{{"510100", "成都市"}, {"510700", "绵阳市"}}},
	{"52", "贵州省", [][2]string{{"520100", "贵阳市"}, {"520300", "遵义市"}}},
	{"53", "云南省", [][2]string{{"530100", "昆明市"}, {"530300", "曲靖市"}}},
	{"54", "西藏自治区", [][2]string{{"540100", "拉萨市"}}},
	{"61", "陕西省", [][2]string{{"610100", "西安市"}, {"610300", "宝鸡市"}}},
	{"62", "甘肃省", [][2]string{{"620100", "兰州市"}, {"620200", "嘉峪关市"}}},
	{"63", "青海省", [][2]string{{"630100", "西宁市"}}},
	{"64", "宁夏回族自治区", [][2]string{{"640100", "银川市"}}},
	{"65", "新疆维吾尔自治区", [][2]string{{"650100", "乌鲁木齐市"}, {"650200", "克拉玛依市"}}},
}

// seedPoints are the extra confirmation points with district scopes, per city code (the
// other cities get one point for the whole city).
var seedPoints = map[string][]struct{ name, scopeText, district, address string }{
	"440100": {
		{"天河区教育局定期注册确认点", "天河区中小学、幼儿园教师", "440106", "广州市天河区天府路1号"},
		{"越秀区教育局定期注册确认点", "越秀区中小学、幼儿园教师", "440104", "广州市越秀区中山四路1号"},
		{"海珠区教育局定期注册确认点", "海珠区中小学、幼儿园教师", "440105", "广州市海珠区江南大道中1号"},
	},
	"450100": {
		{"青秀区教育局定期注册确认点", "青秀区中小学、幼儿园教师", "450103", "南宁市青秀区民族大道1号"},
		{"兴宁区教育局定期注册确认点", "兴宁区中小学、幼儿园教师", "450102", "南宁市兴宁区民生路1号"},
	},
	"510100": {
		{"锦江区教育局定期注册确认点", "锦江区中小学、中职学校教师", "510104", "成都市锦江区东大街1号"},
	},
}

// SeedDemo loads the demo dataset (演示数据) into an empty database and reports whether it
// did: all 31 provinces with a few cities each, one registration authority per city with
// confirmation points, windows open around now (Guilin's not yet open, Liuzhou's closed,
// Lhasa without a plan), the demo applicants of Demo with their certificates and records,
// the demo staff, and a few schools. A database that already has provinces or accounts
// is left alone (false, nil). Passwords are hashed with hasher (account.Hasher).
func (s *Store) SeedDemo(ctx context.Context, now time.Time, hasher account.PasswordHasher) (bool, error) {
	defer s.catalogue.invalidate()
	seeded := false
	err := s.RunInTx(ctx, func(ctx context.Context, tx *Store) error {
		n, err := tx.idb.NewSelect().Model((*provinceRow)(nil)).Count(ctx)
		if err != nil {
			return tx.wrap("seed", err)
		}
		m, err := tx.idb.NewSelect().Model((*accountRow)(nil)).Count(ctx)
		if err != nil {
			return tx.wrap("seed", err)
		}
		if n > 0 || m > 0 {
			return nil
		}
		seeded = true
		return tx.seedDemo(ctx, now, hasher)
	})
	return seeded, err
}

// SeedReference loads the reference geography — the 31 provinces (GB/T 2260) and the cities of
// the seed list (a few per province) — into a database that has no province yet, and reports
// whether it did. It is what a deployment without the demo dataset starts from: authorities are
// placed in these cities, and an administrator adds further cities in 系统管理. Nothing personal
// and no account is created.
func (s *Store) SeedReference(ctx context.Context) (bool, error) {
	defer s.catalogue.invalidate()
	seeded := false
	err := s.RunInTx(ctx, func(ctx context.Context, tx *Store) error {
		n, err := tx.idb.NewSelect().Model((*provinceRow)(nil)).Count(ctx)
		if err != nil || n > 0 {
			return tx.wrap("seed reference", err)
		}
		seeded = true
		return tx.addGeography(ctx)
	})
	return seeded, err
}

// addGeography inserts the provinces and cities of the seed list.
func (s *Store) addGeography(ctx context.Context) error {
	for _, p := range seedProvinces {
		if err := s.AddProvince(ctx, registration.Province{Code: p.code, Name: p.name}); err != nil {
			return err
		}
		for _, c := range p.cities {
			if err := s.AddCity(ctx, registration.City{Code: c[0], Name: c[1], Province: p.code}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) seedDemo(ctx context.Context, now time.Time, hasher account.PasswordHasher) error {
	now = now.UTC().Truncate(time.Hour)
	allStages := registration.Stages
	allKinds := []certificate.Kind{certificate.Kindergarten, certificate.Primary, certificate.JuniorMiddle,
		certificate.SeniorMiddle, certificate.Vocational, certificate.VocationalPractice}
	authorityOf := map[string]registration.Authority{}
	pointOf := map[string]registration.ConfirmationPoint{}
	if err := s.addGeography(ctx); err != nil {
		return err
	}
	for _, p := range seedProvinces {
		for _, c := range p.cities {
			code, name := c[0], c[1]
			aname := name + "教育局"
			switch p.code {
			case "11", "12", "31", "50":
				aname = name + "教育委员会"
			}
			a, err := s.SaveAuthority(ctx, registration.Authority{Name: aname, Province: p.code, City: code,
				Stages: allStages, Kinds: allKinds})
			if err != nil {
				return err
			}
			authorityOf[code] = a
			points := seedPoints[code]
			if len(points) == 0 {
				points = append(points, struct{ name, scopeText, district, address string }{
					name + "教师资格定期注册确认点", name + "中小学、幼儿园、中职学校教师", code, name + "教育局政务服务窗口"})
			}
			for i, pt := range points {
				cp, err := s.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: a.ID, Name: pt.name,
					ScopeText: pt.scopeText, Scope: registration.Scope{Districts: []string{pt.district}},
					Notes:   "请携带本人有效身份证件原件、教师资格证书原件及打印的《申请表》,于确认时间内到现场确认。",
					Address: pt.address})
				if err != nil {
					return err
				}
				if i == 0 {
					pointOf[code] = cp
				}
			}
			opens, closes := now.AddDate(0, 0, -7), now.AddDate(0, 0, 60)
			switch code {
			case "450300": // 桂林: not open yet
				opens, closes = now.AddDate(0, 0, 10), now.AddDate(0, 0, 70)
			case "450200": // 柳州: closed
				opens, closes = now.AddDate(0, 0, -60), now.AddDate(0, 0, -1)
			case "540100": // 拉萨: no plan
				continue
			}
			for _, st := range allStages {
				if _, err := s.SaveWindow(ctx, registration.Window{AuthorityID: a.ID, Stage: st, Opens: opens, Closes: closes}); err != nil {
					return err
				}
			}
		}
	}

	pw, err := hasher.HashContext(ctx, demoPassword)
	if err != nil {
		return err
	}
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, registration.CST) }
	registered := []time.Time{d(2021, 6, 1), d(2020, 3, 12), d(2018, 5, 10), d(2022, 9, 5), d(2019, 11, 20)}
	for i, da := range Demo.Applicants {
		_, err := s.CreateAccount(ctx, account.Account{DocType: da.DocType, DocNumber: da.DocNumber, Name: da.Name,
			Phone: da.Phone, Email: da.Email, RegisteredAt: registered[i], PasswordHash: pw,
			PasswordChangedAt: registered[i], WeChatLinked: i == 0, RealNameVerified: true})
		if err != nil {
			return err
		}
	}
	cert := func(who int, number string, kind certificate.Kind, subject, authority string, issued time.Time, firstReg time.Time) certificate.Certificate {
		da := Demo.Applicants[who]
		return certificate.Certificate{Number: certificate.MustParseNumber(number), HolderName: da.Name, DocType: da.DocType,
			DocNumber: da.DocNumber, Kind: kind, Subject: subject, Authority: authority, Issued: issued,
			FirstRegistered: !firstReg.IsZero(), FirstRegisteredOn: firstReg}
	}
	certs := []certificate.Certificate{
		cert(0, "20124400131000123", certificate.JuniorMiddle, "数学", "广州市教育局", d(2012, 7, 15), d(2014, 9, 1)),
		cert(0, "20194400141000456", certificate.SeniorMiddle, "数学", "广东省教育厅", d(2019, 6, 20), time.Time{}),
		cert(1, "20134500122000789", certificate.Primary, "语文", "南宁市教育局", d(2013, 8, 1), d(2015, 9, 1)),
		cert(1, "20184500112000555", certificate.Kindergarten, "", "南宁市青秀区教育局", d(2018, 7, 10), time.Time{}),
		cert(2, "981101082100456", certificate.Primary, "语文", "北京市海淀区教育委员会", d(1998, 6, 30), d(2013, 10, 1)),
		cert(2, "20091100141000777", certificate.SeniorMiddle, "历史", "北京市教育委员会", d(2009, 7, 1), d(2011, 9, 1)),
		cert(3, "20204400312000888", certificate.Kindergarten, "", "深圳市教育局", d(2020, 8, 1), time.Time{}),
		cert(4, "20105100151000234", certificate.Vocational, "机械加工技术", "四川省教育厅", d(2010, 7, 1), d(2012, 9, 1)),
		cert(4, "20155100161000235", certificate.VocationalPractice, "数控技术应用", "四川省教育厅", d(2015, 7, 1), time.Time{}),
		cert(4, "20185100171000236", certificate.Higher, "机械工程", "四川省教育厅", d(2018, 7, 1), time.Time{}),
	}
	for _, c := range certs {
		if err := s.AddCertificate(ctx, c, 0); err != nil {
			return err
		}
	}
	records := []InfoCentre{
		{Exams: []ExamRecord{{ProofNumber: "2011440010301234", Kind: certificate.JuniorMiddle, Subject: "数学", PassedOn: d(2011, 12, 1)}},
			Mandarin:  []MandarinRecord{{Number: "4401000100123", Level: form.MandarinSecondA, Score: "88.6", Issuer: "广东省语言文字工作委员会", IssuedOn: d(2009, 6, 1)}},
			Education: []EducationRecord{{Level: form.EducationBachelor, School: "华南师范大学", Major: "数学与应用数学", StudyMode: form.StudyFullTime, CertificateNumber: "105741201005001234", GraduatedOn: d(2010, 6, 30)}},
			Degrees:   []DegreeRecord{{Degree: form.DegreeBachelor, School: "华南师范大学", Major: "理学", CertificateNumber: "1057442010001234", AwardedOn: d(2010, 6, 30)}}},
		{Mandarin: []MandarinRecord{{Number: "4501000200456", Level: form.MandarinFirstB, Score: "92.1", Issuer: "广西壮族自治区语言文字工作委员会", IssuedOn: d(2011, 5, 1)}},
			Education: []EducationRecord{{Level: form.EducationBachelor, School: "广西师范大学", Major: "汉语言文学", StudyMode: form.StudyFullTime, CertificateNumber: "106021201205004567", GraduatedOn: d(2012, 6, 30)}},
			Degrees:   []DegreeRecord{{Degree: form.DegreeBachelor, School: "广西师范大学", Major: "文学", CertificateNumber: "1060242012004567", AwardedOn: d(2012, 6, 30)}}},
		{Mandarin: []MandarinRecord{{Number: "1101000300789", Level: form.MandarinSecondA, Score: "87.0", Issuer: "北京市语言文字工作委员会", IssuedOn: d(1997, 10, 1)}},
			Education: []EducationRecord{{Level: form.EducationJuniorCollege, School: "北京教育学院", Major: "历史教育", StudyMode: form.StudyFullTime, GraduatedOn: d(1990, 7, 1)}},
			Other:     []OtherCertificate{{Title: "北京市骨干教师证书", Number: "GG-2015-0789", Issuer: "北京市海淀区教育委员会", IssuedOn: d(2015, 9, 10)}}},
		{Mandarin: []MandarinRecord{{Number: "4403000400888", Level: form.MandarinSecondB, Score: "82.3", Issuer: "广东省语言文字工作委员会", IssuedOn: d(2019, 4, 1)}},
			Education: []EducationRecord{{Level: form.EducationBachelor, School: "香港教育大学", Major: "幼儿教育", StudyMode: form.StudyFullTime, GraduatedOn: d(2018, 6, 30)}}},
		{Mandarin: []MandarinRecord{{Number: "5101000500234", Level: form.MandarinSecondB, Score: "81.5", Issuer: "四川省语言文字工作委员会", IssuedOn: d(2006, 5, 1)}},
			Education: []EducationRecord{{Level: form.EducationMaster, School: "西南交通大学", Major: "机械工程", StudyMode: form.StudyFullTime, GraduatedOn: d(2008, 6, 30)}},
			Degrees:   []DegreeRecord{{Degree: form.DegreeMaster, School: "西南交通大学", Major: "工学", AwardedOn: d(2008, 6, 30)}}},
	}
	for i, r := range records {
		da := Demo.Applicants[i]
		if err := s.AddInfoCentre(ctx, Holder{DocNumber: da.DocNumber, Name: da.Name}, r); err != nil {
			return err
		}
	}
	for _, sc := range []School{
		{Name: "华南师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "广西师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "南宁师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "北京师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "北京教育学院", Type: form.SchoolTypeAdultHigher},
		{Name: "华东师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "西南交通大学", Type: form.SchoolTypeRegularHigher},
		{Name: "四川师范大学", Type: form.SchoolTypeRegularHigher},
		{Name: "香港教育大学", Type: form.SchoolTypeOverseas},
		{Name: "广州市幼儿师范学校", Type: form.SchoolTypeVocational},
	} {
		if _, err := s.AddSchool(ctx, sc); err != nil {
			return err
		}
	}

	spw, err := hasher.HashContext(ctx, staffPassword)
	if err != nil {
		return err
	}
	gz := authorityOf["440100"]
	tianhe := pointOf["440100"]
	for _, ds := range Demo.Staff {
		st := Staff{Username: ds.Username, Name: ds.Name, Role: ds.Role, PasswordHash: spw, TOTPSecret: ds.TOTPSecret,
			TOTPEnrolledAt: now, CreatedAt: now}
		switch ds.Role {
		case RoleConfirmationPoint:
			st.PointID, st.AuthorityID = tianhe.ID, gz.ID
		case RoleAuthority:
			st.AuthorityID = gz.ID
		}
		if _, err := s.CreateStaff(ctx, st); err != nil {
			return fmt.Errorf("seed staff %s: %w", ds.Username, err)
		}
	}
	return nil
}

// String lists the demo logins, one per line, for the portal's start banner (development
// mode only: it prints passwords and TOTP secrets).
func (d DemoCredentials) String() string {
	out := "演示申请人账号 (证件类型 / 证件号码 / 密码):\n"
	for _, a := range d.Applicants {
		out += "  " + a.Name + "  " + a.DocType.String() + "  " + a.DocNumber + "  " + a.Password + "  — " + a.Note + "\n"
	}
	out += "演示工作人员账号 (用户名 / 密码 / TOTP密钥):\n"
	for _, s := range d.Staff {
		out += "  " + s.Username + "  " + s.Password + "  " + s.TOTPSecret + "  — " + s.Role.String() + "," + s.Place + "\n"
	}
	return out
}

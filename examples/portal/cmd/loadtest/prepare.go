package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// Load users are ordinary accounts in the database, created here through the store's exported
// API (the same rows the portal's register page writes): resident IDs of Guangzhou's Tianhe
// district (so the seeded 天河区 confirmation point's scope fits), one 初级中学 certificate each
// with a number in a block no real or demo certificate uses (authority code 999).

// loadPassword is every load user's password (passes account.CheckPassword).
const loadPassword = "Tqreg-Load-2026"

// loadStaffPassword is the load staff's password.
const loadStaffPassword = "Tqreg-LoadStaff-2026"

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然欣怡晨阳建国海燕志明慧文")

// loadUser is one virtual applicant.
type loadUser struct {
	Index     int
	Name      string
	DocNumber string
	Cert      string
}

func loadUserAt(i int) loadUser {
	name := string(surnames[i%len(surnames)]) + string(givenChars[(i/len(surnames))%len(givenChars)]) +
		string(givenChars[(i/(len(surnames)*len(givenChars)))%len(givenChars)])
	birth := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/800)
	doc := residentID("440106", birth.Format("20060102"), fmt.Sprintf("%03d", 100+i%800))
	cert := fmt.Sprintf("2012%s999%d1%06d", "44", int(certificate.JuniorMiddle), i)
	return loadUser{Index: i, Name: name, DocNumber: doc, Cert: cert}
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

// ensureUsers creates load users 0..n-1 that do not exist yet and returns them.
func ensureUsers(ctx context.Context, st *store.Store, n int, hasher *account.Hasher, now time.Time) ([]loadUser, error) {
	hash, err := hasher.HashContext(ctx, loadPassword)
	if err != nil {
		return nil, err
	}
	users := make([]loadUser, n)
	for i := range n {
		u := loadUserAt(i)
		users[i] = u
		_, err := st.AccountByDocument(ctx, account.DocResidentID, u.DocNumber)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, account.ErrNotFound) {
			return nil, err
		}
		reg := now.AddDate(-2, 0, 0)
		if _, err := st.CreateAccount(ctx, account.Account{DocType: account.DocResidentID, DocNumber: u.DocNumber,
			Name: u.Name, Phone: fmt.Sprintf("139%08d", i), Email: fmt.Sprintf("load%d@example.com", i),
			RegisteredAt: reg, PasswordHash: hash, PasswordChangedAt: reg, RealNameVerified: true}); err != nil {
			return nil, fmt.Errorf("create load user %d: %w", i, err)
		}
		num, err := certificate.ParseNumber(u.Cert)
		if err != nil {
			return nil, err
		}
		if err := st.AddCertificate(ctx, certificate.Certificate{Number: num, HolderName: u.Name,
			DocType: account.DocResidentID, DocNumber: u.DocNumber, Kind: certificate.JuniorMiddle, Subject: "数学",
			Authority: "广州市教育局", Issued: time.Date(2012, 7, 15, 0, 0, 0, 0, registration.CST),
			FirstRegistered: true, FirstRegisteredOn: time.Date(2014, 9, 1, 0, 0, 0, 0, registration.CST)}, 0); err != nil && !errors.Is(err, store.ErrDuplicate) {
			return nil, fmt.Errorf("certificate of load user %d: %w", i, err)
		}
	}
	return users, nil
}

// loadStaff is one reviewer account of the load run.
type loadStaff struct {
	Username string
	Secret   string
	Role     store.StaffRole
}

// ensureStaff creates n confirmation-point and n authority load staff bound to the seeded
// 天河区 point and 广州市教育局 (found by the demo staff's bindings), enrolled in TOTP.
func ensureStaff(ctx context.Context, st *store.Store, n int, hasher *account.Hasher, now time.Time) ([]loadStaff, error) {
	var pointID, authorityID string
	for _, ds := range store.Demo.Staff {
		s, err := st.StaffByUsername(ctx, ds.Username)
		if err != nil {
			continue
		}
		switch s.Role {
		case store.RoleConfirmationPoint:
			pointID, authorityID = s.PointID, s.AuthorityID
		case store.RoleAuthority:
			authorityID = s.AuthorityID
		}
	}
	if pointID == "" || authorityID == "" {
		return nil, errors.New("the demo staff (point-tianhe, authority-guangzhou) are missing: start the portal once on an empty database so it seeds the demo data")
	}
	hash, err := hasher.HashContext(ctx, loadStaffPassword)
	if err != nil {
		return nil, err
	}
	var out []loadStaff
	for i := range n {
		for _, role := range []store.StaffRole{store.RoleConfirmationPoint, store.RoleAuthority} {
			name := fmt.Sprintf("load-%s-%d", map[store.StaffRole]string{store.RoleConfirmationPoint: "point", store.RoleAuthority: "authority"}[role], i)
			secret := totpSecret(name)
			out = append(out, loadStaff{Username: name, Secret: secret, Role: role})
			if _, err := st.StaffByUsername(ctx, name); err == nil {
				continue
			}
			s := store.Staff{Username: name, Name: "压测工作人员" + fmt.Sprint(i), Role: role, PasswordHash: hash,
				TOTPSecret: secret, TOTPEnrolledAt: now, CreatedAt: now, AuthorityID: authorityID}
			if role == store.RoleConfirmationPoint {
				s.PointID = pointID
			}
			if _, err := st.CreateStaff(ctx, s); err != nil {
				return nil, fmt.Errorf("create %s: %w", name, err)
			}
		}
	}
	return out, nil
}

// totpSecret derives a fixed base32 secret from a name (load accounts only).
func totpSecret(name string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, 32)
	h := uint64(14695981039346656037)
	for i := range b {
		for _, c := range []byte(name) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		h = (h ^ uint64(i)) * 1099511628211
		b[i] = alphabet[h>>59]
	}
	return string(b)
}

// genPhoto returns a portrait JPEG that passes photo.Registration.Check: a drawn head and
// shoulders on white, normalised by photo.Normalize like the wizard's 自动调整 does.
func genPhoto(seed int) ([]byte, error) {
	const w, h = 420, 588
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x0 := uint32(seed*2654435761 + 1)
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := x-w/2, y-h*2/5
			if dx*dx+dy*dy < (w/5)*(w/5) || (y > h*3/5 && x > w/5 && x < w*4/5) {
				x0 ^= x0 << 13
				x0 ^= x0 >> 17
				x0 ^= x0 << 5
				n := uint8(x0 % 60)
				c = color.RGBA{60 + n, uint8(50 + (x+y)%50), 80 + n/2, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		return nil, err
	}
	out, err := photo.Normalize(buf.Bytes(), photo.Registration)
	if err != nil {
		return nil, err
	}
	if rep := photo.Registration.Check(out); !rep.OK() {
		return nil, fmt.Errorf("generated photo fails the spec: %+v", rep.Problems)
	}
	return out, nil
}

package account_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

// testNow is the fixed clock of the resident-ID tests.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, account.ChinaStandardTime)

// Valid 18-character IDs used throughout the tests. Check of the first, by hand:
// digits   1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
// weights  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
// products 7 9  0 5 0 20 2 9 24 27 7 18 30 5 0 0 4 → sum 167; 167 mod 11 = 2;
// "10X98765432"[2] = X.
var validIDs = []string{
	"11010519491231002X", // Beijing Xicheng, 1949-12-31, female
	"44030419900307123X", // Shenzhen Futian, 1990-03-07, male
	"510108200002292565", // Chengdu, 2000-02-29 (leap day), female
	"650102198511170016", // Urumqi, 1985-11-17, male
	"11010519000101001X", // first day allowed: 1900-01-01
	"620102197512014576", // Lanzhou, 1975-12-01, male
}

func TestParseResidentIDAccepts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"canonical 18 characters", "11010519491231002X", "11010519491231002X"},
		{"lowercase x is read as X", "11010519491231002x", "11010519491231002X"},
		{"surrounding spaces are trimmed", " \t11010519491231002X \n", "11010519491231002X"},
		{"all-digit check character", "650102198511170016", "650102198511170016"},
		{"leap day", "510108200002292565", "510108200002292565"},
		{"15-digit first generation gets 19 and a check character", "110105491231002", "11010519491231002X"},
		{"15-digit with a digit check character", "650102851117001", "650102198511170016"},
		{"birth date equal to today", "110105202606010018", "110105202606010018"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := account.ParseResidentIDAt(tt.in, testNow)
			if err != nil {
				t.Fatalf("ParseResidentIDAt(%q) error: %v", tt.in, err)
			}
			if got := id.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseResidentIDRefuses(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check account.IDCheck
		msg   string
	}{
		{"empty", "", account.IDCheckLength, "身份证号码应为18位(或15位一代证号码)"},
		{"17 characters", "11010519491231002", account.IDCheckLength, ""},
		{"19 characters", "11010519491231002X1", account.IDCheckLength, ""},
		{"16 characters", "1101054912310021", account.IDCheckLength, ""},
		{"full-width X (more bytes)", "11010519491231002Ｘ", account.IDCheckLength, ""},
		{"letter inside", "1101051949123100A2", account.IDCheckCharacters, "身份证号码只能包含数字,最后一位可以是X"},
		{"X not last", "X10105194912310020", account.IDCheckCharacters, ""},
		{"check character is another letter", "11010519491231002Y", account.IDCheckCharacters, ""},
		{"inner space", "110105 9491231002X", account.IDCheckCharacters, ""},
		{"15 characters with X", "11010549123100X", account.IDCheckCharacters, ""},
		{"region 00 is not a province", "000105194912310022", account.IDCheckRegion, "身份证号码的地区码无效"},
		{"region 16 is not a province", "160105194912310025", account.IDCheckRegion, ""},
		{"region 66 is not a province", "660105194912310029", account.IDCheckRegion, ""},
		{"region 71 Taiwan has no resident IDs", "710000199508080034", account.IDCheckRegion, ""},
		{"region 81 belongs to residence permits", "810000199508080032", account.IDCheckRegion, ""},
		{"region 83 belongs to residence permits", "830000200101150042", account.IDCheckRegion, ""},
		{"month 13", "110105194913310028", account.IDCheckDate, "身份证号码中的出生日期不是有效日期"},
		{"month 00", "110105194900310024", account.IDCheckDate, ""},
		{"day 00", "110105194912000022", account.IDCheckDate, ""},
		{"February 29 in a common year", "110105199002290028", account.IDCheckDate, ""},
		{"February 29 in 1900 (not a leap year)", "110105190002290022", account.IDCheckDate, ""},
		{"April 31", "110105199004310023", account.IDCheckDate, ""},
		{"born 1899", "110105189912310021", account.IDCheckBefore1900, "身份证号码中的出生日期早于1900年"},
		{"born tomorrow", "110105202606020013", account.IDCheckFuture, "身份证号码中的出生日期晚于今天"},
		{"born next year", "110105202701010017", account.IDCheckFuture, ""},
		{"wrong check digit", "110105194912310021", account.IDCheckChecksum, "身份证号码校验位错误"},
		{"X where a digit belongs", "65010219851117001X", account.IDCheckChecksum, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := account.ParseResidentIDAt(tt.in, testNow)
			if err == nil {
				t.Fatalf("ParseResidentIDAt(%q) = %v, want error", tt.in, id)
			}
			if !errors.Is(err, account.ErrInvalidID) {
				t.Errorf("errors.Is(err, ErrInvalidID) = false for %v", err)
			}
			if !errors.Is(err, account.ErrInvalidDocument) {
				t.Errorf("errors.Is(err, ErrInvalidDocument) = false for %v", err)
			}
			var ie *account.IDError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not *IDError", err)
			}
			if ie.Check != tt.check {
				t.Errorf("Check = %d (%s), want %d (%s)", ie.Check, ie.Check, tt.check, tt.check)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message = %q, want %q", err.Error(), tt.msg)
			}
			if !id.IsZero() {
				t.Errorf("failed parse returned non-zero ID %v", id)
			}
		})
	}
}

// TestParseResidentIDRefusesEverySingleCharacterChange replaces each position of
// several valid IDs with every other character a typist could hit (digits, X)
// and expects every result to be refused.
func TestParseResidentIDRefusesEverySingleCharacterChange(t *testing.T) {
	const alphabet = "0123456789Xx"
	tried := 0
	for _, valid := range validIDs {
		if _, err := account.ParseResidentIDAt(valid, testNow); err != nil {
			t.Fatalf("base ID %s invalid: %v", valid, err)
		}
		for pos := range len(valid) {
			for _, c := range []byte(alphabet) {
				if c == valid[pos] || (c == 'x' && valid[pos] == 'X') {
					continue
				}
				mutated := valid[:pos] + string(c) + valid[pos+1:]
				tried++
				if _, err := account.ParseResidentIDAt(mutated, testNow); !errors.Is(err, account.ErrInvalidID) {
					t.Errorf("%s (position %d of %s changed) accepted, err = %v", mutated, pos+1, valid, err)
				}
			}
		}
	}
	if want := len(validIDs) * 18 * 10; tried < want {
		t.Fatalf("tried %d mutations, want at least %d", tried, want)
	}
}

// TestParseResidentIDRefusesEveryAdjacentSwap checks the other common typing
// error: two neighbouring, different characters exchanged.
func TestParseResidentIDRefusesEveryAdjacentSwap(t *testing.T) {
	for _, valid := range validIDs {
		for i := 0; i+1 < len(valid); i++ {
			if valid[i] == valid[i+1] {
				continue
			}
			b := []byte(valid)
			b[i], b[i+1] = b[i+1], b[i]
			if _, err := account.ParseResidentIDAt(string(b), testNow); err == nil {
				t.Errorf("%s (positions %d,%d of %s swapped) accepted", b, i+1, i+2, valid)
			}
		}
	}
}

func TestResidentIDFields(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		birth  string
		male   bool
		region string
	}{
		{"female, check X", "11010519491231002X", "1949-12-31", false, "110105"},
		{"male, check X", "44030419900307123X", "1990-03-07", true, "440304"},
		{"female, leap day", "510108200002292565", "2000-02-29", false, "510108"},
		{"male from 15 digits", "650102851117001", "1985-11-17", true, "650102"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := account.ParseResidentIDAt(tt.in, testNow)
			if err != nil {
				t.Fatal(err)
			}
			b := id.Birth()
			if got := b.Format(time.DateOnly); got != tt.birth {
				t.Errorf("Birth() = %s, want %s", got, tt.birth)
			}
			if b.Hour() != 0 || b.Minute() != 0 || b.Second() != 0 || b.Nanosecond() != 0 {
				t.Errorf("Birth() = %v, want midnight", b)
			}
			if _, off := b.Zone(); off != 8*3600 {
				t.Errorf("Birth() zone offset = %d, want +8h", off)
			}
			if id.Male() != tt.male {
				t.Errorf("Male() = %v, want %v", id.Male(), tt.male)
			}
			if id.Region() != tt.region {
				t.Errorf("Region() = %q, want %q", id.Region(), tt.region)
			}
		})
	}
}

func TestResidentIDZeroValue(t *testing.T) {
	var id account.ResidentID
	if !id.IsZero() || id.String() != "" || id.Region() != "" || id.Male() || !id.Birth().IsZero() {
		t.Errorf("zero ResidentID: IsZero=%v String=%q Region=%q Male=%v Birth=%v",
			id.IsZero(), id.String(), id.Region(), id.Male(), id.Birth())
	}
}

func TestResidentIDIsComparable(t *testing.T) {
	a, _ := account.ParseResidentIDAt("110105491231002", testNow)
	b, _ := account.ParseResidentIDAt(" 11010519491231002x", testNow)
	c, _ := account.ParseResidentIDAt("44030419900307123X", testNow)
	if a != b {
		t.Errorf("15-digit and 18-digit forms of the same ID differ: %v != %v", a, b)
	}
	if a == c {
		t.Errorf("different IDs compare equal")
	}
	seen := map[account.ResidentID]bool{a: true}
	if !seen[b] || seen[c] {
		t.Errorf("ResidentID does not work as a map key")
	}
}

// TestParseResidentIDFutureUsesChinaStandardTime: at 2026-06-01 16:30 UTC it is
// already 2026-06-02 in Beijing, so a birth on 06-02 is not in the future.
func TestParseResidentIDFutureUsesChinaStandardTime(t *testing.T) {
	const bornJune2 = "110105202606020013"
	lateUTC := time.Date(2026, 6, 1, 16, 30, 0, 0, time.UTC)
	if _, err := account.ParseResidentIDAt(bornJune2, lateUTC); err != nil {
		t.Errorf("born on the Beijing date of now: %v", err)
	}
	earlyUTC := time.Date(2026, 6, 1, 15, 30, 0, 0, time.UTC)
	if _, err := account.ParseResidentIDAt(bornJune2, earlyUTC); !errors.Is(err, account.ErrInvalidID) {
		t.Errorf("born the day after the Beijing date of now: err = %v", err)
	}
}

func TestParseResidentIDUsesCurrentTime(t *testing.T) {
	tomorrow := time.Now().In(account.ChinaStandardTime).AddDate(0, 0, 1)
	b := []byte("110105" + tomorrow.Format("20060102") + "001")
	id := string(b) + checkChar(string(b))
	_, err := account.ParseResidentID(id)
	var ie *account.IDError
	if !errors.As(err, &ie) || ie.Check != account.IDCheckFuture {
		t.Errorf("ParseResidentID(birth tomorrow) err = %v, want future check", err)
	}
	if _, err := account.ParseResidentID(validIDs[0]); err != nil {
		t.Errorf("ParseResidentID(%s): %v", validIDs[0], err)
	}
}

func TestMustParseResidentIDPanicsOnInvalid(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseResidentID did not panic on an invalid ID")
		}
	}()
	account.MustParseResidentID("110105194912310021")
}

// checkChar is an independent GB 11643 check: weight 2^(17-i) mod 11 per position.
func checkChar(first17 string) string {
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(first17[i]-'0') * w
	}
	return string("10X98765432"[sum%11])
}

func TestIndependentCheckCharMatches(t *testing.T) {
	for _, id := range validIDs {
		if got := checkChar(id[:17]); got != id[17:] {
			t.Errorf("independent check of %s = %s", id, got)
		}
	}
}

func BenchmarkParseResidentID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := account.ParseResidentIDAt("11010519491231002X", testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseResidentIDDoesNotAllocate(t *testing.T) {
	for _, in := range []string{"11010519491231002X", " 110105491231002 ", "110105194912310021"} {
		allocs := testing.AllocsPerRun(100, func() {
			_, _ = account.ParseResidentIDAt(in, testNow)
		})
		if allocs != 0 {
			t.Errorf("ParseResidentIDAt(%q) allocates %v times", in, allocs)
		}
	}
}

// BenchmarkParseUint17Floor is the floor for BenchmarkParseResidentID: reading
// the 17 leading digits as one number with strconv.
func BenchmarkParseUint17Floor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := strconv.ParseUint("11010519491231002", 10, 64); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseResidentIDRegionPrefixes walks every two-digit prefix 00–99 and
// expects exactly the province-level codes of SPEC §1 (11–15, 21–23, 31–37,
// 41–46, 50–54, 61–65) to pass; the list is written out here, not derived from
// the implementation.
func TestParseResidentIDRegionPrefixes(t *testing.T) {
	provinces := map[int]bool{}
	for _, r := range [][2]int{{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}} {
		for p := r[0]; p <= r[1]; p++ {
			provinces[p] = true
		}
	}
	for p := range 100 {
		first17 := strconv.Itoa(100 + p)[1:] + "0105" + "19800101" + "003"
		s := first17 + checkChar(first17)
		_, err := account.ParseResidentIDAt(s, testNow)
		var ie *account.IDError
		switch {
		case provinces[p] && err != nil:
			t.Errorf("prefix %02d: province-level code refused: %v", p, err)
		case !provinces[p] && (!errors.As(err, &ie) || ie.Check != account.IDCheckRegion):
			t.Errorf("prefix %02d: err = %v, want IDCheckRegion", p, err)
		}
	}
}

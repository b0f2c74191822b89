package mtt

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// File types, the second part of a file name.
const (
	TypeCDDY = "CDDY" // 测点基本信息: point definitions
	TypeCDSS = "CDSS" // 测点实时数据: real-time values
	TypeTJSJ = "TJSJ" // 测点统计数据: statistics over a period
	TypeYCBJ = "YCBJ" // 测点异常报警: abnormal alarms
	TypeFZDY = "FZDY" // 分站基本信息: substation definitions
	TypeFZSS = "FZSS" // 分站实时状态: substation states
)

// Types lists the file types this package understands, in the order of the
// format description.
func Types() []string {
	return []string{TypeCDDY, TypeCDSS, TypeTJSJ, TypeYCBJ, TypeFZDY, TypeFZSS}
}

func knownType(t string) bool {
	switch t {
	case TypeCDDY, TypeCDSS, TypeTJSJ, TypeYCBJ, TypeFZDY, TypeFZSS:
		return true
	}
	return false
}

// CST is China Standard Time. A fixed zone rather than Asia/Shanghai from
// tzdata: China has had no DST since 1991, and minimal containers lack tzdata.
var CST = time.FixedZone("CST", 8*3600)

// Whole-file errors. Parse wraps them with detail; test with errors.Is.
var (
	// ErrName: the file name is not {mine}_{TYPE}_{yyyyMMddHHmmss}.txt.
	ErrName = errors.New("bad file name")
	// ErrType: the file name carries a type other than the six known ones.
	ErrType = errors.New("unknown file type")
	// ErrTruncated: the file does not end with the "||" terminator.
	ErrTruncated = errors.New("truncated file")
	// ErrHeader: the header record is missing or names another mine.
	ErrHeader = errors.New("bad header")
)

// FileName is a parsed exchange-file name.
type FileName struct {
	Mine string    `json:"mine"` // 煤矿编码
	Type string    `json:"type"` // one of the Type constants
	Time time.Time `json:"time"` // generation time, UTC
}

// String formats the name as the file would be called on disk.
func (n FileName) String() string {
	return n.Mine + "_" + n.Type + "_" + n.Time.In(CST).Format(nameTimeLayout) + ".txt"
}

const nameTimeLayout = "20060102150405"

// ParseFileName parses {mine}_{TYPE}_{yyyyMMddHHmmss}.txt. A leading
// directory (either slash) is ignored so callers can pass a path; the ".txt"
// extension is matched case-insensitively because Windows uploaders vary it.
// The mine code must be letters and digits (real codes are 12 digits, but
// lengths differ between systems, so the length is not checked).
func ParseFileName(name string) (FileName, error) {
	base := name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if len(base) < 4 || !strings.EqualFold(base[len(base)-4:], ".txt") {
		return FileName{}, fmt.Errorf("%w: %q does not end in .txt", ErrName, base)
	}
	parts := strings.Split(base[:len(base)-4], "_")
	if len(parts) != 3 {
		return FileName{}, fmt.Errorf("%w: %q is not {mine}_{TYPE}_{yyyyMMddHHmmss}.txt", ErrName, base)
	}
	mine, typ, stamp := parts[0], parts[1], parts[2]
	if mine == "" || !isAlnum(mine) {
		return FileName{}, fmt.Errorf("%w: mine code %q must be letters and digits", ErrName, mine)
	}
	if !knownType(typ) {
		return FileName{}, fmt.Errorf("%w: %q (want one of %s)", ErrType, typ, strings.Join(Types(), ", "))
	}
	if len(stamp) != 14 || !isDigits(stamp) {
		return FileName{}, fmt.Errorf("%w: time %q is not yyyyMMddHHmmss", ErrName, stamp)
	}
	t, err := time.ParseInLocation(nameTimeLayout, stamp, CST)
	if err != nil {
		return FileName{}, fmt.Errorf("%w: time %q is not a valid date and time", ErrName, stamp)
	}
	return FileName{Mine: mine, Type: typ, Time: t.UTC()}, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

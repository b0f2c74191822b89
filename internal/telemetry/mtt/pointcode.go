package mtt

import (
	"fmt"
	"strings"
	"unicode"
)

// ValueType is 测点数值类型 (附录 B.5): analogue or switch.
type ValueType string

// Value types.
const (
	Analog ValueType = "MN" // 模拟量: a measured value with a unit
	Switch ValueType = "KG" // 开关量: 0 or 1, no unit
)

// PointCode is a parsed 测点编码: mine code + system code (2) + MN/KG +
// sensor-type code (4 digits) + the monitoring system's own point code.
// The nominal total is 28 characters with an 8-character original code, but
// real systems differ, so only the structure is enforced.
type PointCode struct {
	Mine       string    `json:"mine"`        // 煤矿编码, the prefix
	System     string    `json:"system"`      // 系统编码 (附录 B.1), "01" = 安全监控
	ValueType  ValueType `json:"value_type"`  // MN or KG
	SensorType string    `json:"sensor_type"` // 传感器类型编码 (附录 B.2), 4 digits
	Original   string    `json:"original"`    // 原系统测点编码, any length ≥ 1
}

// String reassembles the full point code.
func (p PointCode) String() string {
	return p.Mine + p.System + string(p.ValueType) + p.SensorType + p.Original
}

// ParsePointCode splits code, which must begin with mine. Errors are
// sentences a mine's engineer can act on.
func ParsePointCode(mine, code string) (PointCode, error) {
	if mine == "" {
		return PointCode{}, fmt.Errorf("no mine code to check point code %s against", quote(code))
	}
	if !strings.HasPrefix(code, mine) {
		return PointCode{}, fmt.Errorf("point code %s does not start with the mine code %s", quote(code), mine)
	}
	rest := code[len(mine):]
	// 2 (system) + 2 (MN/KG) + 4 (type) + at least 1 (original).
	if len(rest) < 9 {
		return PointCode{}, fmt.Errorf("point code %s is too short: after the mine code it needs a 2-character system code, MN or KG, a 4-digit sensor type and the original point code", quote(code))
	}
	p := PointCode{
		Mine:       mine,
		System:     rest[0:2],
		ValueType:  ValueType(rest[2:4]),
		SensorType: rest[4:8],
		Original:   rest[8:],
	}
	if !isAlnum(p.System) {
		return PointCode{}, fmt.Errorf("point code %s: system code %s must be 2 letters or digits", quote(code), quote(p.System))
	}
	if p.ValueType != Analog && p.ValueType != Switch {
		return PointCode{}, fmt.Errorf("point code %s: characters %d-%d are %s, want MN (analogue) or KG (switch)", quote(code), len(mine)+3, len(mine)+4, quote(string(p.ValueType)))
	}
	if !isDigits(p.SensorType) {
		return PointCode{}, fmt.Errorf("point code %s: sensor type %s is not 4 digits", quote(code), quote(p.SensorType))
	}
	if !validCodeChars(p.Original) {
		return PointCode{}, fmt.Errorf("point code %s: original point code %s contains spaces or control characters", quote(code), quote(p.Original))
	}
	return p, nil
}

// ParseStationCode checks a 分站编码 (mine code + station id, nominally
// 12 + 5 characters) and answers the station id after the mine code.
func ParseStationCode(mine, code string) (string, error) {
	if mine == "" {
		return "", fmt.Errorf("no mine code to check station code %s against", quote(code))
	}
	if !strings.HasPrefix(code, mine) {
		return "", fmt.Errorf("station code %s does not start with the mine code %s", quote(code), mine)
	}
	id := code[len(mine):]
	if id == "" {
		return "", fmt.Errorf("station code %s has no station number after the mine code", quote(code))
	}
	if !validCodeChars(id) {
		return "", fmt.Errorf("station code %s contains spaces or control characters", quote(code))
	}
	return id, nil
}

// validCodeChars admits any printable non-space character: systems use
// letters, digits, "-" and "." in their own codes, and nothing is gained by
// refusing more.
func validCodeChars(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == ';' || r == '~' {
			return false
		}
	}
	return true
}

// quote quotes s for a message, shortened so that one garbage field cannot
// make an unreadable report.
func quote(s string) string { return fmt.Sprintf("%q", shorten(s, 60)) }

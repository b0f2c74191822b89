package mtt

import (
	"strings"
	"testing"
)

func TestParsePointCode(t *testing.T) {
	ok := []struct {
		mine, code string
		want       PointCode
	}{
		// The nominal 28 characters: 12 + 2 + 2 + 4 + 8.
		{"150702000000", "15070200000001MN000100000012", PointCode{"150702000000", "01", Analog, "0001", "00000012"}},
		{"150702000000", "15070200000001KG101000000003", PointCode{"150702000000", "01", Switch, "1010", "00000003"}},
		// Lengths differ between systems: short mine code, short or long original code.
		{"1101", "1101" + "01MN000400002274", PointCode{"1101", "01", Analog, "0004", "00002274"}},
		{"150703100001", "15070310000101MN00011", PointCode{"150703100001", "01", Analog, "0001", "1"}},
		{"150703100001", "15070310000102MN0006A-01.2", PointCode{"150703100001", "02", Analog, "0006", "A-01.2"}},
		{"150703100001", "15070310000101MN0001000000000012345", PointCode{"150703100001", "01", Analog, "0001", "000000000012345"}},
		// Unknown type codes are accepted: the official B.2 table is not known.
		{"150703100001", "15070310000101MN9999X", PointCode{"150703100001", "01", Analog, "9999", "X"}},
	}
	for _, c := range ok {
		got, err := ParsePointCode(c.mine, c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.code, got, c.want)
		}
		if got.String() != c.code {
			t.Errorf("%s: String() = %s", c.code, got.String())
		}
	}

	bad := []struct {
		mine, code, reason string
	}{
		{"150703100001", "15070310000201MN000100000001", "does not start with the mine code"},
		{"150703100001", "", "does not start with the mine code"},
		{"", "15070310000101MN000100000001", "no mine code"},
		{"150703100001", "15070310000101MN0001", "too short"},
		{"150703100001", "150703100001", "too short"},
		{"150703100001", "15070310000101DT400100000001", "want MN (analogue) or KG (switch)"},
		{"150703100001", "15070310000101mn000100000001", "want MN (analogue) or KG (switch)"},
		{"150703100001", "15070310000101MN00A100000001", "is not 4 digits"},
		{"150703100001", "150703100001-1MN000100000001", "system code"},
		{"150703100001", "15070310000101MN0001 0000001", "spaces or control characters"},
	}
	for _, c := range bad {
		_, err := ParsePointCode(c.mine, c.code)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%q: got %v, want an error containing %q", c.code, err, c.reason)
		}
	}
}

func TestParseStationCode(t *testing.T) {
	if id, err := ParseStationCode("150703100001", "15070310000101001"); err != nil || id != "01001" {
		t.Errorf("got %q, %v", id, err)
	}
	for _, code := range []string{"150703100001", "15070310000201001", "1507031000010 001", ""} {
		if _, err := ParseStationCode("150703100001", code); err == nil {
			t.Errorf("%q accepted", code)
		}
	}
}

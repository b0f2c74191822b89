package mtt

import (
	"strconv"
	"testing"
)

func TestCodeTables(t *testing.T) {
	bits := StatusBits()
	if len(bits) != 9 || bits[0].Bit != 0 || bits[8].Bit != 128 {
		t.Fatalf("status table: %+v", bits)
	}
	for i, b := range bits[1:] {
		if b.Bit != 1<<i || b.NameZH == "" || b.NameEN == "" {
			t.Errorf("status bit %d: %+v", i, b)
		}
	}
	if s := Status(3).String(); s != "alarm|power cut" {
		t.Errorf("Status(3) = %q", s)
	}
	if s := Status(0).String(); s != "normal" {
		t.Errorf("Status(0) = %q", s)
	}
	if u := Status(256 | 1).Unknown(); u != 256 {
		t.Errorf("Unknown = %d", u)
	}

	ab := AbnormalTypes()
	if len(ab) != 10 {
		t.Fatalf("abnormal types: %d", len(ab))
	}
	for i, c := range ab {
		if want := "0" + strconv.Itoa(101 + i)[1:]; c.Code != want || c.NameZH == "" || c.NameEN == "" {
			t.Errorf("abnormal %d: %+v, want code %s", i, c, want)
		}
	}
	if c, ok := AbnormalType("002"); !ok || c.NameZH != "断电报警" {
		t.Errorf("002: %+v", c)
	}
	if c, ok := StationRunState(1); !ok || c.NameZH != "通讯中断" {
		t.Errorf("run 1: %+v", c)
	}
	if c, ok := StationPowerState(2); !ok || c.NameZH != "交流供电" {
		t.Errorf("power 2: %+v", c)
	}
	if _, ok := StationRunState(5); ok {
		t.Error("run state 5 known")
	}

	seen := map[string]bool{}
	for _, c := range SensorCodes() {
		if len(c.Code) != 4 || !isDigits(c.Code) || seen[c.Code] || c.Catalog == "" || (c.ValueType != Analog && c.ValueType != Switch) {
			t.Errorf("sensor code %+v", c)
		}
		seen[c.Code] = true
	}
	// Every code of monitoring-formats.md §1.5.
	for _, code := range []string{"0001", "0002", "0003", "0004", "0006", "0007", "0012", "0013", "0014", "0018", "0043",
		"0502", "0503", "1002", "1003", "1004", "1008", "1009", "1010", "1011", "1101", "1201", "1202", "1301", "1302", "1401"} {
		if _, ok := SensorCodeInfo(code); !ok {
			t.Errorf("sensor code %s missing", code)
		}
	}

	// The tables handed out are copies.
	AbnormalTypes()[0].NameZH = "x"
	if c, _ := AbnormalType("001"); c.NameZH != "超限报警" {
		t.Error("AbnormalTypes hands out the table itself")
	}
}

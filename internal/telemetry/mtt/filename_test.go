package mtt

import (
	"errors"
	"testing"
	"time"
)

func TestParseFileName(t *testing.T) {
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04:05", s, CST)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	ok := []struct {
		name string
		want FileName
	}{
		{"150703100001_CDSS_20250101120030.txt", FileName{"150703100001", TypeCDSS, at("2025-01-01 12:00:30")}},
		{"150703100001_CDDY_20251027120000.txt", FileName{"150703100001", TypeCDDY, at("2025-10-27 12:00:00")}},
		{"/data/in/150702000000_TJSJ_20250101000000.TXT", FileName{"150702000000", TypeTJSJ, at("2025-01-01 00:00:00")}},
		{`C:\upload\1507031_YCBJ_20241231235959.txt`, FileName{"1507031", TypeYCBJ, at("2024-12-31 23:59:59")}},
		{"140102B0011_FZDY_20250101120000.txt", FileName{"140102B0011", TypeFZDY, at("2025-01-01 12:00:00")}},
		{"150703100001_FZSS_20250101080000.txt", FileName{"150703100001", TypeFZSS, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, c := range ok {
		got, err := ParseFileName(c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if got.Time.Location() != time.UTC {
			t.Errorf("%s: time not in UTC", c.name)
		}
	}

	bad := []struct {
		name string
		err  error
	}{
		{"", ErrName},
		{"150703100001_CDSS_20250101120030", ErrName},
		{"150703100001_CDSS_20250101120030.csv", ErrName},
		{"150703100001_CDSS.txt", ErrName},
		{"150703100001_CDSS_20250101120030_1.txt", ErrName},
		{"_CDSS_20250101120030.txt", ErrName},
		{"1507-03_CDSS_20250101120030.txt", ErrName},
		{"150703100001_CDSS_2025010112003.txt", ErrName},
		{"150703100001_CDSS_2025010112003x.txt", ErrName},
		{"150703100001_CDSS_20251301120030.txt", ErrName},
		{"150703100001_CDSS_20250230120030.txt", ErrName},
		{"150703100001_CDSS_20250101250030.txt", ErrName},
		{"150703100001_cdss_20250101120030.txt", ErrType},
		{"150703100001_AQSS_20250101120030.txt", ErrType},
		{"150703100001_SSSJ_20250101120030.txt", ErrType},
	}
	for _, c := range bad {
		if _, err := ParseFileName(c.name); !errors.Is(err, c.err) {
			t.Errorf("%q: got %v, want %v", c.name, err, c.err)
		}
	}
}

func TestFileNameString(t *testing.T) {
	for _, name := range []string{"150703100001_CDSS_20250101120030.txt", "150702000000_FZSS_20251231235959.txt"} {
		fn, err := ParseFileName(name)
		if err != nil {
			t.Fatal(err)
		}
		if fn.String() != name {
			t.Errorf("String() = %q, want %q", fn.String(), name)
		}
	}
}

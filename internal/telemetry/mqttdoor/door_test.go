package mqttdoor

import "testing"

func TestMineOfTopic(t *testing.T) {
	for topic, want := range map[string]string{
		"minesafe/v1/mines/150725100001/samples": "150725100001",
		Topic("X1"):                              "X1",
		"minesafe/v1/mines//samples":             "",
		"minesafe/v1/mines/a/b/samples":          "",
		"minesafe/v1/mines/+/samples":            "",
		"minesafe/v1/mines/#/samples":            "",
		"minesafe/v1/mines/150725100001/alarms":  "",
		"minesafe/v2/mines/150725100001/samples": "",
		"/minesafe/v1/mines/1/samples":           "",
	} {
		got, ok := MineOfTopic(topic)
		if got != want || ok != (want != "") {
			t.Errorf("MineOfTopic(%q) = %q, %v; want %q", topic, got, ok, want)
		}
	}
}

func TestDecode(t *testing.T) {
	ok := `{"mine":"M1","samples":[{"point":"P","time":"2026-06-01T10:00:00+08:00","value":0.32,"status":0}]}`
	if b, err := Decode([]byte(ok), "M1"); err != nil || len(b.Samples) != 1 || *b.Samples[0].Value != 0.32 {
		t.Fatalf("good batch: %+v %v", b, err)
	}
	for payload, code := range map[string]string{
		ok:                                  RefusedMineMismatch, // decoded for topic M2 below
		`{"mine":"M2"`:                      RefusedMalformed,
		`{"mine":"M2","samples":[],"x":1}`:  RefusedMalformed, // unknown field
		`{"mine":"M2","samples":[]} {}`:     RefusedMalformed, // two values
		`{"samples":[]}`:                    RefusedMalformed, // no mine
		`{"mine":"M2","samples":"nothing"}`: RefusedMalformed,
		``:                                  RefusedMalformed,
	} {
		_, err := Decode([]byte(payload), "M2")
		if r, refused := IsRefusal(err); !refused || r.Code != code || r.Reason == "" {
			t.Errorf("Decode(%q): %v, want %s", payload, err, code)
		}
	}
}

package auth

import "testing"

func ptr(v int64) *int64 { return &v }

func TestScope(t *testing.T) {
	county := &Principal{Role: RoleCounty, Regions: []string{"150725"}}
	city := &Principal{Role: RoleCity}
	ent := &Principal{Role: RoleEnterprise, EnterpriseID: ptr(7)}
	obsAll := &Principal{Role: RoleObserver}
	obsOne := &Principal{Role: RoleObserver, Regions: []string{"150781"}}
	cases := []struct {
		p      *Principal
		region string
		ent    int64
		want   bool
	}{
		{county, "150725", 1, true},
		{county, "150724", 1, false},
		{city, "150724", 1, true},
		{ent, "150724", 7, true},
		{ent, "150724", 8, false},
		{obsAll, "150785", 1, true},
		{obsOne, "150785", 1, false},
		{obsOne, "150781", 1, true},
		{nil, "150781", 1, false},
	}
	for i, c := range cases {
		if got := c.p.SeesMine(c.region, c.ent); got != c.want {
			t.Errorf("case %d: got %v want %v", i, got, c.want)
		}
	}
	cond, args := county.MineScope("m.region_code", "m.enterprise_id")
	if cond != "(m.region_code = ?)" || len(args) != 1 {
		t.Errorf("county scope %q %v", cond, args)
	}
	if cond, _ := ent.MineScope("r", "e"); cond != "e = ?" {
		t.Errorf("enterprise scope %q", cond)
	}
	if cond, _ := (&Principal{Role: RoleCounty}).MineScope("r", "e"); cond != "1=0" {
		t.Errorf("county without divisions sees %q", cond)
	}
}

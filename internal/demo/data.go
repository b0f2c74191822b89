package demo

// Hand-written specifications of the demo data set. Names, owners and
// coordinates of the large mines follow the public facts listed in
// shared/domain/hulunbuir.md; everything else is invented but plausible.

// division is a county-level division of Hulunbuir.
type division struct {
	code, name string
	lon, lat   float64
}

// divisions lists the 14 county-level divisions (codes [V], seats approx.).
var divisions = []division{
	{"150702", "海拉尔区", 119.77, 49.22},
	{"150703", "扎赉诺尔区", 117.70, 49.49},
	{"150721", "阿荣旗", 123.47, 48.13},
	{"150722", "莫力达瓦达斡尔族自治旗", 124.51, 48.48},
	{"150723", "鄂伦春自治旗", 123.72, 50.58},
	{"150724", "鄂温克族自治旗", 119.75, 49.13},
	{"150725", "陈巴尔虎旗", 119.43, 49.32},
	{"150726", "新巴尔虎左旗", 118.27, 48.22},
	{"150727", "新巴尔虎右旗", 116.82, 48.67},
	{"150781", "满洲里市", 117.45, 49.58},
	{"150782", "牙克石市", 120.73, 49.28},
	{"150783", "扎兰屯市", 122.75, 47.98},
	{"150784", "额尔古纳市", 120.18, 50.23},
	{"150785", "根河市", 121.52, 50.78},
}

func divisionByCode(code string) (division, bool) {
	for _, d := range divisions {
		if d.code == code {
			return d, true
		}
	}
	return division{}, false
}

// Ownership classes.
const (
	centralSOE = "central_soe"
	localSOE   = "local_soe"
	private    = "private"
	other      = "other"
)

type enterpriseSpec struct {
	key, name, parent, ownership, region, address string
}

// enterpriseSpecs: 30 enterprises. Parent groups of the central SOEs are the
// real group names; the subsidiaries' exact legal names are partly invented.
var enterpriseSpecs = []enterpriseSpec{
	{"zhamei", "华能扎赉诺尔煤业有限责任公司", "中国华能集团有限公司", centralSOE, "150703", "内蒙古自治区呼伦贝尔市扎赉诺尔区二道街1号"},
	{"dayan", "国能大雁矿业有限责任公司", "国家能源投资集团有限责任公司", centralSOE, "150782", "内蒙古自治区呼伦贝尔市牙克石市大雁镇矿区路6号"},
	{"baorixile", "神华宝日希勒能源有限公司", "国家能源投资集团有限责任公司", centralSOE, "150725", "内蒙古自治区呼伦贝尔市陈巴尔虎旗宝日希勒镇能源路2号"},
	{"yimin", "华能伊敏煤电有限责任公司", "中国华能集团有限公司", centralSOE, "150724", "内蒙古自治区呼伦贝尔市鄂温克族自治旗伊敏河镇振兴街1号"},
	{"spic", "国家电投集团呼伦贝尔能源有限公司", "国家电力投资集团有限公司", centralSOE, "150725", "内蒙古自治区呼伦贝尔市陈巴尔虎旗巴彦库仁镇呼和诺尔路18号"},
	{"zhongjin", "中国黄金集团内蒙古矿业有限公司", "中国黄金集团有限公司", centralSOE, "150727", "内蒙古自治区呼伦贝尔市新巴尔虎右旗乌努格吐山矿区"},
	{"dongming", "呼伦贝尔东明矿业有限责任公司", "呼伦贝尔市国有资本投资运营有限公司", localSOE, "150725", "内蒙古自治区呼伦贝尔市陈巴尔虎旗东明矿区管理站"},
	{"hlbcoal", "呼伦贝尔市煤炭资源开发有限公司", "呼伦贝尔市国有资本投资运营有限公司", localSOE, "150702", "内蒙古自治区呼伦贝尔市海拉尔区胜利大街96号"},
	{"wujiu", "牙克石五九煤炭有限责任公司", "牙克石市国有资产运营有限公司", localSOE, "150782", "内蒙古自治区呼伦贝尔市牙克石市五九路12号"},
	{"dikuang", "呼伦贝尔地矿资源开发有限公司", "内蒙古地质矿产（集团）有限责任公司", localSOE, "150702", "内蒙古自治区呼伦贝尔市海拉尔区河东新区学府路7号"},
	{"xishan", "满洲里市西山煤业有限责任公司", "", private, "150703", "内蒙古自治区呼伦贝尔市扎赉诺尔区西山路33号"},
	{"donghu", "满洲里东湖煤业有限公司", "", private, "150781", "内蒙古自治区呼伦贝尔市满洲里市东湖区兴华路8号"},
	{"tianshun", "陈巴尔虎旗天顺矿业有限公司", "", private, "150725", "内蒙古自治区呼伦贝尔市陈巴尔虎旗巴彦库仁镇团结路21号"},
	{"wumuchang", "鄂温克旗五牧场煤业有限公司", "", private, "150724", "内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇五牧场路3号"},
	{"ganzhuer", "呼伦贝尔甘珠尔煤业有限公司", "", private, "150726", "内蒙古自治区呼伦贝尔市新巴尔虎左旗阿木古郎镇甘珠尔街15号"},
	{"yishengyuan", "新巴尔虎右旗怡盛元矿业有限公司", "", private, "150727", "内蒙古自治区呼伦贝尔市新巴尔虎右旗阿拉坦额莫勒镇查干布拉根矿区"},
	{"chaganaobao", "新巴尔虎右旗查干敖包矿业有限公司", "", private, "150727", "内蒙古自治区呼伦贝尔市新巴尔虎右旗阿拉坦额莫勒镇达赉路9号"},
	{"badaguan", "陈巴尔虎旗八大关矿业有限公司", "", private, "150725", "内蒙古自治区呼伦贝尔市陈巴尔虎旗巴彦库仁镇八大关路5号"},
	{"xieertala", "呼伦贝尔谢尔塔拉矿业有限公司", "", private, "150702", "内蒙古自治区呼伦贝尔市海拉尔区谢尔塔拉镇工业园区"},
	{"deerbuer", "根河市得耳布尔有色金属矿业有限公司", "", private, "150785", "内蒙古自治区呼伦贝尔市根河市得耳布尔镇矿山路1号"},
	{"erdaohezi", "根河市二道河子矿业有限公司", "", private, "150785", "内蒙古自治区呼伦贝尔市根河市好里堡街道林海路27号"},
	{"biliya", "内蒙古根河比利亚矿业有限公司", "", other, "150785", "内蒙古自治区呼伦贝尔市根河市河西街道中央街40号"},
	{"jinyuan", "额尔古纳市金源矿业有限公司", "", private, "150784", "内蒙古自治区呼伦贝尔市额尔古纳市拉布大林街道黑山头路11号"},
	{"hongyuan", "鄂伦春自治旗宏源金矿有限公司", "", private, "150723", "内蒙古自治区呼伦贝尔市鄂伦春自治旗阿里河镇兴安路16号"},
	{"xingan", "扎兰屯市兴安矿业有限公司", "", private, "150783", "内蒙古自治区呼伦贝尔市扎兰屯市兴华街道布特哈大街52号"},
	{"jinfeng", "阿荣旗金峰矿业有限公司", "", private, "150721", "内蒙古自治区呼伦贝尔市阿荣旗那吉镇阿伦路14号"},
	{"hongda", "莫力达瓦达斡尔族自治旗宏达石材有限公司", "", private, "150722", "内蒙古自治区呼伦贝尔市莫力达瓦达斡尔族自治旗尼尔基镇纳文大街30号"},
	{"xinyuan", "牙克石市鑫源矿业有限公司", "", private, "150782", "内蒙古自治区呼伦贝尔市牙克石市新工街道林城路19号"},
	{"nuomenhan", "新巴尔虎左旗诺门罕萤石矿业有限公司", "", private, "150726", "内蒙古自治区呼伦贝尔市新巴尔虎左旗阿木古郎镇诺门罕路4号"},
	{"mengxi", "呼伦贝尔蒙西建材有限公司", "", private, "150702", "内蒙古自治区呼伦贝尔市海拉尔区建设街道巴彦托海路61号"},
}

// Mine kinds and statuses.
const (
	coalUG  = "coal_underground"
	coalOP  = "coal_openpit"
	metalUG = "metal_underground"
	metalOP = "metal_openpit"
	pond    = "tailings_pond"

	producing    = "producing"
	constructing = "constructing"
	suspended    = "suspended"
	halted       = "halted"
	closed       = "closed"
)

// mineSpec is one hand-written mine. cap and depth of 0 mean unknown.
// gas/hydro/burst/spont/grade are coal hazard classes and the
// standardisation grade; hydro applies to every mine except ponds.
type mineSpec struct {
	name, ent, region, kind, status string
	cap, depth                      float64
	lon, lat                        float64
	gas, hydro, burst, spont        string
	grade                           string
	outsourced                      bool
	pond                            *pondSpec
}

// pondSpec describes a tailings pond: current and final total capacity
// (万m³) and dam height (m), construction method, wet or dry stacking,
// 头顶库 flag, distance to the nearest downstream residents or facilities (m,
// 0 = not recorded) and state.
type pondSpec struct {
	v, vFinal, h, hFinal float64
	method               string
	wet, headTop         bool
	downstreamM          float64
	state                string
}

// coalSpecs: 38 coal mines. Capacities in Mt/a, depths in m.
var coalSpecs = []mineSpec{
	// 扎赉诺尔矿区 (扎赉诺尔区)
	{name: "灵东煤矿", ent: "zhamei", region: "150703", kind: coalUG, status: producing, cap: 5.0, depth: 430, lon: 117.7836, lat: 49.4412, gas: "low", hydro: "complex", burst: "weak", spont: "easy", grade: "grade1"},
	{name: "灵泉煤矿", ent: "zhamei", region: "150703", kind: coalUG, status: producing, cap: 3.0, depth: 380, lon: 117.6592, lat: 49.4687, gas: "low", hydro: "complex", burst: "none", spont: "easy", grade: "grade2"},
	{name: "铁北煤矿", ent: "zhamei", region: "150703", kind: coalUG, status: producing, cap: 2.4, depth: 460, lon: 117.7218, lat: 49.5203, gas: "low", hydro: "very_complex", burst: "weak", spont: "easy", grade: "grade2"},
	{name: "灵露煤矿", ent: "zhamei", region: "150703", kind: coalUG, status: producing, cap: 1.2, depth: 310, lon: 117.6315, lat: 49.4451, gas: "low", hydro: "complex", burst: "none", spont: "prone", grade: "grade2"},
	{name: "扎赉诺尔露天矿", ent: "zhamei", region: "150703", kind: coalOP, status: closed, cap: 1.0, depth: 200, lon: 117.7046, lat: 49.4739, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "none"},
	{name: "扎赉诺尔区西山煤矿", ent: "xishan", region: "150703", kind: coalUG, status: suspended, cap: 0.45, depth: 260, lon: 117.6124, lat: 49.5018, gas: "low", hydro: "complex", burst: "none", spont: "easy", grade: "grade3"},
	{name: "扎赉诺尔区宏达煤矿", ent: "xishan", region: "150703", kind: coalUG, status: halted, cap: 0.3, depth: 230, lon: 117.8174, lat: 49.4893, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade3"},
	{name: "扎赉诺尔区北山露天煤矿", ent: "xishan", region: "150703", kind: coalOP, status: closed, cap: 0.6, depth: 85, lon: 117.6897, lat: 49.5316, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "none"},
	{name: "达赉湖露天煤矿", ent: "hlbcoal", region: "150703", kind: coalOP, status: producing, cap: 1.5, depth: 120, lon: 117.7562, lat: 49.4065, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	// 满洲里市
	{name: "满洲里市东湖露天煤矿", ent: "donghu", region: "150781", kind: coalOP, status: producing, cap: 1.2, depth: 95, lon: 117.5231, lat: 49.6124, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	{name: "满洲里市新开河煤矿", ent: "donghu", region: "150781", kind: coalUG, status: producing, cap: 0.6, depth: 240, lon: 117.3762, lat: 49.6358, gas: "low", hydro: "medium", burst: "none", spont: "prone", grade: "grade2"},
	{name: "满洲里市察汗彦煤矿", ent: "donghu", region: "150781", kind: coalUG, status: halted, cap: 0.3, depth: 190, lon: 117.5736, lat: 49.6427, gas: "low", hydro: "medium", burst: "none", spont: "prone", grade: "grade3"},
	// 陈巴尔虎旗: 宝日希勒, 东明 and others
	{name: "宝日希勒露天煤矿", ent: "baorixile", region: "150725", kind: coalOP, status: producing, cap: 35, depth: 150, lon: 119.7325, lat: 49.3617, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade1", outsourced: true},
	{name: "东明露天煤矿", ent: "dongming", region: "150725", kind: coalOP, status: producing, cap: 10, depth: 130, lon: 119.5916, lat: 49.4182, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	{name: "巴彦哈达露天煤矿", ent: "spic", region: "150725", kind: coalOP, status: constructing, cap: 4.0, depth: 60, lon: 119.3468, lat: 49.4875, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "none", outsourced: true},
	{name: "赫尔洪得煤矿", ent: "spic", region: "150725", kind: coalUG, status: producing, cap: 1.2, depth: 280, lon: 119.2583, lat: 49.3954, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2"},
	{name: "陈巴尔虎旗天顺煤矿", ent: "tianshun", region: "150725", kind: coalUG, status: producing, cap: 0.9, depth: 210, lon: 119.4987, lat: 49.2678, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2"},
	{name: "陈巴尔虎旗西胜煤矿", ent: "tianshun", region: "150725", kind: coalUG, status: halted, cap: 0.3, depth: 170, lon: 119.5732, lat: 49.2961, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade3"},
	{name: "胡列也吐露天煤矿", ent: "tianshun", region: "150725", kind: coalOP, status: producing, cap: 5.0, depth: 80, lon: 119.1752, lat: 49.5436, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	// 鄂温克族自治旗: 伊敏, 敏东
	{name: "伊敏露天矿", ent: "yimin", region: "150724", kind: coalOP, status: producing, cap: 35, depth: 181, lon: 119.7208, lat: 48.5836, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade1"},
	{name: "敏东一矿", ent: "yimin", region: "150724", kind: coalUG, status: producing, cap: 5.0, depth: 520, lon: 119.8037, lat: 48.6612, gas: "low", hydro: "complex", burst: "strong", spont: "easy", grade: "grade2"},
	{name: "孟根楚鲁露天煤矿", ent: "spic", region: "150724", kind: coalOP, status: constructing, cap: 3.0, depth: 45, lon: 119.5428, lat: 48.7631, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "none", outsourced: true},
	{name: "锡尼河露天煤矿", ent: "hlbcoal", region: "150724", kind: coalOP, status: producing, cap: 3.0, depth: 110, lon: 119.6145, lat: 48.9087, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	{name: "鄂温克旗五牧场煤矿", ent: "wumuchang", region: "150724", kind: coalUG, status: producing, cap: 0.9, depth: 230, lon: 119.9214, lat: 48.9375, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2"},
	{name: "鄂温克旗伊敏河煤矿", ent: "wumuchang", region: "150724", kind: coalUG, status: suspended, cap: 0.45, depth: 200, lon: 119.7712, lat: 48.6248, gas: "low", hydro: "complex", burst: "none", spont: "easy", grade: "grade3"},
	{name: "鄂温克旗维纳河煤矿", ent: "wumuchang", region: "150724", kind: coalUG, status: producing, cap: 0.6, depth: 250, lon: 119.9863, lat: 48.4427, gas: "low", hydro: "medium", burst: "none", spont: "prone", grade: "grade2"},
	// 牙克石市: 大雁矿区 and 五九
	{name: "雁南煤矿", ent: "dayan", region: "150782", kind: coalUG, status: producing, cap: 1.8, depth: 350, lon: 120.3361, lat: 49.1682, gas: "low", hydro: "medium", burst: "weak", spont: "easy", grade: "grade2"},
	{name: "大雁二矿", ent: "dayan", region: "150782", kind: coalUG, status: producing, cap: 1.2, depth: 330, lon: 120.2817, lat: 49.2314, gas: "high", hydro: "medium", burst: "none", spont: "prone", grade: "grade2"},
	{name: "大雁三矿", ent: "dayan", region: "150782", kind: coalUG, status: suspended, cap: 0.9, depth: 300, lon: 120.3583, lat: 49.2476, gas: "low", hydro: "complex", burst: "none", spont: "easy", grade: "grade3"},
	{name: "扎尼河露天煤矿", ent: "dayan", region: "150782", kind: coalOP, status: producing, cap: 6.0, depth: 110, lon: 120.1628, lat: 49.3042, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	{name: "大雁一矿", ent: "dayan", region: "150782", kind: coalUG, status: closed, cap: 0.9, depth: 280, lon: 120.3047, lat: 49.2563, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "none"},
	{name: "雁北煤矿", ent: "dayan", region: "150782", kind: coalUG, status: constructing, cap: 2.4, depth: 410, lon: 120.2645, lat: 49.2891, gas: "low", hydro: "complex", burst: "weak", spont: "easy", grade: "none"},
	{name: "五九煤矿", ent: "wujiu", region: "150782", kind: coalUG, status: producing, cap: 1.5, depth: 320, lon: 120.4512, lat: 49.1936, gas: "high", hydro: "medium", burst: "none", spont: "prone", grade: "grade2"},
	{name: "牙克石市胜利煤矿", ent: "wujiu", region: "150782", kind: coalUG, status: producing, cap: 0.9, depth: 270, lon: 120.5174, lat: 49.2158, gas: "low", hydro: "simple", burst: "none", spont: "prone", grade: "grade3"},
	// 海拉尔区
	{name: "海拉尔区奋斗露天煤矿", ent: "hlbcoal", region: "150702", kind: coalOP, status: producing, cap: 1.8, depth: 90, lon: 119.8592, lat: 49.1834, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade2", outsourced: true},
	{name: "海拉尔区哈克煤矿", ent: "hlbcoal", region: "150702", kind: coalUG, status: halted, cap: 0.3, depth: 180, lon: 120.0546, lat: 49.2687, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade3"},
	// 新巴尔虎左旗
	{name: "甘珠尔露天煤矿", ent: "ganzhuer", region: "150726", kind: coalOP, status: producing, cap: 1.2, depth: 70, lon: 118.4237, lat: 48.3618, gas: "low", hydro: "simple", burst: "none", spont: "easy", grade: "grade3", outsourced: true},
	{name: "新巴尔虎左旗嵯岗煤矿", ent: "ganzhuer", region: "150726", kind: coalUG, status: producing, cap: 0.6, depth: 200, lon: 117.9645, lat: 49.0873, gas: "low", hydro: "medium", burst: "none", spont: "easy", grade: "grade2"},
}

// metalSpecs: 42 metal and non-metal mines. Capacities in t/d ore.
var metalSpecs = []mineSpec{
	// 新巴尔虎右旗
	{name: "乌努格吐山铜钼矿", ent: "zhongjin", region: "150727", kind: metalOP, status: producing, cap: 30000, depth: 260, lon: 117.2836, lat: 49.4103, hydro: "simple", grade: "grade1", outsourced: true},
	{name: "查干布拉根铅锌银矿", ent: "yishengyuan", region: "150727", kind: metalUG, status: producing, cap: 2000, depth: 420, lon: 116.4382, lat: 48.8167, hydro: "medium", grade: "grade2"},
	{name: "甲乌拉银铅锌矿", ent: "yishengyuan", region: "150727", kind: metalUG, status: producing, cap: 1500, depth: 500, lon: 116.3154, lat: 48.9276, hydro: "medium", grade: "grade2"},
	{name: "额仁陶勒盖银矿", ent: "chaganaobao", region: "150727", kind: metalUG, status: suspended, cap: 500, depth: 280, lon: 116.9683, lat: 48.4417, hydro: "simple", grade: "grade3"},
	{name: "查干敖包铁锌矿", ent: "chaganaobao", region: "150727", kind: metalOP, status: producing, cap: 1200, depth: 140, lon: 116.5816, lat: 48.5722, hydro: "simple", grade: "grade2", outsourced: true},
	{name: "阿拉坦额莫勒石灰石矿", ent: "chaganaobao", region: "150727", kind: metalOP, status: producing, cap: 600, depth: 40, lon: 116.8635, lat: 48.7048, hydro: "simple", grade: "grade3"},
	// 陈巴尔虎旗
	{name: "八大关铜钼矿", ent: "badaguan", region: "150725", kind: metalOP, status: producing, cap: 5000, depth: 180, lon: 118.9764, lat: 49.8531, hydro: "simple", grade: "grade2", outsourced: true},
	{name: "陈巴尔虎旗六一铁矿", ent: "badaguan", region: "150725", kind: metalUG, status: closed, cap: 300, depth: 220, lon: 119.0926, lat: 49.6813, hydro: "simple", grade: "none"},
	{name: "陈巴尔虎旗巴彦库仁建筑石料矿", ent: "mengxi", region: "150725", kind: metalOP, status: producing, cap: 800, depth: 35, lon: 119.4563, lat: 49.3512, hydro: "simple", grade: "grade3"},
	// 海拉尔区
	{name: "谢尔塔拉铁锌矿", ent: "xieertala", region: "150702", kind: metalUG, status: producing, cap: 1000, depth: 360, lon: 119.9918, lat: 49.4102, hydro: "medium", grade: "grade2"},
	{name: "海拉尔区哈克砖瓦用粘土矿", ent: "mengxi", region: "150702", kind: metalOP, status: producing, cap: 300, depth: 15, lon: 120.0927, lat: 49.2452, hydro: "simple", grade: "grade3"},
	// 鄂温克族自治旗
	{name: "鄂温克旗辉河石灰石矿", ent: "mengxi", region: "150724", kind: metalOP, status: producing, cap: 1500, depth: 50, lon: 119.3765, lat: 48.8459, hydro: "simple", grade: "grade3"},
	// 满洲里市
	{name: "满洲里市东山建筑石料矿", ent: "mengxi", region: "150781", kind: metalOP, status: suspended, cap: 500, depth: 30, lon: 117.4982, lat: 49.5617, hydro: "simple", grade: "grade3"},
	// 额尔古纳市
	{name: "额尔古纳市三河金矿", ent: "jinyuan", region: "150784", kind: metalUG, status: suspended, cap: 300, depth: 260, lon: 120.0412, lat: 50.4837, hydro: "medium", grade: "grade3"},
	{name: "额尔古纳市黑山头金矿", ent: "jinyuan", region: "150784", kind: metalOP, status: suspended, cap: 500, depth: 90, lon: 119.5367, lat: 50.2186, hydro: "simple", grade: "grade3"},
	{name: "额尔古纳市拉布大林建筑石料矿", ent: "jinyuan", region: "150784", kind: metalOP, status: producing, cap: 400, depth: 25, lon: 120.2351, lat: 50.2612, hydro: "simple", grade: "grade3"},
	{name: "得耳布尔二号铅锌矿", ent: "deerbuer", region: "150784", kind: metalUG, status: closed, cap: 400, depth: 300, lon: 120.6238, lat: 50.7541, hydro: "medium", grade: "none"},
	// 根河市
	{name: "得耳布尔铅锌矿", ent: "deerbuer", region: "150785", kind: metalUG, status: producing, cap: 1000, depth: 380, lon: 120.7684, lat: 50.9923, hydro: "medium", grade: "grade2"},
	{name: "二道河子铅锌矿", ent: "erdaohezi", region: "150785", kind: metalUG, status: producing, cap: 800, depth: 340, lon: 121.0437, lat: 51.0815, hydro: "medium", grade: "grade2"},
	{name: "根河市金河铅锌矿", ent: "erdaohezi", region: "150785", kind: metalUG, status: closed, cap: 200, depth: 180, lon: 121.4156, lat: 51.1842, hydro: "simple", grade: "none"},
	{name: "根河市好里堡建筑石料矿", ent: "erdaohezi", region: "150785", kind: metalOP, status: producing, cap: 300, depth: 20, lon: 121.6358, lat: 50.7612, hydro: "simple", grade: "grade3"},
	{name: "比利亚谷铅锌矿", ent: "biliya", region: "150785", kind: metalUG, status: producing, cap: 1500, depth: 450, lon: 121.2961, lat: 50.9378, hydro: "complex", grade: "grade2"},
	// 鄂伦春自治旗
	{name: "大杨树金矿", ent: "hongyuan", region: "150723", kind: metalUG, status: producing, cap: 500, depth: 320, lon: 124.5283, lat: 49.6314, hydro: "medium", grade: "grade2"},
	{name: "诺敏河金矿", ent: "hongyuan", region: "150723", kind: metalOP, status: producing, cap: 800, depth: 110, lon: 124.0163, lat: 49.4386, hydro: "simple", grade: "grade3", outsourced: true},
	{name: "鄂伦春自治旗吉文萤石矿", ent: "hongyuan", region: "150723", kind: metalUG, status: producing, cap: 200, depth: 210, lon: 123.4518, lat: 50.7214, hydro: "simple", grade: "grade3"},
	{name: "乌鲁布铁钼矿", ent: "dikuang", region: "150723", kind: metalOP, status: producing, cap: 3000, depth: 160, lon: 123.8847, lat: 49.9625, hydro: "simple", grade: "grade2", outsourced: true},
	{name: "鄂伦春自治旗古里金矿", ent: "dikuang", region: "150723", kind: metalUG, status: constructing, cap: 300, depth: 240, lon: 123.9842, lat: 50.8127, hydro: "medium", grade: "none"},
	// 扎兰屯市
	{name: "卧牛河钼矿", ent: "dikuang", region: "150783", kind: metalOP, status: producing, cap: 3000, depth: 150, lon: 122.3367, lat: 48.3154, hydro: "simple", grade: "grade2", outsourced: true},
	{name: "扎兰屯市蘑菇气铅锌矿", ent: "xingan", region: "150783", kind: metalUG, status: producing, cap: 600, depth: 280, lon: 122.4728, lat: 48.1436, hydro: "medium", grade: "grade3"},
	{name: "扎兰屯市浩饶山花岗岩矿", ent: "xingan", region: "150783", kind: metalOP, status: producing, cap: 200, depth: 30, lon: 122.8512, lat: 48.0627, hydro: "simple", grade: "grade3"},
	{name: "扎兰屯市成吉思汗石灰石矿", ent: "mengxi", region: "150783", kind: metalOP, status: producing, cap: 2000, depth: 60, lon: 122.9671, lat: 47.9843, hydro: "simple", grade: "grade2"},
	// 阿荣旗
	{name: "阿荣旗那吉金矿", ent: "jinfeng", region: "150721", kind: metalUG, status: suspended, cap: 200, depth: 220, lon: 123.3864, lat: 48.2541, hydro: "medium", grade: "grade3"},
	{name: "阿荣旗复兴石灰石矿", ent: "jinfeng", region: "150721", kind: metalOP, status: producing, cap: 1500, depth: 45, lon: 123.1682, lat: 48.2953, hydro: "simple", grade: "grade3"},
	{name: "阿荣旗查巴奇建筑用砂石矿", ent: "jinfeng", region: "150721", kind: metalOP, status: producing, cap: 800, depth: 12, lon: 123.2917, lat: 48.3708, hydro: "simple", grade: "none"},
	// 莫力达瓦达斡尔族自治旗
	{name: "尼尔基建筑石料矿", ent: "hongda", region: "150722", kind: metalOP, status: producing, cap: 600, depth: 28, lon: 124.4217, lat: 48.5283, hydro: "simple", grade: "grade3"},
	{name: "莫力达瓦达斡尔族自治旗腾克建筑用砂矿", ent: "hongda", region: "150722", kind: metalOP, status: suspended, cap: 500, depth: 10, lon: 124.3158, lat: 48.7526, hydro: "simple", grade: "none"},
	// 牙克石市
	{name: "牙克石市免渡河铁矿", ent: "xinyuan", region: "150782", kind: metalUG, status: suspended, cap: 600, depth: 250, lon: 120.9863, lat: 49.1672, hydro: "medium", grade: "grade3"},
	{name: "乌奴耳金矿", ent: "xinyuan", region: "150782", kind: metalUG, status: producing, cap: 500, depth: 300, lon: 121.5725, lat: 49.3784, hydro: "medium", grade: "grade2"},
	{name: "牙克石市博克图石灰石矿", ent: "xinyuan", region: "150782", kind: metalOP, status: producing, cap: 1000, depth: 55, lon: 121.9236, lat: 48.7691, hydro: "simple", grade: "grade3"},
	// 新巴尔虎左旗
	{name: "诺门罕萤石矿", ent: "nuomenhan", region: "150726", kind: metalUG, status: producing, cap: 300, depth: 200, lon: 118.0324, lat: 47.6912, hydro: "simple", grade: "grade3"},
	{name: "新巴尔虎左旗吉布胡郎图铁矿", ent: "nuomenhan", region: "150726", kind: metalOP, status: suspended, cap: 500, depth: 70, lon: 118.6142, lat: 47.8835, hydro: "simple", grade: "grade3"},
	{name: "阿木古郎建筑石料矿", ent: "nuomenhan", region: "150726", kind: metalOP, status: producing, cap: 300, depth: 20, lon: 118.3127, lat: 48.2476, hydro: "simple", grade: "grade3"},
}

// pondSpecs: 25 tailings ponds, each belonging to a metal mine's enterprise.
// Capacities and dam heights are chosen to give grades 2–5 under
// regulations.md §5.2; closed and cancelled ponds have final = current.
var pondSpecs = []mineSpec{
	{name: "乌努格吐山铜钼矿一期尾矿库", ent: "zhongjin", region: "150727", lon: 117.2518, lat: 49.3716, grade: "grade1", pond: &pondSpec{16500, 32000, 78, 120, "upstream", true, false, 6500, "operating"}},
	{name: "乌努格吐山铜钼矿二期尾矿库", ent: "zhongjin", region: "150727", lon: 117.3347, lat: 49.3589, grade: "grade2", pond: &pondSpec{4200, 26000, 42, 105, "centreline", true, false, 8200, "operating"}},
	{name: "查干布拉根铅锌银矿尾矿库", ent: "yishengyuan", region: "150727", lon: 116.4617, lat: 48.8024, grade: "grade2", pond: &pondSpec{620, 1450, 38, 62, "upstream", true, false, 4300, "operating"}},
	{name: "甲乌拉银铅锌矿尾矿库", ent: "yishengyuan", region: "150727", lon: 116.3381, lat: 48.9105, grade: "grade2", pond: &pondSpec{1280, 2300, 56, 78, "upstream", true, false, 3600, "operating"}},
	{name: "额仁陶勒盖银矿尾矿库", ent: "chaganaobao", region: "150727", lon: 116.9872, lat: 48.4283, grade: "grade3", pond: &pondSpec{85, 160, 24, 36, "upstream", true, false, 2500, "idle"}},
	{name: "八大关铜钼矿尾矿库", ent: "badaguan", region: "150725", lon: 118.9985, lat: 49.8367, grade: "grade2", pond: &pondSpec{2100, 6800, 48, 85, "downstream", true, false, 5200, "operating"}},
	{name: "谢尔塔拉铁锌矿尾矿库", ent: "xieertala", region: "150702", lon: 120.0123, lat: 49.3985, grade: "grade3", pond: &pondSpec{340, 520, 33, 45, "upstream", true, true, 650, "operating"}},
	{name: "得耳布尔铅锌矿尾矿库", ent: "deerbuer", region: "150785", lon: 120.7912, lat: 50.9786, grade: "grade2", pond: &pondSpec{410, 760, 36, 52, "upstream", true, false, 2100, "operating"}},
	{name: "得耳布尔二号铅锌矿尾矿库", ent: "deerbuer", region: "150784", lon: 120.6427, lat: 50.7418, grade: "none", pond: &pondSpec{95, 95, 22, 22, "upstream", true, false, 0, "closed"}},
	{name: "二道河子铅锌矿尾矿库", ent: "erdaohezi", region: "150785", lon: 121.0615, lat: 51.0692, grade: "grade3", pond: &pondSpec{260, 480, 28, 41, "upstream", true, false, 1800, "operating"}},
	{name: "比利亚谷铅锌矿尾矿库", ent: "biliya", region: "150785", lon: 121.3142, lat: 50.9247, grade: "grade2", pond: &pondSpec{730, 1120, 44, 64, "upstream", true, false, 3100, "operating"}},
	{name: "额尔古纳市三河金矿尾矿库", ent: "jinyuan", region: "150784", lon: 120.0586, lat: 50.4713, grade: "grade3", pond: &pondSpec{48, 75, 18, 26, "upstream", true, true, 420, "idle"}},
	{name: "诺敏河金矿尾矿库", ent: "hongyuan", region: "150723", lon: 124.0347, lat: 49.4251, grade: "grade3", pond: &pondSpec{150, 300, 26, 38, "upstream", false, false, 2700, "operating"}},
	{name: "乌鲁布铁钼矿尾矿库", ent: "dikuang", region: "150723", lon: 123.9063, lat: 49.9487, grade: "grade2", pond: &pondSpec{3100, 5600, 23, 40, "centreline", true, false, 7400, "operating"}},
	{name: "卧牛河钼矿尾矿库", ent: "dikuang", region: "150783", lon: 122.3584, lat: 48.3027, grade: "grade2", pond: &pondSpec{980, 1900, 61, 82, "upstream", true, false, 4600, "operating"}},
	{name: "牙克石市免渡河铁矿尾矿库", ent: "xinyuan", region: "150782", lon: 121.0078, lat: 49.1548, grade: "grade3", pond: &pondSpec{190, 330, 31, 40, "upstream", true, false, 1500, "idle"}},
	{name: "诺门罕萤石矿尾矿库", ent: "nuomenhan", region: "150726", lon: 118.0512, lat: 47.6784, grade: "grade3", pond: &pondSpec{30, 60, 15, 22, "upstream", false, false, 9800, "operating"}},
	{name: "查干敖包铁锌矿尾矿库", ent: "chaganaobao", region: "150727", lon: 116.6023, lat: 48.5617, grade: "grade2", pond: &pondSpec{560, 880, 40, 55, "upstream", true, false, 3900, "operating"}},
	{name: "额尔古纳市黑山头金矿尾矿库", ent: "jinyuan", region: "150784", lon: 119.5548, lat: 50.2043, grade: "none", pond: &pondSpec{70, 70, 27, 27, "upstream", true, false, 0, "closed"}},
	{name: "根河市金河铅锌矿尾矿库", ent: "erdaohezi", region: "150785", lon: 121.4337, lat: 51.1716, grade: "none", pond: &pondSpec{40, 40, 16, 16, "upstream", true, false, 0, "cancelled"}},
	{name: "大杨树金矿尾矿库", ent: "hongyuan", region: "150723", lon: 124.5471, lat: 49.6186, grade: "grade3", pond: &pondSpec{120, 260, 35, 48, "upstream", true, true, 850, "operating"}},
	{name: "陈巴尔虎旗六一铁矿尾矿库", ent: "badaguan", region: "150725", lon: 119.1108, lat: 49.6694, grade: "none", pond: &pondSpec{15, 15, 12, 12, "upstream", true, false, 1200, "closed"}},
	{name: "阿荣旗那吉金矿尾矿库", ent: "jinfeng", region: "150721", lon: 123.4043, lat: 48.2417, grade: "grade3", pond: &pondSpec{60, 140, 25, 32, "upstream", true, false, 1600, "idle"}},
	{name: "扎兰屯市蘑菇气铅锌矿尾矿库", ent: "xingan", region: "150783", lon: 122.4913, lat: 48.1318, grade: "grade3", pond: &pondSpec{210, 420, 29, 44, "downstream", true, false, 2300, "operating"}},
	{name: "乌奴耳金矿尾矿库", ent: "xinyuan", region: "150782", lon: 121.5917, lat: 49.3652, grade: "grade2", pond: &pondSpec{520, 980, 52, 68, "upstream", true, false, 2900, "operating"}},
}

package mtt

import (
	"slices"
	"strconv"
	"strings"
)

// The code tables below are data, copied from monitoring-formats.md §1.5
// (read in public implementations, not in the standard's text). Functions
// hand out copies so that no caller can change them for everybody.

// Status is 测点状态 (CDSS field 6), a bitmask: a point can be in alarm and
// power-cut at once (1|2 = 3). Zero is normal.
type Status int

// Status bits.
const (
	StatusNormal      Status = 0
	StatusAlarm       Status = 1
	StatusPowerCut    Status = 2
	StatusCalibration Status = 4
	StatusOverRange   Status = 8
	StatusStation     Status = 16
	StatusNoPatrol    Status = 32
	StatusPaused      Status = 64
	StatusSensorFault Status = 128
)

// StatusBit names one bit of Status (and the zero value, "normal").
type StatusBit struct {
	Bit    Status `json:"bit"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

var statusBits = []StatusBit{
	{StatusNormal, "正常", "normal"},
	{StatusAlarm, "报警", "alarm"},
	{StatusPowerCut, "断电", "power cut"},
	{StatusCalibration, "标校", "calibration"},
	{StatusOverRange, "超量程", "over range"},
	{StatusStation, "分站故障", "substation fault"},
	{StatusNoPatrol, "不巡检", "not polled"},
	{StatusPaused, "暂停", "paused"},
	{StatusSensorFault, "传感器故障", "sensor fault"},
}

// StatusBits answers the status table: 0 (normal) then each bit.
func StatusBits() []StatusBit { return slices.Clone(statusBits) }

// Has tells whether every bit of b is set in s.
func (s Status) Has(b Status) bool { return b != 0 && s&b == b }

// Bits answers the known bits set in s, or the "normal" row when s is 0.
func (s Status) Bits() []StatusBit {
	if s == 0 {
		return []StatusBit{statusBits[0]}
	}
	var out []StatusBit
	for _, b := range statusBits[1:] {
		if s.Has(b.Bit) {
			out = append(out, b)
		}
	}
	return out
}

// Unknown answers the bits of s that no table row names (a newer system or
// a wrong value), so callers can flag them instead of ignoring them.
func (s Status) Unknown() Status {
	known := Status(0)
	for _, b := range statusBits {
		known |= b.Bit
	}
	return s &^ known
}

// String lists the English names of the set bits, e.g. "alarm|power cut".
func (s Status) String() string {
	var names []string
	for _, b := range s.Bits() {
		names = append(names, b.NameEN)
	}
	if u := s.Unknown(); u != 0 {
		names = append(names, "unknown bits "+strconv.Itoa(int(u)))
	}
	return strings.Join(names, "|")
}

// Code is one row of a code table.
type Code struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

var abnormalTypes = []Code{
	{"001", "超限报警", "over-limit alarm"},
	{"002", "断电报警", "power-cut alarm"},
	{"003", "馈电异常", "feed (power-cut feedback) abnormal"},
	{"004", "传感器断线", "sensor disconnected"},
	{"005", "基站断电", "substation power failure"},
	{"006", "基站不通", "substation unreachable"},
	{"007", "标校", "calibration"},
	{"008", "超量程", "over range"},
	{"009", "超上限预警", "upper early warning"},
	{"010", "超下限预警", "lower early warning"},
}

// AbnormalTypes answers 异常类型 (YCBJ field 5), codes 001–010.
func AbnormalTypes() []Code { return slices.Clone(abnormalTypes) }

// AbnormalType looks up one 异常类型 code such as "001".
func AbnormalType(code string) (Code, bool) { return lookup(abnormalTypes, code) }

var stationRunStates = []Code{
	{"0", "通讯正常", "communicating"},
	{"1", "通讯中断", "communication lost"},
	{"2", "故障", "fault"},
	{"9", "未知", "unknown"},
}

// StationRunStates answers 分站运行状态 (FZSS field 2).
func StationRunStates() []Code { return slices.Clone(stationRunStates) }

// StationRunState looks up one 分站运行状态.
func StationRunState(n int) (Code, bool) { return lookup(stationRunStates, strconv.Itoa(n)) }

var stationPowerStates = []Code{
	{"1", "直流供电", "DC (battery) supply"},
	{"2", "交流供电", "AC mains supply"},
	{"9", "电源故障", "power-supply fault"},
	{"0", "未知", "unknown"},
}

// StationPowerStates answers 分站供电状态 (FZSS field 3).
func StationPowerStates() []Code { return slices.Clone(stationPowerStates) }

// StationPowerState looks up one 分站供电状态.
func StationPowerState(n int) (Code, bool) { return lookup(stationPowerStates, strconv.Itoa(n)) }

func lookup(table []Code, code string) (Code, bool) {
	for _, c := range table {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// SensorCode is one 传感器类型编码 (附录 B.2) seen in real deployments. The
// official table is not known here, so unknown 4-digit codes are accepted by
// Parse; this table only names the ones we can interpret.
type SensorCode struct {
	Code      string    `json:"code"`
	NameZH    string    `json:"name_zh"`
	NameEN    string    `json:"name_en"`
	ValueType ValueType `json:"value_type"`
	// Catalog is the key of the sensor type in package
	// internal/telemetry/catalog (kept as a string so that this parser does
	// not depend on the catalogue; a catalogue test checks both agree).
	Catalog string `json:"catalog"`
	// System notes codes that belong to another monitoring system than 安全监控.
	System string `json:"system,omitempty"`
}

var sensorCodes = []SensorCode{
	{"0001", "环境瓦斯(甲烷)", "methane", Analog, "methane", ""},
	{"0002", "风速", "air velocity", Analog, "wind_speed", ""},
	{"0003", "环境温度", "temperature", Analog, "temperature", ""},
	{"0004", "一氧化碳", "carbon monoxide", Analog, "co", ""},
	{"0006", "负压", "negative pressure", Analog, "negative_pressure", ""},
	{"0007", "水池水位", "sump water level", Analog, "water_level", ""},
	{"0012", "氧气", "oxygen", Analog, "o2", ""},
	{"0013", "二氧化碳", "carbon dioxide", Analog, "co2", ""},
	{"0014", "粉尘", "dust", Analog, "dust", ""},
	{"0018", "湿度", "humidity", Analog, "humidity", ""},
	{"0043", "激光甲烷", "laser methane", Analog, "laser_methane", ""},
	{"0502", "长观孔水位", "observation-borehole water level", Analog, "borehole_water_level", "防治水"},
	{"0503", "涌水量", "water inflow", Analog, "water_inflow", "防治水"},
	{"1002", "风门", "air door", Switch, "air_door", ""},
	{"1003", "风筒状态", "air-duct state", Switch, "air_duct", ""},
	{"1004", "设备开停", "equipment on/off", Switch, "equipment_state", ""},
	{"1008", "烟雾", "smoke", Switch, "smoke", ""},
	{"1009", "断电器", "power-cut relay", Switch, "power_switch", ""},
	{"1010", "主通风机", "main fan", Switch, "fan_state", ""},
	{"1011", "馈电器", "feed sensor", Switch, "feed_state", ""},
	{"1101", "工作面支架阻力", "support resistance", Analog, "support_resistance", "矿压"},
	{"1201", "钻孔应力", "borehole stress", Analog, "borehole_stress", "矿压"},
	{"1202", "围岩应力", "surrounding-rock stress", Analog, "ground_pressure", "矿压"},
	{"1301", "锚杆应力", "rock-bolt load", Analog, "bolt_load", "矿压"},
	{"1302", "锚索应力", "cable-bolt load", Analog, "cable_load", "矿压"},
	{"1401", "顶板离层位移", "roof separation", Analog, "roof_separation", "矿压"},
}

// SensorCodes answers the known sensor-type codes.
func SensorCodes() []SensorCode { return slices.Clone(sensorCodes) }

// SensorCodeInfo looks up one sensor-type code such as "0001".
func SensorCodeInfo(code string) (SensorCode, bool) {
	for _, c := range sensorCodes {
		if c.Code == code {
			return c, true
		}
	}
	return SensorCode{}, false
}

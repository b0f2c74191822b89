package mtt

import "time"

// File is one parsed exchange file. Exactly one of the record slices is
// filled, the one of Type.
type File struct {
	Name FileName `json:"name"`
	// Header is the first record, split and trimmed. Its first field is the
	// mine code (checked against Name.Mine); the rest varies by type and
	// system and is kept as sent. See MineName and UploadTime.
	Header []string `json:"header"`
	Type   string   `json:"type"` // = Name.Type

	CDDY []PointDef     `json:"cddy,omitempty"`
	CDSS []Sample       `json:"cdss,omitempty"`
	TJSJ []Stat         `json:"tjsj,omitempty"`
	YCBJ []Alarm        `json:"ycbj,omitempty"`
	FZDY []StationDef   `json:"fzdy,omitempty"`
	FZSS []StationState `json:"fzss,omitempty"`

	// Errors lists the records that were refused; the others are above.
	Errors []RecordError `json:"errors,omitempty"`
	// Encoding is the text encoding detected: "utf-8" or "gbk".
	Encoding string `json:"encoding"`
}

// Encodings reported in File.Encoding.
const (
	EncodingUTF8 = "utf-8"
	EncodingGBK  = "gbk" // decoded as GB18030, a superset of GBK and GB2312
)

// RecordError is one refused record.
type RecordError struct {
	Index  int    `json:"index"`  // 1-based number of the record after the header, blank records not counted
	Raw    string `json:"raw"`    // the record as sent (decoded and trimmed), shortened when very long
	Reason string `json:"reason"` // every problem found, "; "-separated, in English
}

// MineName answers 矿井名称, the second header field (CDDY and CDSS layouts).
func (f *File) MineName() string {
	if len(f.Header) > 1 {
		return f.Header[1]
	}
	return ""
}

// UploadTime answers 数据上传时间, the last header field of the CDDY
// (7 fields) and CDSS (3 fields) headers, when it is present and parses.
func (f *File) UploadTime() (time.Time, bool) {
	if len(f.Header) < 3 {
		return time.Time{}, false
	}
	t, err := parseTime(f.Header[len(f.Header)-1])
	return t, err == nil
}

// PointDef is a CDDY record, 测点基本信息 (24 fields). Thresholds and ranges
// are for MN points only and optional; the open/stop descriptions are for KG
// points only.
type PointDef struct {
	Point            string    `json:"point"`                        // 1 测点编码
	System           string    `json:"system"`                       // 2 系统编码
	Station          string    `json:"station"`                      // 3 分站编码
	SensorType       string    `json:"sensor_type"`                  // 4 传感器类型, 4 digits
	ValueType        ValueType `json:"value_type"`                   // 5 测点数值类型, MN or KG
	Unit             string    `json:"unit,omitempty"`               // 6 测点数值单位, required for MN
	RangeHigh        *float64  `json:"range_high,omitempty"`         // 7 高量程
	RangeLow         *float64  `json:"range_low,omitempty"`          // 8 低量程
	AlarmHigh        *float64  `json:"alarm_high,omitempty"`         // 9 上限报警门限
	AlarmHighReset   *float64  `json:"alarm_high_reset,omitempty"`   // 10 上限解报门限
	AlarmLow         *float64  `json:"alarm_low,omitempty"`          // 11 下限报警门限
	AlarmLowReset    *float64  `json:"alarm_low_reset,omitempty"`    // 12 下限解报门限
	PowerCutHigh     *float64  `json:"power_cut_high,omitempty"`     // 13 上限断电门限
	PowerRestoreHigh *float64  `json:"power_restore_high,omitempty"` // 14 上限复电门限
	PowerCutLow      *float64  `json:"power_cut_low,omitempty"`      // 15 下限断电门限
	PowerRestoreLow  *float64  `json:"power_restore_low,omitempty"`  // 16 下限复电门限
	OnText           string    `json:"on_text,omitempty"`            // 17 开描述
	OffText          string    `json:"off_text,omitempty"`           // 18 停描述
	Location         string    `json:"location"`                     // 19 测点安装位置
	X                *float64  `json:"x,omitempty"`                  // 20 CGCS2000
	Y                *float64  `json:"y,omitempty"`                  // 21
	Z                *float64  `json:"z,omitempty"`                  // 22
	Relation         string    `json:"relation,omitempty"`           // 23 传感器关联关系 (B.7, kept as sent)
	Time             time.Time `json:"time"`                         // 24 数据时间
}

// Sample is a CDSS record, 测点实时数据 (7 fields). For KG points the value
// is 0 or 1 and the unit is empty.
type Sample struct {
	Point      string    `json:"point"`          // 1 测点编码
	SensorName string    `json:"sensor_name"`    // 2 传感器类型名称
	Location   string    `json:"location"`       // 3 测点安装位置
	Value      float64   `json:"value"`          // 4 测点值
	Unit       string    `json:"unit,omitempty"` // 5 测点数值单位
	Status     Status    `json:"status"`         // 6 测点状态, bitmask
	Time       time.Time `json:"time"`           // 7 数据时间
}

// Stat is a TJSJ record, 统计数据 (12 fields).
type Stat struct {
	Point      string    `json:"point"`          // 1 测点编码
	SensorName string    `json:"sensor_name"`    // 2 传感器类型名称
	Location   string    `json:"location"`       // 3 测点安装位置
	Unit       string    `json:"unit,omitempty"` // 4 测点数值单位
	Start      time.Time `json:"start"`          // 5 开始时间
	End        time.Time `json:"end"`            // 6 结束时间
	Max        float64   `json:"max"`            // 7 最大值
	MaxTime    time.Time `json:"max_time"`       // 8 最大值时刻
	Min        float64   `json:"min"`            // 9 最小值
	MinTime    time.Time `json:"min_time"`       // 10 最小值时刻
	Avg        float64   `json:"avg"`            // 11 平均值
	Time       time.Time `json:"time"`           // 12 数据时间
}

// Alarm is a YCBJ record, 异常报警 (17 fields). End is nil while the
// abnormality lasts; the statistics and the entry fields may be empty.
type Alarm struct {
	Point      string     `json:"point"`                // 1 测点编码
	SensorName string     `json:"sensor_name"`          // 2 传感器类型名称
	Location   string     `json:"location"`             // 3 测点安装位置
	Unit       string     `json:"unit,omitempty"`       // 4 测点数值单位
	Type       string     `json:"type"`                 // 5 异常类型, 3 digits, see AbnormalType
	Start      time.Time  `json:"start"`                // 6 异常开始时间
	End        *time.Time `json:"end,omitempty"`        // 7 异常结束时间, nil = ongoing
	Max        *float64   `json:"max,omitempty"`        // 8 异常期间最大值
	MaxTime    *time.Time `json:"max_time,omitempty"`   // 9 最大值时刻
	Min        *float64   `json:"min,omitempty"`        // 10 异常期间最小值
	MinTime    *time.Time `json:"min_time,omitempty"`   // 11 最小值时刻
	Avg        *float64   `json:"avg,omitempty"`        // 12 异常期间平均值
	Cause      string     `json:"cause,omitempty"`      // 13 异常原因
	Measures   string     `json:"measures,omitempty"`   // 14 处理措施
	EnteredAt  *time.Time `json:"entered_at,omitempty"` // 15 录入时间
	EnteredBy  string     `json:"entered_by,omitempty"` // 16 录入人
	Time       time.Time  `json:"time"`                 // 17 数据时间
}

// Ongoing tells whether the abnormality has no end time yet.
func (a Alarm) Ongoing() bool { return a.End == nil }

// StationDef is an FZDY record, 分站基本信息 (4 or 5 fields).
type StationDef struct {
	Station  string   `json:"station"`     // 1 分站编码
	Location string   `json:"location"`    // 2 分站安装位置
	X        *float64 `json:"x,omitempty"` // 3
	Y        *float64 `json:"y,omitempty"` // 4
	Z        *float64 `json:"z,omitempty"` // 5, optional field
}

// StationState is an FZSS record, 分站实时状态 (4 fields). The states are
// kept as numbers; StationRunState and StationPowerState name them.
type StationState struct {
	Station    string    `json:"station"`     // 1 分站编码
	RunState   int       `json:"run_state"`   // 2 分站运行状态
	PowerState int       `json:"power_state"` // 3 分站供电状态
	Time       time.Time `json:"time"`        // 4 数据时间
}

// Package mtt reads and writes the national coal-mine monitoring exchange
// files of MT/T 1201 (煤矿感知数据联网接入规范, and the 2016 联网备查 files
// that share its syntax).
//
// A file is named {mine}_{TYPE}_{yyyyMMddHHmmss}.txt, where TYPE is one of
// CDDY (point definitions), CDSS (real-time values), TJSJ (statistics), YCBJ
// (abnormal alarms), FZDY (substation definitions) and FZSS (substation
// states). Its text is a header record followed by body records; fields are
// separated by ";", each record ends with "~", and the file ends with "||".
//
// Parse is deliberately split in two levels of failure, because an upload is
// either usable or not, while one bad line must not cost the mine the other
// thousand readings:
//
//   - whole-file problems (bad name, unknown type, no "||" terminator, a
//     header that does not name the mine of the file name) return an error
//     and no data, so a truncated upload is never half-processed;
//   - a bad record is reported in File.Errors with a reason the mine's
//     engineer can read, and the remaining records are still returned.
//
// The field layouts follow the domain notes (monitoring-formats.md §1.4),
// which was reconstructed from several independent public implementations,
// not from the standard's text. Validation therefore checks structure (the
// mine-code prefix, MN/KG, 4-digit type codes, parsable numbers and times)
// rather than exact lengths, which differ between real systems.
//
// Times in the files carry no zone and are China Standard Time (UTC+8, a
// fixed zone so that no tzdata is needed); every time returned is in UTC.
package mtt

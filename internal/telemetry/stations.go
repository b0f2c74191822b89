package telemetry

// StationCheck tells whether a mine's substation is down (from its FZSS
// reports); the file door provides it.
type StationCheck func(mineID int64, station string) bool

// SetStationCheck makes /mines/{id}/live mark the points of a substation
// that is down with status bit 16: their data is interrupted.
func (s *Service) SetStationCheck(fn StationCheck) { s.stationDown = fn }

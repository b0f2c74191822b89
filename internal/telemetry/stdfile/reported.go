package stdfile

import (
	"context"
	"time"
)

// ReportedAlarmsBetween answers the YCBJ abnormalities a mine reported that
// overlap [from, to), for the warnings' comparison with the platform's own
// alarms (the platform's own callers, unscoped).
func (d *Door) ReportedAlarmsBetween(ctx context.Context, mineID int64, from, to time.Time) ([]ReportedAlarm, error) {
	rows, err := d.db.Query(ctx, `SELECT `+alarmsList.cols+` FROM `+alarmsList.from+`
		WHERE mine_id = ? AND start_at < ? AND (end_at IS NULL OR end_at >= ?) ORDER BY start_at`, mineID, to.UTC(), from.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ReportedAlarm{}
	for rows.Next() {
		a, err := alarmsList.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

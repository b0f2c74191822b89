package alarm

import (
	"context"
	"fmt"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/rules"
	"minesafe/internal/store"
)

// escalate passes unacknowledged alarms up without waiting for new data:
// by default red after 5 minutes to the county regulator and after 15 to the
// city, orange after 15 and 60, yellow after 60 and 240; and reminds every 5
// minutes until someone acknowledges. Planned alarms and late ones that were
// already over do not escalate.
func (s *Service) escalate(ctx context.Context, now time.Time) error {
	rows, err := s.db.Query(ctx, `SELECT id, mine_id, current_level, level, opened_at, escalated_to, reminded_at, region_code
		FROM alarms WHERE state = 'open' AND planned = FALSE AND NOT (late = TRUE AND cleared_at IS NOT NULL)`)
	if err != nil {
		return err
	}
	type due struct {
		id, mine          int64
		level, to, region string
		age               time.Duration
		remind            bool
	}
	var todo []due
	for rows.Next() {
		var id, mine int64
		var cur, top, esc, region string
		var opened time.Time
		var reminded *time.Time
		if err := rows.Scan(&id, &mine, &cur, &top, &opened, &esc, &reminded, &region); err != nil {
			rows.Close()
			return err
		}
		e := s.set.Escalation[top]
		age := now.Sub(opened)
		d := due{id: id, mine: mine, level: top, region: region, age: age.Truncate(time.Second)}
		switch {
		case e.CityMin > 0 && age >= time.Duration(e.CityMin)*time.Minute && esc != "city":
			d.to = "city"
		case e.CountyMin > 0 && age >= time.Duration(e.CountyMin)*time.Minute && esc == "":
			d.to = "county"
		}
		last := opened
		if reminded != nil {
			last = *reminded
		}
		l, _ := rules.ParseLevel(top)
		d.remind = l >= rules.Yellow && now.Sub(last) >= time.Duration(s.set.ReminderMin)*time.Minute
		if d.to != "" || d.remind {
			todo = append(todo, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range todo {
		event := "remind"
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			m := s.mines[d.mine]
			e := events.New(auth.System, now, "alarm", d.id, "remind")
			e.MineID, e.RegionCode, e.EnterpriseID = &d.mine, d.region, &m.EnterpriseID
			if d.to != "" {
				event = "escalate"
				if _, err := tx.Exec(ctx, `UPDATE alarms SET escalated_to = ?, escalated_at = ?, reminded_at = ? WHERE id = ? AND state = 'open'`, d.to, now, now, d.id); err != nil {
					return err
				}
				e.Action = "escalate"
				e.Reason = fmt.Sprintf("%s alarm not acknowledged after %s: passed to the %s regulator", d.level, d.age, d.to)
				e = e.WithDetail(map[string]string{"to": d.to, "level": d.level})
			} else if _, err := tx.Exec(ctx, `UPDATE alarms SET reminded_at = ? WHERE id = ? AND state = 'open'`, now, d.id); err != nil {
				return err
			}
			if _, err := events.Append(ctx, tx, e); err != nil {
				return err
			}
			audience := d.to
			if audience == "" {
				audience = "mine"
			}
			_, err := tx.Exec(ctx, `INSERT INTO alarm_notifications (alarm_id, at, kind, audience, region_code) VALUES (?, ?, ?, ?, ?)`, d.id, now, event, audience, d.region)
			return err
		})
		if err != nil {
			return err
		}
		a, err := s.get(ctx, d.id)
		if err != nil {
			return err
		}
		s.tel.Hub().Publish("alarm", a.MineID, map[string]any{"event": event, "alarm": a, "to": d.to})
		s.hooks.enqueue(ctx, a, event)
	}
	return nil
}

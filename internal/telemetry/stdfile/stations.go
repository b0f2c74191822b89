package stdfile

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"minesafe/internal/events"
	"minesafe/internal/registry"
	"minesafe/internal/store"
	"minesafe/internal/telemetry/mtt"
)

// RunStateOK is the 分站运行状态 of a communicating substation (通讯正常);
// every other state (interrupted, fault, unknown) means its points' data is
// interrupted.
const RunStateOK = 0

// downCond selects the stations that are down (0 being RunStateOK).
const downCond = "run_state IS NOT NULL AND run_state <> 0"

// down tells whether a run state means the station is down.
func down(runState *int) bool { return runState != nil && *runState != RunStateOK }

// defineStations upserts the FZDY substations: location and coordinates,
// keeping any state FZSS set.
func (d *Door) defineStations(m registry.Mine, f *mtt.File, res *FileResult) stage {
	res.Accepted = len(f.FZDY)
	return stage{write: func(ctx context.Context, tx *store.Tx, fileID int64) error {
		for _, s := range f.FZDY {
			_, err := tx.Exec(ctx, `INSERT INTO stations (mine_id, code, location, x, y, z, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (mine_id, code) DO UPDATE SET location = excluded.location, x = excluded.x, y = excluded.y, z = excluded.z,
				updated_at = excluded.updated_at`,
				m.ID, s.Station, s.Location, s.X, s.Y, s.Z, res.ReceivedAt, res.ReceivedAt)
			if err != nil {
				return err
			}
		}
		return nil
	}}
}

// StationStatus is the `station_status` event of the stream, published
// when a substation goes down or comes back.
type StationStatus struct {
	MineID     int64     `json:"mine_id"`
	Station    string    `json:"station"`
	RunState   int       `json:"run_state"`
	PowerState int       `json:"power_state"`
	Down       bool      `json:"down"`
	Time       time.Time `json:"time"`
}

// stationStates sets the FZSS states. A station not yet defined by FZDY is
// created without a location. A state older than the stored one does not
// replace it (files can arrive out of order). Each change between up and
// down is an event, and is published on the stream after the commit.
func (d *Door) stationStates(up uploader, m registry.Mine, f *mtt.File, res *FileResult) stage {
	res.Accepted = len(f.FZSS)
	var changes []StationStatus
	write := func(ctx context.Context, tx *store.Tx, fileID int64) error {
		changes = changes[:0]
		for _, s := range f.FZSS {
			var prevRun *int
			var prevTime *time.Time
			err := tx.QueryRow(ctx, `SELECT run_state, state_time FROM stations WHERE mine_id = ? AND code = ?`, m.ID, s.Station).Scan(&prevRun, &prevTime)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			id, err := tx.Insert(ctx, `INSERT INTO stations (mine_id, code, run_state, power_state, state_time, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (mine_id, code) DO UPDATE SET run_state = excluded.run_state, power_state = excluded.power_state,
				state_time = excluded.state_time, updated_at = excluded.updated_at
				WHERE stations.state_time IS NULL OR stations.state_time <= excluded.state_time`,
				m.ID, s.Station, s.RunState, s.PowerState, s.Time, res.ReceivedAt, res.ReceivedAt)
			if errors.Is(err, sql.ErrNoRows) {
				continue // an older state than the stored one
			}
			if err != nil {
				return err
			}
			run := s.RunState
			if down(prevRun) == down(&run) {
				continue
			}
			st := StationStatus{MineID: m.ID, Station: s.Station, RunState: s.RunState, PowerState: s.PowerState, Down: down(&run), Time: s.Time}
			if err := stationEvent(ctx, tx, up, res, m, id, st); err != nil {
				return err
			}
			changes = append(changes, st)
		}
		return nil
	}
	after := func() {
		d.stations.drop(m.ID)
		for _, c := range changes {
			d.svc.Hub().Publish("station_status", m.ID, c)
		}
	}
	return stage{write: write, after: after}
}

// stationEvent records a station going down or coming back.
func stationEvent(ctx context.Context, tx *store.Tx, up uploader, res *FileResult, m registry.Mine, id int64, st StationStatus) error {
	from, to, action := "up", "down", "down"
	if !st.Down {
		from, to, action = "down", "up", "up"
	}
	run, _ := mtt.StationRunState(st.RunState)
	power, _ := mtt.StationPowerState(st.PowerState)
	ev := events.New(up.p, res.ReceivedAt, "station", id, action).WithDetail(map[string]any{
		"station": st.Station, "run_state": st.RunState, "power_state": st.PowerState, "time": st.Time, "file": res.File})
	ev.FromState, ev.ToState, ev.Reason = from, to, run.NameZH
	if power.NameZH != "" {
		ev.Reason += "; " + power.NameZH
	}
	ev.MineID, ev.RegionCode, ev.EnterpriseID = &m.ID, m.RegionCode, &m.EnterpriseID
	_, err := events.Append(ctx, tx, ev)
	return err
}

// stationCache keeps the down stations of each mine briefly, so that
// StationDown can be asked for every sample. A state written by this
// process drops the mine's entry at once; one written by another node is
// seen within stationCacheTTL.
type stationCache struct {
	mu sync.Mutex
	m  map[int64]downSet
}

type downSet struct {
	codes map[string]bool
	at    time.Time
}

const stationCacheTTL = 30 * time.Second

func (c *stationCache) drop(mineID int64) {
	c.mu.Lock()
	delete(c.m, mineID)
	c.mu.Unlock()
}

// StationDown tells whether a substation of a mine is down (its last FZSS
// run state is not 0, 通讯正常): the data of the points with that
// station_code is interrupted. A station with no reported state is not
// down. When the state cannot be read, the answer is false and the fault is
// logged: a monitoring gap is better flagged by the data than guessed here.
func (d *Door) StationDown(mineID int64, stationCode string) bool {
	// The wall clock, not d.clk: this is how old the cached copy is, not
	// a time of the domain.
	now := time.Now()
	d.stations.mu.Lock()
	set, ok := d.stations.m[mineID]
	d.stations.mu.Unlock()
	if !ok || now.Sub(set.at) >= stationCacheTTL {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		codes, err := d.downStations(ctx, mineID)
		if err != nil {
			d.log.Error("read station states", "mine_id", mineID, "err", err)
			return false
		}
		set = downSet{codes: codes, at: now}
		d.stations.mu.Lock()
		d.stations.m[mineID] = set
		d.stations.mu.Unlock()
	}
	return set.codes[stationCode]
}

func (d *Door) downStations(ctx context.Context, mineID int64) (map[string]bool, error) {
	rows, err := d.db.Query(ctx, `SELECT code FROM stations WHERE mine_id = ? AND `+downCond, mineID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out[code] = true
	}
	return out, rows.Err()
}

package tsdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"minesafe/internal/store"
	"minesafe/internal/telemetry"
)

// Options tune the store; zero values take the defaults.
type Options struct {
	// ChunkSamples: a point's chunk closes after the minute that holds its
	// ChunkSamples-th sample (default 120; see docs/storage.md).
	ChunkSamples int
	// MaxSpan is the longest time one chunk covers, whole minutes (default
	// 12 h): it closes the chunks of slow points and bounds how far before
	// a query's start the chunk holding it can begin.
	MaxSpan time.Duration
	// Settle: a point that sent nothing for this long (wall clock) has its
	// open chunk closed, so a silent point's samples leave staging (default 1 h).
	Settle time.Duration
	// Retention keeps raw samples at least this long (default two years; a
	// negative value keeps them forever). Minute aggregates outlive them.
	Retention time.Duration
	// MinuteRetention keeps minute aggregates at least this long (default
	// and ≤ 0: forever).
	MinuteRetention time.Duration
	CompactEvery    time.Duration // background compaction period (default 2 s)
	// RetainEvery is the retention period of Run (default 24 h; negative:
	// Run never applies retention, e.g. on every node but one).
	RetainEvery time.Duration
	// Shard names the owner of the staged rows. In a cluster each owner of
	// a mine partition runs its own Store with its own Shard; see the
	// package doc.
	Shard int
	Now   func() time.Time
	Log   *slog.Logger
}

func (o *Options) defaults() error {
	if o.ChunkSamples <= 0 {
		o.ChunkSamples = 120
	}
	if o.MaxSpan <= 0 {
		o.MaxSpan = 12 * time.Hour
	}
	if o.MaxSpan%time.Minute != 0 || o.MaxSpan > 31*24*time.Hour {
		return fmt.Errorf("tsdb: MaxSpan %v must be whole minutes, at most 31 days", o.MaxSpan)
	}
	if o.Settle <= 0 {
		o.Settle = time.Hour
	}
	if o.Retention == 0 {
		o.Retention = 2 * 365 * 24 * time.Hour
	}
	if o.CompactEvery <= 0 {
		o.CompactEvery = 2 * time.Second
	}
	if o.RetainEvery == 0 {
		o.RetainEvery = 24 * time.Hour
	}
	if o.MinuteRetention > 0 && o.Retention > 0 && o.MinuteRetention < o.Retention {
		return fmt.Errorf("tsdb: MinuteRetention %v is shorter than Retention %v", o.MinuteRetention, o.Retention)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return nil
}

// Store is the time-series SampleStore. See the package doc for the design.
type Store struct {
	db  *store.DB
	opt Options
	log *slog.Logger

	// appendMu makes an Append's duplicate check, staging insert and head
	// update one step, so two Appends never both take the same sample.
	appendMu sync.Mutex
	asc      scratch // Append's encoder buffers
	gen      uint64  // Append number, for the per-batch high-water mark

	// compactMu lets one compaction step, checkpoint or retention run at a
	// time; it also guards what only they touch.
	compactMu sync.Mutex
	csc       scratch
	cursor    int            // where the next compaction step starts in active
	months    map[int64]bool // PostgreSQL: partitions known to exist

	// mu guards the head: short holds only, never across database calls.
	mu      sync.Mutex
	series  map[int64]*series
	active  []*series // series with staged samples (and some emptied since)
	slots   []slotInfo
	free    []uint32
	live    int64 // staged samples not yet in chunks: the head
	dead    int64 // staged samples already in chunks, in rows kept for the others
	horizon int64 // raw samples before it are gone (retention); compaction drops late ones
	stats   Stats
	spent   []int64 // staging rows recovery found wholly in chunks, to delete
	// kick wakes Run early once a step's worth was staged since its last
	// pass (kickAt): under a burst the staging log stays small.
	kick   chan struct{}
	kickAt int64

	runMu   sync.Mutex
	runStop context.CancelFunc
	runDone chan struct{}

	// checkpointMin is the fewest dead staged samples worth a checkpoint.
	checkpointMin int64
	// hook, when set (tests), runs inside each compaction transaction
	// before it commits.
	hook func()
}

var _ telemetry.SampleStore = (*Store)(nil)

// Stats are counters of the store's work since Open, for metrics.
type Stats struct {
	Staged      int64 // samples staged now (not yet in chunks)
	Compacted   int64 // samples moved into chunks
	Late        int64 // of them, merged into existing chunks
	Dropped     int64 // late samples older than the raw retention, dropped
	Checkpoints int64 // staging rewrites
}

// Stats answers the counters.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Staged = s.live
	return st
}

// headSample is a staged sample of a series and the staging row (slot) it
// came in.
type headSample struct {
	Sample
	slot uint32
}

// series is one point's state: its staged samples (sorted by time), where
// its chunks end and its newest sample.
type series struct {
	id   int64
	head []headSample
	// sealedTo: every sample in chunks lies before it (a minute boundary);
	// head samples before it are late and merge into existing chunks.
	sealedTo int64
	last     Sample // newest sample stored anywhere, when hasLast
	hasLast  bool
	arrived  time.Time // when its newest staged sample came
	active   bool      // listed in Store.active
	batchHW  int64     // newest time taken by the Append numbered batchGen
	batchGen uint64
}

// slotInfo is one staging row as the head knows it.
type slotInfo struct {
	id      int64 // tsdb_staged.id, 0 when the slot is free
	n       int   // samples in the row
	pending int   // of them still in the head
}

const (
	noTime = math.MinInt64
	// maxStagedBlock bounds the samples of one staging row.
	maxStagedBlock = 1 << 16
)

// Open opens the store on a migrated database and rebuilds the head from
// the staging log: the samples accepted but not yet in chunks.
func Open(db *store.DB, opt Options) (*Store, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	s := &Store{db: db, opt: opt, log: opt.Log.With("component", "tsdb"), series: map[int64]*series{},
		months: map[int64]bool{}, horizon: noTime, checkpointMin: 100_000, kick: make(chan struct{}, 1)}
	ctx := context.Background()
	var err error
	if s.horizon, err = getMeta(ctx, db, "raw_horizon"); err != nil {
		return nil, fmt.Errorf("tsdb: read horizon (is migration 0005 applied?): %w", err)
	}
	if db.Dialect == store.Postgres {
		if err := s.loadPartitions(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.recover(ctx); err != nil {
		return nil, fmt.Errorf("tsdb: recover staged samples: %w", err)
	}
	return s, nil
}

// staged is one sample read back from the staging log.
type staged struct {
	point int64
	headSample
}

// byPointTime orders staged samples by point, then time.
func byPointTime(a, b staged) int {
	if a.point != b.point {
		return cmpInt(a.point, b.point)
	}
	return cmpInt(a.T, b.T)
}

// recover rebuilds the head from the staging rows of this shard. A row can
// hold samples that already went into chunks (its other samples kept it);
// those are recognised in the chunks and left out.
func (s *Store) recover(ctx context.Context) error {
	rows, err := s.db.Query(ctx, `SELECT id, data FROM tsdb_staged WHERE shard = ? ORDER BY id`, s.opt.Shard)
	if err != nil {
		return err
	}
	var all []staged
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			rows.Close()
			return err
		}
		pts, smp, err := decodeBlock(data)
		if err != nil {
			rows.Close()
			return fmt.Errorf("staged row %d: %w", id, err)
		}
		slot := s.newSlot(id, len(smp))
		s.slots[slot].pending = 0
		for i := range smp {
			all = append(all, staged{pts[i], headSample{smp[i], slot}})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortStableFunc(all, byPointTime)
	var ids []int64
	for i := range all {
		if i == 0 || all[i].point != all[i-1].point {
			ids = append(ids, all[i].point)
		}
	}
	if err := s.load(ctx, ids); err != nil {
		return err
	}
	now := s.opt.Now()
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].point == all[i].point {
			j++
		}
		se := s.series[all[i].point]
		run := all[i:j]
		i = j
		// Samples below sealedTo may be in chunks already.
		var inChunks map[int64]bool
		if run[0].T < se.sealedTo {
			hi := run[0].T
			for _, x := range run {
				if x.T < se.sealedTo {
					hi = x.T
				}
			}
			got, err := s.chunkSamples(ctx, s.db, se.id, run[0].T, hi)
			if err != nil {
				return err
			}
			inChunks = make(map[int64]bool, len(got))
			for _, c := range got {
				inChunks[c.T] = true
			}
		}
		for k, x := range run {
			if inChunks[x.T] || (k > 0 && run[k-1].T == x.T) {
				continue
			}
			se.head = append(se.head, x.headSample)
			s.slots[x.slot].pending++
			s.live++
			if !se.hasLast || x.T > se.last.T {
				se.last, se.hasLast = x.Sample, true
			}
		}
		if len(se.head) > 0 {
			se.arrived = now
			se.active = true
			s.active = append(s.active, se)
		}
	}
	// Rows whose every sample is in chunks go with the next compaction
	// step (Open itself only reads); the others count what they hold
	// twice, for the checkpoint.
	for i := range s.slots {
		sl := &s.slots[i]
		if sl.pending == 0 {
			s.spent = append(s.spent, sl.id)
			s.freeSlot(uint32(i))
			continue
		}
		s.dead += int64(sl.n - sl.pending)
	}
	return nil
}

func (s *Store) newSlot(id int64, n int) uint32 {
	info := slotInfo{id: id, n: n, pending: n}
	if k := len(s.free); k > 0 {
		slot := s.free[k-1]
		s.free = s.free[:k-1]
		s.slots[slot] = info
		return slot
	}
	s.slots = append(s.slots, info)
	return uint32(len(s.slots) - 1)
}

func (s *Store) freeSlot(slot uint32) {
	s.slots[slot] = slotInfo{}
	s.free = append(s.free, slot)
}

// load makes sure the series of ids are known: where their chunks end and
// their newest sample, read from each one's newest chunk.
func (s *Store) load(ctx context.Context, ids []int64) error {
	s.mu.Lock()
	var missing []int64
	var seen map[int64]bool
	for _, id := range ids {
		if _, ok := s.series[id]; !ok && !seen[id] {
			if seen == nil {
				seen = map[int64]bool{}
			}
			seen[id] = true
			missing = append(missing, id)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	lasts, err := s.newestChunks(ctx, missing)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range missing {
		if _, ok := s.series[id]; ok {
			continue // loaded meanwhile (a query and an Append)
		}
		se := &series{id: id, sealedTo: noTime}
		if c, ok := lasts[id]; ok {
			se.last, se.hasLast = c, true
			se.sealedTo = satAdd(floorMinute(c.T), minuteMS)
		}
		s.series[id] = se
	}
	return nil
}

// newestChunks answers the newest sample in chunks of each point that has
// chunks. Each point's newest chunk is one index probe; a UNION ALL of them
// keeps both planners from scanning a point's other chunks.
func (s *Store) newestChunks(ctx context.Context, ids []int64) (map[int64]Sample, error) {
	out := make(map[int64]Sample, len(ids))
	const per = 100
	for start := 0; start < len(ids); start += per {
		part := ids[start:min(start+per, len(ids))]
		q := ""
		args := make([]any, len(part))
		for i, id := range part {
			if i > 0 {
				q += " UNION ALL "
			}
			q += fmt.Sprintf(`SELECT * FROM (SELECT point_id, data FROM tsdb_chunks WHERE point_id = ? ORDER BY t0 DESC LIMIT 1) AS c%d`, i)
			args[i] = id
		}
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		var buf []Sample
		for rows.Next() {
			var id int64
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return nil, err
			}
			buf, err = appendDecoded(buf[:0], data)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("chunk of point %d: %w", id, err)
			}
			if len(buf) > 0 {
				out[id] = buf[len(buf)-1]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// The chunks of a point that may hold samples in [lo, hi]: from the newest
// one starting at or before lo (it may reach past lo), bounded below by
// MaxSpan as well so that PostgreSQL prunes partitions at planning.
const chunksFromSQL = ` FROM tsdb_chunks WHERE point_id = ? AND t0 <= ? AND t0 > ?
	AND t0 >= COALESCE((SELECT MAX(t0) FROM tsdb_chunks WHERE point_id = ? AND t0 <= ?), ?)`

func (s *Store) chunksArgs(point, lo, hi int64) []any {
	return []any{point, hi, satAdd(lo, -s.opt.MaxSpan.Milliseconds()), point, lo, lo}
}

// chunkSamples answers the samples in chunks of point in [lo, hi].
func (s *Store) chunkSamples(ctx context.Context, q querier, point, lo, hi int64) ([]Sample, error) {
	rows, err := q.Query(ctx, `SELECT data`+chunksFromSQL+` ORDER BY t0`, s.chunksArgs(point, lo, hi)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if out, err = appendDecoded(out, data); err != nil {
			return nil, fmt.Errorf("chunk of point %d: %w", point, err)
		}
	}
	return out, rows.Err()
}

// querier is a *store.DB or a *store.Tx.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// satAdd adds without wrapping past the ends of int64.
func satAdd(a, b int64) int64 {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return c
}

// Sample times must lie in years 0–9999, all that RFC 3339 can say: the
// PostgreSQL partitions are named by calendar month.
var (
	minTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

// ErrTimeRange answers a sample time outside years 0–9999.
var ErrTimeRange = errors.New("tsdb: sample time outside years 0–9999")

// Sample classes of an Append.
const (
	classFresh = iota
	classDup
	classAskChunks // older than the point's chunk end and not staged: look in the chunks
)

type sampleKey struct{ point, t int64 }

// Append stores samples durably: it answers when the staging row holding
// them is committed. A sample whose point and time are stored already
// (staged, in chunks or earlier in samples) is reported with the value that
// stays. Only samples not newer than their point's newest stored time are
// checked; a sample older than the point's chunks' end costs a chunk read.
func (s *Store) Append(ctx context.Context, in []telemetry.Sample) ([]telemetry.Duplicate, error) {
	if len(in) == 0 {
		return nil, nil
	}
	ts := make([]int64, len(in))
	ids := make([]int64, len(in))
	for i, x := range in {
		ts[i], ids[i] = x.Time.UnixMilli(), x.PointID
		if ts[i] < minTime || ts[i] >= maxTime {
			return nil, fmt.Errorf("%w: %s", ErrTimeRange, x.Time)
		}
	}
	s.appendMu.Lock()
	defer s.appendMu.Unlock()
	if err := s.load(ctx, ids); err != nil {
		return nil, err
	}
	class, dups, batch := s.classify(in, ts)
	if batch != nil {
		more, err := s.askChunks(ctx, in, ts, class, batch)
		if err != nil {
			return nil, err
		}
		dups = append(dups, more...)
		sort.Slice(dups, func(i, j int) bool { return dups[i].Index < dups[j].Index })
	}
	var pts []int64
	var smp []Sample
	for i, c := range class {
		if c == classFresh {
			pts = append(pts, in[i].PointID)
			smp = append(smp, Sample{T: ts[i], V: in[i].Value, Status: int64(in[i].Status)})
		}
	}
	if len(smp) == 0 {
		return dups, nil
	}
	now := s.opt.Now()
	// Once begun, the write runs to its end (like a queued Writer job): a
	// commit that the caller never learnt of would be a staged row the head
	// does not know.
	rowIDs, err := s.stage(context.WithoutCancel(ctx), pts, smp, now)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	for b, id := range rowIDs {
		lo, hi := b*maxStagedBlock, min((b+1)*maxStagedBlock, len(smp))
		slot := s.newSlot(id, hi-lo)
		for i := lo; i < hi; i++ {
			s.series[pts[i]].add(headSample{smp[i], slot}, now)
		}
		s.live += int64(hi - lo)
	}
	for _, id := range pts {
		if se := s.series[id]; !se.active {
			se.active = true
			s.active = append(s.active, se)
		}
	}
	wake := s.live-s.kickAt >= stepBudget
	s.mu.Unlock()
	if wake {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return dups, nil
}

// classify sorts the samples into fresh, duplicates and those to look up
// in the chunks. The fast path is a comparison with the point's newest
// time; the batch map of fresh samples is built only once a sample is not
// newer than that (a resend, a back-fill, a repeat in the batch).
func (s *Store) classify(in []telemetry.Sample, ts []int64) ([]uint8, []telemetry.Duplicate, map[sampleKey]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	class := make([]uint8, len(in))
	var dups []telemetry.Duplicate
	var batch map[sampleKey]int
	for i, x := range in {
		se, t := s.series[x.PointID], ts[i]
		newest, known := se.last.T, se.hasLast
		if se.batchGen == s.gen && (!known || se.batchHW > newest) {
			newest, known = se.batchHW, true
		}
		if !known || t > newest {
			se.batchHW, se.batchGen = t, s.gen
			if batch != nil {
				batch[sampleKey{x.PointID, t}] = i
			}
			continue
		}
		if batch == nil {
			batch = make(map[sampleKey]int)
			for j := 0; j < i; j++ {
				if class[j] == classFresh {
					batch[sampleKey{in[j].PointID, ts[j]}] = j
				}
			}
		}
		k := sampleKey{x.PointID, t}
		if j, ok := batch[k]; ok {
			class[i] = classDup
			dups = append(dups, telemetry.Duplicate{Index: i, Existing: in[j].Value})
		} else if h, ok := se.find(t); ok {
			class[i] = classDup
			dups = append(dups, telemetry.Duplicate{Index: i, Existing: h.V})
		} else if t < se.sealedTo {
			class[i] = classAskChunks
		} else {
			batch[k] = i
		}
	}
	return class, dups, batch
}

// askChunks settles the samples classify could not: those present in the
// chunks are duplicates, the rest fresh (the first of a repeat in order).
// Chunks are read without mu: appendMu keeps these samples out of the head,
// and compaction only moves samples from the head into chunks.
func (s *Store) askChunks(ctx context.Context, in []telemetry.Sample, ts []int64, class []uint8, batch map[sampleKey]int) ([]telemetry.Duplicate, error) {
	span := map[int64][2]int64{}
	for i, c := range class {
		if c != classAskChunks {
			continue
		}
		p := in[i].PointID
		r, ok := span[p]
		if !ok {
			r = [2]int64{ts[i], ts[i]}
		}
		span[p] = [2]int64{min(r[0], ts[i]), max(r[1], ts[i])}
	}
	stored := map[sampleKey]float64{}
	for p, r := range span {
		got, err := s.chunkSamples(ctx, s.db, p, r[0], r[1])
		if err != nil {
			return nil, err
		}
		for _, c := range got {
			stored[sampleKey{p, c.T}] = c.V
		}
	}
	var dups []telemetry.Duplicate
	for i, c := range class {
		if c != classAskChunks {
			continue
		}
		k := sampleKey{in[i].PointID, ts[i]}
		if v, ok := stored[k]; ok {
			class[i] = classDup
			dups = append(dups, telemetry.Duplicate{Index: i, Existing: v})
		} else if j, ok := batch[k]; ok && j < i {
			class[i] = classDup
			dups = append(dups, telemetry.Duplicate{Index: i, Existing: in[j].Value})
		} else {
			class[i] = classFresh
			batch[k] = i
		}
	}
	return dups, nil
}

// stage writes the samples to the staging log, maxStagedBlock to a row,
// in one transaction, and answers the row ids.
func (s *Store) stage(ctx context.Context, pts []int64, smp []Sample, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, 1+len(smp)/maxStagedBlock)
	insert := func(ins func(ctx context.Context, query string, args ...any) *sql.Row) error {
		for lo := 0; lo < len(smp); lo += maxStagedBlock {
			hi := min(lo+maxStagedBlock, len(smp))
			block := appendBlock(s.asc.block[:0], pts[lo:hi], smp[lo:hi], &s.asc)
			s.asc.block = block
			var id int64
			if err := ins(ctx, insertStaged, s.opt.Shard, hi-lo, now.UTC(), block).Scan(&id); err != nil {
				return fmt.Errorf("tsdb: stage samples: %w", err)
			}
			ids = append(ids, id)
		}
		return nil
	}
	if len(smp) <= maxStagedBlock {
		// One statement commits by itself: no BEGIN/COMMIT round trips.
		return ids, insert(s.db.QueryRow)
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error { return insert(tx.QueryRow) })
	return ids, err
}

// add puts a staged sample into the head, in time order.
func (se *series) add(h headSample, now time.Time) {
	n := len(se.head)
	if n == 0 || se.head[n-1].T < h.T {
		se.head = append(se.head, h)
	} else {
		i := sort.Search(n, func(i int) bool { return se.head[i].T >= h.T })
		se.head = slices.Insert(se.head, i, h)
	}
	if !se.hasLast || h.T > se.last.T {
		se.last, se.hasLast = h.Sample, true
	}
	se.arrived = now
}

// find answers the staged sample at t.
func (se *series) find(t int64) (headSample, bool) {
	i := sort.Search(len(se.head), func(i int) bool { return se.head[i].T >= t })
	if i < len(se.head) && se.head[i].T == t {
		return se.head[i], true
	}
	return headSample{}, false
}

// headRange copies the staged samples of a point in [lo, hi).
func (s *Store) headRange(point, lo, hi int64) []Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.series[point]
	if se == nil {
		return nil
	}
	i := sort.Search(len(se.head), func(i int) bool { return se.head[i].T >= lo })
	var out []Sample
	for ; i < len(se.head) && se.head[i].T < hi; i++ {
		out = append(out, se.head[i].Sample)
	}
	return out
}

const insertStaged = `INSERT INTO tsdb_staged (shard, n, staged_at, data) VALUES (?, ?, ?, ?) RETURNING id`

func deleteStaged(ctx context.Context, tx *store.Tx, ids []int64) error {
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(lo+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if _, err := tx.Exec(ctx, `DELETE FROM tsdb_staged WHERE id IN (`+store.Placeholders(len(part))+`)`, args...); err != nil {
			return fmt.Errorf("tsdb: delete staged rows: %w", err)
		}
	}
	return nil
}

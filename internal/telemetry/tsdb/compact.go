package tsdb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"minesafe/internal/store"
)

// stepBudget bounds the staged samples one compaction transaction moves,
// so that an Append waiting for SQLite's write lock waits briefly.
const stepBudget = 50_000

// chunkRow is a chunk ready to insert.
type chunkRow struct {
	point, t0 int64
	samples   []Sample
	data, agg []byte
}

// work is what one compaction step does to one series: it takes a prefix
// of the head out of staging (the head is sorted, and everything taken is
// older than what stays).
type work struct {
	se       *series
	take     []int64    // times of the head samples taken
	slots    []uint32   // and their staging slots
	late     []Sample   // taken samples older than sealedTo: merged into chunks
	chunks   [][]Sample // taken samples that close new chunks
	dropped  int        // taken samples older than the raw horizon: dropped
	sealedTo int64
}

type plan struct {
	works    []work
	use      map[uint32]int // samples taken per staging slot
	delRows  []int64        // staging rows left with nothing to hold
	delSlots []uint32
	samples  int
	late     int
	dropped  int
	spent    int  // rows of Store.spent deleted too
	more     bool // the budget ran out
}

// Compact moves every staged sample into chunks now, closing the open
// chunks too (tests, benchmarks); it answers how many samples moved.
// Run compacts by itself, leaving open chunks open.
func (s *Store) Compact(ctx context.Context) (int, error) { return s.compact(ctx, true) }

func (s *Store) compact(ctx context.Context, force bool) (int, error) {
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	// A background pass moves at most what was staged when it began, so
	// that ingest faster than compaction cannot keep it (and compactMu)
	// for ever; the next tick goes on.
	s.mu.Lock()
	limit := int(s.live)
	s.kickAt = s.live
	s.mu.Unlock()
	total := 0
	for {
		n, more, err := s.compactStep(ctx, force)
		total += n
		if err != nil {
			return total, err
		}
		if !more || (!force && total >= limit) || ctx.Err() != nil {
			break
		}
	}
	s.mu.Lock()
	s.kickAt = s.live
	s.mu.Unlock()
	return total, s.checkpoint(ctx)
}

// compactStep moves one budget of staged samples into chunks: in one
// transaction it writes the chunks (with their minute aggregates) and
// deletes the staging rows they emptied, so a crash leaves either the
// staged rows or the chunks. A staging row that still holds samples of
// open chunks stays; recovery recognises its samples that are in chunks.
func (s *Store) compactStep(ctx context.Context, force bool) (int, bool, error) {
	p := s.plan(s.opt.Now(), force, stepBudget)
	if len(p.works) == 0 && len(p.delRows) == 0 {
		return 0, false, nil
	}
	var rows []chunkRow
	var months []int64
	for _, w := range p.works {
		for _, c := range w.chunks {
			r := s.encodeRow(w.se.id, c)
			rows = append(rows, r)
			months = append(months, monthOf(r.t0))
		}
		if len(w.late) > 0 {
			// A chunk cut anew may start anywhere up to MaxSpan past the
			// last late sample (the end of the chunk it lands in).
			last := satAdd(w.late[len(w.late)-1].T, s.opt.MaxSpan.Milliseconds())
			for m := monthOf(floorMinute(w.late[0].T)); m <= monthOf(min(last, maxTime-1)); m++ {
				months = append(months, m)
			}
		}
	}
	if err := s.ensurePartitions(ctx, months); err != nil {
		return 0, false, err
	}
	// Once begun, the transaction runs to its end: a commit whose outcome
	// the caller never learnt would leave the head behind the database.
	err := s.db.InTx(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		var merged []chunkRow
		for _, w := range p.works {
			if len(w.late) == 0 {
				continue
			}
			ins, err := s.mergeLate(ctx, tx, w.se.id, w.late)
			if err != nil {
				return err
			}
			merged = append(merged, ins...)
		}
		if _, err := insertChunks(ctx, tx, merged, false); err != nil {
			return err
		}
		// A new chunk's key is taken only if this step already committed
		// once unbeknown to us (a lost COMMIT answer): merging is then
		// idempotent, where a plain insert would fail for ever.
		taken, err := insertChunks(ctx, tx, rows, true)
		if err != nil {
			return err
		}
		for _, r := range taken {
			ins, err := s.mergeLate(ctx, tx, r.point, r.samples)
			if err != nil {
				return err
			}
			if _, err := insertChunks(ctx, tx, ins, false); err != nil {
				return err
			}
		}
		if err := deleteStaged(ctx, tx, p.delRows); err != nil {
			return err
		}
		if s.hook != nil {
			s.hook()
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("tsdb: compact: %w", err)
	}
	s.apply(p)
	if p.dropped > 0 {
		s.log.Warn("late samples older than the raw retention dropped", "samples", p.dropped)
	}
	return p.samples, p.more, nil
}

// plan chooses, under mu, what the step moves: for each series with staged
// samples, the late ones, the closed chunks and, when the point has been
// silent for Settle (or force), its open chunk. It visits the series round
// robin so that a budget cut is fair.
func (s *Store) plan(now time.Time, force bool, budget int) *plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.active[:0]
	for _, se := range s.active {
		if len(se.head) > 0 {
			live = append(live, se)
		} else {
			se.active = false
		}
	}
	clear(s.active[len(live):])
	s.active = live
	p := &plan{use: map[uint32]int{}}
	n := len(s.active)
	if s.cursor >= n {
		s.cursor = 0
	}
	for k := 0; k < n; k++ {
		se := s.active[(s.cursor+k)%n]
		w, ok := s.planSeries(se, now, force)
		if !ok {
			continue
		}
		p.works = append(p.works, w)
		p.samples += len(w.take)
		p.late += len(w.late)
		p.dropped += w.dropped
		for _, sl := range w.slots {
			p.use[sl]++
		}
		if p.samples >= budget {
			p.more = true
			s.cursor = (s.cursor + k + 1) % n
			break
		}
	}
	for sl, c := range p.use {
		if s.slots[sl].pending == c {
			p.delRows = append(p.delRows, s.slots[sl].id)
			p.delSlots = append(p.delSlots, sl)
		}
	}
	p.delRows = append(p.delRows, s.spent...)
	p.spent = len(s.spent)
	return p
}

func (s *Store) planSeries(se *series, now time.Time, force bool) (work, bool) {
	h := se.head
	i := sort.Search(len(h), func(k int) bool { return h[k].T >= s.horizon })
	j := i + sort.Search(len(h)-i, func(k int) bool { return h[i+k].T >= se.sealedTo })
	open := h[j:]
	end := j
	var chunks [][]Sample
	if len(open) > 0 {
		ends := chunkEnds(func(k int) int64 { return open[k].T }, len(open), s.opt.ChunkSamples, s.opt.MaxSpan.Milliseconds())
		closeLast := force || now.Sub(se.arrived) >= s.opt.Settle
		start := 0
		for x, e := range ends {
			if x == len(ends)-1 && !closeLast {
				break
			}
			chunks = append(chunks, samplesOf(open[start:e]))
			start = e
		}
		end = j + start
	}
	if end == 0 {
		return work{}, false
	}
	w := work{se: se, late: samplesOf(h[i:j]), chunks: chunks, dropped: i, sealedTo: se.sealedTo,
		take: make([]int64, end), slots: make([]uint32, end)}
	for k := range end {
		w.take[k], w.slots[k] = h[k].T, h[k].slot
	}
	if end > j {
		w.sealedTo = satAdd(floorMinute(h[end-1].T), minuteMS)
	}
	return w, true
}

func samplesOf(h []headSample) []Sample {
	out := make([]Sample, len(h))
	for i := range h {
		out[i] = h[i].Sample
	}
	return out
}

// chunkEnds answers where the chunks of n sorted times (ts) end, the last
// end being n: a chunk ends after the minute holding its size-th sample, or
// where it would cover more than span. All but the last are closed.
func chunkEnds(ts func(int) int64, n, size int, span int64) []int {
	var ends []int
	for i := 0; i < n; {
		limit := satAdd(floorMinute(ts(i)), span)
		if i+size-1 < n {
			limit = min(limit, satAdd(floorMinute(ts(i+size-1)), minuteMS))
		}
		j := i + sort.Search(n-i, func(k int) bool { return ts(i+k) >= limit })
		ends = append(ends, j)
		i = j
	}
	return ends
}

// apply, after the commit, takes the moved samples out of the head.
// Appends may have added samples meanwhile; they stay (those now older
// than sealedTo are late and go with the next step).
func (s *Store) apply(p *plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range p.works {
		se := w.se
		out, j := se.head[:0], 0
		for _, h := range se.head {
			if j < len(w.take) && h.T == w.take[j] {
				j++
				continue
			}
			out = append(out, h)
		}
		clear(se.head[len(out):])
		se.head = out
		if len(se.head) == 0 && cap(se.head) > 1024 {
			se.head = nil
		}
		se.sealedTo = max(se.sealedTo, w.sealedTo)
	}
	for sl, c := range p.use {
		s.slots[sl].pending -= c
		s.live -= int64(c)
		s.dead += int64(c)
	}
	for _, sl := range p.delSlots {
		s.dead -= int64(s.slots[sl].n)
		s.freeSlot(sl)
	}
	s.spent = s.spent[p.spent:]
	s.stats.Compacted += int64(p.samples - p.dropped)
	s.stats.Late += int64(p.late)
	s.stats.Dropped += int64(p.dropped)
}

func (s *Store) encodeRow(point int64, c []Sample) chunkRow {
	data, dec := appendChunk(nil, c, &s.csc)
	return chunkRow{point: point, t0: floorMinute(c[0].T), samples: c, data: data, agg: appendMinutes(nil, c, dec, &s.csc)}
}

// mergeLate merges samples older than their point's chunk end into the
// chunks: each goes into the chunk before it when that chunk's span allows,
// else into new chunks in the gap. The touched chunks are cut anew (their
// first key stays) and their old rows deleted; the new rows are answered.
func (s *Store) mergeLate(ctx context.Context, tx *store.Tx, point int64, late []Sample) ([]chunkRow, error) {
	lo, hi := late[0].T, late[len(late)-1].T
	rows, err := tx.Query(ctx, `SELECT t0, data`+chunksFromSQL+` ORDER BY t0`, s.chunksArgs(point, lo, hi)...)
	if err != nil {
		return nil, err
	}
	type existing struct {
		t0   int64
		data []byte
		late []Sample
	}
	var ex []existing
	for rows.Next() {
		var e existing
		if err := rows.Scan(&e.t0, &e.data); err != nil {
			rows.Close()
			return nil, err
		}
		ex = append(ex, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	span := s.opt.MaxSpan.Milliseconds()
	// Samples after chunk k's span (k = −1: before every chunk) form new
	// chunks between chunk k and chunk k+1.
	gaps := map[int][]Sample{}
	k := -1
	for _, x := range late {
		for k+1 < len(ex) && ex[k+1].t0 <= x.T {
			k++
		}
		if k >= 0 && x.T < satAdd(ex[k].t0, span) {
			ex[k].late = append(ex[k].late, x)
		} else {
			gaps[k] = append(gaps[k], x)
		}
	}
	var out []chunkRow
	cut := func(all []Sample) {
		ends := chunkEnds(func(i int) int64 { return all[i].T }, len(all), s.opt.ChunkSamples, span)
		start := 0
		for _, e := range ends {
			out = append(out, s.encodeRow(point, all[start:e]))
			start = e
		}
	}
	for _, e := range ex {
		if len(e.late) == 0 {
			continue
		}
		old, err := DecodeChunk(e.data)
		if err != nil {
			return nil, fmt.Errorf("chunk %d/%d: %w", point, e.t0, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM tsdb_chunks WHERE point_id = ? AND t0 = ?`, point, e.t0); err != nil {
			return nil, err
		}
		cut(mergeSamples(old, e.late))
	}
	keys := make([]int, 0, len(gaps))
	for g := range gaps {
		keys = append(keys, g)
	}
	slices.Sort(keys)
	for _, g := range keys {
		cut(gaps[g])
	}
	return out, nil
}

// mergeSamples merges two time-sorted runs; on equal times the first run's
// sample stays (the stored one: first value wins).
func mergeSamples(a, b []Sample) []Sample {
	out := make([]Sample, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].T < b[j].T):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].T < a[i].T:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// insertChunks inserts rows; with skipTaken, rows whose key exists are
// left out and answered.
func insertChunks(ctx context.Context, tx *store.Tx, rows []chunkRow, skipTaken bool) ([]chunkRow, error) {
	const per = 200
	var taken []chunkRow
	for lo := 0; lo < len(rows); lo += per {
		part := rows[lo:min(lo+per, len(rows))]
		q := make([]byte, 0, 128+len(part)*12)
		q = append(q, `INSERT INTO tsdb_chunks (point_id, t0, n, data, agg) VALUES `...)
		args := make([]any, 0, 5*len(part))
		for i, r := range part {
			if i > 0 {
				q = append(q, ',')
			}
			q = append(q, "(?,?,?,?,?)"...)
			args = append(args, r.point, r.t0, len(r.samples), r.data, r.agg)
		}
		if !skipTaken {
			if _, err := tx.Exec(ctx, string(q), args...); err != nil {
				return nil, fmt.Errorf("insert chunks: %w", err)
			}
			continue
		}
		q = append(q, ` ON CONFLICT (point_id, t0) DO NOTHING RETURNING point_id, t0`...)
		got, err := tx.Query(ctx, string(q), args...)
		if err != nil {
			return nil, fmt.Errorf("insert chunks: %w", err)
		}
		done := make(map[[2]int64]bool, len(part))
		for got.Next() {
			var k [2]int64
			if err := got.Scan(&k[0], &k[1]); err != nil {
				got.Close()
				return nil, err
			}
			done[k] = true
		}
		got.Close()
		if err := got.Err(); err != nil {
			return nil, err
		}
		for _, r := range part {
			if !done[[2]int64{r.point, r.t0}] {
				taken = append(taken, r)
			}
		}
	}
	return taken, nil
}

// checkpoint rewrites the staging rows that hold samples already in chunks
// once those outnumber the staged samples (points of different rates share
// rows, and a row stays until its slowest point's chunk closes). It copies
// what they still hold into new rows and deletes them, in one transaction;
// as it copies at most as many samples as it frees, each sample is copied
// about once on average.
func (s *Store) checkpoint(ctx context.Context) error {
	s.mu.Lock()
	if s.dead <= s.live || s.dead < s.checkpointMin {
		s.mu.Unlock()
		return nil
	}
	redo := map[uint32][]staged{}
	for i, sl := range s.slots {
		if sl.id != 0 && sl.pending < sl.n {
			redo[uint32(i)] = nil
		}
	}
	olds := make([]uint32, 0, len(redo))
	for sl := range redo {
		olds = append(olds, sl)
	}
	slices.Sort(olds)
	oldIDs := make([]int64, len(olds))
	for i, sl := range olds {
		oldIDs[i] = s.slots[sl].id
	}
	var touched []*series
	for _, se := range s.active {
		hit := false
		for _, h := range se.head {
			if list, ok := redo[h.slot]; ok {
				redo[h.slot] = append(list, staged{se.id, h})
				hit = true
			}
		}
		if hit {
			touched = append(touched, se)
		}
	}
	s.mu.Unlock()

	// New rows, each made of whole old rows (so an old slot maps to one new).
	type newRow struct {
		old  []uint32
		rows []staged
	}
	var out []newRow
	for _, sl := range olds {
		if len(out) == 0 || len(out[len(out)-1].rows)+len(redo[sl]) > maxStagedBlock {
			out = append(out, newRow{})
		}
		r := &out[len(out)-1]
		r.old = append(r.old, sl)
		r.rows = append(r.rows, redo[sl]...)
	}
	ids := make([]int64, len(out))
	now := s.opt.Now().UTC()
	err := s.db.InTx(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		for i, r := range out {
			slices.SortFunc(r.rows, byPointTime)
			pts, smp := make([]int64, len(r.rows)), make([]Sample, len(r.rows))
			for j, x := range r.rows {
				pts[j], smp[j] = x.point, x.Sample
			}
			if err := tx.QueryRow(ctx, insertStaged, s.opt.Shard, len(smp), now, appendBlock(nil, pts, smp, &s.csc)).Scan(&ids[i]); err != nil {
				return err
			}
		}
		if err := deleteStaged(ctx, tx, oldIDs); err != nil {
			return err
		}
		if s.hook != nil {
			s.hook()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tsdb: checkpoint: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	remap := map[uint32]uint32{}
	for i, r := range out {
		ns := s.newSlot(ids[i], len(r.rows))
		for _, sl := range r.old {
			remap[sl] = ns
		}
	}
	for _, se := range touched {
		for i := range se.head {
			if ns, ok := remap[se.head[i].slot]; ok {
				se.head[i].slot = ns
			}
		}
	}
	for _, sl := range olds {
		s.dead -= int64(s.slots[sl].n - s.slots[sl].pending)
		s.freeSlot(sl)
	}
	s.stats.Checkpoints++
	return nil
}

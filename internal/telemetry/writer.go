package telemetry

import (
	"context"
	"errors"
	"sync"
)

// Writer serialises appends to a SampleStore and commits them in groups:
// whatever arrives while a commit runs goes into the next one, so many
// gateways share one commit (one fsync) and each is answered when its own
// samples are durable.
type Writer struct {
	store    SampleStore
	maxGroup int
	jobs     chan *writeJob
	wg       sync.WaitGroup
	closeMu  sync.RWMutex
	closed   bool
}

type writeJob struct {
	samples []Sample
	done    chan writeResult
}

type writeResult struct {
	dups []Duplicate
	err  error
}

// ErrWriterClosed answers appends after Close.
var ErrWriterClosed = errors.New("sample writer closed")

// NewWriter starts the writer; maxGroup caps the samples of one commit.
func NewWriter(s SampleStore, maxGroup int) *Writer {
	if maxGroup <= 0 {
		maxGroup = 20000
	}
	w := &Writer{store: s, maxGroup: maxGroup, jobs: make(chan *writeJob, 1024)}
	w.wg.Add(1)
	go w.loop()
	return w
}

// Append stores samples durably and answers the duplicates among them. It
// blocks until the commit that holds them is done.
func (w *Writer) Append(ctx context.Context, samples []Sample) ([]Duplicate, error) {
	if len(samples) == 0 {
		return nil, nil
	}
	j := &writeJob{samples: samples, done: make(chan writeResult, 1)}
	w.closeMu.RLock()
	if w.closed {
		w.closeMu.RUnlock()
		return nil, ErrWriterClosed
	}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		w.closeMu.RUnlock()
		return nil, ctx.Err()
	}
	w.closeMu.RUnlock()
	// Once queued the job is committed even if the sender gives up waiting:
	// accepted data is never dropped.
	select {
	case r := <-j.done:
		return r.dups, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (w *Writer) loop() {
	defer w.wg.Done()
	for j := range w.jobs {
		group := []*writeJob{j}
		n := len(j.samples)
	drain:
		for n < w.maxGroup {
			select {
			case more, ok := <-w.jobs:
				if !ok {
					break drain
				}
				group = append(group, more)
				n += len(more.samples)
			default:
				break drain
			}
		}
		w.commit(group, n)
	}
}

func (w *Writer) commit(group []*writeJob, n int) {
	if len(group) == 1 {
		dups, err := w.store.Append(context.Background(), group[0].samples)
		group[0].done <- writeResult{dups, err}
		return
	}
	all := make([]Sample, 0, n)
	offsets := make([]int, len(group))
	for i, j := range group {
		offsets[i] = len(all)
		all = append(all, j.samples...)
	}
	dups, err := w.store.Append(context.Background(), all)
	per := make([][]Duplicate, len(group))
	for _, d := range dups {
		// Find the job that owns the index (groups are small).
		for i := len(group) - 1; i >= 0; i-- {
			if d.Index >= offsets[i] {
				d.Index -= offsets[i]
				per[i] = append(per[i], d)
				break
			}
		}
	}
	for i, j := range group {
		j.done <- writeResult{per[i], err}
	}
}

// Close stops taking appends and waits for queued ones to commit.
func (w *Writer) Close() {
	w.closeMu.Lock()
	if !w.closed {
		w.closed = true
		close(w.jobs)
	}
	w.closeMu.Unlock()
	w.wg.Wait()
}

package telemetry

import (
	"log/slog"
	"sync"
)

// Bus carries committed batches from ingest to their consumers (live
// cache, stream, rules). The in-process bus calls each consumer on its own
// goroutine through a bounded queue, so a slow consumer never holds up
// ingest; a cluster replaces it with NATS JetStream, partitioned by mine.
type Bus interface {
	Publish(c Committed)
	Subscribe(name string, fn func(Committed))
	Close()
}

// LocalBus is the in-process Bus.
type LocalBus struct {
	mu     sync.RWMutex
	subs   []*localSub
	log    *slog.Logger
	closed bool
}

type localSub struct {
	name string
	ch   chan Committed
	done chan struct{}
}

// NewLocalBus answers an in-process bus.
func NewLocalBus(log *slog.Logger) *LocalBus {
	if log == nil {
		log = slog.Default()
	}
	return &LocalBus{log: log}
}

// Subscribe adds a consumer; fn runs on one goroutine, in publish order.
func (b *LocalBus) Subscribe(name string, fn func(Committed)) {
	s := &localSub{name: name, ch: make(chan Committed, 4096), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for c := range s.ch {
			fn(c)
		}
	}()
	b.mu.Lock()
	b.subs = append(b.subs, s)
	b.mu.Unlock()
}

// Publish hands c to every consumer. The batch is already durable, so a
// consumer whose queue is full blocks the publisher rather than losing it:
// consumers must keep up (they are in-memory work).
func (b *LocalBus) Publish(c Committed) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return
	}
	for _, s := range b.subs {
		s.ch <- c
	}
}

// Close stops the consumers after they drain their queues.
func (b *LocalBus) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	subs := b.subs
	b.mu.Unlock()
	for _, s := range subs {
		close(s.ch)
		<-s.done
	}
}

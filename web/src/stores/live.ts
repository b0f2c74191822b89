// Live state of the mines in scope: online/offline from the stream
// (GET /api/v1/stream, server-sent events) and, until the server answers it
// in bulk, from one GET /mines/{id}/live per mine; the alarm level of each
// mine (set by the alarm store). Kept outside Vue's reactivity on purpose:
// the map applies changes to its markers in batches, once per animation
// frame, and a panel listens to the samples of one mine. The stream's
// `alarm` events are handed out in the same batches (onAlarm).
import { ref } from 'vue';
import { api, STREAM_URL } from '../api';
import type { AlarmEvent, AlarmLevelName, MineStatusEvent, SampleEvent } from '../api/types';

/** The four graded warning levels (红橙黄蓝), highest first. */
export type AlarmLevel = AlarmLevelName;

export interface MineState {
  /** Has monitoring points (null: not known yet). */
  monitored: boolean | null;
  /** Sent data within the server's offline window (null: not known yet). */
  online: boolean | null;
  lastSeen: string | null;
  /** The highest open alarm, once the alarm capability lands. */
  alarm: AlarmLevel | null;
  /** When this state was last set (performance.now()), to drop stale answers. */
  at: number;
}

export interface PointValue {
  point_id: number;
  time: string;
  value: number;
  status: number;
}

type StatusListener = (mineIds: number[]) => void;
type SampleListener = (points: PointValue[]) => void;
type AlarmListener = (events: AlarmEvent[]) => void;
/** A `hazard` event: what happened (a loop step such as `report`, `plan`, `verify`, or `escalate`, `supervise`), the hazard after it, and for an escalation the level it went `to`. */
export interface HazardEvent {
  event: string;
  hazard: { id: number; mine_id: number; mine_name?: string; level: string; state: string; description?: string };
  to?: string;
}
type HazardListener = (ev: HazardEvent) => void;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class LiveHub {
  readonly connected = ref(false);
  /** Count of stream events received, for the status line and tests. */
  readonly events = ref(0);
  private states = new Map<number, MineState>();
  private latest = new Map<number, PointValue>();
  private statusListeners = new Set<StatusListener>();
  private sampleListeners = new Map<number, Set<SampleListener>>();
  private pending = new Set<number>();
  private pendingAlarms: AlarmEvent[] = [];
  private alarmListeners = new Set<AlarmListener>();
  private resyncListeners = new Set<() => void>();
  private hazardListeners = new Set<HazardListener>();
  private flushScheduled = false;
  private source: EventSource | null = null;
  private users = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private eventsSinceTick = 0;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  /** Called when the stream says events were lost (resync): reload state. */
  onResync: (() => void) | null = null;

  state(mineId: number): MineState | undefined {
    return this.states.get(mineId);
  }

  latestValue(pointId: number): PointValue | undefined {
    return this.latest.get(pointId);
  }

  /** Subscribe to state changes of mines (batched per frame). */
  onStatus(fn: StatusListener): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Subscribe to `alarm` events, delivered in batches (one per animation frame), in arrival order. */
  onAlarm(fn: AlarmListener): () => void {
    this.alarmListeners.add(fn);
    return () => this.alarmListeners.delete(fn);
  }

  /** Subscribe to `hazard` events (a step of the loop, an escalation, a supervision listing), as they come: they are rare. */
  onHazard(fn: HazardListener): () => void {
    this.hazardListeners.add(fn);
    return () => this.hazardListeners.delete(fn);
  }

  /** A `hazard` event of the stream. */
  applyHazard(ev: HazardEvent) {
    if (!ev || !ev.hazard) return;
    for (const fn of this.hazardListeners) fn(ev);
  }

  /** Subscribe to resyncs (events were lost: reload what you show). */
  onResyncs(fn: () => void): () => void {
    this.resyncListeners.add(fn);
    return () => this.resyncListeners.delete(fn);
  }

  /** Subscribe to the samples of one mine. */
  onSamples(mineId: number, fn: SampleListener): () => void {
    let set = this.sampleListeners.get(mineId);
    if (!set) this.sampleListeners.set(mineId, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size) this.sampleListeners.delete(mineId);
    };
  }

  private update(mineId: number, patch: Partial<MineState>, at = now()) {
    const cur = this.states.get(mineId) ?? { monitored: null, online: null, lastSeen: null, alarm: null, at: 0 };
    const next = { ...cur, ...patch, at };
    if (cur.monitored !== next.monitored || cur.online !== next.online || cur.alarm !== next.alarm || cur.lastSeen !== next.lastSeen) {
      this.states.set(mineId, next);
      if (cur.monitored !== next.monitored || cur.online !== next.online || cur.alarm !== next.alarm) this.changed(mineId);
    } else {
      cur.at = at;
    }
  }

  private changed(mineId: number) {
    this.pending.add(mineId);
    this.schedule();
  }

  private schedule() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      this.flush();
    };
    // A frame when visible; the timer covers hidden tabs and tests.
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    setTimeout(run, 250);
  }

  /** Delivers the pending state changes now. */
  flush() {
    this.flushScheduled = false;
    if (this.pendingAlarms.length) {
      const evs = this.pendingAlarms;
      this.pendingAlarms = [];
      for (const fn of this.alarmListeners) fn(evs);
    }
    if (!this.pending.size) return;
    const ids = [...this.pending];
    this.pending.clear();
    for (const fn of this.statusListeners) fn(ids);
  }

  /** An `alarm` event of the stream: queued for the next batch. */
  applyAlarm(ev: AlarmEvent) {
    if (!ev || !ev.alarm) return;
    this.pendingAlarms.push(ev);
    this.schedule();
  }

  applySample(ev: SampleEvent) {
    this.update(ev.mine_id, { monitored: true, online: true, lastSeen: ev.points.reduce((t, p) => (p.time > t ? p.time : t), '') || null });
    for (const p of ev.points) {
      const cur = this.latest.get(p.point_id);
      if (!cur || cur.time <= p.time) this.latest.set(p.point_id, p);
    }
    const ls = this.sampleListeners.get(ev.mine_id);
    if (ls) for (const fn of ls) fn(ev.points);
  }

  applyStatus(ev: MineStatusEvent) {
    this.update(ev.mine_id, { online: ev.online, lastSeen: ev.last_seen, ...(ev.online ? { monitored: true } : {}) });
  }

  /** For the alarm capability: the highest open alarm of a mine. */
  setAlarm(mineId: number, level: AlarmLevel | null) {
    this.update(mineId, { alarm: level });
  }

  /**
   * Learns the online state of mines not known yet, a few requests at a
   * time. Replace with one bulk call when the server offers it.
   */
  async loadStatus(mineIds: number[], signal?: AbortSignal, concurrency = 6): Promise<void> {
    const todo = mineIds.filter((id) => this.states.get(id)?.online == null);
    let i = 0;
    const worker = async () => {
      while (i < todo.length && !signal?.aborted) {
        const id = todo[i++];
        const asked = now();
        try {
          const live = await api.live(id, signal);
          const cur = this.states.get(id);
          if (cur && cur.at > asked) continue; // the stream was quicker
          this.update(id, { monitored: live.points.length > 0, online: live.online, lastSeen: live.last_seen });
          for (const p of live.points) {
            if (p.time && p.value !== null && !this.latest.has(p.point_id)) {
              this.latest.set(p.point_id, { point_id: p.point_id, time: p.time, value: p.value, status: p.status });
            }
          }
        } catch (e) {
          if ((e as Error).name === 'AbortError') return;
          // one mine failing (e.g. archived meanwhile) does not stop the rest
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  }

  /** Forget every state (after logout, or on a resync). */
  reset() {
    this.states.clear();
    this.latest.clear();
    this.pending.clear();
    this.pendingAlarms = [];
  }

  /** Views that show live data call acquire() on mount and release() on unmount. */
  acquire() {
    this.users++;
    if (!this.source) this.open();
  }

  release() {
    this.users = Math.max(0, this.users - 1);
    if (this.users === 0) this.close();
  }

  private open() {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(STREAM_URL, { withCredentials: true });
    this.source = es;
    es.addEventListener('open', () => (this.connected.value = true));
    es.addEventListener('error', () => {
      this.connected.value = false;
      if (es.readyState === EventSource.CLOSED) {
        // Refused (e.g. 401): EventSource gives up; try again later.
        this.source = null;
        if (this.users > 0 && !this.retryTimer) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            if (this.users > 0 && !this.source) this.open();
          }, 10_000);
        }
      }
    });
    es.addEventListener('sample', (e) => {
      this.count();
      this.applySample(JSON.parse((e as MessageEvent).data));
    });
    es.addEventListener('mine_status', (e) => {
      this.count();
      this.applyStatus(JSON.parse((e as MessageEvent).data));
    });
    es.addEventListener('alarm', (e) => {
      this.count();
      this.applyAlarm(JSON.parse((e as MessageEvent).data));
    });
    es.addEventListener('hazard', (e) => {
      this.count();
      this.applyHazard(JSON.parse((e as MessageEvent).data));
    });
    es.addEventListener('resync', () => {
      this.count();
      this.onResync?.();
      for (const fn of this.resyncListeners) fn();
    });
    // The event counter is a ref: touch it at most once a second.
    if (!this.tickTimer) {
      this.tickTimer = setInterval(() => {
        if (this.eventsSinceTick) {
          this.events.value += this.eventsSinceTick;
          this.eventsSinceTick = 0;
          if (typeof window !== 'undefined') window.__minesafe = { ...(window.__minesafe ?? {}), liveEvents: this.events.value };
        }
      }, 1000);
    }
  }

  private count() {
    this.eventsSinceTick++;
  }

  private close() {
    this.source?.close();
    this.source = null;
    this.connected.value = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
  }
}

export const liveHub = new LiveHub();

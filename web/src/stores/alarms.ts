// Alarms across the app: the level of every mine and division for the map
// (GET /alarms/levels on start, then the stream's `alarm` events), the
// header badge (red and orange alarms whose loop is not closed), the latest
// red and orange alarms for the wall screen, and the sound and flash of a red
// alarm. Stream events arrive in batches, one per animation frame (LiveHub);
// the authoritative figures are asked again shortly after a batch, at most
// once a second, so a burst of events costs one request.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { api } from '../api';
import type { Alarm, AlarmEvent, AlarmLevelName, AlarmLevels } from '../api/types';
import { liveHub } from './live';
import { alarmSound } from '../lib/sound';
import { countsForBadge, fromStream, LEVEL_RANK, maxLevel, ringsFor, UNCLOSED_STATES } from '../lib/alarms';

const REFRESH_MS = 1000;
const LATEST_LIMIT = 30;

export const useAlarms = defineStore('alarms', () => {
  const levels = shallowRef<AlarmLevels | null>(null);
  /** Red and orange alarms whose loop is not closed, in scope (null: not known). */
  const badge = ref<number | null>(null);
  /** The newest red and orange alarms not closed (the wall screen). */
  const latest = shallowRef<Alarm[]>([]);
  const latestLoaded = ref(false);
  /** performance-independent time of the last red alarm that rang (for flashes). */
  const flashAt = ref(0);
  /** The red alarm that rang last (for the notification). */
  const lastRed = shallowRef<Alarm | null>(null);
  /** The last escalation (an unacknowledged alarm passed to the county or city regulator). */
  const lastEscalation = shallowRef<{ alarm: Alarm; to: 'county' | 'city' } | null>(null);
  const events = ref(0);

  let users = 0;
  let wantLatest = 0;
  let offAlarm: (() => void) | null = null;
  let offResync: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ctrl: AbortController | null = null;
  /** Mines coloured by the last answer, to clear those that left it. */
  let coloured = new Set<number>();

  async function loadLevels(signal?: AbortSignal) {
    try {
      const lv = await api.alarmLevels(signal);
      if (signal?.aborted) return;
      levels.value = lv;
      const next = new Set<number>();
      for (const [id, l] of Object.entries(lv.mines ?? {})) {
        const mineId = Number(id);
        next.add(mineId);
        liveHub.setAlarm(mineId, l);
      }
      for (const id of coloured) if (!next.has(id)) liveHub.setAlarm(id, null);
      coloured = next;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      // the map works without alarm colours
    }
  }

  async function loadBadge(signal?: AbortSignal) {
    try {
      const state = UNCLOSED_STATES.join(',');
      const [red, orange] = await Promise.all([
        api.alarms({ level: 'red', state, limit: 1 }, signal),
        api.alarms({ level: 'orange', state, limit: 1 }, signal),
      ]);
      if (!signal?.aborted) badge.value = red.total + orange.total;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
    }
  }

  async function loadLatest(signal?: AbortSignal) {
    try {
      const state = UNCLOSED_STATES.join(',');
      const [red, orange] = await Promise.all([
        api.alarms({ level: 'red', state, limit: LATEST_LIMIT }, signal),
        api.alarms({ level: 'orange', state, limit: LATEST_LIMIT }, signal),
      ]);
      if (signal?.aborted) return;
      latest.value = [...red.items, ...orange.items].sort((a, b) => b.id - a.id).slice(0, LATEST_LIMIT);
      latestLoaded.value = true;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
    }
  }

  /** Asks the figures again (levels, badge and, when shown, the latest). */
  async function refresh() {
    ctrl?.abort();
    ctrl = new AbortController();
    const s = ctrl.signal;
    await Promise.all([loadLevels(s), loadBadge(s), wantLatest ? loadLatest(s) : undefined]);
  }

  function refreshSoon() {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (users) refresh();
    }, REFRESH_MS);
  }

  /** One batch of stream events (one animation frame). */
  function apply(evs: AlarmEvent[]) {
    events.value += evs.length;
    let ring: Alarm | null = null;
    let badgeDelta = 0;
    let list = latest.value;
    let listChanged = false;
    for (const ev of evs) {
      const a = ev.alarm;
      // The map at once: a new or higher level colours the mine now; a clear
      // waits for the server's answer (other conditions may hold the level).
      if (!a.cleared_at && (ev.event === 'open' || ev.event === 'level')) {
        const cur = liveHub.state(a.mine_id)?.alarm ?? null;
        const next = maxLevel(cur, a.current_level);
        if (next !== cur) liveHub.setAlarm(a.mine_id, next);
        coloured.add(a.mine_id);
      }
      if (ev.event === 'open' && countsForBadge(a)) badgeDelta++;
      if (ev.event === 'close' && countsForBadge({ ...a, state: 'open' })) badgeDelta--;
      if (ringsFor(ev) && !ring) ring = a;
      if (ev.event === 'escalate' && (ev.to === 'county' || ev.to === 'city')) lastEscalation.value = { alarm: a, to: ev.to };
      if (wantLatest) {
        const i = list.findIndex((x) => x.id === a.id);
        const keep = countsForBadge(a);
        if (i >= 0) {
          list = list.slice();
          if (keep) list[i] = fromStream(a, list[i]);
          else list.splice(i, 1);
          listChanged = true;
        } else if (keep && ev.event === 'open') {
          list = [fromStream(a), ...list].slice(0, LATEST_LIMIT);
          listChanged = true;
        }
      }
    }
    if (listChanged) latest.value = list;
    if (badgeDelta && badge.value !== null) badge.value = Math.max(0, badge.value + badgeDelta);
    if (ring) {
      alarmSound.beep();
      flashAt.value = Date.now();
      lastRed.value = ring;
      if (typeof window !== 'undefined') {
        const w = window.__minesafe ?? {};
        window.__minesafe = { ...w, alarmFlashes: (w.alarmFlashes ?? 0) + 1 };
      }
    }
    if (typeof window !== 'undefined') window.__minesafe = { ...(window.__minesafe ?? {}), alarmEvents: events.value };
    refreshSoon();
  }

  /** Views that show alarms (the layout, the wall) call start() on mount and stop() on unmount. */
  function start(opts: { latest?: boolean } = {}) {
    users++;
    if (opts.latest) wantLatest++;
    if (users === 1) {
      alarmSound.listenForGesture();
      liveHub.acquire();
      offAlarm = liveHub.onAlarm(apply);
      offResync = liveHub.onResyncs(() => refresh());
      refresh();
    } else if (opts.latest && wantLatest === 1) {
      loadLatest();
    }
  }

  function stop(opts: { latest?: boolean } = {}) {
    users = Math.max(0, users - 1);
    if (opts.latest) wantLatest = Math.max(0, wantLatest - 1);
    if (users) return;
    offAlarm?.();
    offResync?.();
    offAlarm = offResync = null;
    ctrl?.abort();
    if (timer) clearTimeout(timer);
    timer = null;
    liveHub.release();
  }

  /** After logout: forget everything. */
  function reset() {
    levels.value = null;
    badge.value = null;
    latest.value = [];
    latestLoaded.value = false;
    lastRed.value = null;
    lastEscalation.value = null;
    coloured = new Set();
  }

  /** The count of mines per level in a division (for the map's shading). */
  function divisionLevels(code: string): Partial<Record<AlarmLevelName, number>> {
    return levels.value?.divisions?.[code] ?? {};
  }

  /** The highest level with mines in a division, or null. */
  function divisionLevel(code: string): AlarmLevelName | null {
    const c = divisionLevels(code);
    let best: AlarmLevelName | null = null;
    for (const [l, n] of Object.entries(c) as [AlarmLevelName, number][]) {
      if (n > 0 && (!best || LEVEL_RANK[l] > LEVEL_RANK[best])) best = l;
    }
    return best;
  }

  return {
    levels, badge, latest, latestLoaded, flashAt, lastRed, lastEscalation, events,
    start, stop, reset, refresh, apply, loadLevels, loadBadge, loadLatest, divisionLevels, divisionLevel,
  };
});

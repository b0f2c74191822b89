// The alarm loop in the app: the words of levels, states, kinds and steps,
// the filters of the alarm centre (kept in the address), and the pure
// reduction of stream events into a list (tested in alarms.spec.ts).
import type { LocationQuery } from 'vue-router';
import type { Query } from '../api/client';
import type { Alarm, AlarmAction, AlarmEvent, AlarmKind, AlarmLevelName, AlarmState } from '../api/types';
import { STATE_COLOR } from '../map/style';

/** Highest first. */
export const ALARM_LEVELS: AlarmLevelName[] = ['red', 'orange', 'yellow', 'blue'];
export const ALARM_STATES: AlarmState[] = ['open', 'acknowledged', 'disposed', 'verified', 'closed'];
/** The states of a loop not yet closed. */
export const UNCLOSED_STATES: AlarmState[] = ['open', 'acknowledged', 'disposed', 'verified'];
export const ALARM_KINDS: AlarmKind[] = ['threshold', 'rate', 'interruption', 'offline', 'fault', 'flatline', 'rollup'];
/** The steps in the order of the loop. */
export const ALARM_ACTIONS: AlarmAction[] = ['acknowledge', 'dispose', 'verify', 'return', 'close'];

export const LEVEL_RANK: Record<AlarmLevelName, number> = { red: 4, orange: 3, yellow: 2, blue: 1 };

export function levelColor(l: AlarmLevelName | string | null | undefined): string {
  return l && l in LEVEL_RANK ? STATE_COLOR[`alarm-${l as AlarmLevelName}`] : '#9aa7b8';
}

/** The higher of two levels (null when both are). */
export function maxLevel(a: AlarmLevelName | null | undefined, b: AlarmLevelName | null | undefined): AlarmLevelName | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The filters of the alarm centre, as in the address bar. */
export interface AlarmFilter {
  level: string;
  state: string[];
  kind: string;
  planned: '' | 'true' | 'false';
  region_code: string;
  mine_id: string;
  /** RFC 3339, opened at or after / before. */
  from: string;
  to: string;
  q: string;
}

export const EMPTY_FILTER: AlarmFilter = { level: '', state: [], kind: '', planned: '', region_code: '', mine_id: '', from: '', to: '', q: '' };

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

export function filterFromQuery(q: LocationQuery): AlarmFilter {
  const planned = str(q.planned);
  return {
    level: ALARM_LEVELS.includes(str(q.level) as AlarmLevelName) ? str(q.level) : '',
    state: str(q.state)
      .split(',')
      .filter((s) => ALARM_STATES.includes(s as AlarmState)),
    kind: ALARM_KINDS.includes(str(q.kind) as AlarmKind) ? str(q.kind) : '',
    planned: planned === 'true' || planned === 'false' ? planned : '',
    region_code: str(q.region_code),
    mine_id: /^\d+$/.test(str(q.mine_id)) ? str(q.mine_id) : '',
    from: str(q.from),
    to: str(q.to),
    q: str(q.q),
  };
}

/** The address query of a filter (empty values left out). */
export function filterToQuery(f: AlarmFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const s = Array.isArray(v) ? v.join(',') : v.trim();
    if (s) out[k] = s;
  }
  return out;
}

/** The API query of a filter (GET /alarms, /alarms/stats, /alarms.xlsx). */
export function apiQuery(f: AlarmFilter, extra: Query = {}): Query {
  return { ...filterToQuery(f), ...extra };
}

export const SORTABLE = ['id', 'opened_at', 'level', 'state', 'mine_id'] as const;
export const DEFAULT_SORT = '-id';

export function sortFromQuery(q: LocationQuery): string {
  const s = str(q.sort);
  return SORTABLE.includes(s.replace(/^-/, '') as (typeof SORTABLE)[number]) ? s : DEFAULT_SORT;
}

/** Whether an alarm belongs to a filtered list (to place a streamed alarm without asking). */
export function matchesFilter(a: Alarm, f: AlarmFilter): boolean {
  if (f.level && a.level !== f.level) return false;
  if (f.state.length && !f.state.includes(a.state)) return false;
  if (f.kind && a.kind !== f.kind) return false;
  if (f.planned && String(a.planned) !== f.planned) return false;
  if (f.region_code && a.region_code !== f.region_code) return false;
  if (f.mine_id && String(a.mine_id) !== f.mine_id) return false;
  if (f.from && Date.parse(a.opened_at) < Date.parse(f.from)) return false;
  if (f.to && Date.parse(a.opened_at) >= Date.parse(f.to)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!a.mine_name.toLowerCase().includes(q) && !a.message.toLowerCase().includes(q)) return false;
  }
  return true;
}

/**
 * An alarm as the stream tells it: its `actions` are not the viewer's (the
 * stream carries null, or the steps of whoever moved it). Keep the viewer's
 * own when the state did not move; otherwise they are not known until asked.
 */
export function fromStream(next: Alarm, prev?: Alarm): Alarm {
  const actions = prev && prev.state === next.state && !!prev.cleared_at === !!next.cleared_at ? prev.actions : undefined;
  return { ...next, actions };
}

export interface ListView {
  items: Alarm[];
  total: number;
}

export interface Reduced extends ListView {
  /** Alarms put at the top of the list (new ones matching the filter). */
  added: number[];
  /** Alarms whose row changed in place. */
  changed: number[];
  /** New matching alarms that could not be placed (another page or sort): reload to see them. */
  missed: number;
  /** A matching alarm off this page moved (it may belong here now): the page may be out of date. */
  stale: boolean;
}

/**
 * Applies a batch of stream events to a page of a filtered list. New alarms
 * matching the filter go on top when the page shows the newest first (page
 * one, sorted by id or opening time descending); an alarm that no longer
 * matches (e.g. closed under "open only") leaves the page; others change in
 * place. The page keeps its size.
 */
export function reduceAlarmEvents(view: ListView, events: AlarmEvent[], f: AlarmFilter, opts: { newestFirst: boolean; pageSize: number }): Reduced {
  let items = view.items.slice();
  let total = view.total;
  const added: number[] = [];
  const changed: number[] = [];
  let missed = 0;
  let stale = false;
  for (const ev of events) {
    const a = ev.alarm;
    const i = items.findIndex((x) => x.id === a.id);
    const match = matchesFilter(a, f);
    if (i >= 0) {
      if (match) {
        items[i] = fromStream(a, items[i]);
        if (!changed.includes(a.id)) changed.push(a.id);
      } else {
        items.splice(i, 1);
        total = Math.max(0, total - 1);
      }
      continue;
    }
    if (!match) continue;
    if (ev.event !== 'open') {
      stale = true; // e.g. disposed now under "disposed only": where it goes, the server says
      continue;
    }
    total++;
    if (opts.newestFirst) {
      items.unshift(fromStream(a));
      added.push(a.id);
    } else {
      missed++;
    }
  }
  if (items.length > opts.pageSize) items = items.slice(0, opts.pageSize);
  return { items, total, added: added.filter((id) => items.some((x) => x.id === id)), changed, missed, stale };
}

/** Whether an event is one to ring for: a red alarm opening or rising to red, unplanned and not late. */
export function ringsFor(ev: AlarmEvent): boolean {
  const a = ev.alarm;
  if (a.planned || a.late || a.cleared_at) return false;
  return (ev.event === 'open' || ev.event === 'level') && a.current_level === 'red';
}

/** Whether an alarm counts for the header badge: red or orange, the loop not closed. */
export function countsForBadge(a: Pick<Alarm, 'level' | 'state'>): boolean {
  return (a.level === 'red' || a.level === 'orange') && a.state !== 'closed';
}

/** The fields a step asks for (the API names them in error.fields). */
export const STEP_FIELDS: Record<AlarmAction, ('cause' | 'measures' | 'reason' | 'note')[]> = {
  acknowledge: ['note'],
  dispose: ['cause', 'measures'],
  verify: ['note'],
  return: ['reason'],
  close: ['note'],
};

/** Steps of the loop as the progress bar shows them. */
export function loopStepIndex(state: AlarmState): number {
  return ALARM_STATES.indexOf(state);
}

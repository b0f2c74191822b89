import { describe, expect, it } from 'vitest';
import {
  apiQuery, countsForBadge, EMPTY_FILTER, filterFromQuery, filterToQuery, fromStream, matchesFilter, maxLevel, reduceAlarmEvents, ringsFor, sortFromQuery,
} from './alarms';
import { alarm, event } from '../test/alarms';

describe('alarm filters', () => {
  it('read the address and write it back, dropping what is not valid', () => {
    const f = filterFromQuery({ level: 'red', state: 'open,bogus,disposed', kind: 'threshold', planned: 'false', region_code: '150782', mine_id: '28', q: '大雁', from: '2026-11-01T00:00:00+08:00' });
    expect(f).toMatchObject({ level: 'red', state: ['open', 'disposed'], kind: 'threshold', planned: 'false', mine_id: '28', q: '大雁' });
    expect(filterToQuery(f)).toEqual({ level: 'red', state: 'open,disposed', kind: 'threshold', planned: 'false', region_code: '150782', mine_id: '28', from: '2026-11-01T00:00:00+08:00', q: '大雁' });
    expect(filterFromQuery({ level: 'purple', planned: 'maybe', mine_id: 'x' })).toEqual(EMPTY_FILTER);
    expect(apiQuery(f, { limit: 20 })).toMatchObject({ state: 'open,disposed', limit: 20 });
    expect(sortFromQuery({ sort: '-level' })).toBe('-level');
    expect(sortFromQuery({ sort: 'password' })).toBe('-id');
  });

  it('match an alarm as the server would', () => {
    const a = alarm({ level: 'orange', state: 'acknowledged', planned: true, opened_at: '2026-11-29T02:00:00Z' });
    expect(matchesFilter(a, EMPTY_FILTER)).toBe(true);
    expect(matchesFilter(a, { ...EMPTY_FILTER, level: 'red' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, state: ['open', 'acknowledged'] })).toBe(true);
    expect(matchesFilter(a, { ...EMPTY_FILTER, planned: 'false' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, mine_id: '29' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, from: '2026-11-29T10:00:00+08:00' })).toBe(true);
    expect(matchesFilter(a, { ...EMPTY_FILTER, to: '2026-11-29T10:00:00+08:00' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, q: 'METHANE' })).toBe(true);
  });
});

describe('reducing stream events into a list', () => {
  const opts = { newestFirst: true, pageSize: 3 };

  it('puts a new matching alarm on top, keeps the page size and counts it', () => {
    const rows = [alarm({ id: 3 }), alarm({ id: 2 }), alarm({ id: 1 })];
    const r = reduceAlarmEvents({ items: rows, total: 10 }, [event('open', alarm({ id: 4 }))], EMPTY_FILTER, opts);
    expect(r.items.map((a) => a.id)).toEqual([4, 3, 2]);
    expect(r.total).toBe(11);
    expect(r.added).toEqual([4]);
    expect(r.items[0].actions).toBeUndefined(); // the viewer's steps are not known yet
  });

  it('ignores what the filter leaves out, and counts what it cannot place', () => {
    const red = { ...EMPTY_FILTER, level: 'red' };
    const r = reduceAlarmEvents({ items: [], total: 0 }, [event('open', alarm({ id: 5, level: 'yellow', current_level: 'yellow' }))], red, opts);
    expect(r.items).toEqual([]);
    expect(r.total).toBe(0);
    const other = reduceAlarmEvents({ items: [], total: 7 }, [event('open', alarm({ id: 6 }))], red, { ...opts, newestFirst: false });
    expect(other).toMatchObject({ items: [], total: 8, missed: 1 });
  });

  it('changes a row in place, keeping the viewer’s steps only while the state stands', () => {
    const a = alarm({ id: 7, actions: ['acknowledge'] });
    const lv = reduceAlarmEvents({ items: [a], total: 1 }, [event('level', { ...a, current_level: 'orange', last_value: 1.2 })], EMPTY_FILTER, opts);
    expect(lv.items[0]).toMatchObject({ current_level: 'orange', actions: ['acknowledge'] });
    expect(lv.changed).toEqual([7]);
    const ack = reduceAlarmEvents(lv, [event('acknowledge', { ...a, state: 'acknowledged' })], EMPTY_FILTER, opts);
    expect(ack.items[0].state).toBe('acknowledged');
    expect(ack.items[0].actions).toBeUndefined();
  });

  it('drops a row that no longer matches (closed under "not closed")', () => {
    const a = alarm({ id: 8, state: 'verified', cleared_at: '2026-11-29T10:30:00Z' });
    const f = { ...EMPTY_FILTER, state: ['open', 'acknowledged', 'disposed', 'verified'] };
    const r = reduceAlarmEvents({ items: [a], total: 1 }, [event('close', { ...a, state: 'closed' })], f, opts);
    expect(r.items).toEqual([]);
    expect(r.total).toBe(0);
  });

  it('marks the page stale when a matching alarm off the page moves', () => {
    const f = { ...EMPTY_FILTER, state: ['disposed'] };
    const r = reduceAlarmEvents({ items: [], total: 0 }, [event('dispose', alarm({ id: 9, state: 'disposed' }))], f, opts);
    expect(r.stale).toBe(true);
    expect(r.items).toEqual([]);
  });

  it('applies a batch in order', () => {
    const a = alarm({ id: 10 });
    const r = reduceAlarmEvents({ items: [], total: 0 }, [event('open', a), event('clear', { ...a, cleared_at: '2026-11-29T10:28:00Z' })], EMPTY_FILTER, opts);
    expect(r.items).toHaveLength(1);
    expect(r.items[0].cleared_at).toBe('2026-11-29T10:28:00Z');
    expect(r.total).toBe(1);
  });
});

describe('alarm helpers', () => {
  it('ring for red alarms that open or rise, unplanned and not late', () => {
    expect(ringsFor(event('open', alarm()))).toBe(true);
    expect(ringsFor(event('level', alarm({ current_level: 'red' })))).toBe(true);
    expect(ringsFor(event('open', alarm({ level: 'orange', current_level: 'orange' })))).toBe(false);
    expect(ringsFor(event('open', alarm({ planned: true })))).toBe(false);
    expect(ringsFor(event('open', alarm({ late: true })))).toBe(false);
    expect(ringsFor(event('acknowledge', alarm()))).toBe(false);
  });

  it('count red and orange alarms not closed for the badge', () => {
    expect(countsForBadge({ level: 'orange', state: 'disposed' })).toBe(true);
    expect(countsForBadge({ level: 'red', state: 'closed' })).toBe(false);
    expect(countsForBadge({ level: 'yellow', state: 'open' })).toBe(false);
  });

  it('take the higher level', () => {
    expect(maxLevel(null, 'blue')).toBe('blue');
    expect(maxLevel('orange', 'red')).toBe('red');
    expect(maxLevel('red', 'yellow')).toBe('red');
    expect(maxLevel(undefined, null)).toBeNull();
  });

  it('keep the viewer’s steps from a stream copy only when nothing moved', () => {
    const a = alarm({ actions: ['verify', 'return'], state: 'disposed' });
    expect(fromStream({ ...a, actions: ['dispose'] }, a).actions).toEqual(['verify', 'return']);
    expect(fromStream({ ...a, cleared_at: '2026-11-29T10:40:00Z' }, a).actions).toBeUndefined();
  });
});

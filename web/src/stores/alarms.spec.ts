import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { alarm, event } from '../test/alarms';

vi.mock('../api', () => ({
  api: {
    alarmLevels: vi.fn(async () => ({ mines: { 28: 'orange', 30: 'blue' }, divisions: { 150782: { orange: 1, blue: 1 } } })),
    alarms: vi.fn(async (q: Record<string, unknown>) => {
      if (q.level === 'red') return { items: [alarm({ id: 1, state: 'acknowledged' })], total: 1 };
      return { items: [alarm({ id: 2, level: 'orange', current_level: 'orange' })], total: 2 };
    }),
  },
  STREAM_URL: '/api/v1/stream',
}));
import { api } from '../api';
import { liveHub } from './live';
import { useAlarms } from './alarms';
import { alarmSound } from '../lib/sound';

beforeEach(() => {
  setActivePinia(createPinia());
  liveHub.reset();
  vi.clearAllMocks();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the alarm store', () => {
  it('colours the mines and counts the badge from the API on start', async () => {
    const s = useAlarms();
    s.start({ latest: true });
    await flushPromises();
    expect(liveHub.state(28)?.alarm).toBe('orange');
    expect(liveHub.state(30)?.alarm).toBe('blue');
    expect(s.badge).toBe(3); // 1 red + 2 orange, loop not closed
    expect(vi.mocked(api.alarms).mock.calls[0][0]).toMatchObject({ state: 'open,acknowledged,disposed,verified', limit: 1 });
    expect(s.divisionLevel('150782')).toBe('orange');
    expect(s.latest.map((a) => a.id)).toEqual([2, 1]);
    s.stop({ latest: true });
  });

  it('reduces a batch of stream events: the map at once, the badge, the wall list, one beep', async () => {
    const s = useAlarms();
    s.start({ latest: true });
    await flushPromises();
    const beep = vi.spyOn(alarmSound, 'beep').mockReturnValue(true);
    const batches = vi.fn();
    const off = liveHub.onAlarm(batches);

    const red = alarm({ id: 50, mine_id: 28 });
    const red2 = alarm({ id: 51, mine_id: 30 });
    liveHub.applyAlarm(event('open', red));
    liveHub.applyAlarm(event('open', red2));
    liveHub.applyAlarm(event('level', { ...red, current_level: 'red' }));
    liveHub.applyAlarm(event('open', alarm({ id: 52, mine_id: 31, level: 'yellow', current_level: 'yellow' })));
    liveHub.flush();

    expect(batches).toHaveBeenCalledTimes(1); // one batch per frame
    expect(batches.mock.calls[0][0]).toHaveLength(4);
    expect(liveHub.state(28)?.alarm).toBe('red');
    expect(liveHub.state(30)?.alarm).toBe('red');
    expect(liveHub.state(31)?.alarm).toBe('yellow');
    expect(s.badge).toBe(5);
    expect(s.latest.map((a) => a.id)).toEqual([51, 50, 2, 1]);
    expect(beep).toHaveBeenCalledTimes(1);
    expect(s.lastRed?.id).toBe(50);
    expect(s.flashAt).toBeGreaterThan(0);

    // A close takes it off the badge and the wall; a clear waits for the server.
    liveHub.applyAlarm(event('clear', { ...red, cleared_at: '2026-11-29T10:30:00Z' }));
    liveHub.applyAlarm(event('close', { ...red, state: 'closed', cleared_at: '2026-11-29T10:30:00Z' }));
    liveHub.flush();
    expect(s.badge).toBe(4);
    expect(s.latest.map((a) => a.id)).toEqual([51, 2, 1]);
    expect(liveHub.state(28)?.alarm).toBe('red');
    expect(beep).toHaveBeenCalledTimes(1);
    off();
    beep.mockRestore();
    s.stop({ latest: true });
  });

  it('asks the server again once shortly after a burst, then clears what left', async () => {
    vi.useFakeTimers();
    const s = useAlarms();
    s.start();
    await vi.runOnlyPendingTimersAsync();
    expect(liveHub.state(28)?.alarm).toBe('orange');
    vi.mocked(api.alarmLevels).mockClear();
    vi.mocked(api.alarmLevels).mockResolvedValueOnce({ mines: { 30: 'blue' }, divisions: { 150782: { blue: 1 } } });
    for (let i = 0; i < 20; i++) s.apply([event('clear', alarm({ id: 200 + i, cleared_at: '2026-11-29T10:30:00Z' }))]);
    await vi.advanceTimersByTimeAsync(1100);
    expect(api.alarmLevels).toHaveBeenCalledTimes(1);
    expect(liveHub.state(28)?.alarm).toBeNull();
    expect(liveHub.state(30)?.alarm).toBe('blue');
    s.stop();
  });

  it('keeps the last escalation for the regulator it went to', () => {
    const s = useAlarms();
    s.apply([event('escalate', alarm({ id: 77, escalated_to: 'county' }), 'county')]);
    expect(s.lastEscalation).toMatchObject({ to: 'county', alarm: { id: 77 } });
  });

  it('does not ring for planned or orange alarms', () => {
    const s = useAlarms();
    const beep = vi.spyOn(alarmSound, 'beep').mockReturnValue(true);
    s.apply([event('open', alarm({ planned: true })), event('open', alarm({ level: 'orange', current_level: 'orange' }))]);
    expect(beep).not.toHaveBeenCalled();
    beep.mockRestore();
  });
});

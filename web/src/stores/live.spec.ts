import { describe, expect, it, vi } from 'vitest';
import { LiveHub } from './live';

describe('LiveHub', () => {
  it('marks a mine online by its samples and keeps the latest values', () => {
    const hub = new LiveHub();
    hub.applySample({ mine_id: 7, points: [{ point_id: 1, time: '2026-01-01T00:00:01Z', value: 0.3, status: 0 }] });
    hub.applySample({ mine_id: 7, points: [{ point_id: 1, time: '2026-01-01T00:00:00Z', value: 0.9, status: 0 }] });
    expect(hub.state(7)).toMatchObject({ online: true, monitored: true });
    expect(hub.latestValue(1)?.value).toBe(0.3);
  });

  it('batches state changes for listeners', () => {
    const hub = new LiveHub();
    const seen = vi.fn();
    hub.onStatus(seen);
    hub.applyStatus({ mine_id: 1, online: true, last_seen: '2026-01-01T00:00:00Z' });
    hub.applyStatus({ mine_id: 2, online: false, last_seen: null });
    hub.applyStatus({ mine_id: 1, online: true, last_seen: '2026-01-01T00:00:05Z' });
    hub.flush();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0][0].sort()).toEqual([1, 2]);
    hub.flush();
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('hands hazard events to their listeners until they unsubscribe, and ignores events without a hazard', () => {
    const hub = new LiveHub();
    const seen = vi.fn();
    const off = hub.onHazard(seen);
    const ev = { event: 'escalate', to: 'county', hazard: { id: 9, mine_id: 4, level: 'general', state: 'rectifying' } };
    hub.applyHazard(ev);
    hub.applyHazard({ event: 'plan' } as never);
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0][0]).toEqual(ev);
    off();
    hub.applyHazard(ev);
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('takes the alarm level for the colour function', () => {
    const hub = new LiveHub();
    hub.setAlarm(3, 'yellow');
    expect(hub.state(3)?.alarm).toBe('yellow');
  });

  it('delivers samples to the listeners of that mine only', () => {
    const hub = new LiveHub();
    const a = vi.fn();
    const b = vi.fn();
    const off = hub.onSamples(1, a);
    hub.onSamples(2, b);
    hub.applySample({ mine_id: 1, points: [{ point_id: 9, time: 't', value: 1, status: 0 }] });
    off();
    hub.applySample({ mine_id: 1, points: [{ point_id: 9, time: 'u', value: 2, status: 0 }] });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
  });
});

// Alarms for tests.
import type { Alarm, AlarmEvent } from '../api/types';

let next = 100;

export function alarm(over: Partial<Alarm> = {}): Alarm {
  const id = over.id ?? next++;
  return {
    id,
    mine_id: 28,
    mine_name: '大雁二矿',
    point_id: 671,
    point_code: '15078210000201MN000100100004',
    sensor_type: 'methane',
    kind: 'threshold',
    rule: 'methane.coal_face',
    level: 'red',
    current_level: 'red',
    state: 'open',
    planned: false,
    late: false,
    message: 'methane 1.8 ≥ 1.5 (methane.coal_face)',
    started_at: '2026-11-29T10:27:05Z',
    opened_at: '2026-11-29T10:27:05Z',
    peak_value: 1.8,
    peak_at: '2026-11-29T10:27:05Z',
    last_value: 1.8,
    cleared_at: null,
    acknowledged_at: null,
    acknowledged_by: '',
    cause: '',
    measures: '',
    verified_at: null,
    closed_at: null,
    escalated_to: '',
    region_code: '150782',
    enterprise_id: 2,
    actions: ['acknowledge'],
    ...over,
  };
}

export function event(ev: AlarmEvent['event'], a: Alarm, to?: AlarmEvent['to']): AlarmEvent {
  // The stream carries the mover's steps, or null: never the viewer's.
  return { event: ev, alarm: { ...a, actions: null }, ...(to ? { to } : {}) };
}

// The sensor catalogue (names of sensor types), loaded once.
import { api } from '../api';
import type { LivePoint, Point, SensorInfo } from '../api/types';

let pending: Promise<Map<string, SensorInfo>> | null = null;

export function sensorCatalog(): Promise<Map<string, SensorInfo>> {
  if (!pending) {
    pending = api
      .sensors()
      .then((list) => new Map(list.map((s) => [s.key, s])))
      .catch(() => {
        pending = null;
        return new Map<string, SensorInfo>();
      });
  }
  return pending;
}

export function sensorName(cat: Map<string, SensorInfo>, key: string, locale: string): string {
  const s = cat.get(key);
  if (!s) return key;
  return locale === 'en' ? s.name_en : s.name_zh;
}

/** A value with the sensor's precision (3 decimals when unknown). */
export function sensorValue(cat: Map<string, SensorInfo>, key: string, v: number | null): string {
  if (v === null || v === undefined) return '—';
  const p = cat.get(key)?.precision ?? 3;
  return v.toFixed(p);
}

/** A point's value for people: a switch shows its words (开/关), an analogue value its precision. */
export function pointValue(cat: Map<string, SensorInfo>, p: Pick<LivePoint, 'sensor_type' | 'value'>, def?: Point): string {
  if (p.value === null || p.value === undefined) return '—';
  if (def?.value_type === 'switch') {
    const on = p.value >= 0.5;
    return (on ? def.open_text : def.stop_text) || (on ? '1' : '0');
  }
  return sensorValue(cat, p.sensor_type, p.value);
}

/** Analogue points first (they carry the sparklines), then switches, each by id. */
export function byKind<T extends { point_id: number }>(points: T[], defs: Map<number, Point>): T[] {
  const rank = (p: T) => (defs.get(p.point_id)?.value_type === 'switch' ? 1 : 0);
  return [...points].sort((a, b) => rank(a) - rank(b) || a.point_id - b.point_id);
}

/** MT/T 1201 status bits worth flagging: 1 alarm, 2 power cut, 8 over range, 16 station fault, 128 sensor fault. */
export function statusFlags(status: number): { alarm: boolean; fault: boolean } {
  return { alarm: (status & 1) !== 0 || (status & 2) !== 0, fault: (status & (8 | 16 | 128)) !== 0 };
}

// How a mine looks on the map: its shape says its kind, its colour its
// state. The colour function takes the whole live state, so the alarm level
// (red/orange/yellow/blue, once alarms exist) wins over online/offline
// without touching the map code.
import type { CoverageRow, MineKind, MineStatus } from '../api/types';
import type { AlarmLevel, MineState } from '../stores/live';

export type MapState = `alarm-${AlarmLevel}` | 'offline' | 'online' | 'unmonitored';

/** Legend order, most severe first. */
export const MAP_STATES: MapState[] = ['alarm-red', 'alarm-orange', 'alarm-yellow', 'alarm-blue', 'offline', 'online', 'unmonitored'];

export const STATE_COLOR: Record<MapState, string> = {
  'alarm-red': '#d4001a',
  'alarm-orange': '#f07c00',
  'alarm-yellow': '#e8b800',
  'alarm-blue': '#1f6fd1',
  offline: '#5a6372',
  online: '#1f9d55',
  unmonitored: '#9aa7b8',
};

/** Higher is worse; a cluster takes the worst of its mines. */
export const STATE_SEVERITY: Record<MapState, number> = {
  'alarm-red': 7,
  'alarm-orange': 6,
  'alarm-yellow': 5,
  'alarm-blue': 4,
  offline: 3,
  online: 2,
  unmonitored: 1,
};

export const STATE_LABEL_KEY: Record<MapState, string> = {
  'alarm-red': 'mapState.alarmRed',
  'alarm-orange': 'mapState.alarmOrange',
  'alarm-yellow': 'mapState.alarmYellow',
  'alarm-blue': 'mapState.alarmBlue',
  offline: 'mapState.offline',
  online: 'mapState.online',
  unmonitored: 'mapState.unmonitored',
};

/** The state a mine is drawn in. */
export function mapState(s: Pick<MineState, 'alarm' | 'online' | 'monitored'> | undefined | null): MapState {
  if (!s) return 'unmonitored';
  if (s.alarm) return `alarm-${s.alarm}`;
  if (s.online === true) return 'online';
  // Offline means: it has points and is silent. No points, or not known yet: neutral.
  if (s.online === false && s.monitored === true) return 'offline';
  return 'unmonitored';
}

export function mineColor(s: Pick<MineState, 'alarm' | 'online' | 'monitored'> | undefined | null): string {
  return STATE_COLOR[mapState(s)];
}

export type LayerKey = 'coal' | 'noncoal' | 'tailings';
export const LAYERS: LayerKey[] = ['coal', 'noncoal', 'tailings'];

export function layerOf(kind: MineKind): LayerKey {
  if (kind === 'coal_underground' || kind === 'coal_openpit') return 'coal';
  if (kind === 'tailings_pond') return 'tailings';
  return 'noncoal';
}

export type Shape = 'circle' | 'square' | 'diamond' | 'triangle' | 'pentagon';

export const KIND_SHAPE: Record<MineKind, Shape> = {
  coal_underground: 'circle',
  coal_openpit: 'square',
  metal_underground: 'diamond',
  metal_openpit: 'triangle',
  tailings_pond: 'pentagon',
};

/** An SVG marker of a kind's shape in a colour; dimmed for closed mines. */
export function markerSvg(kind: MineKind, color: string, size = 18, status?: MineStatus): string {
  const s = size;
  const h = s / 2;
  const stroke = `stroke="#fff" stroke-width="${Math.max(1.5, s / 9)}"`;
  const op = status === 'closed' ? ' fill-opacity="0.45"' : '';
  let shape: string;
  switch (KIND_SHAPE[kind]) {
    case 'square':
      shape = `<rect x="2" y="2" width="${s - 4}" height="${s - 4}" rx="2" fill="${color}"${op} ${stroke}/>`;
      break;
    case 'diamond':
      shape = `<polygon points="${h},1 ${s - 1},${h} ${h},${s - 1} 1,${h}" fill="${color}"${op} ${stroke}/>`;
      break;
    case 'triangle':
      shape = `<polygon points="${h},1.5 ${s - 1},${s - 2} 1,${s - 2}" fill="${color}"${op} ${stroke}/>`;
      break;
    case 'pentagon': {
      const pts = [0, 1, 2, 3, 4]
        .map((i) => {
          const a = -Math.PI / 2 + (i * 2 * Math.PI) / 5;
          return `${(h + (h - 1.5) * Math.cos(a)).toFixed(1)},${(h + 1 + (h - 1.5) * Math.sin(a)).toFixed(1)}`;
        })
        .join(' ');
      shape = `<polygon points="${pts}" fill="${color}"${op} ${stroke}/>`;
      break;
    }
    default:
      shape = `<circle cx="${h}" cy="${h}" r="${h - 1.5}" fill="${color}"${op} ${stroke}/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}" aria-hidden="true">${shape}</svg>`;
}

/** Division shading by the share of required mines online now. */
export const COVERAGE_CLASSES: { min: number; color: string }[] = [
  { min: 0.8, color: '#7cc48f' },
  { min: 0.6, color: '#b5dca0' },
  { min: 0.4, color: '#f0e0a0' },
  { min: 0.2, color: '#f3bd8e' },
  { min: 0, color: '#eb9a8a' },
];
export const NO_REQUIRED_COLOR = '#e6eaf0';

export function onlineShare(row: CoverageRow | undefined): number | null {
  if (!row || !row.required) return null;
  return Math.min(1, row.online / row.required);
}

export function divisionFill(row: CoverageRow | undefined): string {
  const share = onlineShare(row);
  if (share === null) return NO_REQUIRED_COLOR;
  return COVERAGE_CLASSES.find((c) => share >= c.min)!.color;
}

/** Division shading by open alarms: the tint of the highest level any of its mines is at. */
export const ALARM_FILL: Record<AlarmLevel, string> = {
  red: '#f19aa1',
  orange: '#f6bd86',
  yellow: '#f1dc82',
  blue: '#a9c7ee',
};
export const NO_ALARM_FILL = '#cfe5d6';
const RANK: Record<AlarmLevel, number> = { red: 4, orange: 3, yellow: 2, blue: 1 };

/** The highest level with at least one mine in a division's counts, or null. */
export function topLevel(counts: Partial<Record<AlarmLevel, number>> | undefined | null): AlarmLevel | null {
  let best: AlarmLevel | null = null;
  for (const [l, n] of Object.entries(counts ?? {}) as [AlarmLevel, number][]) {
    if (n > 0 && l in RANK && (!best || RANK[l] > RANK[best])) best = l;
  }
  return best;
}

export function alarmDivisionFill(counts: Partial<Record<AlarmLevel, number>> | undefined | null): string {
  const l = topLevel(counts);
  return l ? ALARM_FILL[l] : NO_ALARM_FILL;
}

// Times are stored in UTC and shown in Asia/Shanghai (UTC+8).

const TZ = 'Asia/Shanghai';
const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: TZ, hour12: false, ...opts });
    cache.set(key, f);
  }
  return f;
}

function parts(t: string | number | Date): Record<string, string> | null {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return null;
  const out: Record<string, string> = {};
  for (const p of fmt('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(d)) {
    out[p.type] = p.value;
  }
  if (out.hour === '24') out.hour = '00';
  return out;
}

/** "2026-11-29 17:37:10" in Asia/Shanghai. */
export function dateTime(t: string | number | Date | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const p = parts(t);
  if (!p) return '—';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "17:37:10" in Asia/Shanghai. */
export function clock(t: string | number | Date): string {
  const p = parts(t);
  return p ? `${p.hour}:${p.minute}:${p.second}` : '—';
}

/** "11-29 17:37" in Asia/Shanghai, for chart axes. */
export function shortDateTime(t: string | number | Date): string {
  const p = parts(t);
  return p ? `${p.month}-${p.day} ${p.hour}:${p.minute}` : '—';
}

/** A number with at most `digits` decimals, or "—". */
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number(v.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A share 0..1 as a percentage, or "—" when there is no denominator. */
export function percent(part: number, whole: number): string {
  if (!whole) return '—';
  return `${Math.round((part / whole) * 1000) / 10}%`;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(now = new Date()): string {
  const p = parts(now)!;
  return `${p.year}-${p.month}-${p.day}`;
}

// Data the end-to-end run adds through the API: monitoring points with 30
// days of samples, and (for the performance print) many mines.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid 统一社会信用代码 (GB 32100-2015) from 17 characters. */
export function uscc(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  const c = 31 - (sum % 31);
  return first17 + USCC_CHARS[c === 31 ? 0 : c];
}

const SENSORS = [
  { type: 'methane', mtt: '0001', base: 0.25, amp: 0.15, noise: 0.03, location: '15101工作面上隅角', cls: 'upper_corner' },
  { type: 'co', mtt: '0004', base: 6, amp: 4, noise: 1, location: '15101回风巷', cls: '' },
  { type: 'o2', mtt: '0012', base: 20.6, amp: 0.3, noise: 0.05, location: '主要进风巷', cls: '' },
  { type: 'temperature', mtt: '0003', base: 17, amp: 3, noise: 0.2, location: '15101工作面', cls: '' },
  { type: 'wind_speed', mtt: '0002', base: 2.2, amp: 0.4, noise: 0.05, location: '总回风巷', cls: '' },
];

const value = (s, t) => {
  const day = (2 * Math.PI * t) / 86_400_000;
  const v = s.base + s.amp * Math.sin(day) + s.noise * (Math.random() * 2 - 1);
  return Math.max(0, Number(v.toFixed(3)));
};

/**
 * Gives a coal mine monitoring points (MT/T 1201 codes) and 30 days of
 * samples: hourly, then every minute for the last 2 hours. Answers the points.
 */
export async function seedMonitoring(api, mine) {
  const existing = (await api.get(`/api/v1/mines/${mine.id}/points?limit=1000`)).items;
  const points = [];
  for (const s of SENSORS) {
    const code = `${mine.code}01MN${s.mtt}E2E`;
    let p = existing.find((x) => x.code === code);
    if (!p) {
      p = await api.post(`/api/v1/mines/${mine.id}/points`, {
        code,
        sensor_type: s.type,
        location: s.location,
        ...(s.cls ? { location_class: s.cls } : {}),
      });
    }
    points.push({ ...p, sensor: s });
  }
  const now = Date.now();
  const samples = [];
  for (const p of points) {
    for (let t = now - 30 * 86_400_000; t < now - 2 * 3_600_000; t += 3_600_000) samples.push({ point: p.code, time: new Date(t).toISOString(), value: value(p.sensor, t) });
    for (let t = now - 2 * 3_600_000; t <= now - 1000; t += 60_000) samples.push({ point: p.code, time: new Date(t).toISOString(), value: value(p.sensor, t) });
  }
  const res = await api.post('/api/v1/ingest/samples', { mine: mine.code, samples });
  if (res.rejected?.length) throw new Error(`samples refused: ${JSON.stringify(res.rejected.slice(0, 3))}`);
  return points;
}

/** Sends one fresh sample for each point given. */
export async function sendNow(api, mineCode, points, at = new Date(), fixed) {
  const samples = points.map((p) => ({ point: p.code, time: at.toISOString(), value: fixed ?? value(p.sensor ?? SENSORS[1], at.getTime()) }));
  return api.post('/api/v1/ingest/samples', { mine: mineCode, samples });
}

// Division polygons, to place seeded mines inside the division they name.
function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function randomPointIn(feature, rnd) {
  const polys = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const outer = polys.flatMap((p) => p[0]);
  const xs = outer.map((p) => p[0]);
  const ys = outer.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (;;) {
    const pt = [x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)];
    if (polys.some((p) => inRing(pt, p[0]) && !p.slice(1).some((h) => inRing(pt, h)))) return [Number(pt[0].toFixed(5)), Number(pt[1].toFixed(5))];
  }
}

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function pool(items, n, fn) {
  let i = 0;
  const out = new Array(items.length);
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}

/**
 * Registers `count` mines (with 40 enterprises) spread over the divisions,
 * each inside its division. Answers the created mines.
 */
export async function seedMines(api, divisions, count, { seed = 2026 } = {}) {
  const rnd = mulberry32(seed);
  const feats = divisions.features;
  const enterprises = await pool(Array.from({ length: 40 }, (_, i) => i), 8, async (i) => {
    const region = feats[i % feats.length].properties.code;
    const body = {
      name: `性能测试矿业有限公司${String(i + 1).padStart(2, '0')}`,
      uscc: uscc(`91${region}MA${String(1000 + i).padStart(4, '0')}P${'0123456789ABCDEFGH'[i % 18]}${'KLMNPQRTUWXY'[i % 12]}`.slice(0, 17)),
      ownership: 'private',
      region_code: region,
    };
    return api.post('/api/v1/enterprises', body);
  });
  const kinds = ['coal_underground', 'coal_openpit', 'metal_underground', 'metal_openpit', 'metal_underground', 'tailings_pond'];
  const plans = Array.from({ length: count }, (_, i) => {
    const f = feats[Math.floor(rnd() * feats.length)];
    const [lon, lat] = randomPointIn(f, rnd);
    const kind = kinds[Math.floor(rnd() * kinds.length)];
    const ent = enterprises[Math.floor(rnd() * enterprises.length)];
    const body = {
      name: `性能测试矿山${String(i + 1).padStart(4, '0')}`,
      enterprise_id: ent.id,
      region_code: f.properties.code,
      kind,
      status: rnd() < 0.85 ? 'producing' : 'suspended',
      lon,
      lat,
    };
    if (kind === 'tailings_pond') {
      body.tailings = { capacity_10k_m3: 500, final_capacity_10k_m3: 900, dam_height_m: 40, final_dam_height_m: 60, method: 'upstream' };
    }
    return body;
  });
  return pool(plans, 8, (body) => api.post('/api/v1/mines', body));
}

/** One point (free code) on each of the given non-coal mines. */
export async function seedLivePoints(api, mines) {
  return pool(mines, 8, async (m) => {
    const p = await api.post(`/api/v1/mines/${m.id}/points`, { code: 'PERF-CO-1', sensor_type: 'co', location: '主斜井' });
    return { mine: m, point: { ...p, sensor: SENSORS[1] } };
  });
}

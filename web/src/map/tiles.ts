// The optional online base map. By default there is none: the divisions are
// drawn from the embedded vector data, so the map works on a closed network.
// Users with a tile service configure it in the map (stored in this browser);
// a build can preset one with VITE_TILE_URL or VITE_TIANDITU_KEY.
//
// Tiles must be Web Mercator in WGS84/CGCS2000 (天地图 is CGCS2000). Maps
// shown to the public in China need an approved base map (审图号).
import L from 'leaflet';

export type TileConfig =
  | { kind: 'none' }
  | { kind: 'tianditu'; key: string }
  | { kind: 'custom'; url: string; attribution?: string; maxZoom?: number };

const KEY = 'minesafe.tiles';

export function defaultTileConfig(): TileConfig {
  const env = import.meta.env ?? {};
  if (env.VITE_TILE_URL) return { kind: 'custom', url: String(env.VITE_TILE_URL), attribution: env.VITE_TILE_ATTRIBUTION ? String(env.VITE_TILE_ATTRIBUTION) : undefined };
  if (env.VITE_TIANDITU_KEY) return { kind: 'tianditu', key: String(env.VITE_TIANDITU_KEY) };
  return { kind: 'none' };
}

export function loadTileConfig(): TileConfig {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const c = JSON.parse(raw) as TileConfig;
      if (c.kind === 'none' || (c.kind === 'tianditu' && c.key) || (c.kind === 'custom' && c.url)) return c;
    }
  } catch {
    // fall through
  }
  return defaultTileConfig();
}

export function saveTileConfig(c: TileConfig) {
  try {
    localStorage.setItem(KEY, JSON.stringify(c));
  } catch {
    // ignore
  }
}

/** The WMTS (Web Mercator, "w") URL of a 天地图 layer: vec, cva (labels zh), eva (labels en), img, cia. */
export function tiandituUrl(layer: string, key: string): string {
  return `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`;
}

/** The Leaflet layers of a configuration (none for 'none'). */
export function tileLayers(c: TileConfig, locale: string): L.TileLayer[] {
  if (c.kind === 'tianditu') {
    const opts = { subdomains: '01234567', maxZoom: 18, attribution: '© 天地图 tianditu.gov.cn' };
    return [L.tileLayer(tiandituUrl('vec', c.key), opts), L.tileLayer(tiandituUrl(locale === 'en' ? 'eva' : 'cva', c.key), opts)];
  }
  if (c.kind === 'custom') {
    return [L.tileLayer(c.url, { maxZoom: c.maxZoom ?? 18, attribution: c.attribution ?? '' })];
  }
  return [];
}

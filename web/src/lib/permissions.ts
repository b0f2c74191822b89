// What the UI offers. The API decides (and scopes every read); these only
// hide buttons a role could not use (see docs/access.md).
import type { Mine, Principal } from '../api/types';

export const CITY_CODE = '150700';

/** Whether a principal's divisions cover a division code. */
export function coversRegion(p: Principal, code: string): boolean {
  return p.regions.includes(CITY_CODE) || p.regions.includes(code);
}

/** admin and city: every mine; county: mines in its divisions. */
export function canEditMine(p: Principal | null, mine: Pick<Mine, 'region_code' | 'archived_at'>): boolean {
  if (!p || mine.archived_at) return false;
  if (p.role === 'admin' || p.role === 'city') return true;
  if (p.role === 'county') return coversRegion(p, mine.region_code);
  return false;
}

export function canCreateMine(p: Principal | null): boolean {
  return !!p && (p.role === 'admin' || p.role === 'city' || (p.role === 'county' && p.regions.length > 0));
}

/** Only an admin changes a mine's code once it exists. */
export function canChangeCode(p: Principal | null): boolean {
  return p?.role === 'admin';
}

/** Divisions a principal may register mines in (null: any). */
export function editableRegions(p: Principal | null): string[] | null {
  if (!p) return [];
  if (p.role === 'admin' || p.role === 'city') return null;
  if (p.role === 'county') return p.regions.includes(CITY_CODE) ? null : p.regions;
  return [];
}

/**
 * Declaring a maintenance window (alarms in it are planned): the mine's
 * enterprise, admin, city, and the county in its divisions.
 */
export function canDeclareMaintenance(p: Principal | null, mine: Pick<Mine, 'region_code' | 'enterprise_id' | 'archived_at'>): boolean {
  if (!p || mine.archived_at) return false;
  if (p.role === 'admin' || p.role === 'city') return true;
  if (p.role === 'county') return coversRegion(p, mine.region_code);
  if (p.role === 'enterprise') return p.enterprise_id === mine.enterprise_id;
  return false;
}

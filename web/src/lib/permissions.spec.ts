import { describe, expect, it } from 'vitest';
import { canChangeCode, canCreateMine, canDeclareMaintenance, canEditMine, editableRegions } from './permissions';
import type { Principal, Role } from '../api/types';

const p = (role: Role, regions: string[] = [], enterprise_id: number | null = null): Principal => ({
  id: 1, username: role, display_name: role, role, regions, enterprise_id,
});
const mine = (region_code: string, archived_at: string | null = null) => ({ region_code, archived_at });

describe('registry permissions (docs/access.md)', () => {
  it('lets admin and city edit every mine', () => {
    expect(canEditMine(p('admin'), mine('150725'))).toBe(true);
    expect(canEditMine(p('city', ['150700']), mine('150781'))).toBe(true);
  });
  it('lets a county edit only in its divisions', () => {
    expect(canEditMine(p('county', ['150725']), mine('150725'))).toBe(true);
    expect(canEditMine(p('county', ['150725']), mine('150781'))).toBe(false);
    expect(canEditMine(p('county', ['150700']), mine('150781'))).toBe(true);
  });
  it('never offers edits to other roles or archived mines', () => {
    for (const r of ['inspector', 'enterprise', 'rescue', 'observer'] as Role[]) expect(canEditMine(p(r, ['150725'], 2), mine('150725'))).toBe(false);
    expect(canEditMine(p('admin'), mine('150725', '2026-01-01T00:00:00Z'))).toBe(false);
    expect(canEditMine(null, mine('150725'))).toBe(false);
  });
  it('offers registration and code changes to the right roles', () => {
    expect(canCreateMine(p('county', ['150725']))).toBe(true);
    expect(canCreateMine(p('enterprise', [], 2))).toBe(false);
    expect(canChangeCode(p('admin'))).toBe(true);
    expect(canChangeCode(p('city'))).toBe(false);
  });
  it('limits a county to its divisions when registering', () => {
    expect(editableRegions(p('city'))).toBeNull();
    expect(editableRegions(p('county', ['150725', '150724']))).toEqual(['150725', '150724']);
    expect(editableRegions(p('observer'))).toEqual([]);
  });
});

describe('maintenance windows', () => {
  const m = (region_code: string, enterprise_id: number) => ({ region_code, enterprise_id, archived_at: null });
  it('are declared by the mine’s enterprise and the regulators in scope', () => {
    expect(canDeclareMaintenance(p('enterprise', [], 2), m('150782', 2))).toBe(true);
    expect(canDeclareMaintenance(p('enterprise', [], 3), m('150782', 2))).toBe(false);
    expect(canDeclareMaintenance(p('city', ['150700']), m('150782', 2))).toBe(true);
    expect(canDeclareMaintenance(p('county', ['150725']), m('150782', 2))).toBe(false);
    expect(canDeclareMaintenance(p('county', ['150782']), m('150782', 2))).toBe(true);
    expect(canDeclareMaintenance(p('inspector', ['150782']), m('150782', 2))).toBe(false);
    expect(canDeclareMaintenance(p('observer'), m('150782', 2))).toBe(false);
  });
});

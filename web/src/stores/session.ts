// The signed-in principal, the regions and what the header shows.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';
import { ApiError } from '../api/client';
import type { Principal, Region } from '../api/types';
import { CITY_CODE } from '../lib/permissions';

// Whether this browser believes it holds a session. The session cookie is
// HttpOnly, so without this marker a signed-out visit would ask /auth/me and
// log a 401 in the console.
const MARK = 'minesafe.signedIn';
function mark(on: boolean) {
  try {
    if (on) localStorage.setItem(MARK, '1');
    else localStorage.removeItem(MARK);
  } catch {
    // storage blocked: /auth/me is asked every time
  }
}
function marked(): boolean {
  try {
    return localStorage.getItem(MARK) !== null;
  } catch {
    return true;
  }
}

export const useSession = defineStore('session', () => {
  const principal = ref<Principal | null>(null);
  const checked = ref(false);
  const regions = ref<Region[]>([]);
  const enterpriseName = ref('');

  const divisions = computed(() => regions.value.filter((r) => r.level === 'county'));
  const regionName = (code: string) => regions.value.find((r) => r.code === code)?.name ?? code;

  /** The divisions a regional user is limited to, or null for all. */
  const scopeRegions = computed<string[] | null>(() => {
    const p = principal.value;
    if (!p || p.role === 'enterprise') return null;
    if (!p.regions.length || p.regions.includes(CITY_CODE)) return null;
    return p.regions;
  });

  async function loadContext() {
    try {
      regions.value = (await api.regions()).items;
    } catch {
      regions.value = [];
    }
    enterpriseName.value = '';
    const p = principal.value;
    if (p?.role === 'enterprise' && p.enterprise_id) {
      try {
        enterpriseName.value = (await api.enterprise(p.enterprise_id)).name;
      } catch {
        enterpriseName.value = '';
      }
    }
  }

  /** Asks the server who we are (once per page load, or after login). */
  async function check(): Promise<Principal | null> {
    if (checked.value) return principal.value;
    if (!marked()) {
      principal.value = null;
      checked.value = true;
      return null;
    }
    try {
      principal.value = await api.me();
      mark(true);
      await loadContext();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      principal.value = null;
      mark(false);
    }
    checked.value = true;
    return principal.value;
  }

  async function login(username: string, password: string) {
    principal.value = await api.login(username, password);
    checked.value = true;
    mark(true);
    await loadContext();
  }

  async function logout() {
    try {
      await api.logout();
    } finally {
      forget();
    }
  }

  /** The session ended (401 from any call): forget the principal. */
  function forget() {
    principal.value = null;
    checked.value = true;
    enterpriseName.value = '';
    mark(false);
  }

  return { principal, checked, regions, divisions, enterpriseName, scopeRegions, regionName, check, login, logout, forget };
});

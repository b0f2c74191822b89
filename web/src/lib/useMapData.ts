// Data of the map screens: the mines in scope (GeoJSON), the monitoring
// coverage by division, and the live stream. The online state of each mine
// comes from the stream and, for mines it has not mentioned yet, from a
// sweep of /mines/{id}/live.
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { api } from '../api';
import type { CoverageRow, MineFeature } from '../api/types';
import { liveHub } from '../stores/live';

export function useMapData(opts: { refreshMs?: number } = {}) {
  const features = shallowRef<MineFeature[]>([]);
  const dataAt = ref(0);
  const coverage = shallowRef<CoverageRow[] | null>(null);
  const cityCoverage = shallowRef<CoverageRow | null>(null);
  const loading = ref(true);
  const error = ref<unknown>(null);
  const refreshedAt = ref<Date | null>(null);
  let ctrl: AbortController | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let coverageTimer: ReturnType<typeof setTimeout> | null = null;
  let offStatus: (() => void) | null = null;

  async function loadCoverage() {
    try {
      const c = await api.coverage();
      coverage.value = c.divisions;
      cityCoverage.value = c.city;
    } catch {
      // the map works without the shading
    }
  }

  async function load(quiet = false) {
    ctrl?.abort();
    ctrl = new AbortController();
    const signal = ctrl.signal;
    if (!quiet) loading.value = true;
    error.value = null;
    try {
      const [fc] = await Promise.all([api.minesGeoJSON(undefined, signal), loadCoverage()]);
      if (signal.aborted) return;
      dataAt.value = performance.now();
      performance.mark('mines:data');
      features.value = fc.features;
      refreshedAt.value = new Date();
      loading.value = false;
      // Learn what the stream has not told yet, without holding up the map.
      const unknown = fc.features.filter((f) => f.properties.online === undefined).map((f) => f.properties.id);
      liveHub.loadStatus(unknown, signal).catch(() => undefined);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      error.value = e;
      loading.value = false;
    }
  }

  // Online counts change when mines come online or go offline.
  function coverageSoon() {
    if (coverageTimer) return;
    coverageTimer = setTimeout(() => {
      coverageTimer = null;
      loadCoverage();
    }, 5000);
  }

  onMounted(() => {
    liveHub.acquire();
    liveHub.onResync = () => {
      liveHub.reset();
      load(true);
    };
    offStatus = liveHub.onStatus(coverageSoon);
    load();
    if (opts.refreshMs) timer = setInterval(() => load(true), opts.refreshMs);
  });
  onBeforeUnmount(() => {
    ctrl?.abort();
    offStatus?.();
    if (timer) clearInterval(timer);
    if (coverageTimer) clearTimeout(coverageTimer);
    liveHub.onResync = null;
    liveHub.release();
  });

  return { features, dataAt, coverage, cityCoverage, loading, error, refreshedAt, load };
}

/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface ImportMetaEnv {
  readonly VITE_TILE_URL?: string;
  readonly VITE_TILE_ATTRIBUTION?: string;
  readonly VITE_TIANDITU_KEY?: string;
}

interface Window {
  /** Timings the end-to-end run reads (see e2e/). */
  __minesafe?: { mapRenderMs?: number; mapMarkers?: number; liveEvents?: number; alarmBeeps?: number; alarmEvents?: number; alarmFlashes?: number };
}

import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';
import hazards from './modules/hazards';
import enforce from './modules/enforce';
import records from './modules/records';

type Messages = Record<string, unknown>;

/** Deep-merges module message trees into a base (later keys win). */
export function mergeMessages(base: Messages, ...more: Messages[]): Messages {
  const out: Messages = { ...base };
  for (const m of more) {
    for (const [k, v] of Object.entries(m)) {
      const prev = out[k];
      out[k] =
        prev && typeof prev === 'object' && v && typeof v === 'object' && !Array.isArray(v)
          ? mergeMessages(prev as Messages, v as Messages)
          : v;
    }
  }
  return out;
}

const modules = [hazards, enforce, records];
// Typed as the base trees: the modules only add keys.
const messages = {
  'zh-CN': mergeMessages(zhCN, ...modules.map((m) => m['zh-CN'] as Messages)) as typeof zhCN,
  en: mergeMessages(en, ...modules.map((m) => m.en as Messages)) as typeof en,
};

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];
const KEY = 'minesafe.locale';

export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage blocked: use the default
  }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(l: Locale) {
  i18n.global.locale.value = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    // ignore
  }
}

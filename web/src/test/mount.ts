// Mounting helpers for component tests: Element Plus, i18n (zh-CN), pinia
// and a memory router.
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { createI18n } from 'vue-i18n';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defineComponent, h, type Component } from 'vue';
import zhCN from '../i18n/zh-CN';
import en from '../i18n/en';

const Blank = defineComponent({ render: () => h('div') });

export function setup(path = '/') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en }, missingWarn: false, fallbackWarn: false });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/login', name: 'login', component: Blank },
      { path: '/map', name: 'map', component: Blank },
      { path: '/mines', name: 'mines', component: Blank },
      { path: '/mines/new', name: 'mine-new', component: Blank },
      { path: '/mines/:id', name: 'mine', component: Blank },
      { path: '/mines/:id/edit', name: 'mine-edit', component: Blank },
      { path: '/alarms', name: 'alarms', component: Blank },
      { path: '/alarms/:id', name: 'alarm', component: Blank },
      { path: '/wall', name: 'wall', component: Blank },
      { path: '/:rest(.*)*', component: Blank },
    ],
  });
  router.push(path);
  return { pinia, i18n, router };
}

export async function mountWith<C extends Component>(comp: C, opts: ComponentMountingOptions<C> = {}, path = '/') {
  const { pinia, i18n, router } = setup(path);
  await router.isReady();
  const wrapper = mount(comp, {
    ...opts,
    attachTo: document.body,
    global: { plugins: [ElementPlus, pinia, i18n, router], stubs: { transition: false, 'transition-group': false }, ...(opts.global ?? {}) },
  } as ComponentMountingOptions<C>);
  return { wrapper, pinia, i18n, router };
}

export const flush = () => new Promise((r) => setTimeout(r, 0));

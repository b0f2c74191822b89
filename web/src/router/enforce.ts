// Routes of the enforcement screens (plans, inspections, decisions, fines,
// blacklist, seals), children of the app layout.
import type { RouteRecordRaw } from 'vue-router';

export const enforceRoutes: RouteRecordRaw[] = [
  { path: 'enforcement', name: 'enforcement', component: () => import('../views/enforce/EnforcementView.vue') },
];

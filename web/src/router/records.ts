// Routes of the records screens (accidents, production, standardisation,
// supervision staff, the plan's task ledger), children of the app layout.
import type { RouteRecordRaw } from 'vue-router';

export const recordRoutes: RouteRecordRaw[] = [
  { path: 'records', name: 'records', component: () => import('../views/records/RecordsView.vue') },
];

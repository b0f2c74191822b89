// Routes of the records screens (accidents, production, standardisation,
// supervision staff, the plan's task ledger), children of the app layout.
// The list's tabs are ?tab=accidents|production|ledger|facts|standardisation|staff|base.
import type { RouteRecordRaw } from 'vue-router';

export const recordRoutes: RouteRecordRaw[] = [
  { path: 'records', name: 'records', component: () => import('../views/records/RecordsView.vue') },
  { path: 'records/accidents/:id(\\d+)', name: 'record-accident', component: () => import('../views/records/AccidentView.vue') },
];

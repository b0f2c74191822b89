// Routes of the double-prevention screens (risk register, hidden hazards),
// children of the app layout.
import type { RouteRecordRaw } from 'vue-router';

export const hazardRoutes: RouteRecordRaw[] = [
  { path: 'hazards', name: 'hazards', component: () => import('../views/hazards/HazardsView.vue') },
];

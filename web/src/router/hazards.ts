// Routes of the double-prevention screens (risk register, hidden hazards),
// children of the app layout.
import type { RouteRecordRaw } from 'vue-router';

export const hazardRoutes: RouteRecordRaw[] = [
  { path: 'hazards', name: 'hazards', component: () => import('../views/hazards/HazardsView.vue') },
  { path: 'hazards/new', name: 'hazard-new', component: () => import('../views/hazards/HazardNewView.vue') },
  { path: 'hazards/:id(\\d+)', name: 'hazard', component: () => import('../views/hazards/HazardView.vue') },
  { path: 'risks', name: 'risks', redirect: (to) => ({ name: 'hazards', query: { ...to.query, tab: 'risks' } }) },
];

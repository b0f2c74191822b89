// Routes of the enforcement screens (plans, inspections, decisions, fines,
// blacklist, seals), children of the app layout.
import type { RouteRecordRaw } from 'vue-router';

export const enforceRoutes: RouteRecordRaw[] = [
  { path: 'enforcement', name: 'enforcement', component: () => import('../views/enforce/EnforcementView.vue') },
  { path: 'enforcement/inspections/new', name: 'enforcement-inspection-new', component: () => import('../views/enforce/InspectionNewView.vue') },
  { path: 'enforcement/inspections/:id(\\d+)', name: 'enforcement-inspection', component: () => import('../views/enforce/InspectionView.vue') },
  { path: 'enforcement/plans/:id(\\d+)', name: 'enforcement-plan', component: () => import('../views/enforce/PlanView.vue') },
  { path: 'enterprises/:id(\\d+)', name: 'enterprise', component: () => import('../views/enforce/EnterpriseView.vue') },
];

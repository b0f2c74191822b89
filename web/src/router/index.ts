import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSession } from '../stores/session';
import AppLayout from '../components/AppLayout.vue';
import LoginView from '../views/LoginView.vue';
import { hazardRoutes } from './hazards';
import { enforceRoutes } from './enforce';
import { recordRoutes } from './records';

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/wall', name: 'wall', component: () => import('../views/WallView.vue') },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', redirect: { name: 'map' } },
      { path: 'map', name: 'map', component: () => import('../views/MapView.vue') },
      { path: 'mines', name: 'mines', component: () => import('../views/MinesView.vue') },
      { path: 'mines/new', name: 'mine-new', component: () => import('../views/MineEditView.vue') },
      { path: 'mines/:id(\\d+)', name: 'mine', component: () => import('../views/MineView.vue') },
      { path: 'mines/:id(\\d+)/edit', name: 'mine-edit', component: () => import('../views/MineEditView.vue') },
      { path: 'alarms', name: 'alarms', component: () => import('../views/AlarmsView.vue') },
      { path: 'alarms/:id(\\d+)', name: 'alarm', component: () => import('../views/AlarmView.vue') },
      { path: 'dashboard', name: 'dashboard', component: () => import('../views/DashboardView.vue') },
      ...hazardRoutes,
      ...enforceRoutes,
      ...recordRoutes,
      { path: ':rest(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
    ],
  },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

router.beforeEach(async (to) => {
  const session = useSession();
  let principal = session.principal;
  if (!session.checked) {
    try {
      principal = await session.check();
    } catch {
      principal = null; // server unreachable: the login screen says so on submit
    }
  }
  if (to.meta.public) return principal && to.name === 'login' ? { name: 'map' } : true;
  if (!principal) return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/map' ? { redirect: to.fullPath } : {} };
  return true;
});

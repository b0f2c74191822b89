import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { router } from './router';
import { i18n } from './i18n';
import { setUnauthorizedHandler } from './api/client';
import { useSession } from './stores/session';
import { liveHub } from './stores/live';
import { alarmSound } from './lib/sound';
import { useAlarms } from './stores/alarms';
import './style.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(ElementPlus);
app.use(router);

// A 401 from any call means the session ended: back to the login screen.
setUnauthorizedHandler(() => {
  const session = useSession(pinia);
  if (!session.principal) return;
  session.forget();
  liveHub.reset();
  useAlarms(pinia).reset();
  const here = router.currentRoute.value;
  if (here.name !== 'login') router.replace({ name: 'login', query: { redirect: here.fullPath } });
});

// Browsers allow audio only after a gesture: the first key press (e.g. typing
// the password) or click makes the alarm sound possible.
alarmSound.listenForGesture();

app.mount('#app');

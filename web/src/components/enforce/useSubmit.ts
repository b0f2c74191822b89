// One form's submission: busy flag, the API's field messages (422) and a
// refusal (409 wrong state, 403 wrong role, 404, network) with a message.
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { ApiError } from '../../api/client';

export function useSubmit() {
  const { t } = useI18n();
  const busy = ref(false);
  const fields = ref<Record<string, string>>({});
  const refusal = ref<{ status: number; title: string; message: string } | null>(null);

  function reset() {
    fields.value = {};
    refusal.value = null;
  }

  /** Runs the call; answers its result, or undefined when refused (the refusal shown). */
  async function run<T>(call: () => Promise<T>, done?: string): Promise<T | undefined> {
    reset();
    busy.value = true;
    try {
      const out = await call();
      if (done) ElMessage.success(done);
      return out;
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.status === 422) fields.value = { ...e.fields };
        const title =
          e.status === 422
            ? t('enforce.step.invalid')
            : e.status === 409
              ? t('enforce.step.conflict')
              : e.status === 403
                ? t('common.forbidden')
                : e.status === 404
                  ? t('enforce.step.gone')
                  : e.status === 0
                    ? t('common.network')
                    : t('enforce.step.failed');
        refusal.value = { status: e.status, title, message: e.status === 0 ? '' : e.message };
        ElMessage.error(e.status === 422 && Object.keys(e.fields).length ? `${title}：${Object.values(e.fields)[0]}` : `${title}${e.message && e.status ? '：' + e.message : ''}`);
      } else {
        refusal.value = { status: -1, title: t('enforce.step.failed'), message: (e as Error).message };
        ElMessage.error((e as Error).message);
      }
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  /** The API's message for a field (also under a prefix such as `findings[0].`). */
  const err = (name: string) => fields.value[name] ?? '';
  return { busy, fields, refusal, run, reset, err };
}

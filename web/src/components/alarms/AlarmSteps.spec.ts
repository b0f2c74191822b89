import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import AlarmSteps from './AlarmSteps.vue';
import { mountWith } from '../../test/mount';
import { ApiError } from '../../api/client';
import { alarm } from '../../test/alarms';

vi.mock('../../api', () => ({ api: { alarmStep: vi.fn() } }));
import { api } from '../../api';

beforeEach(() => vi.clearAllMocks());
afterEach(() => {
  document.body.innerHTML = '';
});

const itemOf = (el: Element | null) => el?.closest('.el-form-item') as HTMLElement;

describe('AlarmSteps', () => {
  it('shows only the steps in the alarm’s actions', async () => {
    const { wrapper } = await mountWith(AlarmSteps, { props: { alarm: alarm({ state: 'disposed', actions: ['verify', 'return'] }) } });
    expect(wrapper.find('[data-test=step-verify]').exists()).toBe(true);
    expect(wrapper.find('[data-test=step-return]').exists()).toBe(true);
    expect(wrapper.find('[data-test=step-close]').exists()).toBe(false);
    expect(wrapper.find('[data-test=step-dispose]').exists()).toBe(false);
    expect(wrapper.find('textarea[name=reason]').exists()).toBe(true);
  });

  it('says why nothing can be done when there is no step', async () => {
    const { wrapper } = await mountWith(AlarmSteps, { props: { alarm: alarm({ state: 'verified', actions: [], cleared_at: null }) } });
    expect(wrapper.find('[data-test=steps-idle]').text()).toContain('解除后方可关闭');
    expect(wrapper.findAll('form')).toHaveLength(0);
  });

  it('shows the API’s message of each field at that field (422)', async () => {
    vi.mocked(api.alarmStep).mockRejectedValueOnce(
      new ApiError(422, 'invalid', 'some fields are invalid', { cause: 'say what caused it (异常原因)', measures: 'say what was done (处理措施)' }),
    );
    const { wrapper } = await mountWith(AlarmSteps, { props: { alarm: alarm({ id: 9, state: 'acknowledged', actions: ['dispose'] }) } });
    await wrapper.find('[data-test=step-dispose]').trigger('submit');
    await flushPromises();
    await new Promise((r) => setTimeout(r, 250)); // Element Plus shows the error state a moment later
    expect(api.alarmStep).toHaveBeenCalledWith(9, 'dispose', { cause: '', measures: '' });
    expect(itemOf(wrapper.find('textarea[name=cause]').element).textContent).toContain('say what caused it (异常原因)');
    expect(itemOf(wrapper.find('textarea[name=measures]').element).textContent).toContain('say what was done (处理措施)');
    expect(wrapper.emitted('done')).toBeUndefined();
  });

  it('sends cause and measures and reports the alarm after the step', async () => {
    vi.mocked(api.alarmStep).mockResolvedValueOnce(alarm({ id: 9, state: 'disposed', actions: [] }));
    const { wrapper } = await mountWith(AlarmSteps, { props: { alarm: alarm({ id: 9, state: 'acknowledged', actions: ['dispose'] }) } });
    await wrapper.find('textarea[name=cause]').setValue('割煤时瓦斯涌出');
    await wrapper.find('textarea[name=measures]').setValue('断电撤人，加强通风');
    await wrapper.find('[data-test=step-dispose]').trigger('submit');
    await flushPromises();
    expect(api.alarmStep).toHaveBeenCalledWith(9, 'dispose', { cause: '割煤时瓦斯涌出', measures: '断电撤人，加强通风' });
    expect(wrapper.emitted('done')?.[0]).toEqual([expect.objectContaining({ state: 'disposed' }), 'dispose']);
  });

  it('shows a 409 (wrong state) and a 403 (wrong role) above the forms', async () => {
    vi.mocked(api.alarmStep)
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'cannot verify a alarm that is verified (only from disposed)'))
      .mockRejectedValueOnce(new ApiError(403, 'forbidden', 'role observer may not verify'));
    const { wrapper } = await mountWith(AlarmSteps, { props: { alarm: alarm({ state: 'disposed', actions: ['verify'] }) } });
    await wrapper.find('[data-test=step-verify]').trigger('submit');
    await flushPromises();
    const err = wrapper.find('[data-test=step-error]');
    expect(err.attributes('data-status')).toBe('409');
    expect(err.text()).toContain('告警状态已变化');
    expect(err.text()).toContain('only from disposed');
    expect(wrapper.emitted('refused')?.[0]).toEqual([409]);
    // an optional note is left out when empty
    expect(api.alarmStep).toHaveBeenCalledWith(expect.any(Number), 'verify', {});

    await wrapper.find('input[name=note]').setValue('现场核实');
    await wrapper.find('[data-test=step-verify]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=step-error]').attributes('data-status')).toBe('403');
    expect(wrapper.find('[data-test=step-error]').text()).toContain('您的角色无权执行此操作');
    expect(api.alarmStep).toHaveBeenLastCalledWith(expect.any(Number), 'verify', { note: '现场核实' });
  });
});

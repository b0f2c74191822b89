import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import HazardSteps from './HazardSteps.vue';
import { setup } from '../../test/mount';
import { i18n } from '../../i18n';
import { ApiError } from '../../api/client';
import type { Hazard } from '../../api/hazards';
import { useSession } from '../../stores/session';

vi.mock('../../api/hazards', () => ({ hazardsApi: { step: vi.fn(), upload: vi.fn(), fileUrl: (id: number) => `/api/v1/files/${id}` } }));
import { hazardsApi } from '../../api/hazards';

beforeEach(() => vi.clearAllMocks());
afterEach(() => {
  document.body.innerHTML = '';
});

function hazard(over: Partial<Hazard> = {}): Hazard {
  return {
    id: 7, mine_id: 28, mine_name: '大雁二矿', mine_kind: 'coal_underground', region_code: '150782', enterprise_id: 3, level: 'major', source: 'self_inspection',
    alarm_id: null, place: '', hazard_type: '', description: '回风巷瓦斯抽采系统未建成', criterion_code: 'C5.2', criterion_version: 1, criterion_text: '…',
    criterion_confidence: 'V', state: 'reported', deadline: '2026-12-20', overdue: false, overdue_days: 0, reported_at: '2026-11-29T03:00:00Z', reported_by: 'enterprise',
    responsibility: '', measures: '', funds_yuan: null, contingency: '', planned_at: null, planned_by: '', started_at: null, started_by: '', evidence: '',
    rectified_at: null, rectified_by: '', verified_at: null, verified_by: '', closed_at: null, closed_by: '', return_reason: '', return_count: 0, escalated_to: '',
    escalated_at: null, supervised: false, supervised_at: null, supervision_reason: '', actions: ['plan'], ...over,
  };
}

async function mountSteps(h: Hazard, role: 'enterprise' | 'city' = 'enterprise') {
  const { pinia, router } = setup();
  await router.isReady();
  const s = useSession();
  s.principal = { id: 1, username: role, display_name: role, role, regions: role === 'city' ? ['150700'] : [], enterprise_id: role === 'enterprise' ? 3 : null };
  return mount(HazardSteps, { props: { hazard: h }, attachTo: document.body, global: { plugins: [ElementPlus, pinia, i18n, router] } });
}

const itemOf = (el: Element | null) => el?.closest('.el-form-item') as HTMLElement;
const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 250)); // Element Plus shows the error state a moment later
};

describe('HazardSteps', () => {
  it('shows only the steps in the hazard’s actions', async () => {
    const w = await mountSteps(hazard({ state: 'rectified', actions: ['verify', 'return'] }), 'city');
    expect(w.find('[data-test=step-verify]').exists()).toBe(true);
    expect(w.find('[data-test=step-return]').exists()).toBe(true);
    expect(w.find('[data-test=step-close]').exists()).toBe(false);
    expect(w.find('[data-test=step-plan]').exists()).toBe(false);
  });

  it('tells the mine a major hazard waits for the regulator when it has no step', async () => {
    const w = await mountSteps(hazard({ state: 'rectified', actions: [] }));
    expect(w.find('[data-test=steps-idle]').text()).toContain('监管部门');
    expect(w.findAll('form')).toHaveLength(0);
  });

  it('asks a major hazard’s plan for the five fixes before calling the API', async () => {
    const w = await mountSteps(hazard());
    await w.find('[data-test=step-plan]').trigger('submit');
    await settle();
    expect(hazardsApi.step).not.toHaveBeenCalled();
    for (const f of ['input[name=responsibility]', 'textarea[name=measures]', 'textarea[name=contingency]']) {
      expect(itemOf(w.find(f).element).textContent).toContain('必填');
    }
    // filled in, the five fixes go to the API with the funds as whole yuan
    vi.mocked(hazardsApi.step).mockResolvedValueOnce(hazard({ state: 'planned', actions: ['start'] }));
    await w.find('input[name=responsibility]').setValue('通风区 王建国');
    await w.find('textarea[name=measures]').setValue('补建抽采系统');
    await w.find('textarea[name=contingency]').setValue('停产撤人');
    await w.find('[data-test=plan-funds] input').setValue('180000');
    await w.find('[data-test=plan-funds] input').trigger('blur');
    const picker = w.findComponent({ name: 'ElDatePicker' });
    picker.vm.$emit('update:modelValue', '2026-12-10');
    await flushPromises();
    await w.find('[data-test=step-plan]').trigger('submit');
    await flushPromises();
    expect(hazardsApi.step).toHaveBeenCalledWith(7, 'plan', {
      responsibility: '通风区 王建国', measures: '补建抽采系统', funds_yuan: 180000, deadline: '2026-12-10', contingency: '停产撤人',
    });
    expect(w.emitted('done')?.[0]).toEqual([expect.objectContaining({ state: 'planned' }), 'plan']);
  });

  it('shows the API’s message at its field (422) and a 403 above the forms', async () => {
    vi.mocked(hazardsApi.step)
      .mockRejectedValueOnce(new ApiError(422, 'invalid', 'some fields are invalid', { evidence: 'say what was done (整改情况)' }))
      .mockRejectedValueOnce(new ApiError(403, 'forbidden', 'role enterprise may not verify a major hazard'));
    const w = await mountSteps(hazard({ state: 'rectifying', actions: ['rectified'] }));
    await w.find('textarea[name=evidence]').setValue('x');
    await w.find('[data-test=step-rectified]').trigger('submit');
    await settle();
    expect(itemOf(w.find('textarea[name=evidence]').element).textContent).toContain('say what was done (整改情况)');
    await w.find('[data-test=step-rectified]').trigger('submit');
    await flushPromises();
    const err = w.find('[data-test=step-error]');
    expect(err.attributes('data-status')).toBe('403');
    expect(err.text()).toContain('role enterprise may not verify a major hazard');
    expect(w.emitted('refused')?.[0]).toEqual([403]);
  });

  it('uploads photos and attaches them to the rectification', async () => {
    vi.mocked(hazardsApi.upload).mockResolvedValueOnce({ id: 41, name: 'a.png', content_type: 'image/png', size: 10, sha256: '', uploaded_by: 'enterprise', uploaded_at: '' });
    vi.mocked(hazardsApi.step).mockResolvedValueOnce(hazard({ state: 'rectified', actions: [] }));
    const w = await mountSteps(hazard({ state: 'rectifying', actions: ['rectified'] }));
    const input = w.find('[data-test=upload-input]');
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'a.png', { type: 'image/png' });
    Object.defineProperty(input.element, 'files', { value: [file] });
    await input.trigger('change');
    await flushPromises();
    expect(hazardsApi.upload).toHaveBeenCalledWith(file);
    expect(w.find('[data-test=upload-item] img').attributes('src')).toBe('/api/v1/files/41');
    await w.find('textarea[name=evidence]').setValue('已整改');
    await w.find('[data-test=step-rectified]').trigger('submit');
    await flushPromises();
    expect(hazardsApi.step).toHaveBeenCalledWith(7, 'rectified', { evidence: '已整改', attachment_ids: [41] });
  });

  it('needs a reason to return', async () => {
    const w = await mountSteps(hazard({ state: 'rectified', actions: ['verify', 'return'] }), 'city');
    await w.find('[data-test=step-return]').trigger('submit');
    await settle();
    expect(hazardsApi.step).not.toHaveBeenCalled();
    expect(itemOf(w.find('textarea[name=reason]').element).textContent).toContain('必填');
  });
});

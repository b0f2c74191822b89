import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import AccidentForm from './AccidentForm.vue';
import { mountWith } from '../../test/mount';
import { ApiError } from '../../api/client';
import type { Accident } from '../../api/records';

vi.mock('../../api', () => ({
  api: {
    mine: vi.fn(async (id: number) => ({ id, name: '赫尔洪得煤矿', kind: 'coal_underground', region_name: '陈巴尔虎旗' })),
    mines: vi.fn(async () => ({ items: [], total: 0 })),
  },
}));
vi.mock('../../api/records', () => ({ recordsApi: { createAccident: vi.fn(), updateAccident: vi.fn() } }));
import { recordsApi } from '../../api/records';

const accident = (over: Partial<Accident> = {}): Accident => ({
  id: 7, mine_id: 16, mine_code: '150725100001', mine_name: '赫尔洪得煤矿', mine_kind: 'coal_underground', coal: true, region_code: '150725', region_name: '陈巴尔虎旗',
  enterprise_id: 3, occurred_at: '2026-03-10T00:00:00Z', occurred_on: '2026-03-10', type: 'roof', type_name: '顶板', deaths: 3, serious_injuries: 0, direct_loss_yuan: 0,
  contractor_involved: false, narrative: '冒顶', grade: 'larger', grade_name: '较大', grade_rule_version: 2, hazards_open_before_url: '', warnings: [],
  created_at: '', updated_at: '', archived_at: null, archive_reason: '', ...over,
});

const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 50));
  await flushPromises();
};

async function fill(wrapper: Awaited<ReturnType<typeof mountWith>>['wrapper'], field: string, v: string) {
  await wrapper.find(`[data-test=${field}]`).setValue(v);
}

describe('the accident form', () => {
  beforeEach(() => vi.mocked(recordsApi.createAccident).mockReset());

  it('shows the API’s refusals at their fields and above the form', async () => {
    vi.mocked(recordsApi.createAccident).mockRejectedValueOnce(
      new ApiError(422, 'invalid', 'some fields are invalid', { deaths: 'must be a whole number from 0 to 100000', occurred_at: 'must not be in the future', extra: 'odd' }),
    );
    const { wrapper } = await mountWith(AccidentForm, { props: { mineId: 16 } });
    await flushPromises();
    await fill(wrapper, 'acc-occurred', '2099-01-01T10:00');
    await fill(wrapper, 'acc-deaths', '-1');
    await fill(wrapper, 'acc-injuries', '0');
    await fill(wrapper, 'acc-loss', '0');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(vi.mocked(recordsApi.createAccident)).toHaveBeenCalledWith(expect.objectContaining({ mine_id: 16, occurred_at: '2099-01-01T10:00', deaths: -1, serious_injuries: 0 }));
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(2);
    // Element Plus shows a field's message once its state has settled.
    await vi.waitFor(() => {
      const errs = wrapper.findAll('.el-form-item.is-error').map((e) => e.html());
      expect(errs.find((h) => h.includes('data-test="acc-deaths"'))).toContain('must be a whole number from 0 to 100000');
      expect(errs.find((h) => h.includes('data-test="acc-occurred"'))).toContain('must not be in the future');
    });
    expect(wrapper.text()).toContain('extra: odd'); // a field the form does not have
    expect(wrapper.find('[data-test=accident-refusal]').exists()).toBe(true);
    expect(wrapper.emitted('saved')).toBeUndefined();
    wrapper.unmount();
  });

  it('catches what is not a whole number before asking', async () => {
    const { wrapper } = await mountWith(AccidentForm, { props: { mineId: 16 } });
    await fill(wrapper, 'acc-deaths', '2.5');
    await fill(wrapper, 'acc-injuries', 'x');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(vi.mocked(recordsApi.createAccident)).not.toHaveBeenCalled();
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(2);
    wrapper.unmount();
  });

  it('shows the grade the server computed, with the rule version', async () => {
    vi.mocked(recordsApi.createAccident).mockResolvedValueOnce(accident());
    const { wrapper } = await mountWith(AccidentForm, { props: { mineId: 16 } });
    await fill(wrapper, 'acc-deaths', '3');
    await fill(wrapper, 'acc-injuries', '0');
    await fill(wrapper, 'acc-loss', '0');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=acc-result-grade]').attributes('data-grade')).toBe('larger');
    expect(wrapper.emitted('saved')?.[0]).toEqual([accident(), true]);
    wrapper.unmount();
  });

  it('sends only what changed in a correction', async () => {
    const cur = accident();
    vi.mocked(recordsApi.updateAccident).mockResolvedValueOnce(accident({ deaths: 10, grade: 'major' }));
    const { wrapper } = await mountWith(AccidentForm, { props: { accident: cur } });
    await flushPromises();
    await fill(wrapper, 'acc-deaths', '10');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(vi.mocked(recordsApi.updateAccident)).toHaveBeenCalledWith(7, { deaths: 10 });
    expect(wrapper.emitted('saved')?.[0]?.[1]).toBe(false);
    wrapper.unmount();
  });
});

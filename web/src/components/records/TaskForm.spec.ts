import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import TaskForm from './TaskForm.vue';
import { mountWith } from '../../test/mount';
import { ApiError } from '../../api/client';
import type { LedgerTask } from '../../api/records';

vi.mock('../../api', () => ({
  api: {
    mine: vi.fn(async (id: number) => ({ id, name: `矿${id}`, kind: 'coal_underground', region_name: '陈巴尔虎旗' })),
    mines: vi.fn(async () => ({ items: [], total: 0 })),
  },
}));
vi.mock('../../api/records', () => ({ recordsApi: { createTask: vi.fn(), updateTask: vi.fn() } }));
import { recordsApi } from '../../api/records';

const task = (over: Partial<LedgerTask> = {}): LedgerTask => ({
  id: 9, code: 'coal-check', title: '煤矿检查', plan_text: '', plan_ref: '', level: 'mine', recurrence: 'once', first_year: 0, deadline: '2027-12-31',
  binding: { clauses: [{ kinds: ['coal_underground'], statuses: ['producing'] }], include_mine_ids: [5], exclude_mine_ids: [6], regions: null },
  summary: { items: 2, pending: 2, done: 0, verified: 0, due: 0, overdue: 0, completion_pct: 0, verified_pct: 0, undetermined: 0 },
  items: [
    { id: 1, task_id: 9, mine_id: 5, mine_name: '甲矿', region_name: '陈巴尔虎旗', region_code: '150725', bound: true } as never,
    { id: 2, task_id: 9, mine_id: 8, mine_name: '戊矿', region_name: '陈巴尔虎旗', region_code: '150725', bound: true } as never,
  ],
  undetermined: [], archived_at: null, ...over,
});

const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 50));
  await flushPromises();
};

describe('the task form', () => {
  beforeEach(() => {
    vi.mocked(recordsApi.createTask).mockReset();
    vi.mocked(recordsApi.updateTask).mockReset();
  });

  it('shows the API’s refusals at their fields, a clause’s too, and above the form', async () => {
    vi.mocked(recordsApi.createTask).mockRejectedValueOnce(
      new ApiError(422, 'invalid', 'some fields are invalid', { code: 'required: up to 60 characters', 'binding.clauses[0].kinds': 'each must be one of …', odd: 'x' }),
    );
    const { wrapper } = await mountWith(TaskForm, { props: {} });
    await wrapper.find('[data-test=task-title]').setValue('新任务');
    await wrapper.find('[data-test=task-deadline]').setValue('2027-06-30');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(vi.mocked(recordsApi.createTask)).toHaveBeenCalledWith(expect.objectContaining({ title: '新任务', deadline: '2027-06-30', level: 'mine', binding: expect.objectContaining({ clauses: [{}] }) }));
    expect(wrapper.findAll('.el-form-item.is-error').length).toBe(2);
    expect(wrapper.findAll('[data-test=task-clause-0] .el-form-item.is-error').length).toBe(1);
    expect(wrapper.find('[data-test=task-refusal]').exists()).toBe(true);
    expect(wrapper.text()).toContain('odd: x');
    wrapper.unmount();
  });

  it('edits a task: names its mines by hand, patches what changed, shows whom it binds and a 409 as the API says', async () => {
    const cur = task();
    vi.mocked(recordsApi.updateTask).mockResolvedValueOnce({ ...cur, deadline: '2028-01-31' });
    vi.mocked(recordsApi.updateTask).mockRejectedValueOnce(new ApiError(409, 'archived', 'the task is archived'));
    const { wrapper } = await mountWith(TaskForm, { props: { task: cur } });
    await settle();
    expect(wrapper.find('[data-test=task-include-5]').text()).toContain('甲矿');
    expect(wrapper.find('[data-test=task-exclude-6]').text()).toContain('矿6'); // looked up
    expect((wrapper.find('[data-test=task-code]').element as HTMLInputElement).disabled).toBe(true);
    await wrapper.find('[data-test=task-deadline]').setValue('2028-01-31');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(vi.mocked(recordsApi.updateTask)).toHaveBeenCalledWith(9, { deadline: '2028-01-31' });
    const res = wrapper.find('[data-test=task-result]');
    expect(res.attributes('data-owners')).toBe('2');
    expect(res.attributes('data-items')).toBe('2');
    expect(wrapper.emitted('saved')?.[0]?.[1]).toBe(false);

    await wrapper.find('[data-test=task-exclude-6] .el-tag__close').trigger('click');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(vi.mocked(recordsApi.updateTask)).toHaveBeenLastCalledWith(9, { binding: { clauses: [{ kinds: ['coal_underground'], statuses: ['producing'] }], include_mine_ids: [5], exclude_mine_ids: [], regions: [] } });
    expect(wrapper.find('[data-test=task-refusal]').text()).toContain('the task is archived');
    wrapper.unmount();
  });
});

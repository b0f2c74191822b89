import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import MineForm from './MineForm.vue';
import { mountWith } from '../test/mount';
import { useSession } from '../stores/session';
import { ApiError } from '../api/client';
import type { Mine } from '../api/types';

vi.mock('../api', () => ({
  api: {
    enterprises: vi.fn(async () => ({ items: [{ id: 2, name: '国能大雁矿业有限责任公司' }], total: 1 })),
    updateMine: vi.fn(),
    createMine: vi.fn(),
  },
}));
import { api } from '../api';

const mine = {
  id: 27, code: '150782100001', name: '雁南煤矿', enterprise_id: 2, enterprise_name: '国能大雁矿业有限责任公司', region_code: '150782', region_name: '牙克石市',
  kind: 'coal_underground', status: 'producing', capacity: 1.8, capacity_unit: 'Mt/a', mining_depth_m: 400, lon: 120.33, lat: 49.16,
  mining_licence_no: '', mining_licence_expiry: '', safety_licence_no: '', safety_licence_expiry: '', gas_class: 'low', hydro_type: '', rock_burst: '',
  spontaneous_combustion: '', std_grade: '', std_grade_date: '', supervisor: '', insurance_expiry: '', outsourced: false, demo: true, warnings: [],
  created_at: '', updated_at: '', archived_at: null, archive_reason: '',
} as Mine;

async function mountForm() {
  const r = await mountWith(MineForm, { props: { mine } });
  const s = useSession();
  s.principal = { id: 2, username: 'city', display_name: '市局', role: 'city', regions: ['150700'], enterprise_id: null };
  s.regions = [{ code: '150782', name: '牙克石市', parent_code: '150700', level: 'county', seat_lon: null, seat_lat: null }];
  await flushPromises();
  return r.wrapper;
}

function formItemOf(wrapper: Awaited<ReturnType<typeof mountForm>>, name: string) {
  const input = wrapper.find(`input[name="${name}"]`);
  expect(input.exists()).toBe(true);
  return input.element.closest('.el-form-item') as HTMLElement;
}

beforeEach(() => vi.clearAllMocks());
afterEach(() => {
  document.body.innerHTML = '';
});

describe('MineForm', () => {
  it('shows the API message of each invalid field at that field', async () => {
    vi.mocked(api.updateMine).mockRejectedValueOnce(
      new ApiError(422, 'invalid', 'some fields are invalid', { lon: 'must be a number from -180 to 180', name: 'is required' }),
    );
    const wrapper = await mountForm();
    await wrapper.find('input[name="lon"]').setValue('200');
    await wrapper.find('input[name="name"]').setValue('');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await new Promise((r) => setTimeout(r, 250)); // Element Plus debounces the error state

    expect(api.updateMine).toHaveBeenCalledWith(27, { lon: 200, name: '' });
    expect(formItemOf(wrapper, 'lon').textContent).toContain('must be a number from -180 to 180');
    expect(formItemOf(wrapper, 'name').textContent).toContain('is required');
    expect(formItemOf(wrapper, 'lat').textContent).not.toContain('must be');
    expect(wrapper.find('[data-test=form-error]').text()).toContain('请按提示修改标出的字段');
  });

  it('sends only what changed and reports the saved mine', async () => {
    vi.mocked(api.updateMine).mockResolvedValueOnce({ ...mine, name: '雁南煤矿（新）' });
    const wrapper = await mountForm();
    await wrapper.find('input[name="name"]').setValue('雁南煤矿（新）');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(api.updateMine).toHaveBeenCalledWith(27, { name: '雁南煤矿（新）' });
    expect(wrapper.emitted('saved')?.[0]?.[0]).toMatchObject({ name: '雁南煤矿（新）' });
  });

  it('catches a non-number before asking the API', async () => {
    const wrapper = await mountForm();
    await wrapper.find('input[name="capacity"]').setValue('很多');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(api.updateMine).not.toHaveBeenCalled();
    expect(formItemOf(wrapper, 'capacity').classList.contains('is-error')).toBe(true);
  });

  it('locks the code for everyone but an admin', async () => {
    const wrapper = await mountForm();
    expect((wrapper.find('input[name="code"]').element as HTMLInputElement).disabled).toBe(true);
  });
});

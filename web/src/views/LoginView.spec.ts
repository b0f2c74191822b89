import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import LoginView from './LoginView.vue';
import { mountWith } from '../test/mount';
import { ApiError } from '../api/client';

vi.mock('../api', () => ({
  api: {
    login: vi.fn(),
    regions: vi.fn(async () => ({ items: [], total: 0 })),
    enterprise: vi.fn(async () => ({ id: 2, name: '国能大雁矿业有限责任公司' })),
  },
}));
import { api } from '../api';

afterEach(() => {
  document.body.innerHTML = '';
  vi.clearAllMocks();
});

describe('LoginView', () => {
  it('asks for both fields', async () => {
    const { wrapper } = await mountWith(LoginView, {}, '/login');
    await wrapper.find('form').trigger('submit');
    expect(wrapper.find('[data-test=login-error]').text()).toBe('请输入用户名和密码');
    expect(api.login).not.toHaveBeenCalled();
  });

  it('says so when the server refuses', async () => {
    vi.mocked(api.login).mockRejectedValueOnce(new ApiError(401, 'unauthenticated', 'wrong username or password'));
    const { wrapper } = await mountWith(LoginView, {}, '/login');
    await wrapper.find('#login-username').setValue('city');
    await wrapper.find('#login-password').setValue('nope');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=login-error]').text()).toContain('用户名或密码错误');
  });

  it('signs in and goes where the user wanted', async () => {
    vi.mocked(api.login).mockResolvedValueOnce({ id: 5, username: 'enterprise', display_name: '安全管理部', role: 'enterprise', regions: [], enterprise_id: 2 });
    const { wrapper, router } = await mountWith(LoginView, {}, '/login?redirect=/mines/27');
    await wrapper.find('#login-username').setValue('enterprise');
    await wrapper.find('#login-password').setValue('Enterprise#2026demo');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(api.login).toHaveBeenCalledWith('enterprise', 'Enterprise#2026demo');
    expect(router.currentRoute.value.fullPath).toBe('/mines/27');
  });
});

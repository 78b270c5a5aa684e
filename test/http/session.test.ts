/** The session cookie's value: what it holds, when it ends, what a token change does to it. */
import { describe, expect, it } from 'vitest';
import {
  csrfToken,
  isLoopback,
  openSession,
  readSessionValue,
  SESSION_SECONDS,
} from '../../src/http/session.ts';

const config = { adminToken: 'admin-token-0123456789abcdef', viewerToken: 'cashier-token-0123456789ab' };
const now = Date.UTC(2026, 10, 30, 8);

describe('session values', () => {
  it('hold a role and an expiry, never a token', async () => {
    const { session, value } = await openSession(config, 'viewer', now);
    expect(session).toMatchObject({ role: 'viewer', expiresAt: now + SESSION_SECONDS.viewer * 1000 });
    const text = atob((value.split('.')[0] as string).replace(/-/g, '+').replace(/_/g, '/'));
    expect(text).not.toContain(config.viewerToken);
    expect(text).not.toContain(config.adminToken);
    expect(await readSessionValue(config, value, now + 1000)).toEqual(session);
  });

  it('end at their expiry', async () => {
    const { session, value } = await openSession(config, 'admin', now);
    expect(await readSessionValue(config, value, session.expiresAt - 1)).not.toBeNull();
    expect(await readSessionValue(config, value, session.expiresAt)).toBeNull();
  });

  it('changing ADMIN_TOKEN ends every session; changing VIEWER_TOKEN ends only the cashiers', async () => {
    const admin = (await openSession(config, 'admin', now)).value;
    const cashier = (await openSession(config, 'viewer', now)).value;
    const newAdmin = { ...config, adminToken: 'another-admin-token-0123456789' };
    expect(await readSessionValue(newAdmin, admin, now)).toBeNull();
    expect(await readSessionValue(newAdmin, cashier, now)).toBeNull();
    const newCashier = { ...config, viewerToken: 'another-cashier-token-012345' };
    expect(await readSessionValue(newCashier, admin, now)).not.toBeNull();
    expect(await readSessionValue(newCashier, cashier, now)).toBeNull();
    expect(await readSessionValue({ ...config, viewerToken: null }, cashier, now)).toBeNull();
  });

  it('give each session its own CSRF token', async () => {
    const a = (await openSession(config, 'admin', now)).session;
    const b = (await openSession(config, 'admin', now)).session;
    expect(await csrfToken(config, a)).not.toBe(await csrfToken(config, b));
    expect(await csrfToken(config, a)).toBe(await csrfToken(config, a));
  });

  it.each([
    ['localhost', true],
    ['shop.localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['localhost.example', false],
    ['127.0.0.1.nip.io', false],
    ['pay.shop.example', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

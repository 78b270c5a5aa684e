import { describe, expect, it } from 'vitest';
import { type Env, loadConfig } from '../src/env.ts';
import { isSecureOrLoopback } from '../src/lib/urls.ts';

const good = {
  DJOMY_CLIENT_ID: 'djomy-client-1',
  DJOMY_CLIENT_SECRET: 'secret-value-123',
  ADMIN_TOKEN: 'admin-token-0123456789',
  DJOMY_BASE_URL: 'https://sandbox-api.djomy.africa',
} as unknown as Env;

function problemsOf(overrides: Partial<Record<keyof Env, string>>) {
  return loadConfig({ ...good, ...overrides } as Env).problems.map((p) => p.setting);
}

describe('settings', () => {
  it('a complete configuration has no problems and sensible defaults', () => {
    const { config, problems } = loadConfig({ ...good } as Env);
    expect(problems).toEqual([]);
    expect(config.djomy).toMatchObject({
      baseUrl: 'https://sandbox-api.djomy.africa',
      partnerDomain: null,
      timeoutMs: 10_000,
    });
    expect([...config.otpMethods]).toEqual(['OM', 'MOMO', 'PAYCARD']);
    expect(config.defaultCountry).toBe('GN');
    expect(config.openAmount).toBeNull();
    expect(config.merchantWebhook).toBeNull();
  });

  it.each([
    [{ DJOMY_CLIENT_ID: '' }, 'DJOMY_CLIENT_ID'],
    [{ DJOMY_CLIENT_SECRET: ' ' }, 'DJOMY_CLIENT_SECRET'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ DJOMY_BASE_URL: 'http://api.djomy.africa' }, 'DJOMY_BASE_URL'],
    [{ DJOMY_BASE_URL: 'not a url' }, 'DJOMY_BASE_URL'],
    [{ PUBLIC_URL: 'http://shop.example' }, 'PUBLIC_URL'],
    [{ ALLOWED_ORIGINS: 'https://ok.example,ftp://no.example' }, 'ALLOWED_ORIGINS'],
    [{ OTP_METHODS: 'OM,CASH' }, 'OTP_METHODS'],
    [{ OPEN_AMOUNT_MIN: '1000' }, 'OPEN_AMOUNT_MIN/OPEN_AMOUNT_MAX'],
    [{ OPEN_AMOUNT_MIN: '5000', OPEN_AMOUNT_MAX: '10' }, 'OPEN_AMOUNT_MIN/OPEN_AMOUNT_MAX'],
    [{ MERCHANT_WEBHOOK_URL: 'https://shop.example/hook' }, 'MERCHANT_WEBHOOK_SECRET'],
    [
      { MERCHANT_WEBHOOK_URL: 'https://shop.example/hook', MERCHANT_WEBHOOK_SECRET: 'plain' },
      'MERCHANT_WEBHOOK_SECRET',
    ],
    [{ DEFAULT_COUNTRY: 'FR' }, 'DEFAULT_COUNTRY'],
    [{ VIEWER_TOKEN: 'short-cashier' }, 'VIEWER_TOKEN'],
    [{ VIEWER_TOKEN: 'admin-token-0123456789' }, 'VIEWER_TOKEN'],
  ])('%j is reported as a problem with %s', (overrides, setting) => {
    expect(problemsOf(overrides)).toContain(setting);
  });

  it("a cashier token equal to the admin's is refused: cashier sign-in stays closed", () => {
    const { config } = loadConfig({ ...good, VIEWER_TOKEN: good.ADMIN_TOKEN } as Env);
    expect(config.viewerToken).toBeNull();
    expect(config.adminToken).toBe(good.ADMIN_TOKEN);
    expect(loadConfig({ ...good, VIEWER_TOKEN: 'cashier-token-0123456789' } as Env).config.viewerToken).toBe(
      'cashier-token-0123456789',
    );
  });

  it('problems never quote a secret', () => {
    const { problems } = loadConfig({
      ...good,
      ADMIN_TOKEN: 'tiny',
      VIEWER_TOKEN: 'tiny2',
      MERCHANT_WEBHOOK_URL: 'https://x.example',
      MERCHANT_WEBHOOK_SECRET: 'leak-me',
    } as Env);
    expect(JSON.stringify(problems)).not.toMatch(/tiny|leak-me/);
    expect(problems.map((p) => p.setting)).toContain('VIEWER_TOKEN');
  });

  it('http is accepted for loopback hosts only', () => {
    for (const url of [
      'http://localhost:8787',
      'http://127.0.0.1',
      'http://[::1]:1',
      'http://edge.localhost',
      'https://x.example',
    ]) {
      expect(isSecureOrLoopback(new URL(url))).toBe(true);
    }
    for (const url of [
      'http://example.com',
      'http://10.0.0.1',
      'ftp://localhost',
      'http://localhost.example.com',
    ]) {
      expect(isSecureOrLoopback(new URL(url))).toBe(false);
    }
  });

  it('a whsec_ secret that only looks right is refused: it must decode to at least 16 bytes', () => {
    for (const secret of [`whsec_${'A'.repeat(25)}`, 'whsec_c2hvcnQ=', 'whsec_!!!!!!!!!!!!!!!!!!!!!!!!']) {
      expect(
        problemsOf({ MERCHANT_WEBHOOK_URL: 'https://shop.example/hook', MERCHANT_WEBHOOK_SECRET: secret }),
      ).toContain('MERCHANT_WEBHOOK_SECRET');
    }
    expect(
      problemsOf({
        MERCHANT_WEBHOOK_URL: 'https://shop.example/hook',
        MERCHANT_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      }),
    ).toEqual([]);
  });

  it('a plain-http site the operator listed is honoured, with a warning rather than a problem', () => {
    const loaded = loadConfig({
      ...good,
      ALLOWED_ORIGINS: 'http://shop.example, https://ok.example, http://localhost:5173',
    } as Env) as ReturnType<typeof loadConfig> & { warnings?: unknown };
    expect(loaded.problems).toEqual([]);
    expect([...loaded.config.allowedOrigins]).toEqual([
      'http://shop.example',
      'https://ok.example',
      'http://localhost:5173',
    ]);
    expect(loaded.warnings).toEqual([
      { setting: 'ALLOWED_ORIGINS', problem: expect.stringContaining('http://shop.example') },
    ]);
  });
});

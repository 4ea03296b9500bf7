import { describe, expect, it } from 'vitest';
import { base32Decode, totpCode, totpStepSeconds } from '@berth/shared/accounts/totp';
import { asSession, expectError, login, makePerson, password, sessionOf, signIn, useAccountsStack } from './accounts-setup.ts';

const stack = useAccountsStack();

describe('the second factor (TOTP, RFC 6238)', () => {
  it('is enrolled in two steps, then asked for at sign-in; a code works once; a recovery code works once', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const begun = await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp' });
    expect(begun.statusCode, begun.body).toBe(200);
    const { secret, otpauthUri } = begun.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const key = base32Decode(secret);
    // Not yet on: signing in still needs only the password.
    await signIn(stack(), person);

    const confirm = (code: string) => asSession(stack(), session, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code } });
    expectError(await confirm(totpCode(key, Date.now() + 10 * totpStepSeconds * 1000)), 400, 'VALIDATION_FAILED');
    const confirmed = await confirm(totpCode(key, Date.now() - totpStepSeconds * 1000));
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes = confirmed.json().recoveryCodes as string[];
    expect(codes.length).toBeGreaterThanOrEqual(8);

    const noCode = await login(stack(), { email: person.email, password });
    expectError(noCode, 401, 'SECOND_FACTOR_REQUIRED');
    expect(noCode.headers['set-cookie']).toBeUndefined();
    expectError(await login(stack(), { email: person.email, password, totp: '000000' === totpCode(key, Date.now()) ? '111111' : '000000' }), 401, 'SECOND_FACTOR_REQUIRED');
    // The wrong password with a right code: the plain refusal (the code says nothing).
    expectError(await login(stack(), { email: person.email, password: 'not the password', totp: totpCode(key, Date.now()) }), 401, 'UNAUTHORIZED');

    const code = totpCode(key, Date.now() + totpStepSeconds * 1000);
    sessionOf(await login(stack(), { email: person.email, password, totp: code }));
    // The same code again (a replay): refused.
    expectError(await login(stack(), { email: person.email, password, totp: code }), 401, 'SECOND_FACTOR_REQUIRED');

    sessionOf(await login(stack(), { email: person.email, password, recoveryCode: codes[0] }));
    expectError(await login(stack(), { email: person.email, password, recoveryCode: codes[0] }), 401, 'SECOND_FACTOR_REQUIRED');

    // On already: enrolling again would silently turn it off, so it is refused.
    expectError(await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp' }), 409, 'CONFLICT');
  });

  it('is turned off only with the password; then the password alone signs in again', async () => {
    const person = await makePerson(stack());
    const session = await signIn(stack(), person);
    const key = base32Decode((await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp' })).json().secret);
    expect((await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code: totpCode(key, Date.now()) } })).statusCode).toBe(200);
    const disable = (payload: Record<string, unknown>) => asSession(stack(), session, { method: 'POST', url: '/api/auth/totp/disable', payload });
    expectError(await disable({ password: 'not the password' }), 403, 'FORBIDDEN');
    expectError(await disable({}), 400, 'VALIDATION_FAILED');
    expect((await disable({ password })).statusCode).toBe(204);
    await signIn(stack(), person);
  });

  it('belongs to a signed-in person: tokens cannot enrol or turn it off, and a bad code is 400', async () => {
    expectError(await stack().inject({ method: 'POST', url: '/api/auth/totp' }), 403, 'FORBIDDEN');
    expectError(await stack().inject({ method: 'POST', url: '/api/auth/totp/disable', payload: { password } }), 403, 'FORBIDDEN');
    const session = await signIn(stack(), await makePerson(stack()));
    expectError(await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code: '12ab56' } }), 400, 'VALIDATION_FAILED');
    // Confirming before enrolling: no secret to check against.
    expectError(await asSession(stack(), session, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code: '123456' } }), 400, 'VALIDATION_FAILED');
  });
});

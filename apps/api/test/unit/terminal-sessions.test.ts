import { describe, expect, it, vi } from 'vitest';
import { TerminalSessions } from '../../src/terminal/terminal-sessions.ts';

const byPerson = (id: string, credentialKey = `tok-${id}`) => ({ owner: `person:${id}`, credentialKey, personId: id });

describe('TerminalSessions', () => {
  it('caps the sessions per owner (TOO_MANY_TERMINALS), frees a slot once, and ends every session at shutdown', () => {
    const sessions = new TerminalSessions(2);
    const one = { end: vi.fn() };
    const two = { end: vi.fn() };
    const releaseOne = sessions.add(byPerson('a'), one);
    sessions.add(byPerson('a'), two);
    sessions.add(byPerson('b'), { end: vi.fn() });
    expect(() => sessions.assertRoom('person:a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_TERMINALS' }));
    expect(() => sessions.add(byPerson('a'), { end: vi.fn() })).toThrow(expect.objectContaining({ code: 'TOO_MANY_TERMINALS' }));
    releaseOne();
    releaseOne();
    expect(sessions.size).toBe(2);
    sessions.assertRoom('person:a');
    sessions.endAll();
    expect(one.end).not.toHaveBeenCalled();
    expect(two.end).toHaveBeenCalledWith('shutdown');
  });

  it('caps the sessions of the whole process too (MAX_TERMINAL_SESSIONS), whoever opens them', () => {
    const sessions = new TerminalSessions(2, 3);
    const release = sessions.add(byPerson('a'), { end: vi.fn() });
    sessions.add(byPerson('b'), { end: vi.fn() });
    sessions.add({ owner: 'credential:tok-bare', credentialKey: 'tok-bare' }, { end: vi.fn() });
    expect(() => sessions.add(byPerson('c'), { end: vi.fn() })).toThrow(expect.objectContaining({ code: 'TOO_MANY_TERMINALS', message: expect.stringMatching(/MAX_TERMINAL_SESSIONS\b/) }));
    release();
    sessions.add(byPerson('c'), { end: vi.fn() });
    expect(sessions.size).toBe(3);
  });

  it("ends the sessions a revoked credential opened, and a person's whose rights changed, and no one else's", () => {
    const sessions = new TerminalSessions(5);
    const viaOldToken = { end: vi.fn() };
    const viaOtherToken = { end: vi.fn() };
    const someoneElse = { end: vi.fn() };
    const ownerless = { end: vi.fn() };
    sessions.add(byPerson('a', 'tok-old'), viaOldToken);
    sessions.add(byPerson('a', 'tok-other'), viaOtherToken);
    sessions.add(byPerson('b'), someoneElse);
    sessions.add({ owner: 'credential:tok-bare', credentialKey: 'tok-bare' }, ownerless);
    sessions.endForCredential('tok-old');
    expect(viaOldToken.end).toHaveBeenCalledWith('revoked');
    expect(viaOtherToken.end).not.toHaveBeenCalled();
    sessions.endForCredential('tok-bare');
    expect(ownerless.end).toHaveBeenCalledWith('revoked');
    sessions.endForPerson('a');
    expect(viaOtherToken.end).toHaveBeenCalledWith('revoked');
    expect(someoneElse.end).not.toHaveBeenCalled();
  });
});

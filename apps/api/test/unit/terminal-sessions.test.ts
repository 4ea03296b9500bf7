import { describe, expect, it, vi } from 'vitest';
import { TerminalSessions } from '../../src/terminal/terminal-sessions.ts';

describe('TerminalSessions', () => {
  it('caps the sessions per owner (TOO_MANY_TERMINALS), frees a slot once, and ends every session at shutdown', () => {
    const sessions = new TerminalSessions(2);
    const one = { end: vi.fn() };
    const two = { end: vi.fn() };
    const releaseOne = sessions.add('person:a', one);
    sessions.add('person:a', two);
    sessions.add('person:b', { end: vi.fn() });
    expect(() => sessions.assertRoom('person:a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_TERMINALS' }));
    expect(() => sessions.add('person:a', { end: vi.fn() })).toThrow(expect.objectContaining({ code: 'TOO_MANY_TERMINALS' }));
    releaseOne();
    releaseOne();
    expect(sessions.size).toBe(2);
    sessions.assertRoom('person:a');
    sessions.endAll();
    expect(one.end).not.toHaveBeenCalled();
    expect(two.end).toHaveBeenCalledWith('shutdown');
  });
});

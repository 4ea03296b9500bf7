import { describe, expect, it } from 'vitest';
import { buildScopeValue, scopeDockerfile } from '../../src/docker/build-cache-scope.ts';

const label = (scope: string) => `LABEL berth.build-scope=${buildScopeValue(scope)}`;

describe('scopeDockerfile', () => {
  it('puts the scope label right after each FROM, before anything the tenant wrote', () => {
    const text = ['FROM node:24 AS deps', 'RUN npm ci', '', 'FROM deps', 'COPY . .', ''].join('\n');
    expect(scopeDockerfile(text, 'a')).toBe(['FROM node:24 AS deps', label('a'), 'RUN npm ci', '', 'FROM deps', label('a'), 'COPY . .', ''].join('\n'));
  });

  it('gives each project its own value, and the same one every time', () => {
    expect(buildScopeValue('a')).toBe(buildScopeValue('a'));
    expect(buildScopeValue('a')).not.toBe(buildScopeValue('b'));
    expect(buildScopeValue('a')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('follows a FROM continued over lines, with comments and empty lines inside', () => {
    const text = ['# a comment', 'from \\', '  # inside', '', '  node:24 \\  ', '  AS base', 'RUN true'].join('\n');
    expect(scopeDockerfile(text, 'a').split('\n')).toEqual(['# a comment', 'from \\', '  # inside', '', '  node:24 \\  ', '  AS base', label('a'), 'RUN true']);
  });

  it('honours the escape directive (a backtick continues the line, a backslash does not)', () => {
    const text = ['# escape=`', '', 'FROM mcr.microsoft.com/x `', '  AS base', 'RUN dir c:\\'].join('\n');
    expect(scopeDockerfile(text, 'a').split('\n')).toEqual(['# escape=`', '', 'FROM mcr.microsoft.com/x `', '  AS base', label('a'), 'RUN dir c:\\']);
  });

  it('does not treat a FROM inside another instruction as one, nor a word starting with from', () => {
    const text = ['FROM a', 'RUN echo \\', 'FROM b', 'FROMAGE x', 'CMD ["x"]'].join('\n');
    expect(scopeDockerfile(text, 'a').split('\n')).toEqual(['FROM a', label('a'), 'RUN echo \\', 'FROM b', 'FROMAGE x', 'CMD ["x"]']);
  });

  it('keeps CRLF lines and a byte-order mark', () => {
    expect(scopeDockerfile('\uFEFFFROM a\r\nRUN true\r\n', 'a')).toBe(`\uFEFFFROM a\r\n${label('a')}\nRUN true\r\n`);
  });
});

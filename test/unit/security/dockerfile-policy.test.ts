import { describe, expect, it } from 'vitest';
import { assertSafeDockerfile, checkDockerfile } from '../../../apps/worker/src/build/dockerfile-policy.ts';

const lines = (text: string) => checkDockerfile(text).map((v) => v.line);

describe('ADD from a URL is refused, however it is spelled', () => {
  it.each([
    ['plain http', 'FROM berth/node:24\nADD http://127.0.0.1:2019/config/ /x\n'],
    ['https', 'FROM berth/node:24\nADD https://example.com/a.tgz /x\n'],
    ['ftp', 'FROM berth/node:24\nADD ftp://127.0.0.1/secret /x\n'],
    ['upper-case scheme', 'FROM berth/node:24\nADD HTTP://127.0.0.1:6379/ /x\n'],
    ['lower-case instruction', 'from berth/node:24\nadd http://127.0.0.1/ /x\n'],
    ['mixed case', 'FROM berth/node:24\naDd http://127.0.0.1/ /x\n'],
    ['leading whitespace', 'FROM berth/node:24\n   \tADD http://127.0.0.1/ /x\n'],
    ['a flag first', 'FROM berth/node:24\nADD --chown=1000:1000 http://127.0.0.1/ /x\n'],
    ['checksum flag', 'FROM berth/node:24\nADD --checksum=sha256:abc http://127.0.0.1/ /x\n'],
    ['several flags', 'FROM berth/node:24\nADD --chown=1 --chmod=644 --keep-git-dir=true http://127.0.0.1/ /x\n'],
    ['second of several sources', 'FROM berth/node:24\nADD ok.txt http://127.0.0.1/ /x/\n'],
    ['JSON form', 'FROM berth/node:24\nADD ["http://127.0.0.1:2019/config/", "/x"]\n'],
    ['JSON form after a flag', 'FROM berth/node:24\nADD --chown=1 ["ok", "http://127.0.0.1/", "/x/"]\n'],
    ['continued line', 'FROM berth/node:24\nADD \\\n  http://127.0.0.1/ \\\n  /x\n'],
    ['continuation splitting the keyword line', 'FROM berth/node:24\nAD\\\nD http://127.0.0.1/ /x\n'],
    ['comment inside a continuation', 'FROM berth/node:24\nADD \\\n# a comment\n  http://127.0.0.1/ /x\n'],
    ['blank line inside a continuation', 'FROM berth/node:24\nADD \\\n\n  http://127.0.0.1/ /x\n'],
    ['backtick escape', '# escape=`\nFROM berth/node:24\nADD `\n  http://127.0.0.1/ /x\n'],
    ['CRLF line ends', 'FROM berth/node:24\r\nADD \\\r\n http://127.0.0.1/ /x\r\n'],
    ['ONBUILD', 'FROM berth/node:24\nONBUILD ADD http://127.0.0.1/ /x\n'],
    ['onbuild, lower case', 'FROM berth/node:24\nonbuild   add http://127.0.0.1/ /x\n'],
    ['git over ssh, scp form', 'FROM berth/node:24\nADD git@github.com:moby/moby.git /x\n'],
    ['git URL scheme', 'FROM berth/node:24\nADD git://127.0.0.1/repo.git /x\n'],
    ['a .git remote with a ref', 'FROM berth/node:24\nADD github.com/moby/moby.git#v1 /x\n'],
    ['ssh scheme', 'FROM berth/node:24\nADD ssh://git@127.0.0.1/repo /x\n'],
    ['a variable that could hold a URL', 'FROM berth/node:24\nARG SRC=http://127.0.0.1/\nADD $SRC /x\n'],
    ['a braced variable', 'FROM berth/node:24\nENV SRC=http://127.0.0.1/\nADD ${SRC} /x\n'],
    // The builder's shell lexer drops quotes and escapes (measured: both were fetched).
    ['double quotes', 'FROM berth/node:24\nADD "http://127.0.0.1:6379/" /x\n'],
    ['single quotes', "FROM berth/node:24\nADD 'http://127.0.0.1/' /x\n"],
    ['quotes inside the scheme', 'FROM berth/node:24\nADD h"tt"p://127.0.0.1/ /x\n'],
    ['a backslash inside the scheme', 'FROM berth/node:24\nADD h\\ttp://127.0.0.1/ /x\n'],
    ['a backtick inside the scheme', '# escape=`\nFROM berth/node:24\nADD h`ttp://127.0.0.1/ /x\n'],
    ['quoted git remote', 'FROM berth/node:24\nADD "git@github.com:moby/moby.git" /x\n'],
    // Whichever escape character the daemon settles on, no ADD hides in a continuation.
    [
      'hidden behind a backslash while the directive says backtick',
      '# escape=`\nFROM berth/node:24\nRUN echo \\\nADD http://127.0.0.1/ /x\n',
    ],
    [
      'hidden behind a backtick while a look-alike directive is not one',
      'FROM berth/node:24\n# escape=`\nRUN echo `\nADD http://127.0.0.1/ /x\n',
    ],
    ['a directive with leading space', '  # escape=`\nFROM berth/node:24\nRUN echo \\\nADD http://127.0.0.1/ /x\n'],
  ])('%s', (_name, text) => {
    const found = checkDockerfile(text);
    expect(found.length).toBeGreaterThan(0);
    expect(() => assertSafeDockerfile(text)).toThrow(expect.objectContaining({ code: 'UNSAFE_DOCKERFILE' }));
  });

  it('names the line the instruction starts on', () => {
    expect(lines('# a comment\nFROM berth/node:24\n\nRUN echo hi\nADD \\\n  http://127.0.0.1/ /x\n')).toEqual([5]);
    expect(() => assertSafeDockerfile('FROM berth/node:24\nADD http://127.0.0.1:2019/ /x\n')).toThrow(/line 2: ADD http:\/\/127\.0\.0\.1:2019\//);
  });

  it('a directive only counts at the top: later, "# escape=`" is a comment', () => {
    // With the default escape, the backtick is not a continuation: ADD has its own line.
    expect(lines('FROM berth/node:24\n# escape=`\nRUN echo `\nADD http://127.0.0.1/ /x\n')).toEqual([4]);
  });
});

describe('ordinary Dockerfiles pass', () => {
  it.each([
    ['the test app', 'FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nRUN echo "build step"\nCMD ["node", "/app/server.js"]\n'],
    ['ADD of local files and archives', 'FROM berth/node:24\nADD app.tar.gz /app/\nADD --chown=1:1 ["a b.txt", "/x/"]\nADD src/ /src/\n'],
    ['a URL elsewhere than an ADD source', 'FROM berth/node:24\nRUN echo http://127.0.0.1/\nLABEL url=http://example.com\nCOPY http.txt /x\n'],
    ['an ADD destination that looks like a URL part', 'FROM berth/node:24\nADD a.txt /srv/http:/x\n'],
    ['multi-stage COPY --from a stage', 'FROM berth/node:24 AS build\nRUN echo hi\nFROM berth/node:24\nCOPY --from=build /app /app\nCOPY --from=0 /app /app2\n'],
    ['a stage whose name looks like an id', 'FROM berth/node:24 AS abc\nRUN echo hi\nFROM abc\nCOPY --from=abc /app /app\n'],
    ['FROM with a variable', 'ARG BASE=berth/node\nARG TAG=20\nFROM ${BASE}:$TAG\n'],
    ['a base named like berth without the dash', 'FROM berth/node:24\n'],
  ])('%s', (_name, text) => {
    expect(checkDockerfile(text)).toEqual([]);
  });
});

describe("another app's image is refused as a base or a COPY source", () => {
  it.each([
    ['FROM an app image', 'FROM berth-main/k3v9x0q2m7ta:latest\n'],
    ['another installation', 'FROM berth-t1234/abc\n'],
    ['upper case', 'FROM BERTH-MAIN/abc\n'],
    ['with docker.io in front', 'FROM docker.io/berth-main/abc:latest\n'],
    ['by digest', 'FROM berth-main/abc@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'],
    ['with a platform flag and a stage name', 'FROM --platform=linux/amd64 berth-main/abc AS base\n'],
    ['hidden in a global ARG', 'ARG APP=berth-main/abc\nFROM $APP\n'],
    ['hidden in a default', 'FROM ${NOPE:-berth-main/abc}\n'],
    ['an ARG that an ENV in a stage does not override for FROM', 'ARG IMG=berth-main/abc\nFROM berth/node:24\nENV IMG=berth/node:24\nFROM $IMG\n'],
    ['by image id', 'FROM 83f605a0f62e\n'],
    ['by full image id', 'FROM sha256:83f605a0f62e0123456789abcdef0123456789abcdef0123456789abcdef0123\n'],
    // The builder resolves any unique prefix of an id (3, 4, 6, 8 characters were seen to work).
    ['by a short image id', 'FROM 039ec7ea\n'],
    ['by a 3-character image id', 'FROM e27\n'],
    ['COPY --from a short image id', 'FROM berth/node:24\nCOPY --from=7c75fdcc /app /app\n'],
    ['COPY --from an app image', 'FROM berth/node:24\nCOPY --from=berth-main/abc:latest /app /app\n'],
    ['COPY --from after another flag', 'FROM berth/node:24\nCOPY --chown=1 --from=berth-main/abc /app /app\n'],
    ['COPY --from with a variable', 'FROM berth/node:24\nARG X=berth-main/abc\nCOPY --from=$X /app /app\n'],
    ['ONBUILD COPY --from', 'FROM berth/node:24\nONBUILD COPY --from=berth-main/abc /app /app\n'],
    ['lower-case copy', 'FROM berth/node:24\ncopy --FROM=berth-main/abc /app /app\n'],
    ['quoted FROM', 'FROM "berth-main/abc"\n'],
    ['escaped FROM', 'FROM berth-ma\\in/abc\n'],
    ['quoted COPY --from', 'FROM berth/node:24\nCOPY --from="berth-main/abc" /app /app\n'],
  ])('%s', (_name, text) => {
    expect(checkDockerfile(text).length).toBeGreaterThan(0);
  });
});

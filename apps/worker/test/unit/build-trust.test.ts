import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildCaImages, prepareBuildTrust, proxyBuildArgs } from '../../src/build/build-trust.ts';
import { detectBuild } from '../../src/build/detect-build.ts';
import { generateDockerfile } from '../../src/build/generated-dockerfile.ts';
import { loadWorkerConfig } from '../../src/config.ts';
import { maskableSecrets } from '../../src/secret-masking.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'berth-trust-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const proxy = 'http://builder:s3cret@proxy.internal:3128';

/** A stand-in for the engine: records the bundle it was asked to make an image of. */
class FakeCaImages extends BuildCaImages {
  asked: string[] = [];
  override ensure(bundle: Buffer): Promise<string> {
    this.asked.push(bundle.toString());
    return Promise.resolve('berth/build-ca:abc');
  }
}

describe('build proxies', () => {
  it("are Docker's predefined build args, in both cases, only for the settings that are set", () => {
    expect(proxyBuildArgs({ BUILD_HTTPS_PROXY: proxy, BUILD_NO_PROXY: 'localhost,.internal' })).toEqual({
      HTTPS_PROXY: proxy,
      https_proxy: proxy,
      NO_PROXY: 'localhost,.internal',
      no_proxy: 'localhost,.internal',
    });
    expect(proxyBuildArgs({})).toEqual({});
  });

  it("a proxy's password is masked in build logs, the user name beside it is not", () => {
    expect(maskableSecrets({}, null, proxy)).toContain('s3cret');
    expect(maskableSecrets({}, null, proxy)).not.toContain('builder');
  });

  it('the worker refuses a malformed proxy, and a CA file it cannot read or that holds no certificate', () => {
    expect(() => loadWorkerConfig({ BUILD_HTTP_PROXY: 'proxy.internal:3128' })).toThrow(/BUILD_HTTP_PROXY/);
    expect(() => loadWorkerConfig({ BUILD_HTTPS_PROXY: 'http://proxy.internal:3128/path' })).toThrow(/BUILD_HTTPS_PROXY/);
    expect(loadWorkerConfig({ BUILD_HTTP_PROXY: proxy }).BUILD_HTTP_PROXY).toBe(proxy);
    expect(() => loadWorkerConfig({ BUILD_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(/BUILD_CA_FILE: cannot read .*ENOENT/);
    writeFileSync(path.join(dir, 'empty.pem'), 'not a certificate');
    expect(() => loadWorkerConfig({ BUILD_CA_FILE: path.join(dir, 'empty.pem') })).toThrow(/holds no PEM certificate/);
    writeFileSync(path.join(dir, 'ca.pem'), pem);
    expect(loadWorkerConfig({ BUILD_CA_FILE: path.join(dir, 'ca.pem') }).BUILD_CA_FILE).toBe(path.join(dir, 'ca.pem'));
  });
});

describe('the CA bundle', () => {
  const app = {
    paths: new Set(['package.json', 'package-lock.json']),
    texts: { 'package.json': JSON.stringify({ dependencies: { express: '^5' }, scripts: { start: 'node app.js' } }) },
  };
  const offered = { offered: { '24': '24.21.0' }, defaultMajor: '24' };

  it('a generated build copies it from its image into the install stage only, for npm and Corepack', () => {
    const text = generateDockerfile(detectBuild(app, offered), [], { caImage: 'berth/build-ca:abc' });
    const [deps, run] = text.split('\n\n');
    expect(deps).toContain('COPY --from=berth/build-ca:abc ["/ca.pem", "/etc/berth/build-ca.pem"]\nENV NODE_EXTRA_CA_CERTS=/etc/berth/build-ca.pem\nCOPY ["package.json"');
    expect(run).not.toMatch(/build-ca|NODE_EXTRA_CA_CERTS/);
    expect(run).toContain('COPY --from=deps /app/node_modules /app/node_modules');
    // Without a bundle, the Dockerfile is as before (the cache of earlier builds still applies).
    expect(generateDockerfile(detectBuild(app, offered), [])).not.toContain('build-ca');
  });

  it('a generated build gets the image of the bundle; a Dockerfile of its own gets the file in its context', async () => {
    writeFileSync(path.join(dir, 'ca.pem'), pem);
    const settings = { BUILD_CA_FILE: path.join(dir, 'ca.pem') };
    const lines: string[] = [];
    const images = new FakeCaImages();
    const context = path.join(dir, 'context');
    await expect(prepareBuildTrust(settings, context, false, (l) => lines.push(l), images)).resolves.toEqual({ caImage: 'berth/build-ca:abc' });
    expect(images.asked).toEqual([pem]);

    // A link of that name in the source (to a file of the worker's host) is replaced, never written through.
    const hostFile = path.join(dir, 'host-file');
    writeFileSync(hostFile, 'the host');
    mkdirSync(context);
    symlinkSync(hostFile, path.join(context, '.berth-build-ca.pem'));
    await expect(prepareBuildTrust(settings, context, true, (l) => lines.push(l), images)).resolves.toEqual({});
    expect(lstatSync(path.join(context, '.berth-build-ca.pem')).isFile()).toBe(true);
    expect(readFileSync(path.join(context, '.berth-build-ca.pem'), 'utf8')).toBe(pem);
    expect(readFileSync(hostFile, 'utf8')).toBe('the host');
    expect(images.asked).toHaveLength(1);
  });

  it('a bundle gone since the worker started fails the build, saying why; none set, nothing is done', async () => {
    const settings = { BUILD_CA_FILE: path.join(dir, 'gone.pem') };
    await expect(prepareBuildTrust(settings, dir, false, () => {}, new FakeCaImages())).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      message: expect.stringMatching(/BUILD_CA_FILE .*gone.pem cannot be read \(ENOENT\)/),
    });
    const lines: string[] = [];
    await expect(prepareBuildTrust({}, dir, false, (l) => lines.push(l), new FakeCaImages())).resolves.toEqual({});
    expect(lines).toEqual([]);
  });
});

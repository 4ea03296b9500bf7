import { describe, expect, it } from 'vitest';
import { tarGzEntries, zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { stackForFile } from '@berth/testing/stack';

// Issue 27: a start.sh that is executable in the archive must still be when the image runs it
// (extraction used to drop every executable bit: `exec: "./start.sh": permission denied`).

const stack = stackForFile();

/** An app whose image starts it through an executable shell script, as its Dockerfile says. */
function files(format: string) {
  return [
    { name: 'Dockerfile', content: 'FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nCMD ["./start.sh"]\n' },
    { name: 'start.sh', content: `#!/bin/sh\nexport STARTED_BY="start.sh from a ${format}"\nexec node server.js\n`, mode: 0o755 },
    {
      name: 'server.js',
      content: [
        "const { statSync } = require('node:fs');",
        "const mode = (f) => (statSync(f).mode & 0o7777).toString(8);",
        'require("node:http").createServer((req, res) => res.end(JSON.stringify({ by: process.env.STARTED_BY, start: mode("start.sh"), server: mode("server.js"), tool: mode("tool") })))',
        '  .listen(Number(process.env.PORT || 3000));',
      ].join('\n'),
      mode: 0o644,
    },
    // Never setuid, nor writable by others, whatever the archive says.
    { name: 'tool', content: '#!/bin/sh\n', mode: 0o4777 },
  ];
}

async function deployAndAsk(archive: Buffer, filename: string) {
  const d = await createDeployment(stack(), { archive, filename, fields: { name: filename.replace(/\W/g, '-') } });
  const final = await settled(stack(), d.id, 300_000);
  const lines = (await logLines(stack(), d.id)).map((l) => l.line);
  expect(final, lines.join('\n')).toMatchObject({ status: 'running' });
  const ask = () => request(`${stack().caddyUrl}/`, { host: `${d.id}.localhost` });
  await waitFor(`${d.id} through caddy`, async () => ((await ask()).status === 200 ? true : undefined));
  return JSON.parse((await ask()).body) as Record<string, string>;
}

describe('archives keep executable bits', { timeout: 360_000 }, () => {
  it('a zip whose CMD is ./start.sh goes live through Caddy', async () => {
    const zip = await zipEntries(files('zip').map((f) => ({ ...f, ...(f.mode ? { mode: 0o100000 | f.mode } : {}) })));
    expect(await deployAndAsk(zip, 'modes.zip')).toEqual({ by: 'start.sh from a zip', start: '755', server: '644', tool: '755' });
  });

  it('a tar.gz whose CMD is ./start.sh goes live through Caddy', async () => {
    const tgz = await tarGzEntries(files('tar.gz'));
    expect(await deployAndAsk(tgz, 'modes.tar.gz')).toEqual({ by: 'start.sh from a tar.gz', start: '755', server: '644', tool: '755' });
  });
});

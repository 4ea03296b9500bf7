import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

/** A folder as a zip (without .git, and without a top-level node_modules unless a Dockerfile may want it). */
export function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      if (name === 'node_modules' && rel === '' && !existsSync(path.join(dir, 'Dockerfile'))) continue;
      if (name === '.git') continue;
      const child = rel ? `${rel}/${name}` : name;
      const info = statSync(path.join(dir, child));
      if (info.isDirectory()) walk(child);
      else if (info.isFile()) zip.addFile(path.join(dir, child), child);
    }
  };
  walk('');
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

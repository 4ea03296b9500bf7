import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { CliError } from './berth-api.ts';

/** A zip entry's mode for a symbolic link (S_IFLNK | 0777): the worker makes it a link again. */
const LINK_MODE = 0o120777;

/**
 * A folder as a zip (without .git, and without a top-level node_modules unless
 * a Dockerfile may want it). Symbolic links are packed as links, never
 * followed: a link whose target leaves the folder (`public/x -> ~/.aws/credentials`),
 * loops or points at nothing stops the upload with an error naming it, and a link
 * to a parent folder cannot loop the walk. Each link is stored relative to
 * where it sits, to what it really resolves to, so the worker (which refuses
 * absolute links and ones that climb out) makes the same link. Each file
 * keeps its mode (yazl reads it from the file), so an executable script is
 * executable in the image too (the worker keeps only that bit).
 */
export async function zipDirectory(dir: string): Promise<Buffer> {
  // The whole folder is walked and every link checked before the zip reads a byte.
  const zip = new yazl.ZipFile();
  for (const entry of planFolder(dir)) {
    if (entry.kind === 'file') zip.addFile(entry.from, entry.name);
    else if (entry.kind === 'folder') zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(Buffer.from(entry.linkTo), entry.name, { mode: LINK_MODE });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

type PlannedEntry = { kind: 'file'; name: string; from: string } | { kind: 'folder'; name: string } | { kind: 'link'; name: string; linkTo: string };

function planFolder(dir: string): PlannedEntry[] {
  const root = realpathSync.native(dir);
  const skipTopNodeModules = !existsSync(path.join(dir, 'Dockerfile'));
  const excluded = (rel: string) => {
    const parts = rel.split('/');
    return parts.includes('.git') || (skipTopNodeModules && parts[0] === 'node_modules');
  };
  const plan: PlannedEntry[] = [];
  const linkedFolders = new Set<string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      if (excluded(child)) continue;
      const info = lstatSync(path.join(root, child));
      if (info.isSymbolicLink()) {
        const link = linkEntry(root, dir, child, excluded);
        plan.push({ kind: 'link', name: child, linkTo: link.linkTo });
        // A link to a folder needs the folder in the zip even when it holds no file.
        if (link.folder && !linkedFolders.has(link.folder)) {
          linkedFolders.add(link.folder);
          plan.push({ kind: 'folder', name: link.folder });
        }
      } else if (info.isDirectory()) walk(child);
      else if (info.isFile()) plan.push({ kind: 'file', name: child, from: path.join(root, child) });
    }
  };
  walk('');
  return plan;
}

/**
 * What the link at `rel` becomes in the zip: its target, relative and
 * resolved, and (for a link to a folder) that folder's path in the zip.
 */
function linkEntry(root: string, shownDir: string, rel: string, excluded: (rel: string) => boolean): { linkTo: string; folder?: string } {
  const at = path.join(root, rel);
  const shown = `${path.join(shownDir, rel)} -> ${readlinkSync(at)}`;
  let real: string;
  try {
    // The native realpath: fs.realpathSync resolves a target like `b/..` by its name, not through `b`.
    real = realpathSync.native(at);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'loops' : 'points at nothing';
    throw new CliError(`${shown}: the symbolic link ${why}; remove it or make it point at a file in the folder`);
  }
  const inRoot = path.relative(root, real).split(path.sep).join('/');
  if (inRoot.startsWith('../') || inRoot === '..' || path.isAbsolute(inRoot)) {
    throw new CliError(
      `${shown}: the symbolic link leads outside ${shownDir}, so it is not uploaded; copy what it points at into the folder, or remove it`,
    );
  }
  if (inRoot !== '' && excluded(inRoot)) {
    throw new CliError(`${shown}: the symbolic link points into ${inRoot.split('/')[0]}, which is not uploaded`);
  }
  const linkTo = path.relative(path.dirname(at), real).split(path.sep).join('/') || '.';
  return statSync(real).isDirectory() ? { linkTo, folder: inRoot } : { linkTo };
}

/**
 * The mode a file from an uploaded archive gets, the rule git uses: executable
 * (0o755) when the archive marks it executable for anyone, else 0o644. So a
 * `start.sh` packed as `-rwxr-xr-x` still runs (`CMD ["./start.sh"]`), and an
 * archive cannot hand the image a setuid, setgid or sticky file, nor one any
 * user of the container may write: those bits are never copied, only "is it
 * executable". Set with chmod after writing, so the worker's umask (077
 * under `npm run up`) does not decide what the image's users may read.
 */
export function extractedFileMode(archivedMode: number | undefined): number {
  return archivedMode !== undefined && (archivedMode & 0o111) !== 0 ? 0o755 : 0o644;
}

/** Folders the archive makes (asked of mkdir, so the worker's umask may narrow it): only the owner writes. */
export const extractedFolderMode = 0o755;

/**
 * A zip entry's Unix mode: the high 16 bits of its external attributes, which
 * Unix zip tools (and the CLI's yazl) fill in. A zip made on Windows leaves
 * them 0: no executable bit, so 0o644.
 */
export function zipEntryMode(externalFileAttributes: number): number {
  return externalFileAttributes >>> 16;
}

import { mkdir, readFile, readdir, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '@berth/shared/errors';

/**
 * A process limit for image builds.
 *
 * Why a cgroup: Docker's build API (legacy builder, API 1.41) has memory and
 * CPU options but no pids option. Its `ulimits` nproc does not work either:
 * RLIMIT_NPROC counts every process of the uid on the whole host, and the
 * kernel never enforces it for uid 0 (measured here: a build running as root
 * with `nproc=100` started 400 processes). What does work is `cgroupparent`:
 * the build containers are created under a cgroup we made with `pids.max`
 * (measured: a fork loop fails with EAGAIN at the limit, in 0.4 s, and the
 * build fails; the host does not notice).
 *
 * One cgroup per build, not one shared by all builds: a fork bomb in one build
 * must not make a neighbour's build fail, and `pids.peak` of a build's own
 * cgroup tells afterwards whether that build hit the limit (the kernel's
 * `pids.events` is counted in the container's own cgroup, which Docker removes
 * with the container).
 */
export interface BuildCgroups {
  /** Fails when limits cannot be enforced here (called once at start). */
  check(): Promise<void>;
  /** Makes the build's cgroup; returns the `cgroupparent` to give the builder, or undefined when disabled. */
  prepare(key: string): Promise<string | undefined>;
  /** Whether the build's processes reached the limit at some point. */
  hitProcessLimit(key: string): Promise<boolean>;
  /** Removes the build's cgroup (its containers must be gone). */
  release(key: string): Promise<void>;
  /** Keys of the build cgroups that exist now and start with `prefix` (leftovers of crashed workers, too). */
  list(prefix: string): Promise<string[]>;
}

/** The parent of every build cgroup (a path in each cgroup hierarchy). */
const parentName = 'berth-builds';

/** For BUILD_PIDS_MAX=0: builds run without a process limit (an explicit choice of the operator). */
export class NoBuildCgroups implements BuildCgroups {
  async check(): Promise<void> {}
  async prepare(): Promise<undefined> {
    return undefined;
  }
  async hitProcessLimit(): Promise<boolean> {
    return false;
  }
  async release(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
}

/**
 * cgroupfs (v1 or v2) mounted at `root`, as the Docker daemon sees it: this
 * needs Docker's `cgroupfs` driver (with the systemd driver, cgroupparent must
 * be a systemd slice, which we cannot give a pids limit without systemd's API)
 * and a worker that shares the daemon's view of /sys/fs/cgroup (on the host,
 * or in a container with the host's /sys/fs/cgroup mounted read-write).
 */
export class CgroupFsBuildCgroups implements BuildCgroups {
  constructor(
    private readonly pidsMax: number,
    private readonly root = '/sys/fs/cgroup',
  ) {}

  private async isV2(): Promise<boolean> {
    return stat(path.join(this.root, 'cgroup.controllers')).then(
      () => true,
      () => false,
    );
  }

  /** The directory that holds pids.max for the build `key` (or the parent, without a key). */
  private async pidsDir(key?: string): Promise<string> {
    const base = (await this.isV2()) ? this.root : path.join(this.root, 'pids');
    return key ? path.join(base, parentName, key) : path.join(base, parentName);
  }

  async check(): Promise<void> {
    try {
      const parent = await this.pidsDir();
      await mkdir(parent, { recursive: true });
      if (await this.isV2()) {
        // v2: a child gets a pids.max file only if its parent delegates the controller.
        await writeFile(path.join(parent, 'cgroup.subtree_control'), '+pids');
      }
      await readFile(path.join(parent, 'pids.max'), 'utf8');
    } catch (err) {
      throw new BerthError(
        'INTERNAL',
        `BUILD_PIDS_MAX needs a writable cgroup filesystem at ${this.root} with the pids controller ` +
          `(${err instanceof Error ? err.message : String(err)}); set BUILD_PIDS_MAX=0 to build without a process limit`,
        { cause: err },
      );
    }
  }

  async prepare(key: string): Promise<string> {
    const dir = await this.pidsDir(key);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'pids.max'), String(this.pidsMax));
    // Docker's cgroupfs driver takes the path from the root of each hierarchy.
    return `/${parentName}/${key}`;
  }

  async hitProcessLimit(key: string): Promise<boolean> {
    const dir = await this.pidsDir(key);
    const peak = await readFile(path.join(dir, 'pids.peak'), 'utf8').catch(() => undefined);
    if (peak !== undefined) return Number(peak.trim()) >= this.pidsMax;
    // Kernels without pids.peak: fall back to the failed-fork counter.
    const events = await readFile(path.join(dir, 'pids.events'), 'utf8').catch(() => '');
    return /^max\s+[1-9]/m.test(events);
  }

  /** The parent directory in every hierarchy (v1: runc makes the build's path in each of them). */
  private async parents(): Promise<string[]> {
    if (await this.isV2()) return [path.join(this.root, parentName)];
    return (await readdir(this.root).catch(() => [] as string[])).map((h) => path.join(this.root, h, parentName));
  }

  async list(prefix: string): Promise<string[]> {
    const keys = new Set<string>();
    for (const parent of await this.parents()) {
      const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory() && e.name.startsWith(prefix)) keys.add(e.name);
    }
    return [...keys];
  }

  async release(key: string): Promise<void> {
    for (const dir of (await this.parents()).map((parent) => path.join(parent, key))) {
      // A build aborted by its deadline is removed by the daemon a moment after the client leaves.
      for (let attempt = 0; ; attempt++) {
        try {
          await rmdir(dir);
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') break;
          if (attempt >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }
}

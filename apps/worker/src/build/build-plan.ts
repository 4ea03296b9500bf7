import type { Offered } from './node-version.ts';

/**
 * The build plan: what Berth builds when a source has no Dockerfile, decided
 * from its files alone (pure: files in, plan out; detect-build.ts decides it,
 * `generated-dockerfile.ts` turns it into a Dockerfile).
 */

/** What detection reads of a source. */
export interface SourceFiles {
  /** Paths relative to rootDir that exist (files or folders): the top level, and `public/index.html`. */
  paths: ReadonlySet<string>;
  /** The text of the files detection reads, when they exist as regular files. */
  texts: Partial<Record<DetectedFile, string>>;
  /** A Go module's main packages (go-packages.ts); read only when there is a go.mod. */
  go?: GoPackages;
}

/** Where a Go module's main packages are: the root's kind and the `cmd/<name>` folders with .go files. */
export interface GoPackages {
  root: 'main' | 'library' | 'none';
  cmdDirs: string[];
}

/** The files detection reads (generated-build.ts reads each when it is a small regular file). */
export const detectedFiles = [
  'package.json',
  'berth.json',
  '.nvmrc',
  '.node-version',
  'requirements.txt',
  'pyproject.toml',
  'Procfile',
  '.python-version',
  'runtime.txt',
  'go.mod',
] as const;
export type DetectedFile = (typeof detectedFiles)[number];

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** A Node project's install: which files key its layer and what runs. */
export interface InstallStep {
  packageManager: PackageManager;
  /** Copied before the install (manifest, lockfile, `.npmrc`, local `file:` dependencies): the layer's cache key. */
  files: string[];
  /** Shell command; undefined when there is nothing to install. */
  command: string | undefined;
  /** Removes devDependencies after the build (undefined: they stay). */
  prune: string | undefined;
}

export interface NodeBase {
  major: string;
  install: InstallStep;
  /** Shell command (`npm run build`), or undefined. */
  build: string | undefined;
  /** Node's build-stage image has npm (and Corepack); the app's does not unless it needs it. */
  needsCorepack: boolean;
}

/** A Node server: built, then started with `start`. */
export interface NodeAppPlan extends NodeBase {
  kind: 'node';
  /** Shell command the container runs (`sh -c`), or a file for `node`. */
  start: { shell: string } | { node: string };
  /** The start command calls npm / npx / a package manager: the running image keeps npm. */
  startNeedsNpm: boolean;
}

/** A Node project whose build writes a static site (Vite, CRA, Astro static, Next export). */
export interface NodeStaticPlan extends NodeBase {
  kind: 'node-static';
  build: string;
  /** Where the build writes the site; undefined: the first of `dist`, `build`, `out` that exists. */
  outputDir: string | undefined;
  spa: boolean;
}

/** Files served as they are. */
export interface StaticPlan {
  kind: 'static';
  /** `.` or a folder under rootDir. */
  dir: string;
  spa: boolean;
}

/** A Python app: dependencies into a venv in a build stage, the venv and the source in the running image. */
export interface PythonPlan {
  kind: 'python';
  /** The install's layer: the files copied before it (its cache key) and the shell command; undefined without dependencies. */
  install: { files: string[]; command: string } | undefined;
  /** Shell command the container runs (`sh -c`), the venv's bin first on PATH. */
  start: string;
}

/** A Go module: `go build` in a build stage, the static binary alone on `scratch`. */
export interface GoPlan {
  kind: 'go';
  /** Copied before `go mod download` (its layer's key): go.mod, and go.sum when there is one. */
  moduleFiles: string[];
  /** A vendor/ folder: modules come from it (-mod=vendor), nothing is downloaded. */
  vendored: boolean;
  /** The main package `go build` builds: `.` or `./cmd/<name>` (or berth.json's goMain). */
  main: string;
}

export type BuildPlan = (NodeAppPlan | NodeStaticPlan | StaticPlan | PythonPlan | GoPlan) & {
  /** One line per decision and why ("node: 22 from engines.node \">=22\""), for the build log. */
  detected: string[];
};

export interface DetectOptions {
  /** Offered Node majors and their exact versions. */
  offered: Offered;
  /** The major used when the project names none. */
  defaultMajor: string;
}

/** Output folders of common static builds, in the order they are tried. */
export const staticOutputDirs = ['dist', 'build', 'out'] as const;


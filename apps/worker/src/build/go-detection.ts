import { BerthError } from '@berth/shared/errors';
import type { BuildOverrides } from '@berth/shared/build-overrides';
import type { GoPlan, SourceFiles } from './build-plan.ts';
import { assertOverridesFor } from './build-manifests.ts';
import { goRuntime } from './language-runtimes.ts';

/**
 * The plan for a Go module (a go.mod at rootDir): the main package at
 * rootDir built into a static binary. Each decision and why goes to `detected`.
 */
export function detectGo(files: SourceFiles, overrides: BuildOverrides, detected: string[]): GoPlan {
  // The binary runs on scratch: no shell for a start command, no install or build step to replace.
  assertOverridesFor(overrides, ['release', 'goMain'], 'a Go app');
  const goMod = files.texts['go.mod'] ?? '';
  const module = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goMod)?.[2];
  detected.push(`go: ${goRuntime.version} (${goVersionWhy(goMod)}; go.mod${module ? ` of module ${module}` : ''} makes this a Go project)`);
  const vendored = files.paths.has('vendor');
  const moduleFiles = ['go.mod', ...(files.paths.has('go.sum') ? ['go.sum'] : [])];
  const requires = /^\s*require\b/m.test(goMod);
  detected.push(
    vendored
      ? 'modules: from vendor/ (-mod=vendor: nothing downloaded)'
      : requires
        ? `modules: go mod download from GOPROXY (proxy.golang.org unless set) in its own layer, keyed on ${moduleFiles.join(', ')}`
        : 'modules: none required (standard library only: nothing downloaded)',
  );
  const main = mainPackage(files, overrides, detected);
  detected.push(`build: CGO_ENABLED=0 go build -trimpath ${main}: one static binary, run as nobody on scratch with CA certificates`);
  return { kind: 'go', moduleFiles, vendored, main };
}

/**
 * Which main package to build: berth.json's goMain, else the root's when it
 * is `package main`, else the only `cmd/<name>`. Several and no choice is
 * AMBIGUOUS_GO_MAIN; none is NO_START_COMMAND.
 */
function mainPackage(files: SourceFiles, overrides: BuildOverrides, detected: string[]): string {
  if (overrides.goMain) {
    const main = `./${overrides.goMain.replace(/^\.\//, '').replace(/\/$/, '')}`;
    detected.push(`main package: ${main} (goMain in berth.json)`);
    return main;
  }
  const rootSources = [...files.paths].some((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
  const { root, cmdDirs } = files.go ?? { root: rootSources ? 'main' : 'none', cmdDirs: [] };
  if (root === 'main') {
    detected.push('main package: . (the .go files at rootDir are package main)');
    return '.';
  }
  const why = root === 'library' ? 'the package at rootDir is a library' : 'no .go file at rootDir';
  if (cmdDirs.length === 1) {
    detected.push(`main package: ./${cmdDirs[0]} (the only folder under cmd/ with .go files; ${why})`);
    return `./${cmdDirs[0]}`;
  }
  if (cmdDirs.length > 1) {
    throw new BerthError(
      'AMBIGUOUS_GO_MAIN',
      `which program to build? ${why}, and cmd/ has ${cmdDirs.length}: ${cmdDirs.map((d) => `./${d}`).join(', ')}; name one as "goMain" in berth.json (or add a Dockerfile)`,
    );
  }
  throw new BerthError(
    'NO_START_COMMAND',
    `nothing to start: go.mod is here but no main package (${why}, and no cmd/<name> folder has .go files; or name one as "goMain" in berth.json)`,
  );
}

/** Why this toolchain builds the module; UNSUPPORTED_GO_VERSION when go.mod's `go` line is newer. */
function goVersionWhy(goMod: string): string {
  const m = /^\s*go\s+(\d+)\.(\d+)(?:\.\d+|rc\d+|beta\d+)?\s*(?:\/\/.*)?$/m.exec(goMod);
  if (!m) return "Berth's only Go toolchain; go.mod has no go line";
  const [major, minor] = goRuntime.version.split('.').map(Number) as [number, number];
  const asked = [Number(m[1]), Number(m[2])] as const;
  if (asked[0] > major || (asked[0] === major && asked[1] > minor)) {
    throw new BerthError(
      'UNSUPPORTED_GO_VERSION',
      `go.mod asks for Go ${m[1]}.${m[2]} (its go line), newer than Berth's toolchain, Go ${goRuntime.version}; lower the go line or add a Dockerfile`,
    );
  }
  return `go.mod's go line: ${m[1]}.${m[2]}`;
}

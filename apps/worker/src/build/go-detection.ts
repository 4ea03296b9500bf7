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
  assertOverridesFor(overrides, ['release'], 'a Go app');
  const goMod = files.texts['go.mod'] ?? '';
  const module = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goMod)?.[2];
  detected.push(`go: ${goRuntime.version} (${goVersionWhy(goMod)}; go.mod${module ? ` of module ${module}` : ''} makes this a Go project)`);
  if (![...files.paths].some((p) => p.endsWith('.go') && !p.endsWith('_test.go'))) {
    throw new BerthError(
      'NO_START_COMMAND',
      'nothing to start: go.mod is here but no .go file is (the main package must be at rootDir; for ./cmd/<name> layouts add a Dockerfile)',
    );
  }
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
  detected.push('build: CGO_ENABLED=0 go build -trimpath of the package at rootDir: one static binary, run as nobody on scratch with CA certificates');
  return { kind: 'go', moduleFiles, vendored };
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

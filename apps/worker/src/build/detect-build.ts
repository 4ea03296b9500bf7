import { BerthError } from '@berth/shared/errors';
import type { BuildPlan, DetectOptions, SourceFiles } from './build-plan.ts';
import { parsePackageJson, readOverrides } from './build-manifests.ts';
import { detectNode } from './node-detection.ts';
import { detectGo } from './go-detection.ts';
import { detectPython, pythonMarker } from './python-detection.ts';

/** The types detectBuild's callers name (their home is build-plan.ts). */
export type { BuildPlan, SourceFiles } from './build-plan.ts';

/**
 * What Berth builds when a source has no Dockerfile (the plan's types: build-plan.ts). Like railpack,
 * first match wins: a `package.json` is a Node project (node-detection.ts), else a `go.mod` a Go
 * module (go-detection.ts), else a requirements.txt, pyproject.toml, main.py or app.py a Python
 * project (python-detection.ts), else an `index.html` at the root or in `public/` is a static site. A `berth.json` overrides what is detected.
 * Throws MISSING_DOCKERFILE when nothing is detected, or the code of what is wrong.
 */
export function detectBuild(files: SourceFiles, options: DetectOptions): BuildPlan {
  const overrides = readOverrides(files.texts['berth.json']);
  const detected: string[] = [];
  if (files.texts['berth.json'] !== undefined) detected.push(`overrides: berth.json (${Object.keys(overrides).join(', ') || 'no keys'})`);
  const pkgText = files.texts['package.json'];
  if (pkgText !== undefined) return { ...detectNode(files, parsePackageJson(pkgText), overrides, options, detected), detected };
  if (files.paths.has('go.mod')) return { ...detectGo(files, overrides, detected), detected };
  const python = pythonMarker(files);
  if (python) return { ...detectPython(files, overrides, python, detected), detected };

  const dir = overrides.outputDir?.replace(/\/$/, '') ?? (files.paths.has('index.html') ? '.' : files.paths.has('public/index.html') ? 'public' : undefined);
  if (dir === undefined) {
    throw new BerthError(
      'MISSING_DOCKERFILE',
      'no Dockerfile, package.json, go.mod, Python project or index.html found (a Dockerfile is built; a package.json is a Node project; a go.mod a Go module; a requirements.txt, pyproject.toml, main.py or app.py a Python project; an index.html, at the root or in public/, is a static site)',
    );
  }
  const spa = overrides.spa ?? false;
  detected.push(
    overrides.outputDir
      ? `static site: ${dir}/ (outputDir in berth.json; no package.json)`
      : `static site: ${dir === '.' ? 'index.html at the root' : 'public/index.html'} and no package.json`,
  );
  detected.push(spa ? 'single-page app: unknown paths get /index.html (spa in berth.json)' : 'pages: unknown paths are 404 (set "spa": true in berth.json for a single-page app)');
  return { kind: 'static', dir, spa, detected };
}

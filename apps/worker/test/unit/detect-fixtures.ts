import { detectBuild, type BuildPlan, type SourceFiles } from '../../src/build/detect-build.ts';
import { detectedFiles, type DetectedFile, type GoPackages } from '../../src/build/build-plan.ts';
import { packageName, rootKind } from '../../src/build/go-packages.ts';

// What the detect-*.test.ts files build their cases from: sources made of file names and contents.
export const offered = { '20': '20.20.2', '22': '22.23.3', '24': '24.21.0', '26': '26.10.0' };
export const options = { offered, defaultMajor: '24' };

/** A source from file names and contents (JSON values are stringified). */
export function source(files: Record<string, unknown>): SourceFiles {
  const paths = new Set<string>();
  const texts: SourceFiles['texts'] = {};
  for (const [name, content] of Object.entries(files)) {
    paths.add(name.startsWith('public/') ? name : name.split('/')[0]!);
    if (name === 'public/index.html') paths.add('public');
    if ((detectedFiles as readonly string[]).includes(name)) {
      texts[name as DetectedFile] =  typeof content === 'string' ? content : JSON.stringify(content);
    }
  }
  return { paths, texts, ...(paths.has('go.mod') ? { go: goPackages(files) } : {}) };
}

/** What go-packages.ts reads from a context, from the same names and contents. */
function goPackages(files: Record<string, unknown>): GoPackages {
  const names = Object.keys(files).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
  const clauses = names.filter((n) => !n.includes('/')).map((n) => packageName(String(files[n])));
  const cmdDirs = [...new Set(names.map((n) => /^(cmd\/[^/]+)\/[^/]+$/.exec(n)?.[1]).filter((d) => d !== undefined))].sort();
  return { root: rootKind(clauses), cmdDirs };
}

export const detect = (files: Record<string, unknown>) => detectBuild(source(files), options);
export const failure = (files: Record<string, unknown>) => {
  try {
    detect(files);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('detection did not fail');
};
export const node = (plan: BuildPlan) => {
  if (plan.kind !== 'node') throw new Error(`expected a Node app, got ${plan.kind}`);
  return plan;
};

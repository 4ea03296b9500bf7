import { BerthError } from '@berth/shared/errors';
import type { BuildOverrides } from '@berth/shared/build-overrides';
import type { PythonPlan, SourceFiles } from './build-plan.ts';
import { assertOverridesFor } from './build-manifests.ts';
import { pyprojectDependencies, requirementNames, requirementsIncludes } from './python-manifests.ts';
import { pythonRuntime } from './language-runtimes.ts';

/** Why a source is a Python project, or undefined when it is not (requirements.txt, pyproject.toml, main.py, app.py, a Procfile beside .py files). */
export function pythonMarker(files: SourceFiles): string | undefined {
  const marker = ['requirements.txt', 'pyproject.toml', 'main.py', 'app.py'].find((f) => files.paths.has(f));
  if (marker) return marker;
  if (files.paths.has('Procfile') && [...files.paths].some((p) => p.endsWith('.py'))) return 'Procfile and .py files';
  return undefined;
}

/**
 * The plan for a Python project: its version (checked against the one Berth
 * offers), its install (requirements.txt, else pyproject.toml's [project]
 * dependencies) and its start command. Each decision and why goes to `detected`.
 */
export function detectPython(files: SourceFiles, overrides: BuildOverrides, marker: string, detected: string[]): PythonPlan {
  assertOverridesFor(overrides, ['install', 'start', 'release'], 'a Python app');
  detected.push(`python: ${pythonRuntime.version} (${pythonVersionWhy(files)}; ${marker} makes this a Python project)`);
  const { install, deps } = installOf(files, overrides, detected);
  const start = startOf(files, overrides, deps);
  detected.push(`start: ${start.command} (${start.why})`);
  return { kind: 'python', install, start: start.command };
}

/** Why the offered Python serves this project; UNSUPPORTED_PYTHON_VERSION when a version file asks for another. */
function pythonVersionWhy(files: SourceFiles): string {
  const firstLine = (text: string | undefined) => text?.split('\n').map((l) => l.replace(/#.*/, '').trim()).find(Boolean);
  const asked: [string | undefined, string][] = [
    [firstLine(files.texts['.python-version']), '.python-version'],
    [firstLine(files.texts['runtime.txt']), 'runtime.txt'],
  ];
  const found = asked.find(([spec]) => spec !== undefined);
  if (!found) return `Berth's only Python; no .python-version or runtime.txt`;
  const [spec, where] = found as [string, string];
  // "3.11", "3.11.4", "python-3.11.4" (runtime.txt), "3": the offered minor, any patch.
  const m = /^(?:python-?)?(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(spec);
  const [major, minor] = pythonRuntime.version.split('.');
  if (!m || m[1] !== major || (m[2] !== undefined && m[2] !== minor)) {
    throw new BerthError('UNSUPPORTED_PYTHON_VERSION', `${where} asks for Python "${spec}", which Berth does not offer; offered: ${pythonRuntime.version}`);
  }
  return `${where}: "${spec}"`;
}

function installOf(files: SourceFiles, overrides: BuildOverrides, detected: string[]): { install: PythonPlan['install']; deps: Set<string> } {
  const requirements = files.texts['requirements.txt'];
  const pyproject = files.texts['pyproject.toml'];
  const keyFiles = ['requirements.txt', 'pyproject.toml'].filter((f) => files.paths.has(f));
  if (requirements !== undefined) keyFiles.push(...requirementsIncludes(requirements));
  const deps = new Set(requirements !== undefined ? requirementNames(requirements.split('\n')) : pyproject !== undefined ? requirementNames(pyprojectDependencies(pyproject)) : []);
  const layer = `its own layer, keyed on ${keyFiles.join(', ')}`;
  if (overrides.install) {
    detected.push(`install: ${overrides.install} (berth.json; ${keyFiles.length ? layer : 'no manifest: its own layer'})`);
    return { install: { files: keyFiles, command: overrides.install }, deps };
  }
  if (requirements !== undefined) {
    const command = 'pip install --no-cache-dir -r requirements.txt';
    detected.push(`install: ${command} into a venv (${layer})`);
    return { install: { files: keyFiles, command }, deps };
  }
  const listed = pyproject === undefined ? [] : pyprojectDependencies(pyproject);
  if (listed.length) {
    const command = `pip install --no-cache-dir ${listed.map(shellQuote).join(' ')}`;
    detected.push(`install: the ${listed.length} dependencies of pyproject.toml's [project] into a venv (${layer})`);
    return { install: { files: keyFiles, command }, deps };
  }
  detected.push(
    pyproject === undefined
      ? 'install: nothing to install (no requirements.txt or pyproject.toml): the standard library only'
      : "install: nothing to install (pyproject.toml has no [project] dependencies; Poetry's are not read: add a requirements.txt)",
  );
  return { install: undefined, deps };
}

function startOf(files: SourceFiles, overrides: BuildOverrides, deps: Set<string>): { command: string; why: string } {
  if (overrides.start) return { command: overrides.start, why: 'berth.json' };
  const web = files.texts.Procfile?.split('\n').map((l) => /^web:\s*(.+?)\s*$/.exec(l)?.[1]).find(Boolean);
  if (web) return { command: web, why: "the Procfile's web line" };
  const module = ['app.py', 'main.py', 'wsgi.py'].find((f) => files.paths.has(f))?.replace(/\.py$/, '');
  if (module && deps.has('gunicorn')) {
    const worker = deps.has('uvicorn') ? ' -k uvicorn.workers.UvicornWorker' : '';
    return {
      command: `exec gunicorn ${module}:app${worker} --bind 0.0.0.0:$PORT`,
      why: `gunicorn${worker ? ' and uvicorn are' : ' is'} in the dependencies, serving the object app of ${module}.py`,
    };
  }
  if (module && deps.has('uvicorn')) {
    return { command: `exec uvicorn ${module}:app --host 0.0.0.0 --port $PORT`, why: `uvicorn is in the dependencies, serving the object app of ${module}.py` };
  }
  const script = ['main.py', 'app.py'].find((f) => files.paths.has(f));
  if (script) return { command: `exec python ${script}`, why: `${script} (no Procfile web line, gunicorn or uvicorn); it listens on $PORT itself` };
  throw new BerthError(
    'NO_START_COMMAND',
    'nothing to start: this Python project has no Procfile web line, no main.py or app.py (nor app.py/main.py/wsgi.py for gunicorn or uvicorn), and berth.json sets no start',
  );
}

/** One word for `sh -c`, whatever it holds. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

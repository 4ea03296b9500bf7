import { describe, expect, it } from 'vitest';
import type { BuildPlan } from '../../src/build/detect-build.ts';
import { generateDockerfile } from '../../src/build/generated-dockerfile.ts';
import { checkDockerfile } from '../../src/build/dockerfile-policy.ts';
import { fromImages } from '../../src/build/node-base-images.ts';
import { detect, failure } from './detect-fixtures.ts';

// Python and Go without a Dockerfile: each decision, each error, and the Dockerfiles they give.

const python = (plan: BuildPlan) => {
  if (plan.kind !== 'python') throw new Error(`expected a Python app, got ${plan.kind}`);
  return plan;
};
const go = (plan: BuildPlan) => {
  if (plan.kind !== 'go') throw new Error(`expected a Go app, got ${plan.kind}`);
  return plan;
};

describe('Python detection', () => {
  it('a main.py alone: the standard library, started with python, on $PORT', () => {
    const plan = python(detect({ 'main.py': '' }));
    expect(plan.install).toBeUndefined();
    expect(plan.start).toBe('exec python main.py');
    expect(plan.detected).toEqual([
      "python: 3.11 (Berth's only Python; no .python-version or runtime.txt; main.py makes this a Python project)",
      'install: nothing to install (no requirements.txt or pyproject.toml): the standard library only',
      'start: exec python main.py (main.py (no Procfile web line, gunicorn or uvicorn); it listens on $PORT itself)',
    ]);
  });

  it('requirements.txt: pip install -r in a layer keyed on it and the files it includes', () => {
    const plan = python(detect({ 'requirements.txt': '-r base.txt\n-c ./pins.txt\nflask==3.0\n', 'app.py': '', 'base.txt': '' }));
    expect(plan.install).toEqual({ files: ['requirements.txt', 'base.txt', 'pins.txt'], command: 'pip install --no-cache-dir -r requirements.txt' });
    expect(plan.detected).toContain('install: pip install --no-cache-dir -r requirements.txt into a venv (its own layer, keyed on requirements.txt, base.txt, pins.txt)');
    expect(plan.start).toBe('exec python app.py');
  });

  it('refuses a requirements include outside rootDir', () => {
    const err = failure({ 'requirements.txt': '-r ../../etc/passwd\n', 'main.py': '' });
    expect(err.code).toBe('INVALID_BUILD_CONFIG');
    expect(err.message).toMatch(/requirements\.txt includes "\.\.\/\.\.\/etc\/passwd"/);
  });

  it('gunicorn listed (any spelling): gunicorn app:app on 0.0.0.0:$PORT; with uvicorn, its worker', () => {
    expect(python(detect({ 'requirements.txt': 'Flask\nGunicorn>=21 # server\n', 'app.py': '' })).start).toBe('exec gunicorn app:app --bind 0.0.0.0:$PORT');
    const both = python(detect({ 'requirements.txt': 'fastapi\ngunicorn\nuvicorn[standard]\n', 'main.py': '' }));
    expect(both.start).toBe('exec gunicorn main:app -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT');
    expect(both.detected).toContain(
      'start: exec gunicorn main:app -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT (gunicorn and uvicorn are in the dependencies, serving the object app of main.py)',
    );
  });

  it('uvicorn from pyproject.toml [project] dependencies, each installed as one quoted word', () => {
    const pyproject = `[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "x"\ndependencies = [\n  "fastapi>=0.110",  # web\n  'uvicorn[standard]',\n  "it's; python_version>'3'",\n]\n\n[project.optional-dependencies]\ndev = ["pytest"]\n`;
    const plan = python(detect({ 'pyproject.toml': pyproject, 'main.py': '' }));
    expect(plan.start).toBe('exec uvicorn main:app --host 0.0.0.0 --port $PORT');
    expect(plan.install).toEqual({
      files: ['pyproject.toml'],
      command: `pip install --no-cache-dir 'fastapi>=0.110' 'uvicorn[standard]' 'it'\\''s; python_version>'\\''3'\\'''`,
    });
  });

  it("pyproject.toml without [project] dependencies (Poetry's) installs nothing, and says so", () => {
    const plan = python(detect({ 'pyproject.toml': '[tool.poetry.dependencies]\nflask = "^3"\n', 'app.py': '' }));
    expect(plan.install).toBeUndefined();
    expect(plan.detected).toContain("install: nothing to install (pyproject.toml has no [project] dependencies; Poetry's are not read: add a requirements.txt)");
  });

  it('refuses a pyproject dependencies value that is not an array of strings', () => {
    expect(failure({ 'pyproject.toml': '[project]\ndependencies = [1]\n', 'main.py': '' }).code).toBe('INVALID_BUILD_CONFIG');
    expect(failure({ 'pyproject.toml': '[project]\ndependencies = ["a"\n', 'main.py': '' }).code).toBe('INVALID_BUILD_CONFIG');
  });

  it("the Procfile's web line wins over detection; berth.json's start and install win over both", () => {
    const procfile = 'release: python migrate.py\nweb: gunicorn site.wsgi --bind 0.0.0.0:$PORT\n';
    expect(python(detect({ Procfile: procfile, 'requirements.txt': 'gunicorn', 'app.py': '' })).start).toBe('gunicorn site.wsgi --bind 0.0.0.0:$PORT');
    expect(python(detect({ Procfile: procfile, 'server.py': '' })).detected).toContain("start: gunicorn site.wsgi --bind 0.0.0.0:$PORT (the Procfile's web line)");
    const plan = python(detect({ Procfile: procfile, 'main.py': '', 'berth.json': { start: 'python -m site', install: 'pip install .' } }));
    expect(plan.start).toBe('python -m site');
    expect(plan.install).toEqual({ files: [], command: 'pip install .' });
  });

  it('a Procfile without .py files is not Python', () => {
    expect(failure({ Procfile: 'web: ./run' }).code).toBe('MISSING_DOCKERFILE');
  });

  it('NO_START_COMMAND with nothing to start (gunicorn listed, no module for it)', () => {
    const err = failure({ 'requirements.txt': 'gunicorn\n', 'lib.py': '' });
    expect(err.code).toBe('NO_START_COMMAND');
    expect(err.message).toMatch(/no Procfile web line, no main\.py or app\.py/);
  });

  it('version files: the offered minor in any spelling; another is UNSUPPORTED_PYTHON_VERSION', () => {
    for (const v of ['3.11', '3.11.9', '3', '# pinned\n3.11.4\n']) {
      expect(python(detect({ '.python-version': v, 'main.py': '' })).detected[0]).toMatch(/^python: 3\.11 \(\.python-version: "3\.11(\.\d)?|3"/);
    }
    expect(python(detect({ 'runtime.txt': 'python-3.11.7', 'main.py': '' })).detected[0]).toMatch(/runtime\.txt: "python-3\.11\.7"/);
    for (const [file, v] of [['.python-version', '3.12'], ['runtime.txt', 'python-2.7.18'], ['.python-version', 'pypy3.10']]) {
      const err = failure({ [file!]: v, 'main.py': '' });
      expect(err.code).toBe('UNSUPPORTED_PYTHON_VERSION');
      expect(err.message).toBe(`${file} asks for Python "${v}", which Berth does not offer; offered: 3.11`);
    }
  });

  it('berth.json keys that do not apply are refused', () => {
    const err = failure({ 'main.py': '', 'berth.json': { node: '22', spa: true } });
    expect(err).toMatchObject({ code: 'INVALID_BUILD_CONFIG', message: 'berth.json: node, spa do not apply to a Python app (it reads install, start, release)' });
  });

  it('a package.json wins over Python files (a Node project with scripts)', () => {
    expect(detect({ 'package.json': { main: 'a.js' }, 'requirements.txt': '' }).kind).toBe('node');
  });
});

describe('Go detection', () => {
  const goMod = 'module example.com/hello\n\ngo 1.19\n';

  it('go.mod and main.go: a static binary; no requires, nothing downloaded', () => {
    const plan = go(detect({ 'go.mod': goMod, 'main.go': '', 'main_test.go': '' }));
    expect(plan).toMatchObject({ moduleFiles: ['go.mod'], vendored: false });
    expect(plan.detected).toEqual([
      "go: 1.19 (go.mod's go line: 1.19; go.mod of module example.com/hello makes this a Go project)",
      'modules: none required (standard library only: nothing downloaded)',
      'main package: . (the .go files at rootDir are package main)',
      'build: CGO_ENABLED=0 go build -trimpath .: one static binary, run as nobody on scratch with CA certificates',
    ]);
  });

  it('requires: downloaded from GOPROXY in a layer keyed on go.mod and go.sum; vendor/ downloads nothing', () => {
    const mod = `${goMod}\nrequire github.com/a/b v1.0.0\n`;
    const plan = go(detect({ 'go.mod': mod, 'go.sum': '', 'main.go': '' }));
    expect(plan.moduleFiles).toEqual(['go.mod', 'go.sum']);
    expect(plan.detected).toContain('modules: go mod download from GOPROXY (proxy.golang.org unless set) in its own layer, keyed on go.mod, go.sum');
    expect(go(detect({ 'go.mod': mod, 'main.go': '', vendor: '' })).detected).toContain('modules: from vendor/ (-mod=vendor: nothing downloaded)');
  });

  it("older go lines build; a newer one is UNSUPPORTED_GO_VERSION; no go line is fine", () => {
    expect(go(detect({ 'go.mod': 'module x\ngo 1.16\n', 'main.go': '' })).detected[0]).toMatch(/go line: 1\.16/);
    expect(go(detect({ 'go.mod': 'module x\n', 'main.go': '' })).detected[0]).toMatch(/no go line/);
    for (const line of ['go 1.21.0', 'go 1.20', 'go 2.0', 'go 1.22rc1']) {
      const err = failure({ 'go.mod': `module x\n${line}\n`, 'main.go': '' });
      expect(err.code).toBe('UNSUPPORTED_GO_VERSION');
      expect(err.message).toMatch(/newer than Berth's toolchain, Go 1\.19/);
    }
  });

  it('NO_START_COMMAND without a .go file at rootDir (tests do not count)', () => {
    expect(failure({ 'go.mod': goMod, cmd: '' }).code).toBe('NO_START_COMMAND');
    expect(failure({ 'go.mod': goMod, 'a_test.go': '' }).message).toMatch(/no \.go file at rootDir/);
  });

  it('berth.json may only set release and goMain (the binary runs with no shell)', () => {
    expect(go(detect({ 'go.mod': goMod, 'main.go': '', 'berth.json': { release: './migrate' } })).kind).toBe('go');
    expect(failure({ 'go.mod': goMod, 'main.go': '', 'berth.json': { start: 'sh -c x' } }).message).toBe(
      'berth.json: start does not apply to a Go app (it reads release, goMain)',
    );
  });

  it('go.mod wins over Python files', () => {
    expect(detect({ 'go.mod': goMod, 'main.go': '', 'requirements.txt': 'mkdocs' }).kind).toBe('go');
  });
});

describe('Python and Go Dockerfiles', () => {
  const trust = { caImage: 'berth/build-ca:abc' };

  it('Python: venv and install in the deps stage with the build trust; runs as nobody with the venv', () => {
    const text = generateDockerfile(detect({ 'requirements.txt': 'gunicorn', 'app.py': '' }), ['SECRET', 'bad-name'], trust);
    expect(fromImages(text)).toEqual(['berth/python:3.11', 'berth/python:3.11']);
    const [deps, runStage] = text.split('\n\n') as [string, string];
    expect(deps).toContain('COPY --from=berth/build-ca:abc ["/ca.pem", "/etc/berth/build-ca.pem"]');
    expect(deps).toContain('ENV PIP_CERT=/etc/berth/build-roots.pem REQUESTS_CA_BUNDLE=/etc/berth/build-roots.pem SSL_CERT_FILE=/etc/berth/build-roots.pem');
    // The manifest before the install, the build env as ARGs after it is copied (a change to either reruns the install only).
    expect(deps).toMatch(/COPY \["requirements\.txt", "\.\/"\]\nARG SECRET\nRUN \["\/bin\/sh", "-c", "pip install --no-cache-dir -r requirements\.txt"\]/);
    expect(deps).toMatch(/RUN \["\/bin\/sh", "-c", "rm -rf \/opt\/venv\/bin\/pip .*site-packages\/pip-\*"\]$/);
    expect(runStage).not.toMatch(/build-ca|PIP_CERT|ARG/);
    expect(runStage).toContain('USER 65534:65534');
    expect(runStage).toContain('CMD ["/bin/sh", "-c", "exec gunicorn app:app --bind 0.0.0.0:$PORT"]');
    expect(runStage).toMatch(/COPY --from=deps \/opt\/venv \/opt\/venv\nCOPY \. \/app\n$/);
    expect(checkDockerfile(text, {})).toEqual([]);
  });

  it('Python without dependencies: one stage', () => {
    const text = generateDockerfile(detect({ 'main.py': '' }), [], trust);
    expect(fromImages(text)).toEqual(['berth/python:3.11']);
    expect(text).not.toMatch(/venv|build-ca/);
  });

  it('Go: module layer, CGO_ENABLED=0 build, scratch with CA certificates, passwd and the binary, as nobody', () => {
    const text = generateDockerfile(detect({ 'go.mod': 'module x\ngo 1.19\n', 'go.sum': '', 'main.go': '' }), [], trust);
    expect(fromImages(text)).toEqual(['berth/go:1.19-build', 'scratch']);
    const [build, runStage] = text.split('\n\n') as [string, string];
    expect(build).toContain('ENV CGO_ENABLED=0 GOPATH=/go GOCACHE=/go/cache\nRUN ["/bin/sh", "-c", "go build -trimpath net/http encoding/json"]\nENV GOFLAGS=-mod=mod');
    expect(build).toMatch(/COPY \["go\.mod", "go\.sum", "\.\/"\]\nRUN \["\/bin\/sh", "-c", "go mod download"\]\nCOPY \. \./);
    expect(build).toContain('SSL_CERT_FILE=/etc/berth/build-roots.pem');
    expect(runStage.split('\n')).toEqual([
      'FROM scratch',
      'COPY --from=build ["/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"]',
      'COPY --from=build ["/berth-passwd", "/etc/passwd"]',
      'COPY --from=build ["/berth-app", "/app"]',
      'USER 65534:65534',
      'CMD ["/app"]',
      '',
    ]);
    expect(checkDockerfile(text, {})).toEqual([]);
    const vendored = generateDockerfile(detect({ 'go.mod': 'module x\n', 'main.go': '', vendor: '' }));
    expect(vendored).toContain('GOFLAGS=-mod=vendor');
    expect(vendored).not.toContain('go mod download');
  });
});

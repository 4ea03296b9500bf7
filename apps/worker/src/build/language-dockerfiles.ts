import type { GoPlan, PythonPlan } from './build-plan.ts';
import { buildCaPath } from './build-trust.ts';
import { argLines, json, run } from './dockerfile-words.ts';
import type { GeneratedTrust } from './generated-dockerfile.ts';
import { goRuntime, pythonRuntime } from './language-runtimes.ts';

/**
 * The generated Dockerfiles of Python and Go apps (generated-dockerfile.ts
 * writes Node's and static sites'). Like Node's: the install in its own
 * layer keyed on the manifests, the operator's CA certificates in the build
 * stages only, and a running image that is a stage of its own, run as nobody.
 */

/** Where the build stages' roots are: the image's own bundle plus BUILD_CA_FILE's (PIP_CERT and SSL_CERT_FILE replace the roots, not add). */
const buildRootsPath = '/etc/berth/build-roots.pem';
const venv = '/opt/venv';

/** The bundle from the CA image, appended to the image's roots; pip, requests and Go read the result. */
function trustLines(trust: GeneratedTrust): string[] {
  if (!trust.caImage) return [];
  return [
    `COPY --from=${trust.caImage} ${json(['/ca.pem', buildCaPath])}`,
    run(`cat /etc/ssl/certs/ca-certificates.crt ${buildCaPath} > ${buildRootsPath}`),
    `ENV PIP_CERT=${buildRootsPath} REQUESTS_CA_BUNDLE=${buildRootsPath} SSL_CERT_FILE=${buildRootsPath}`,
  ];
}

/**
 * Python: the dependencies go into a venv in the `deps` stage (keyed on the
 * manifests); the running image is the same Python with that venv and the
 * source, no pip (nor its cache), no CA bundle of the build.
 */
export function pythonDockerfile(plan: PythonPlan, buildArgs: readonly string[], trust: GeneratedTrust): string[] {
  const out: string[] = [];
  if (plan.install) {
    out.push(
      `FROM ${pythonRuntime.image} AS deps`,
      'ENV PIP_DISABLE_PIP_VERSION_CHECK=1',
      run(`python3 -m venv ${venv}`),
      ...trustLines(trust),
      `ENV PATH=${venv}/bin:/usr/local/bin:/usr/bin:/bin`,
      'WORKDIR /app',
      ...copyKeepingFolders(plan.install.files),
      ...argLines(buildArgs),
      run(plan.install.command),
      // pip is half the venv (16 of 25 MB) and the app does not run it: the running image goes without.
      run(`rm -rf ${venv}/bin/pip ${venv}/bin/pip3* ${venv}/lib/python3*/site-packages/pip ${venv}/lib/python3*/site-packages/pip-*`),
      '',
    );
  }
  out.push(
    `FROM ${pythonRuntime.image}`,
    'WORKDIR /app',
    `ENV PATH=${plan.install ? `${venv}/bin:` : ''}/usr/local/bin:/usr/bin:/bin PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1`,
    `CMD ${json(['/bin/sh', '-c', plan.start])}`,
    'USER 65534:65534',
  );
  if (plan.install) out.push(`COPY --from=deps ${venv} ${venv}`);
  out.push('COPY . /app');
  return out;
}

/**
 * Go: modules downloaded in their own layer (keyed on go.mod and go.sum),
 * then `CGO_ENABLED=0 go build`; the running image is `scratch` with the
 * binary, the build image's CA certificates (for the app's own HTTPS calls)
 * and an /etc/passwd naming nobody, whom it runs as.
 */
export function goDockerfile(plan: GoPlan, buildArgs: readonly string[], trust: GeneratedTrust): string[] {
  const passwd = 'root:x:0:0:root:/:/sbin/nologin\\nnobody:x:65534:65534:nobody:/:/sbin/nologin\\n';
  return [
    `FROM ${goRuntime.image} AS build`,
    'WORKDIR /src',
    'ENV CGO_ENABLED=0 GOPATH=/go GOCACHE=/go/cache',
    // Debian's precompiled standard library is for cgo and without -trimpath: net/http and what it
    // imports compile again (a minute or two). In a layer of their own, a rebuild finds them compiled.
    run('go build -trimpath net/http encoding/json'),
    `ENV GOFLAGS=-mod=${plan.vendored ? 'vendor' : 'mod'}`,
    ...trustLines(trust),
    // The build env (a GOPROXY, a GOPRIVATE) before the download, as Node's is before its install.
    ...(plan.vendored ? argLines(buildArgs) : [`COPY ${json([...plan.moduleFiles, './'])}`, ...argLines(buildArgs), run('go mod download')]),
    'COPY . .',
    run(`go build -trimpath -ldflags='-s -w' -o /berth-app ${plan.main} && printf '${passwd}' > /berth-passwd`),
    '',
    'FROM scratch',
    `COPY --from=build ${json(['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-certificates.crt'])}`,
    `COPY --from=build ${json(['/berth-passwd', '/etc/passwd'])}`,
    `COPY --from=build ${json(['/berth-app', '/app'])}`,
    'USER 65534:65534',
    `CMD ${json(['/app'])}`,
  ];
}

/** Top-level files in one COPY; anything in a folder in its own (COPY of several sources flattens folders). */
function copyKeepingFolders(files: string[]): string[] {
  const top = files.filter((f) => !f.includes('/'));
  const nested = files.filter((f) => f.includes('/'));
  return [...(top.length ? [`COPY ${json([...top, './'])}`] : []), ...nested.map((f) => `COPY ${json([f, `./${f}`])}`)];
}

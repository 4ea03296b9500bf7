/**
 * The Python and Go that builds without a Dockerfile get: one of each, made
 * offline from Debian 12's packages by scripts/make-debian-image.sh (no
 * container registry needed). The image names carry the version; changing
 * the packages remakes an image (the script keys it on them).
 */
export const pythonRuntime = {
  /** What `.python-version` / `runtime.txt` may ask for: this minor (any patch). */
  version: '3.11',
  /** Builds the venv (python3-venv brings pip) and runs the app; ca-certificates for HTTPS at build and run time. */
  image: 'berth/python:3.11',
  packages: ['python3', 'python3-venv', 'ca-certificates'],
} as const;

export const goRuntime = {
  /** The newest `go` line of go.mod this toolchain builds. */
  version: '1.19',
  /** The build stage; the app itself runs on `scratch` with its static binary. */
  image: 'berth/go:1.19-build',
  packages: ['golang-go', 'ca-certificates'],
} as const;

/** The images scripts/make-debian-image.sh makes when a build first needs one, and their packages. */
export const debianBaseImages: Readonly<Record<string, readonly string[]>> = {
  [pythonRuntime.image]: pythonRuntime.packages,
  [goRuntime.image]: goRuntime.packages,
};

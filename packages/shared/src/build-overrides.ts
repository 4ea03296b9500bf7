import { z } from 'zod';

/** A shell command an override runs (one line: it goes into a generated Dockerfile). */
export const command = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000)
  .refine((s) => !/[\r\n\0]/.test(s), 'must be one line');

/**
 * `berth.json` at a source's rootDir: what a build without a Dockerfile does
 * instead of what Berth detects. Every key is optional; unknown keys are
 * refused (a typo must not be silently ignored).
 */
export const buildOverridesSchema = z
  .object({
    /** Node major or range (`"22"`, `">=20 <25"`, `"lts/*"`). */
    node: z.string().trim().min(1).max(100).optional(),
    /** Replaces the dependency install (`npm ci` / `npm install`). */
    install: command.optional(),
    /** Replaces `npm run build`; an empty string is refused, use `false` for "no build". */
    build: z.union([command, z.literal(false)]).optional(),
    /** The app's start command (run with `sh -c`, node_modules/.bin on PATH). */
    start: command.optional(),
    /** The folder of built static files to serve (relative to rootDir). */
    outputDir: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => /^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*\/?$/.test(s), 'must be a relative path of plain names')
      .refine((s) => !s.split('/').some((p) => p === '..' || p === '.'), 'must stay inside rootDir')
      .optional(),
    /** Go: the main package to build (`./cmd/api`) when the module has several under cmd/. */
    goMain: z
      .string()
      .trim()
      .max(200)
      .refine((s) => /^(\.\/)?[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*\/?$/.test(s), 'must be a relative path of plain names inside rootDir, like ./cmd/api')
      .optional(),
    /** Static sites: unknown paths get /index.html (a single-page app routes them). */
    spa: z.boolean().optional(),
    /** Keep devDependencies in the running image (default: pruned when start does not need them). */
    keepDevDependencies: z.boolean().optional(),
    /** Run once in each new production image before the URL moves (a Dockerfile build reads it too); the project's releaseCommand wins. */
    release: command.optional(),
    /** Process types (process-types.ts, checked by the worker's release-config.ts; a Procfile is read when absent). */
    processes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type BuildOverrides = z.infer<typeof buildOverridesSchema>;

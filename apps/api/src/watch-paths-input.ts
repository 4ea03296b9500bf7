import { z } from '@berth/shared/config';
import { watchPathProblem } from '@berth/shared/watch-paths';

/** A project's `watchPaths` as a request sends them: up to 50 globs, each checked (watch-paths.ts). */
export const watchPathsSchema = z
  .array(z.string())
  .min(1)
  .max(50)
  .superRefine((globs, ctx) => {
    for (const [i, glob] of globs.entries()) {
      const problem = watchPathProblem(glob);
      if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
    }
  });

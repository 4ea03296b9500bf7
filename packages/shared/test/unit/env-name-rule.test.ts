import { expect, it } from 'vitest';
import { z } from '../../src/config.ts';
import { envRecord, envSchema } from '../../../../apps/api/src/deployment-input.ts';

// One env-name rule for every body that carries env names: deployments, project create/PUT (envSchema)
// and project PATCH (values may be null to unset), which once each wrote it out.
it('refuses the same names in a full env and in a patch of one, naming the key', () => {
  const patch = envRecord(z.string().nullable());
  for (const schema of [envSchema, patch]) {
    expect(schema.safeParse({ A: 'x', _b2: 'y' }).success).toBe(true);
    for (const bad of ['1A', 'A-B', 'A B', '']) {
      const result = schema.safeParse({ [bad]: 'x' });
      expect(result.success, bad).toBe(false);
      expect(result.error!.issues[0]).toMatchObject({ path: [bad], message: 'env names are letters, digits and _, not starting with a digit' });
    }
  }
  expect(patch.safeParse({ A: null }).success).toBe(true);
  expect(envSchema.safeParse(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`V${i}`, 'x']))).success).toBe(false);
});

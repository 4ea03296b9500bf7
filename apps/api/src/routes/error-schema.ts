/** Every error answer: `{ error: { code, message } }` (http-errors.ts). */
export const errorSchema = {
  type: 'object',
  description: 'an error, with a stable code (README: Lifecycle and error codes)',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'a stable code from the error registry (@berth/shared/errors)' },
        message: { type: 'string' },
      },
      required: ['code', 'message'],
      additionalProperties: false,
    },
  },
  required: ['error'],
  additionalProperties: false,
} as const;

/** The error answers every route may give (auth, validation, rate limits, unavailable services). */
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

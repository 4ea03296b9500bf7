import { runProgram } from '@berth/shared/program-lifecycle';
import { createLogger } from '@berth/shared/logger';
import { loadApiConfig } from './config.ts';
import { startApi } from './start-api.ts';

const logger = createLogger('api');
await runProgram(logger, () => loadApiConfig(process.env), async (config) => (await startApi(config, logger)).cleanups);

import { runProgram } from '@berth/shared/program-lifecycle';
import { createLogger } from '@berth/shared/logger';
import { loadSupervisorConfig } from './config.ts';
import { LogTee } from './log-tee.ts';
import { superviseThePlatform } from './platform-supervisor.ts';

const output = new LogTee(process.stdout);
const logger = createLogger('supervisor', 'info', output);
await runProgram(logger, () => loadSupervisorConfig(process.env), async (config) =>
  superviseThePlatform(config, process.env, logger, output),
);

import { loadControlConfig } from './config.ts';
import { sendControl, type ControlRequest } from './control-socket.ts';
import { controlSocket, isAlive, readState } from './state-file.ts';

// `npm run scale -- worker=N` and `npm run restart -- <api|worker|router-sync|caddy|worker-N|all>`:
// asks the running supervisor (through its control socket) and prints its answer.
const [command, arg] = process.argv.slice(2);
const { BERTH_STATE_DIR: stateDir } = loadControlConfig(process.env);

function request(): ControlRequest {
  if (command === 'scale') {
    const match = /^workers?=(\d+)$/.exec(arg ?? '');
    if (!match) fail('usage: npm run scale -- worker=N');
    return { cmd: 'scale', workers: Number(match[1]) };
  }
  if (command === 'restart' && arg) return { cmd: 'restart', target: arg };
  return fail('usage: npm run restart -- <api|worker|router-sync|caddy|worker-N|all>');
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const req = request();
const state = readState(stateDir);
if (!state || !isAlive(state.pid)) fail(`Berth is not running from ${stateDir} (start it with npm run up)`);
const answer = await sendControl(controlSocket(stateDir), req);
if (!answer.ok) fail(answer.error);
console.log(answer.message);

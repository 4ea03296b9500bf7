import type { DestinationStream } from 'pino';

/**
 * The supervisor's own log: stdout (a terminal under attached `npm run up`)
 * and, once the state directory is known, its rotating `supervisor.log`.
 */
export class LogTee implements DestinationStream {
  private readonly outputs: DestinationStream[];

  constructor(...outputs: DestinationStream[]) {
    this.outputs = outputs;
  }

  add(output: DestinationStream): void {
    this.outputs.push(output);
  }

  write(line: string): void {
    for (const output of this.outputs) output.write(line);
  }
}

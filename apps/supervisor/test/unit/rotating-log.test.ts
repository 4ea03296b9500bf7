import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { RotatingLog } from '@berth/supervisor/rotating-log';

it('rotates at the size limit and keeps only the configured number of old files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rotate-'));
  const file = path.join(dir, 'worker-1.log');
  const log = new RotatingLog(file, { maxBytes: 100, files: 2 });
  const line = (i: number) => `${String(i).padStart(3, '0')} ${'x'.repeat(45)}\n`; // 50 bytes
  for (let i = 0; i < 10; i++) log.write(line(i));
  log.close();
  expect(fs.readdirSync(dir).sort()).toEqual(['worker-1.log', 'worker-1.log.1', 'worker-1.log.2']);
  // Newest in the file itself, older ones in .1 and .2; the oldest lines are gone.
  expect(fs.readFileSync(file, 'utf8')).toBe(line(8) + line(9));
  expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe(line(6) + line(7));
  expect(fs.readFileSync(`${file}.2`, 'utf8')).toBe(line(4) + line(5));
  for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(100);

  // Reopened (the supervisor restarted), it goes on from the file's size.
  const again = new RotatingLog(file, { maxBytes: 100, files: 2 });
  again.write(line(10));
  again.close();
  expect(fs.readFileSync(file, 'utf8')).toBe(line(10));
  expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe(line(8) + line(9));

  // Never throws: after close, or when its file vanished (it starts a new one).
  const third = new RotatingLog(file, { maxBytes: 100, files: 2 });
  fs.rmSync(dir, { recursive: true });
  expect(() => third.write(line(11))).not.toThrow();
  third.close();
  expect(third.write(line(12))).toBe(false);
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readBoundedFd } from '../lib/vocab/bounded-read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounded-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Reads `file` with `limit`, recording the size of every buffer allocated for it. */
function readRecordingBuffers(file: string, limit: number, buffers: number[] = []): { bytes: Buffer; buffers: number[] } {
  const allocUnsafe = Buffer.allocUnsafe;
  const spy = jest.spyOn(Buffer, 'allocUnsafe').mockImplementation(size => {
    buffers.push(size);
    return allocUnsafe(size);
  });
  const fd = fs.openSync(file, 'r');
  try {
    return { bytes: readBoundedFd(fd, limit), buffers };
  } finally {
    fs.closeSync(fd);
    spy.mockRestore();
  }
}

test('a regular file costs one buffer of its size and one byte more', () => {
  const file = path.join(dir, 'small.yaml');
  fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
  const { bytes, buffers } = readRecordingBuffers(file, 64 * 1024 * 1024);
  expect(bytes.toString()).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
  expect(buffers).toEqual([fs.statSync(file).size + 1]);
});

test('an empty file and a larger one read whole', () => {
  const empty = path.join(dir, 'empty');
  fs.writeFileSync(empty, '');
  expect(readRecordingBuffers(empty, 10).bytes.length).toBe(0);
  const large = path.join(dir, 'large');
  const content = Buffer.alloc(300 * 1024, 'x');
  fs.writeFileSync(large, content);
  const { bytes, buffers } = readRecordingBuffers(large, 1024 * 1024);
  expect(bytes.equals(content)).toBe(true);
  expect(buffers).toEqual([content.length + 1]);
});

test('a regular file over the limit is refused having read one byte past it', () => {
  const file = path.join(dir, 'over');
  fs.writeFileSync(file, Buffer.alloc(1000, 'y'));
  const buffers: number[] = [];
  expect(() => readRecordingBuffers(file, 999, buffers)).toThrow('it holds more than 0.00095');
  expect(buffers).toEqual([1000]);
  expect(readRecordingBuffers(file, 1000).bytes.length).toBe(1000);
});

// A pipe's size is not known: read by the compiled module in a child whose stdin is a pipe.
const BUILD = path.join(__dirname, '..', 'build', 'vocab', 'bounded-read');
const readStdin = (limit: number, input: Buffer) => spawnSync(process.execPath, ['-e',
  `const b = require(${JSON.stringify(BUILD)}).readBoundedFd(0, ${limit});`
  + 'process.stdout.write(String(b.length) + " " + b.toString("latin1").slice(-3))'],
{ input, encoding: 'utf8' });

test('a pipe is read whole past the first 64 KiB, and refused past the limit', () => {
  const input = Buffer.concat([Buffer.alloc(200 * 1024, 'a'), Buffer.from('end')]);
  const ok = readStdin(1024 * 1024, input);
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toBe(`${input.length} end`);
  const refused = readStdin(100 * 1024, input);
  expect(refused.stderr).toContain('it holds more than');
});

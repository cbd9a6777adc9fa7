import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const FIX = path.join(ROOT, 'fixtures');
let tmp = '';

function ms(args: string[], input?: Buffer | string, cmd: string[] = []) {
  const argv = [...cmd, process.execPath, BIN, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One line on stderr, the file named, no stack trace. */
function oneLine(err: string, ...words: string[]): void {
  const lines = err.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^minishark: /);
  for (const w of words) expect(lines[0]).toContain(w);
  expect(err).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-cli-'));
});

const echo = () => Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcap')));
/** byte offsets of the records in echo-veth.pcap (16-byte headers, no extras) */
function recordOffsets(b: Buffer): number[] {
  const offs: number[] = [];
  for (let o = 24; o + 16 <= b.length; o += 16 + b.readUInt32LE(o + 8)) offs.push(o);
  return offs;
}
function file(name: string, data: Buffer | string): string {
  const p = path.join(tmp, name);
  writeFileSync(p, data);
  return p;
}

describe('bad files: one line on stderr naming the file, exit 2', () => {
  it('nonexistent file', () => {
    const r = ms(['-r', path.join(tmp, 'nope.pcap')]);
    expect(r.code).toBe(2);
    oneLine(r.err, 'nope.pcap', "doesn't exist");
  });
  it('a directory', () => {
    const r = ms(['-r', tmp]);
    expect(r.code).toBe(2);
    oneLine(r.err, 'is a directory');
  });
  it('an empty file', () => {
    const r = ms(['-r', file('empty.pcap', '')]);
    expect(r.code).toBe(2);
    oneLine(r.err, 'empty.pcap', 'empty');
  });
  it('a text file and random bytes', () => {
    const t = ms(['-r', file('text.pcap', 'this is not a capture\n')]);
    expect(t.code).toBe(2);
    oneLine(t.err, 'text.pcap', "isn't a capture file");
    const rnd = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < rnd.length; i++) rnd[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const r = ms(['-r', file('random.bin', rnd)]);
    expect(r.code).toBe(2);
    oneLine(r.err, "isn't a capture file");
  });
  it('-r - with empty stdin', () => {
    const r = ms(['-r', '-'], '');
    expect(r.code).toBe(2);
    oneLine(r.err, 'standard input', 'empty');
  });
  // Root reads a mode-000 file through the capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: as root
  // the CLI runs without them (setpriv, util-linux), still as root, so it reaches its own modules
  // wherever the clone sits (a clone in root's home or in a `mktemp -d` is closed to other users).
  const asRoot = process.getuid?.() === 0;
  const noDacRead = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search'];
  const canDrop = asRoot && spawnSync(noDacRead[0]!, [...noDacRead.slice(1), 'true']).status === 0;
  it.skipIf(asRoot && !canDrop)('a file without read permission (skipped as root when setpriv cannot drop capabilities)', () => {
    const p = file('secret.pcap', echo());
    chmodSync(p, 0o000);
    const r = ms(['-r', p], '', asRoot ? noDacRead : []);
    expect(r.code).toBe(2);
    oneLine(r.err, 'secret.pcap', 'permission denied');
  });
});

describe('damaged captures: every complete packet, then one line, exit 2', () => {
  it('pcap header only: nothing, exit 0 (as tshark)', () => {
    const r = ms(['-r', file('hdr.pcap', echo().subarray(0, 24))]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe('');
  });
  it('cut mid-header of the file', () => {
    const r = ms(['-r', file('cut-hdr.pcap', echo().subarray(0, 20))]);
    expect(r.code).toBe(2);
    oneLine(r.err, 'cut short in the middle of a packet');
  });
  it('cut mid-record', () => {
    const b = echo();
    const offs = recordOffsets(b);
    const r = ms(['-r', file('cut.pcap', b.subarray(0, offs[5]! + 30))]);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toHaveLength(5);
    expect(r.out).toContain('Who has 10.99.0.2');
    oneLine(r.err, 'cut.pcap', 'appears to have been cut short in the middle of a packet');
  });
  it('record caplen 0xFFFFFFFF', () => {
    const b = echo();
    const offs = recordOffsets(b);
    b.writeUInt32LE(0xffffffff, offs[3]! + 8);
    const r = ms(['-r', file('huge.pcap', b)]);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toHaveLength(3);
    oneLine(r.err, 'damaged or corrupt', '4294967295', `byte offset ${offs[3]! + 8}`);
  });
  it('pcapng block length not a multiple of 4, smaller than 12, larger than the file', () => {
    const b = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
    const shb = b.readUInt32LE(4);
    const idb = b.readUInt32LE(shb + 4);
    const epb1 = shb + idb;
    const epb2 = epb1 + b.readUInt32LE(epb1 + 4);
    const cases: Array<[number, string, number]> = [
      [13, 'not a multiple of 4', 2],
      [8, 'less than 12', 2],
      [1 << 22, 'cut short', 2],
    ];
    for (const [len, msg, code] of cases) {
      const c = Buffer.from(b);
      c.writeUInt32LE(len, epb2 + 4);
      const r = ms(['-r', file('bad.pcapng', c)]);
      expect(r.code).toBe(code);
      expect(r.out.trim().split('\n')).toHaveLength(1); // the first EPB is intact
      oneLine(r.err, msg);
    }
  });
  it('pcapng EPB before any IDB', () => {
    const b = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
    const shb = b.readUInt32LE(4);
    const idb = b.readUInt32LE(shb + 4);
    const r = ms(['-r', file('noidb.pcapng', Buffer.concat([b.subarray(0, shb), b.subarray(shb + idb)]))]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    oneLine(r.err, 'interface index 0 is not less than interface count 0');
  });
  it('an unknown link type is shown as data, not an error', () => {
    const b = echo();
    b.writeUInt32LE(147, 20); // LINKTYPE_USER0
    const r = ms(['-r', file('user0.pcap', b), '-T', 'fields', '-e', 'frame.protocols', '-e', 'data.len']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('data\t42');
  });
});

describe('usage errors: exit 1', () => {
  it('an unknown option', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '--bogus']);
    expect(r.code).toBe(1);
    oneLine(r.err, '--bogus');
  });
  it('an unknown field', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-T', 'fields', '-e', 'tcp.nosuch']);
    expect(r.code).toBe(1);
    oneLine(r.err, 'tcp.nosuch');
  });
  it('a bad preference and a bad count', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-o', 'tcp.nosuch:TRUE']);
    expect(r.code).toBe(1);
    oneLine(r.err, 'tcp.nosuch');
    const c = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-c', 'x']);
    expect(c.code).toBe(1);
    oneLine(c.err, '-c');
  });
  it('no file', () => {
    const r = ms([]);
    expect(r.code).toBe(1);
    oneLine(r.err, '-r');
  });
});

describe('display filter', () => {
  it('-Y selects packets, -c counts displayed packets', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-Y', 'tcp.len > 0', '-c', '1', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.len']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('6\t2\n');
  });
  it('a filter that does not parse: the filter with a caret under the fault, exit 2', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-Y', 'tcp.port == 80 &&& ip']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^minishark: /);
    expect(r.err).toContain('tcp.port == 80 &&& ip');
    expect(r.err).toMatch(/\^~*/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
  it('an unknown field in a filter is named', () => {
    const r = ms(['-r', path.join(FIX, 'echo-veth.pcap'), '-Y', 'tcp.nosuch']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('tcp.nosuch is neither a field nor a protocol name');
  });
});

describe('reading', () => {
  it('-c stops after N packets; -r - reads stdin', () => {
    const r = ms(['-r', '-', '-c', '3', '-T', 'fields', '-e', 'frame.number'], echo());
    expect(r.code).toBe(0);
    expect(r.out).toBe('1\n2\n3\n');
  });
});

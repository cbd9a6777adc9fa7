// Summary lines: tshark's column padding, and Wireshark's colouring rules.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Packet, PacketRecord } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { COLOR_RULES, colorLevel, LineColorizer, makeChalk } from '../src/output/color.js';
import { formatColumns, summaryText } from '../src/output/summary.js';
// @ts-expect-error plain JS helpers
import { fixtures, repeatCapture, ROOT, runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const COLS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

function tshark(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(TSHARK_REF, args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function packets(file: string, opts: ConstructorParameters<typeof Engine>[0] = { full: false, columns: true }): Promise<Packet[]> {
  const engine = new Engine(opts);
  const out: Packet[] = [];
  for await (const batch of (await openCapture(path.join(ROOT, file))).batches()) {
    for (const rec of batch) {
      const p = engine.dissect(rec);
      engine.displayed(p);
      out.push(p);
    }
  }
  return out;
}

describe('column padding', () => {
  it('pads No. to 5, Time to 10, Source (right) and Destination (left) to 12; minimums, per line', () => {
    const line = formatColumns({ no: '3', time: '0.000058', src: '10.99.0.1', dst: '10.99.0.2', proto: 'TCP', len: '74', info: '51660 → 20000 [SYN]' });
    expect(line).toBe('    3   0.000058    10.99.0.1 → 10.99.0.2    TCP 74 51660 → 20000 [SYN]');
    const long = formatColumns({ no: '100001', time: '1000.000000', src: '02:00:0a:63:00:01', dst: 'ff:ff:ff:ff:ff:ff', proto: 'ARP', len: '42', info: '' });
    expect(long).toBe('100001 1000.000000 02:00:0a:63:00:01 → ff:ff:ff:ff:ff:ff ARP 42 ');
    // empty columns keep their width and the arrow, as tshark prints an unsupported link type
    expect(formatColumns({ no: '1', time: '0.000000', src: '', dst: '', proto: '', len: '23', info: '' })).toBe(
      '    1   0.000000              →               23 ',
    );
  });

  it('a real packet with a 6-digit number still lines up as tshark does', async () => {
    const [arp, , syn] = await packets('fixtures/echo-veth.pcap');
    const renum = (p: Packet, num: number): Packet => ({ ...p, rec: { ...p.rec, num } as PacketRecord });
    expect(summaryText(renum(syn!, 123456))).toMatch(/^123456 {3}0\.\d{6} {4}10\.99\.0\.1 → 10\.99\.0\.2 {4}TCP 74 /);
    expect(summaryText(arp!)).toMatch(/^ {4}1 {3}0\.000000 02:00:0a:63:00:01 → ff:ff:ff:ff:ff:ff \S+ 42 /);
  });

  describe.skipIf(!hasTshark)('tshark prints exactly formatColumns(its own _ws.col.* cells) (needs tshark)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minishark-summary-'));
    const big = path.join(dir, 'big.pcap');
    // 10100 records 0.1 s apart: frame numbers past 9999 and times past 1000 s
    writeFileSync(big, repeatCapture(readFileSync(path.join(ROOT, 'fixtures', 'echo-veth.pcap')), 10100, 100000));
    const corpus = ['tcpdump/unsupported-link-type-160.pcap', 'tcpdump/LINKTYPE_IPV6.pcap', 'pcapng-test-generator/output_be/basic/test018.pcapng']
      .map((f) => path.join(ROOT, '..', 'shared', 'corpus', f))
      .filter((f) => {
        try {
          readFileSync(f);
          return true;
        } catch {
          return false;
        }
      });
    // IPv4, IPv6 (long addresses), mixed link types, ICMP, and the cases above
    const some = ['echo-veth.pcap', 'echo-ipv6.pcap', 'mixed-linktypes.pcapng', 'icmp-unreach.pcap'].filter((f) => fixtures().includes(f));
    const files: string[] = [...some.map((f: string) => path.join(ROOT, 'fixtures', f)), big, ...corpus];
    it.each(files.map((f) => [path.basename(f), f]))('%s', async (_name, file) => {
      const [text, fields] = await Promise.all([tshark(['-r', file]), tshark(['-r', file, '-T', 'fields', ...COLS.flatMap((c) => ['-e', c])])]);
      const lines = text.split('\n');
      const rows = fields.split('\n');
      expect(rows.length).toBeGreaterThan(1);
      for (let i = 0; i < rows.length - 1; i++) {
        const [no, time, src, dst, proto, len, info] = rows[i]!.split('\t');
        expect(formatColumns({ no: no!, time: time!, src: src!, dst: dst!, proto: proto!, len: len!, info: info ?? '' })).toBe(lines[i]);
      }
    });
  });
});

describe('summary = the columns of -T fields -e _ws.col.*', () => {
  it.each(['echo-veth.pcap', 'udp-frag.pcap', 'echo-ipv6.pcap', 'mixed-linktypes.pcapng'])('%s', async (f) => {
    const sum = await runCli(main, ['-r', `fixtures/${f}`]);
    const cols = await runCli(main, ['-r', `fixtures/${f}`, '-T', 'fields', ...COLS.flatMap((c) => ['-e', c])]);
    const lines = sum.out.split('\n').slice(0, -1);
    const rows = cols.out.split('\n').slice(0, -1);
    expect(lines.length).toBe(rows.length);
    rows.forEach((r: string, i: number) => {
      const [no, time, src, dst, proto, len, info] = r.split('\t');
      expect(lines[i]).toBe(formatColumns({ no: no!, time: time!, src: src!, dst: dst!, proto: proto!, len: len!, info: info ?? '' }));
    });
  });
});

class Sink extends Writable {
  text = '';
  writes = 0;
  isTTY?: boolean;
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    this.writes++;
    cb();
  }
}

describe('when to colour', () => {
  it('never, always (even into a pipe), auto (TTY only, NO_COLOR honoured)', () => {
    const pipe = new Sink();
    const tty = Object.assign(new Sink(), { isTTY: true });
    expect(colorLevel('never', tty, {})).toBe(0);
    expect(colorLevel('always', pipe, {})).toBe(1);
    expect(colorLevel('always', pipe, { NO_COLOR: '1' })).toBe(1);
    expect(colorLevel('auto', pipe, {})).toBe(0);
    expect(colorLevel('auto', tty, {})).toBe(1);
    expect(colorLevel('auto', tty, { NO_COLOR: '1' })).toBe(0);
    expect(colorLevel('auto', tty, { NO_COLOR: '' })).toBe(1);
  });

  it('the CLI writes no escape codes into a pipe unless --color=always', async () => {
    const auto = await runCli(main, ['-r', 'fixtures/rst-linger.pcap']);
    const always = await runCli(main, ['-r', 'fixtures/rst-linger.pcap', '--color=always']);
    const never = await runCli(main, ['-r', 'fixtures/rst-linger.pcap', '--color=never', '-V']);
    expect(auto.out).not.toContain('\x1b[');
    expect(never.out).not.toContain('\x1b[');
    expect(always.out).toContain('\x1b[');
    expect(always.out.replace(/\x1b\[[0-9;]*m/g, '')).toBe(auto.out);
  });
});

describe("Wireshark's colouring rules", () => {
  const names = COLOR_RULES.map((r) => r.name);
  it('are in the order of Wireshark 4.0 colorfilters', () => {
    expect(names.slice(0, 4)).toEqual(['Bad TCP', 'ICMP errors', 'ARP', 'ICMP']);
    expect(names.indexOf('TCP RST')).toBeLessThan(names.indexOf('TCP SYN/FIN'));
    expect(names.indexOf('TCP SYN/FIN')).toBeLessThan(names.indexOf('TCP'));
    expect(names.indexOf('Checksum Errors')).toBeLessThan(names.indexOf('TCP'));
  });

  it.each(['rst-linger.pcap', 'echo-veth.pcap', 'udp-frag.pcap', 'halfclose.pcap', 'ping-arp.pcap'])('pick the rule from the packet (%s)', async (f) => {
    const col = new LineColorizer(makeChalk(1));
    const engine = new Engine({ full: false, columns: true, fields: col.fields() });
    const seen = new Set<string>();
    for await (const batch of (await openCapture(path.join(ROOT, 'fixtures', f))).batches()) {
      for (const rec of batch) {
        const p = engine.dissect(rec);
        const rule = names[col.ruleIndex(p)] ?? 'none';
        seen.add(rule);
        const flags = p.tcp?.flags ?? -1;
        const bad = p.expert.some((e) => e.abbrev.startsWith('tcp.analysis.') && !/window_update|keep_alive/.test(e.abbrev));
        if (p.protocols.includes('arp')) expect(rule).toBe('ARP');
        else if (p.protocols.includes('icmp')) expect(['ICMP', 'ICMP errors']).toContain(rule);
        else if (bad) expect(rule).toBe('Bad TCP');
        else if (flags >= 0 && flags & 0x04) expect(rule).toBe('TCP RST');
        else if (flags >= 0 && flags & 0x03) expect(rule).toBe('TCP SYN/FIN');
        else if (p.protocols.includes('tcp')) expect(rule).toBe('TCP');
        else if (p.protocols.includes('udp')) expect(rule).toBe('UDP');
        // the painted line is the plain line wrapped in escape codes
        const line = summaryText(p);
        expect(col.paint(p, line).replace(/\x1b\[[0-9;]*m/g, '')).toBe(line);
      }
    }
    if (f === 'rst-linger.pcap') expect(seen).toContain('TCP RST');
    if (f !== 'ping-arp.pcap' && f !== 'udp-frag.pcap') expect(seen).toContain('TCP SYN/FIN');
    if (f === 'udp-frag.pcap') expect(seen).toContain('UDP');
  });

  it('uses Wireshark\'s RGB colours on a true-colour terminal and 16-colour approximations otherwise', async () => {
    const [, , syn] = await packets('fixtures/echo-veth.pcap');
    const line = summaryText(syn!);
    // TCP SYN/FIN: background [41026,41026,41026] = #a0a0a0, foreground #12272e
    expect(new LineColorizer(makeChalk(3)).paint(syn!, line)).toBe(`\x1b[48;2;160;160;160m\x1b[38;2;18;39;46m${line}\x1b[39m\x1b[49m`);
    expect(new LineColorizer(makeChalk(1)).paint(syn!, line)).toBe(`\x1b[47m\x1b[30m${line}\x1b[39m\x1b[49m`);
  });
});

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).status === 0;

/** tshark --color's colours per frame, as "fg/bg" RGB triples (tshark only colours a terminal: run under script(1)) */
function tsharkColors(file: string): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const cmd = `${JSON.stringify(TSHARK_REF)} -r ${JSON.stringify(file)} --color`;
    const p = spawn('script', ['-qc', cmd, '/dev/null'], { env: { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => {
      const out = new Map<number, string>();
      for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
        const m = /\x1b\[38;2;(\d+;\d+;\d+)m\x1b\[48;2;(\d+;\d+;\d+)m +(\d+) /.exec(line);
        if (m) out.set(Number(m[3]), `${m[1]}/${m[2]}`);
      }
      resolve(out);
    });
  });
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(';');

describe.skipIf(!hasTshark || !hasScript)('colours = tshark --color (needs tshark and script)', () => {
  it.each(['loss.pcap', 'zerowin.pcap', 'rst-linger.pcap', 'ping-arp.pcap', 'udp-frag.pcap', 'keepalive.pcap'].filter((f) => fixtures().includes(f)))(
    '%s',
    async (f) => {
      const file = path.join(ROOT, 'fixtures', f);
      const want = await tsharkColors(file);
      expect(want.size).toBeGreaterThan(0);
      const col = new LineColorizer(makeChalk(3));
      const got = new Map<number, string>();
      for (const p of await packets(`fixtures/${f}`, { full: false, columns: true, fields: col.fields() })) {
        const r = COLOR_RULES[col.ruleIndex(p)];
        if (r) got.set(p.rec.num, `${rgb(r.fg)}/${rgb(r.bg)}`);
      }
      expect(got).toEqual(want);
    },
  );
});

describe('output is written in large chunks', () => {
  it('a whole capture of summary lines in one or two writes', async () => {
    const out = new Sink();
    const err = new Sink();
    const code = await main(['node', 'minishark', '-r', path.join(ROOT, 'fixtures', 'loss.pcap')], { stdout: out, stderr: err, env: {} });
    expect(code).toBe(0);
    expect(out.text.split('\n').length).toBeGreaterThan(200);
    expect(out.writes).toBeLessThanOrEqual(2);
  });
});

// The -z statistics, -w capture writing and the progress line, end to end through the BUILT binary
// (node bin/minishark.js, after `npm run build`): stdout compared with scripts/tshark-ref byte for
// byte where tshark has the feature (skipped when tshark is absent; tshark's runs are cached in the
// OS temp dir, keyed by the capture's bytes and the arguments), minishark's own views (flow,
// seqgraph) checked against the fixtures' known handshakes and the frames tshark flags.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { openCapture } from '../src/io/reader.js';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const FIX = path.join(ROOT, 'fixtures');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
const hasTshark = has('tshark');
const hasTcpdump = has('tcpdump');
const CACHE = path.join(os.tmpdir(), 'minishark-cli-stats-ref-cache');
const fx = (n: string) => path.join(FIX, n);
let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'minishark-cli-stats-'));
});

interface Run {
  code: number;
  out: string;
  err: string;
  outBytes: Buffer;
}

/** Run a program; never rejects (the exit status is in .code). */
function exec(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const { COLUMNS: _c, FORCE_COLOR: _f, ...base } = process.env;
    execFile(file, args, { encoding: 'buffer', maxBuffer: 1 << 26, env: { ...base, NO_COLOR: '1', ...env } }, (e, stdout, stderr) => {
      const code = e ? (typeof (e as { code?: unknown }).code === 'number' ? ((e as { code: number }).code) : -1) : 0;
      resolve({ code, out: stdout.toString('utf8'), err: stderr.toString('utf8'), outBytes: stdout });
    });
  });
}

const ms = (args: string[], env: NodeJS.ProcessEnv = {}) => exec(process.execPath, [BIN, ...args], env);

/** scripts/tshark-ref, cached by the capture's bytes and the arguments (stdout, stderr, status). */
async function tshark(file: string, args: string[]): Promise<Run> {
  const key = createHash('sha1').update(readFileSync(file)).update('\0').update(args.join('\0')).digest('hex');
  const cached = path.join(CACHE, `${key}.json`);
  if (existsSync(cached)) {
    const c = JSON.parse(readFileSync(cached, 'utf8')) as { code: number; out: string; err: string };
    return { ...c, outBytes: Buffer.from(c.out, 'utf8') };
  }
  const r = await exec(TSHARK_REF, ['-r', file, ...args]);
  if (r.code >= 0) {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, JSON.stringify({ code: r.code, out: r.out, err: r.err }));
  }
  return r;
}

async function inBatches<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const res: R[] = [];
  for (let i = 0; i < items.length; i += n) res.push(...(await Promise.all(items.slice(i, i + n).map(f))));
  return res;
}

/** A spread of the fixtures: every link type and format, IPv6, UDP, loss, zero window, port reuse,
 * half-close, ICMP errors, gzip (every fixture, statistic by statistic, is in stats-tshark.test.ts). */
const FIXTURES = [
  'echo-veth.pcap',
  'echo-veth.pcap.gz',
  'echo-veth-ns.pcapng',
  'echo-ipv6.pcap',
  'echo-lo.pcap',
  'echo-any-sll2.pcap',
  'halfclose.pcap',
  'icmp-unreach.pcap',
  'loss.pcap',
  'mixed-linktypes.pcapng',
  'port-reuse.pcap',
  'udp-frag.pcap',
  'zerowin.pcap',
].filter((n) => existsSync(fx(n)));

/** The -z runs of the issue, all tshark-comparable. */
const Z = ['conv,tcp', 'conv,ip', 'endpoints,udp', 'io,phs', 'io,stat,1,tcp,udp', 'expert', 'follow,tcp,ascii,0', 'follow,tcp,hex,0'];
const zArgs = (list: string[]) => list.flatMap((z) => ['-z', z]);

/** "Frames" total of the first data row of a conversation table (the Total column). */
function convTotalFrames(text: string): number[] {
  const rows = text.split('\n').filter((l) => l.includes('<->'));
  return rows.map((l) => {
    // "a <-> b  f bytes-unit f bytes-unit TOTALF TOTALB unit start dur"
    const nums = l.split('<->')[1]!.trim().split(/\s+/).slice(1);
    // frames/bytes pairs: [f1, b1, unit, f2, b2, unit, f3, b3, unit, start, dur]
    return Number(nums[6]);
  });
}

describe.skipIf(!hasTshark)('-z through the CLI equals tshark 4.0 byte for byte (skipped when tshark is not installed)', () => {
  it(`-q with all ${Z.length} statistics at once, on ${FIXTURES.length} fixtures`, async () => {
    const rows = await inBatches(FIXTURES, 3, async (f) => {
      const args = ['-q', ...zArgs(Z)];
      const [m, t] = await Promise.all([ms(['-r', fx(f), ...args]), tshark(fx(f), args)]);
      return { f, equal: m.out === t.out && m.code === t.code, m, t };
    });
    const bad = rows.filter((r) => !r.equal);
    expect(bad.map((r) => `${r.f}\n--- tshark (${r.t.code})\n${r.t.out.slice(0, 3000)}\n--- minishark (${r.m.code})\n${r.m.out.slice(0, 3000)}${r.m.err}`).join('\n')).toBe('');
    // real content: TCP conversations, a followed stream and protocol levels were compared
    const loss = rows.find((r) => r.f === 'loss.pcap')!;
    expect(loss.m.out).toMatch(/TCP Conversations\n/);
    expect(loss.m.out).toMatch(/\n10\.99\.0\.1:\d+ +<-> 10\.99\.0\.2:20000 +/);
    expect(rows.find((r) => r.f === 'echo-veth.pcap')!.m.out).toContain('Follow: tcp,ascii\nFilter: tcp.stream eq 0\n');
  }, 60_000);

  it.each(['loss.pcap'])('each statistic on its own with -q: %s', async (f) => {
    const res = await Promise.all(
      Z.map(async (z) => {
        const [m, t] = await Promise.all([ms(['-r', fx(f), '-q', '-z', z]), tshark(fx(f), ['-q', '-z', z])]);
        return { z, m, t };
      }),
    );
    for (const { z, m, t } of res) {
      expect(m.out, `-z ${z}`).toBe(t.out);
      expect(m.code).toBe(0);
      expect(m.err).toBe('');
      expect(m.out.length).toBeGreaterThan(50);
    }
  }, 30_000);

  it.each([
    ['echo-veth.pcap', ['-z', 'conv,ip']],
    ['port-reuse.pcap', ['-z', 'expert', '-z', 'io,phs', '-z', 'follow,tcp,ascii,1']],
  ])('without -q: the packets, then the statistics (%s)', async (f, args) => {
    const [m, t] = await Promise.all([ms(['-r', fx(f), ...args]), tshark(fx(f), args)]);
    expect(m.out).toBe(t.out);
    // the summary lines come first, the tables after the last one
    const lines = m.out.split('\n');
    expect(lines[0]).toMatch(/^ +1 +0\.000000 /);
  });

  it('-Y with -z: the taps still see every packet (tshark: taps ignore -Y)', async () => {
    const args = ['-Y', 'tcp.analysis.retransmission', '-z', 'conv,tcp', '-z', 'io,phs', '-z', 'io,stat,0,tcp.len>0'];
    const [m, t, all] = await Promise.all([ms(['-r', fx('loss.pcap'), ...args]), tshark(fx('loss.pcap'), args), ms(['-r', fx('loss.pcap'), '-q', '-z', 'conv,tcp'])]);
    expect(m.out).toBe(t.out);
    // 18 retransmissions shown, but the conversation counts all 283 frames, as without -Y
    expect(m.out.split('\n').filter((l) => /^ +\d+ /.test(l))).toHaveLength(18);
    expect(convTotalFrames(m.out)).toEqual([283]);
    expect(convTotalFrames(all.out)).toEqual([283]);
    // and -q -Y: the same tables
    const q = await ms(['-r', fx('loss.pcap'), '-q', ...args]);
    const tq = await tshark(fx('loss.pcap'), ['-q', ...args]);
    expect(q.out).toBe(tq.out);
  });

  it('what tshark builds decides what io,phs and io,stat see (-V, -T fields, -Y)', async () => {
    const z = ['-z', 'io,phs', '-z', 'io,stat,0,SUM(tcp.len),MAX(tcp.window_size)tcp.window_size'];
    const cases = [['-q', '-V', ...z], ['-T', 'fields', '-e', 'tcp.len', ...z], ['-q', '-Y', 'tcp.len > 0', ...z]];
    const res = await Promise.all(cases.map(async (args) => ({ args, m: await ms(['-r', fx('loss.pcap'), ...args]), t: await tshark(fx('loss.pcap'), args) })));
    // (tshark -q -V still prints the packet details: compare the tables at the end there)
    expect(res[0]!.m.out.startsWith('\n===')).toBe(true);
    expect(res[0]!.t.out.endsWith(res[0]!.m.out), res[0]!.m.out).toBe(true);
    for (const { args, m, t } of res.slice(1)) expect(m.out, args.join(' ')).toBe(t.out);
    // -V shows the "frame" level; io,stat sees tcp.len only when a filter names it (-Y), not with -V or -e
    expect(res[0]!.m.out).toMatch(/\nframe +frames:283 /);
    expect(res[0]!.m.out).toMatch(/\| 0\.000 <> 0\.274 \| +0 \| 165888 \|/);
    expect(res[2]!.m.out).not.toMatch(/\nframe /);
    expect(res[2]!.m.out).toMatch(/\| 0\.000 <> 0\.274 \| 225072 \| 165888 \|/);
  });

  it('-c with -z: the taps stop where the packets stop', async () => {
    const args = ['-c', '7', '-z', 'conv,tcp', '-z', 'endpoints,ip', '-z', 'io,stat,0'];
    const [m, t] = await Promise.all([ms(['-r', fx('loss.pcap'), ...args]), tshark(fx('loss.pcap'), args)]);
    expect(m.out).toBe(t.out);
    expect(convTotalFrames(m.out)).toEqual([7]);
    const [mq, tq] = await Promise.all([ms(['-r', fx('port-reuse.pcap'), '-q', '-c', '5', '-z', 'conv,tcp']), tshark(fx('port-reuse.pcap'), ['-q', '-c', '5', '-z', 'conv,tcp'])]);
    expect(mq.out).toBe(tq.out);
    expect(convTotalFrames(mq.out)).toEqual([5]);
  });

  it('bad -z arguments: tshark\'s message (one line, or the "must be one of" list) and exit status', async () => {
    const cases = [
      'bogus',
      'conv,foo',
      'conv,tcp,tcp.port==',
      'endpoints,ip,ip.bogus',
      'io,stat,x',
      'io,stat,1,MAX(tcp.bogus)tcp',
      'io,stat,1,SUM(tcp.flags.syn)',
      'follow,tcp,xx,0',
      'follow,tcp,ascii',
      'expert,tcp.bogus',
    ];
    const res = await inBatches(cases, 4, async (z) => {
      const [m, t] = await Promise.all([ms(['-r', fx('echo-veth.pcap'), '-q', '-z', z]), tshark(fx('echo-veth.pcap'), ['-q', '-z', z])]);
      return { z, m, t };
    });
    for (const { z, m, t } of res) {
      expect(m.code, `-z ${z}`).toBe(t.code);
      expect(m.code).not.toBe(0);
      expect(m.out).toBe('');
      // tshark puts some of them on stdout, some after an empty line: compare the first text line
      const tLines = (t.err + t.out).split('\n').filter(Boolean);
      const mLines = m.err.split('\n').filter(Boolean);
      const tFirst = tLines[0]!.replace(/^tshark: /, '');
      const mFirst = mLines[0]!.replace(/^minishark: /, '');
      if (z === 'conv,foo') {
        // a known tap with an unknown type: one line that says so (tshark lists every tap instead)
        expect(tFirst).toBe('Invalid -z argument "conv,foo"; it must be one of:');
        expect(mFirst).toBe('-z conv,foo: "foo" is not a type of conv (eth, ip, ipv6, tcp or udp); use -z conv,TYPE[,FILTER], e.g. -z conv,tcp');
      } else if (/\.bogus/.test(z)) {
        // an unknown field: tshark's message, then the nearest known names (test/cli-hints.test.ts)
        expect(mFirst.startsWith(tFirst.replace(/\)!$/, '')), `-z ${z}`).toBe(true);
        expect(mFirst, `-z ${z}`).toMatch(/ Did you mean [^?]+\?(\)!)?$/);
      } else expect(mFirst, `-z ${z}`).toBe(tFirst);
      expect(mLines[0]).toMatch(/^minishark: /);
      if (/it must be one of:$/.test(mLines[0]!)) {
        // the list: minishark's own statistics, indented as tshark's
        expect(mLines.slice(1)).toContain('     conv,tcp');
        expect(mLines.slice(1)).toContain('     seqgraph,tcp');
        expect(mLines.slice(1).every((l) => /^ {5}[a-z0-9,]+$/.test(l))).toBe(true);
      } else expect(mLines).toHaveLength(1);
    }
    expect(res.find((r) => r.z === 'io,stat,1,MAX(tcp.bogus)tcp')!.m.code).toBe(10);
  }, 30_000);
});

describe('-Y and -c with -z (without tshark)', () => {
  it('-c counts shown packets (minishark), and the taps see every packet up to the last one shown', async () => {
    const frames = await ms(['-r', fx('loss.pcap'), '-Y', 'tcp.analysis.retransmission', '-c', '2', '-T', 'fields', '-e', 'frame.number']);
    const last = Number(frames.out.trim().split('\n').pop());
    expect(last).toBeGreaterThan(2);
    const r = await ms(['-r', fx('loss.pcap'), '-Y', 'tcp.analysis.retransmission', '-c', '2', '-q', '-z', 'conv,tcp']);
    expect(convTotalFrames(r.out)).toEqual([last]);
  });

  it('bad -z arguments exit before reading, with tshark\'s status', async () => {
    const a = await ms(['-r', fx('echo-veth.pcap'), '-z', 'io,stat,1,MAX(tcp.bogus)tcp']);
    expect([a.code, a.out, a.err]).toEqual([10, '', "minishark: There is no field named 'tcp.bogus'. Did you mean tcp.bogus_header_length?\n"]);
    const b = await ms(['-r', fx('echo-veth.pcap'), '-z', 'flow,tcp,x']);
    expect([b.code, b.out, b.err]).toEqual([1, '', 'minishark: -z flow,tcp,x: "x" is not a TCP stream number; use -z flow,tcp[,STREAM], e.g. -z flow,tcp\n']);
    const c = await ms(['-r', fx('echo-veth.pcap'), '-z', 'seqgraph,tcp,zero']);
    expect([c.code, c.out, c.err]).toEqual([1, '', 'minishark: -z seqgraph,tcp,zero: "zero" is not a TCP stream number; use -z seqgraph,tcp,STREAM[,FILE.svg], e.g. -z seqgraph,tcp,0\n']);
  });
});

/** The arrow rows of a flow diagram: [time, arrow body, notes]. */
function flowRows(text: string): Array<{ time: string; body: string; notes: string }> {
  const out: Array<{ time: string; body: string; notes: string }> = [];
  for (const l of text.split('\n')) {
    const m = /^ +(\d+\.\d{6}) │(.*)│(?: (.*))?$/.exec(l);
    if (m && (m[2]!.includes('▶') || m[2]!.includes('◀'))) out.push({ time: m[1]!, body: m[2]!, notes: m[3] ?? '' });
  }
  return out;
}

describe('-z flow,tcp: the handshake figure (fixtures/echo-veth.pcap)', () => {
  it('columns ip:port, one arrow per TCP packet, relative numbers, phase labels', async () => {
    const [all, one] = await Promise.all([ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp']), ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp,0'])]);
    expect(all.code).toBe(0);
    expect(one.out).toBe(all.out);
    const lines = all.out.split('\n');
    expect(lines[0]).toMatch(/^TCP stream 0: 10\.99\.0\.1:51454 ⇄ 10\.99\.0\.2:20000 {2}\(11 packets, 0\.206677 s\)$/);
    // the lifeline heads: client on the left, server on the right, both ip:port
    expect(lines[1]).toMatch(/^ {11}10\.99\.0\.1:51454 +10\.99\.0\.2:20000$/);
    const rows = flowRows(all.out);
    expect(rows).toHaveLength(11);
    const [syn, synack, ack] = rows;
    expect(syn!.body).toMatch(/^── SYN Seq=0 Len=0 ─+▶$/);
    expect(syn!.notes).toBe('handshake 1/3');
    expect(synack!.body).toMatch(/^◀─+ SYN, ACK Seq=0 Ack=1 Len=0 ──$/);
    expect(synack!.notes).toBe('handshake 2/3');
    expect(ack!.body).toMatch(/^── ACK Seq=1 Ack=1 Len=0 ─+▶$/);
    expect(ack!.notes).toBe('handshake 3/3');
    // the data, and the four-way teardown
    expect(rows[3]!.body).toContain('PSH, ACK Seq=1 Ack=1 Len=2');
    expect(rows.slice(7).map((r) => r.notes)).toEqual(['teardown 1/4', 'teardown 2/4', 'teardown 3/4', 'teardown 4/4']);
    expect(rows[7]!.body).toMatch(/^── FIN, ACK Seq=3 Ack=3 Len=0 ─+▶$/);
    expect(rows[9]!.body).toMatch(/^◀─+ FIN, ACK Seq=3 Ack=4 Len=0 ──$/);
    // the times are the capture's relative times
    expect(rows.map((r) => r.time).slice(0, 3)).toEqual(['0.000072', '0.000094', '0.000109']);
  });

  it('loopback: both ends 127.0.0.1 still get two columns', async () => {
    const r = await ms(['-r', fx('echo-lo.pcap'), '-q', '-z', 'flow,tcp']);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^ {11}127\.0\.0\.1:\d+ +127\.0\.0\.1:20000$/);
    expect(flowRows(r.out)[1]!.body).toMatch(/^◀─+ SYN, ACK Seq=0 Ack=1 Len=0 ──$/);
  });

  it('fits the width (COLUMNS), colour only when asked, analysis warnings marked', async () => {
    const [w80, w140, col, loss, none] = await Promise.all([
      ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp'], { COLUMNS: '80' }),
      ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp'], { COLUMNS: '140' }),
      ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp', '--color', 'always']),
      ms(['-r', fx('loss.pcap'), '-q', '-z', 'flow,tcp'], { COLUMNS: '200' }),
      ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'flow,tcp,7']),
    ]);
    const widest = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));
    expect(widest(w80.out)).toBeLessThanOrEqual(80);
    expect(widest(w140.out)).toBeGreaterThan(80);
    expect(widest(w140.out)).toBeLessThanOrEqual(140);
    expect(w80.out).not.toContain('\x1b[');
    expect(col.out).toContain('\x1b[');
    expect(col.out.replace(/\x1b\[[0-9;]*m/g, '')).toBe(w80.out);
    // every retransmission the tracker flags is marked (18 in loss.pcap, fast ones included)
    const marked = flowRows(loss.out).filter((r) => /⚠ (Fast |Spurious )?Retransmission/.test(r.notes));
    expect(marked).toHaveLength(18);
    expect(flowRows(loss.out)).toHaveLength(283);
    expect(none.out).toBe('TCP stream 7: no packets\n');
  });
});

// ---- a small, strict XML well-formedness parser (no regular expressions) ----
interface XmlEl {
  name: string;
  attrs: Map<string, string>;
  children: XmlEl[];
  text: string;
}

function isNameChar(c: string, first: boolean): boolean {
  const code = c.charCodeAt(0);
  const alpha = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === '_' || c === ':' || code > 127;
  if (first) return alpha;
  return alpha || (code >= 48 && code <= 57) || c === '-' || c === '.';
}

/** Parse a whole XML document; throws on anything not well-formed. */
export function parseXml(src: string): XmlEl {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML: ${why} at offset ${i}`);
  };
  const ws = () => {
    while (i < src.length && ' \t\r\n'.includes(src[i]!)) i++;
  };
  const name = (): string => {
    const s = i;
    if (i >= src.length || !isNameChar(src[i]!, true)) fail('name expected');
    while (i < src.length && isNameChar(src[i]!, false)) i++;
    return src.slice(s, i);
  };
  const entity = (): string => {
    // at '&'
    const end = src.indexOf(';', i);
    if (end < 0 || end - i > 10) fail('bad entity');
    const body = src.slice(i + 1, end);
    i = end + 1;
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[body] !== undefined) return named[body]!;
    if (body.startsWith('#x')) {
      const n = parseInt(body.slice(2), 16);
      if (!body.slice(2) || Number.isNaN(n) || n.toString(16) !== body.slice(2).toLowerCase().replace(/^0+(?=.)/, '')) fail('bad char ref');
      return String.fromCodePoint(n);
    }
    if (body.startsWith('#')) {
      const n = Number(body.slice(1));
      if (!Number.isInteger(n) || !body.slice(1)) fail('bad char ref');
      return String.fromCodePoint(n);
    }
    return fail(`unknown entity &${body};`);
  };
  const skipMisc = () => {
    for (;;) {
      ws();
      if (src.startsWith('<!--', i)) {
        const e = src.indexOf('-->', i + 4);
        if (e < 0) fail('unclosed comment');
        i = e + 3;
      } else if (src.startsWith('<?', i)) {
        const e = src.indexOf('?>', i + 2);
        if (e < 0) fail('unclosed processing instruction');
        i = e + 2;
      } else return;
    }
  };
  const element = (): XmlEl => {
    if (src[i] !== '<') fail('< expected');
    i++;
    const el: XmlEl = { name: name(), attrs: new Map(), children: [], text: '' };
    for (;;) {
      const before = i;
      ws();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('space expected before an attribute');
      const an = name();
      ws();
      if (src[i] !== '=') fail('= expected');
      i++;
      ws();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('quoted value expected');
      i++;
      let v = '';
      while (src[i] !== q) {
        if (i >= src.length) fail('unclosed attribute');
        if (src[i] === '<') fail('< in an attribute value');
        if (src[i] === '&') v += entity();
        else v += src[i++];
      }
      i++;
      if (el.attrs.has(an)) fail(`duplicate attribute ${an}`);
      el.attrs.set(an, v);
    }
    for (;;) {
      if (i >= src.length) fail(`unclosed <${el.name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const n = name();
        if (n !== el.name) fail(`</${n}> closes <${el.name}>`);
        ws();
        if (src[i] !== '>') fail('> expected');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const e = src.indexOf('-->', i + 4);
        if (e < 0) fail('unclosed comment');
        i = e + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const e = src.indexOf(']]>', i);
        if (e < 0) fail('unclosed CDATA');
        el.text += src.slice(i + 9, e);
        i = e + 3;
      } else if (src[i] === '<') el.children.push(element());
      else if (src[i] === '&') el.text += entity();
      else if (src[i] === '>' && src.startsWith(']]>', i - 2)) fail(']]> in text');
      else el.text += src[i++];
    }
  };
  if (src.charCodeAt(0) === 0xfeff) i++;
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== src.length) fail('content after the root element');
  return root;
}

function walk(el: XmlEl, f: (e: XmlEl) => void): void {
  f(el);
  for (const c of el.children) walk(c, f);
}

/** The frame numbers of the segments marked with `cls` in minishark's seqgraph SVG. */
function markedFrames(root: XmlEl, cls: string): number[] {
  const out: number[] = [];
  walk(root, (e) => {
    if (e.name !== 'g' || e.attrs.get('class') !== cls) return;
    const title = e.children.find((c) => c.name === 'title');
    const words = title?.text.split(' ') ?? [];
    if (words[0] !== 'frame') throw new Error(`segment without a frame title: ${title?.text}`);
    out.push(Number(words[1]!.replace(':', '')));
  });
  return out.sort((a, b) => a - b);
}

describe('the XML checker', () => {
  it('accepts well-formed documents and rejects broken ones', () => {
    expect(parseXml('<?xml version="1.0"?>\n<a x="1"><b/>t&amp;<c y=\'2\'>&#65;</c></a>\n').children.map((c) => c.name)).toEqual(['b', 'c']);
    for (const bad of ['<a><b></a></b>', '<a x=1/>', '<a>&bogus;</a>', '<a></a><b/>', '<a x="1" x="2"/>', '<a', '<a>x<y</a>', '<a x="<"/>']) {
      expect(() => parseXml(bad), bad).toThrow(/XML/);
    }
  });
});

async function tsharkFrames(file: string, filter: string): Promise<number[]> {
  const r = await tshark(file, ['-T', 'fields', '-e', 'frame.number', '-Y', filter]);
  expect(r.code).toBe(0);
  return r.out.split('\n').filter(Boolean).map(Number);
}

describe('-z seqgraph,tcp,N,FILE.svg on the loss and zero-window fixtures', () => {
  for (const [fixture, stream, min] of [
    ['loss.pcap', 0, 10],
    ['zerowin.pcap', 0, 1],
  ] as const) {
    it(`${fixture}: the SVG parses; the marked points are the frames flagged`, async () => {
      const svg = path.join(tmp, `${fixture}.svg`);
      const r = await ms(['-r', fx(fixture), '-q', '-z', `seqgraph,tcp,${stream},${svg}`]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(new RegExp(`^seqgraph: wrote ${svg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(TCP stream ${stream}, \\d+ packets\\)\\n$`));
      const root = parseXml(readFileSync(svg, 'utf8'));
      expect(root.name).toBe('svg');
      expect(root.attrs.get('xmlns')).toBe('http://www.w3.org/2000/svg');
      const retrans = markedFrames(root, 'retransmission');
      const ooo = markedFrames(root, 'out_of_order');
      expect(retrans.length).toBeGreaterThanOrEqual(min);
      // minishark's own -Y selects the same frames through the CLI
      const own = await ms(['-r', fx(fixture), '-T', 'fields', '-e', 'frame.number', '-Y', `tcp.stream == ${stream} && tcp.analysis.retransmission`]);
      expect(retrans).toEqual(own.out.split('\n').filter(Boolean).map(Number));
      if (hasTshark) {
        expect(retrans).toEqual(await tsharkFrames(fx(fixture), `tcp.stream == ${stream} && tcp.analysis.retransmission`));
        expect(ooo).toEqual(await tsharkFrames(fx(fixture), `tcp.stream == ${stream} && tcp.analysis.out_of_order && !tcp.analysis.retransmission`));
      }
      // the terminal graph counts the same marks in its legend
      const term = await ms(['-r', fx(fixture), '-q', '-z', `seqgraph,tcp,${stream}`], { COLUMNS: '100' });
      expect(term.out).toContain(`retransmission (${retrans.length})`);
      expect(Math.max(...term.out.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    });
  }

  it('an SVG that cannot be written: one line on stderr, exit 2', async () => {
    const r = await ms(['-r', fx('loss.pcap'), '-q', '-z', `seqgraph,tcp,0,${path.join(tmp, 'no', 'such', 'dir.svg')}`]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^minishark: seqgraph: can't write .*dir\.svg: ENOENT/);
  });
});

// ---- -w ----

/** Records of a capture file, read with minishark's reader: [frame number, seconds, nanoseconds, bytes]. */
async function records(file: string): Promise<Array<{ num: number; sec: number; nsec: number; hex: string }>> {
  const out: Array<{ num: number; sec: number; nsec: number; hex: string }> = [];
  const r = await openCapture(file);
  for await (const batch of r.batches()) for (const rec of batch) out.push({ num: rec.num, sec: rec.ts.sec, nsec: rec.ts.nsec, hex: Buffer.from(rec.data).toString('hex') });
  return out;
}

/** The frames of `tshark -x` output, as hex strings (one per frame; no reassembled blocks here). */
function tsharkHex(text: string): string[] {
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((b) =>
      b
        .split('\n')
        .filter((l) => /^[0-9a-f]{4}  /.test(l))
        .map((l) => l.slice(6, 6 + 47).replace(/ /g, ''))
        .join(''),
    );
}

/** The packets of `tcpdump -r FILE -nn -xx -tt --nano` as [timestamp text, hex]. */
function tcpdumpPackets(text: string): Array<{ ts: string; hex: string }> {
  const out: Array<{ ts: string; hex: string }> = [];
  for (const l of text.split('\n')) {
    if (!l) continue;
    if (l.startsWith('\t0x')) out[out.length - 1]!.hex += l.slice(l.indexOf(':') + 1).replace(/\s/g, '');
    else out.push({ ts: l.split(' ')[0]!, hex: '' });
  }
  return out;
}

describe('-w: the packets that pass -Y/-c, readable by tshark and tcpdump', () => {
  const src = fx('loss.pcap');
  // the expected records: the first five frames minishark's -Y selects, straight from the source file
  let wanted: Promise<Awaited<ReturnType<typeof records>>> | null = null;
  const expected = () =>
    (wanted ??= (async () => {
      const sel = await ms(['-r', src, '-Y', 'tcp.len > 0', '-c', '5', '-T', 'fields', '-e', 'frame.number']);
      const nums = sel.out.trim().split('\n').map(Number);
      expect(nums).toHaveLength(5);
      return (await records(src)).filter((x) => nums.includes(x.num));
    })());
  // [file, -F, magic, read back by tshark and tcpdump too (the others by minishark's reader only)]
  for (const [name, fmtArgs, magic, external] of [
    ['out.pcap', ['-F', 'pcap'], 'd4c3b2a1', true],
    ['out.pcapng', ['-F', 'pcapng'], '0a0d0d0a', true],
    ['default.pcapng', [], '0a0d0d0a', false],
    ['out-ns.pcap', ['-F', 'nsecpcap'], '4d3cb2a1', false],
  ] as const) {
    it(`-Y "tcp.len > 0" -c 5 -w ${name} ${fmtArgs.join(' ')}`, async () => {
      const file = path.join(tmp, name);
      const r = await ms(['-r', src, '-Y', 'tcp.len > 0', '-c', '5', '-w', file, ...fmtArgs]);
      expect([r.code, r.out, r.err]).toEqual([0, '', '']);
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 4).toString('hex')).toBe(magic);
      const want = await expected();
      const got = await records(file);
      expect(got.map((g) => g.hex)).toEqual(want.map((w) => w.hex));
      expect(got.map((g) => [g.sec, g.nsec])).toEqual(want.map((w) => [w.sec, w.nsec]));
      if (hasTshark && external) {
        const [t, ts] = await Promise.all([exec('tshark', ['-r', file, '-x', '-o', 'tcp.desegment_tcp_streams:FALSE', '-n']), exec('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch'])]);
        expect(t.code).toBe(0);
        expect(tsharkHex(t.out)).toEqual(want.map((w) => w.hex));
        expect(ts.out.trim().split('\n')).toEqual(want.map((w) => `${w.sec}.${String(w.nsec).padStart(9, '0')}`));
      }
      if (hasTcpdump && external) {
        const d = await exec('tcpdump', ['-r', file, '-nn', '-xx', '-tt', '--nano']);
        expect(d.code).toBe(0);
        const pk = tcpdumpPackets(d.out);
        expect(pk.map((p) => p.hex)).toEqual(want.map((w) => w.hex));
        expect(pk.map((p) => p.ts)).toEqual(want.map((w) => `${w.sec}.${String(w.nsec).padStart(9, '0')}`));
      }
    });
  }

  it('-w with -z: nothing per packet, the statistics as usual; -P prints the summary too', async () => {
    const file = path.join(tmp, 'z.pcapng');
    const [r, q, p] = await Promise.all([
      ms(['-r', fx('echo-veth.pcap'), '-w', file, '-z', 'conv,ip']),
      ms(['-r', fx('echo-veth.pcap'), '-q', '-z', 'conv,ip']),
      ms(['-r', fx('echo-veth.pcap'), '-w', path.join(tmp, 'p.pcapng'), '-P', '-c', '3']),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(q.out);
    expect(r.out).toContain('IPv4 Conversations');
    // every packet (11 TCP + 2 ARP)
    expect((await records(file)).map((x) => x.num)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(p.out.split('\n').filter(Boolean)).toHaveLength(3);
    expect(p.out).toMatch(/^ +1 +0\.000000 02:00:0a:63:00:01 → ff:ff:ff:ff:ff:ff ARP 42 /);
  });

  it('-w - writes the capture to stdout (statistics to stderr); readable by minishark -r -', async () => {
    const r = await ms(['-r', fx('loss.pcap'), '-Y', 'tcp.analysis.retransmission', '-w', '-', '-F', 'pcap', '-z', 'conv,tcp']);
    expect(r.code).toBe(0);
    expect(r.outBytes.subarray(0, 4).toString('hex')).toBe('d4c3b2a1');
    expect(r.err).toContain('TCP Conversations');
    const back = spawnSync(process.execPath, [BIN, '-r', '-', '-T', 'fields', '-e', 'frame.len'], { input: r.outBytes, encoding: 'utf8' });
    expect(back.status).toBe(0);
    expect(back.stdout.trim().split('\n')).toHaveLength(18);
  });

  it('errors: tshark\'s wording and status', async () => {
    const [a, b, c, d] = await Promise.all([
      ms(['-r', fx('echo-veth.pcap'), '-w', '-', '-V']),
      ms(['-r', fx('echo-veth.pcap'), '-w', path.join(tmp, 'x.pcap'), '-F', 'bogus']),
      ms(['-r', fx('echo-veth.pcap'), '-w', path.join(tmp, 'no', 'such', 'x.pcap')]),
      ms(['-r', fx('mixed-linktypes.pcapng'), '-w', path.join(tmp, 'mixed.pcap'), '-F', 'pcap']),
    ]);
    expect([a.code, a.out, a.err]).toEqual([1, '', "minishark: You can't write both raw packet data and dissected packets to the standard output.\n"]);
    expect(b.code).toBe(1);
    expect(b.err.split('\n')[0]).toBe('minishark: "bogus" isn\'t a valid capture file type');
    expect(b.err).toContain('    pcapng - Wireshark/... - pcapng\n');
    expect([c.code, c.err]).toEqual([2, `minishark: The path to the file "${path.join(tmp, 'no', 'such', 'x.pcap')}" doesn't exist.\n`]);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/^minishark: The capture file being read can't be written as a "pcap" file \(frame \d+ has link type \d+, earlier frames \d+\)\.\n$/);
    // the output is the input: refused before anything is truncated
    const same = path.join(tmp, 'same.pcap');
    writeFileSync(same, readFileSync(fx('echo-veth.pcap')));
    const f = await ms(['-r', same, '-w', same]);
    expect([f.code, f.err]).toEqual([1, `minishark: "${same}" is the capture file being read; it can't also be the output of -w.\n`]);
    expect(readFileSync(same).equals(readFileSync(fx('echo-veth.pcap')))).toBe(true);
    // mixed link types are fine in pcapng
    const e = await ms(['-r', fx('mixed-linktypes.pcapng'), '-w', path.join(tmp, 'mixed.pcapng')]);
    expect(e.code).toBe(0);
    const n = (await ms(['-r', fx('mixed-linktypes.pcapng'), '-T', 'fields', '-e', 'frame.number'])).out.trim().split('\n').length;
    expect((await records(path.join(tmp, 'mixed.pcapng'))).length).toBe(n);
  });
});

// ---- progress ----

function sink(extra: Record<string, unknown> = {}): { stream: PassThrough; text: () => string } {
  const s = Object.assign(new PassThrough(), extra);
  let buf = '';
  s.on('data', (c: Buffer) => (buf += c.toString('utf8')));
  return { stream: s, text: () => buf };
}

describe('progress line (-q, stderr a terminal)', () => {
  const argv = (...a: string[]) => ['node', 'minishark', '-r', fx('loss.pcap'), ...a];

  it('a terminal stderr: the line is drawn, then erased before the statistics', async () => {
    const out = sink();
    const err = sink({ isTTY: true, columns: 200 });
    const code = await main(argv('-q', '-z', 'conv,tcp'), { stdout: out.stream, stderr: err.stream, env: {}, progressIntervalMs: 0 });
    expect(code).toBe(0);
    const e = err.text();
    const size = readFileSync(fx('loss.pcap')).length;
    expect(size).toBe(29354);
    // one redraw per batch read (at least one), the last one at the end of the file, then erased
    expect(e).toMatch(/^(\r\x1b\[2Kminishark: [\d.]+ k?B read of 29\.4 kB \(\d+%\), [\d,]+ packets, [\d,]+ packets\/s)+\r\x1b\[2K$/);
    const draws = e.split('\r\x1b[2K').filter(Boolean);
    expect(draws[draws.length - 1]).toMatch(/^minishark: 29\.4 kB read of 29\.4 kB \(100%\), 283 packets, /);
    expect(out.text()).toContain('TCP Conversations');
  });

  it('a pipe stderr, or without -q: nothing on stderr', async () => {
    for (const [args, tty] of [
      [['-q', '-z', 'conv,tcp'], false],
      [['-z', 'conv,tcp'], true],
    ] as const) {
      const out = sink();
      const err = sink(tty ? { isTTY: true, columns: 200 } : {});
      const code = await main(argv(...args), { stdout: out.stream, stderr: err.stream, env: {}, progressIntervalMs: 0 });
      expect(code).toBe(0);
      expect(err.text()).toBe('');
      expect(out.text()).toContain('TCP Conversations');
    }
  });
});

// The library API (src/api, exported by src/index.ts) held to the CLI: the JSON object, the summary
// line and the -V text of every packet are compared with what bin/minishark.js prints for the same
// capture, so the API cannot drift from the CLI (they share src/api/session.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CaptureError, compileFilter, fields, FilterError, readCapture, readPackets, UnknownFieldError, type Packet } from '../src/index.js';
import { COLUMN_FIELDS } from '../src/output/columns.js';
// @ts-expect-error: a plain .mjs script without types
import { FIELD_NAMES_FILE, renderFieldNames } from '../scripts/make-field-names.mjs';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const fx = (name: string) => path.join(ROOT, 'fixtures', name);
const ECHO = fx('echo-veth.pcap');
const LOSS = fx('loss.pcap');
const CUT = path.join(ROOT, 'test', 'inputs', 'cut-mid-record-header.pcap');

/** the CLI's stdout and stderr for these arguments (a pipe, no COLUMNS: tables at natural width) */
function cli(args: string[]): { out: string; err: string; code: number | null } {
  const env = { ...process.env };
  delete env.COLUMNS;
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, maxBuffer: 256 << 20 });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

/** the file descriptors of this process open on `file` */
function fdsOn(file: string): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      // closed while listing (the directory's own fd)
    }
  }
  return n;
}

describe('fields of echo-veth.pcap', async () => {
  const ps = await readCapture(ECHO);

  it('the SYN carries MSS 1460; the handshake is SYN, SYN/ACK, ACK', () => {
    const [syn, synAck, ack] = [ps[2]!, ps[3]!, ps[4]!];
    expect(syn.number).toBe(3);
    expect(syn.protocols).toEqual(['eth', 'ethertype', 'ip', 'tcp']);
    expect(syn.get('tcp.flags.syn')).toBe(true);
    expect(syn.get('tcp.flags.ack')).toBe(false);
    expect(syn.get('tcp.options.mss_val')).toBe(1460);
    expect(syn.getAll('tcp.option_kind')).toEqual([2, 4, 8, 1, 3]);
    expect(synAck.get('tcp.flags.syn')).toBe(true);
    expect(synAck.get('tcp.flags.ack')).toBe(true);
    expect(synAck.get('tcp.ack')).toBe(1);
    expect(ack.get('tcp.flags.syn')).toBe(false);
    expect(ack.get('tcp.seq')).toBe(1);
    expect(ack.get('tcp.ack')).toBe(1);
    expect(ack.get('tcp.stream')).toBe(0);
  });

  it("frame 6 carries 'AB'; bytes are a copy", () => {
    const p = ps.find((x) => x.number === 6)!;
    expect(p.protocols).toEqual(['eth', 'ethertype', 'ip', 'tcp', 'data']);
    expect(p.get('tcp.len')).toBe(2);
    expect(p.get('tcp.payload')).toBe('4142');
    expect(p.get('data.data')).toBe('4142');
    const b = p.bytes;
    expect(Buffer.from(b.subarray(b.length - 2)).toString('latin1')).toBe('AB');
    b.fill(0);
    expect(p.bytes[p.bytes.length - 1]).toBe(0x42);
  });

  it('no retransmission in stream 0; has() of a present and an absent field', () => {
    expect(ps.filter((p) => p.get('tcp.stream') === 0).some((p) => p.has('tcp.analysis.retransmission'))).toBe(false);
    expect(ps[0]!.has('arp')).toBe(true);
    expect(ps[0]!.has('tcp')).toBe(false);
    expect(ps[0]!.get('tcp.seq')).toBeUndefined();
    expect(ps[0]!.getAll('tcp.seq')).toEqual([]);
    // a Wireshark protocol minishark does not dissect is accepted and never present (as -e http.host)
    expect(ps[0]!.has('http.host')).toBe(false);
  });

  it('time, relative time, columns and expert items', () => {
    const p = ps[5]!;
    expect(p.time).toEqual({ sec: 1795325304, nsec: 940607000 });
    expect(p.timeRelative).toEqual({ sec: 0, nsec: 50667000 });
    expect(p.columns).toEqual({ no: 6, time: '0.050667', source: '10.99.0.1', destination: '10.99.0.2', protocol: 'TCP', length: 68, info: expect.stringMatching(/^51454 → 20000 \[PSH, ACK\] Seq=1 Ack=1/) });
    expect(p.get('_ws.col.Info')).toBe(p.columns.info);
    const seqAnalysis = ps.flatMap((x) => x.expert).find((e) => e.field === 'tcp.connection.syn');
    expect(seqAnalysis).toEqual({ field: 'tcp.connection.syn', severity: 'chat', group: 'Sequence', message: 'Connection establish request (SYN): server port 20000', protocol: 'tcp' });
  });

  it("an unknown field name throws -e's message", () => {
    const e = cli(['-r', ECHO, '-T', 'fields', '-e', 'tcp.sek']).err.trim().replace(/^minishark: /, '');
    expect(e).toMatch(/did you mean tcp\.seq/);
    expect(() => ps[2]!.get('tcp.sek')).toThrow(UnknownFieldError);
    expect(() => ps[2]!.has('tcp.sek')).toThrow(e);
    expect(() => ps[2]!.getAll('tcp.sek')).toThrow(e);
  });
});

describe('the CLI, packet by packet', () => {
  const CAPTURES = ['echo-veth.pcap', 'loss.pcap', 'dns.pcap', 'icmp-tcp.pcap', 'udp-frag.pcap', 'mixed-linktypes.pcapng', 'echo-ipv6.pcap'];

  it.each(CAPTURES)('%s: toJSON is the -T jsonl line, summary the summary line, kept after the loop', async (name) => {
    const kept: Packet[] = [];
    for await (const p of readPackets(fx(name))) kept.push(p);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.map((p) => JSON.stringify(p))).toEqual(lines(cli(['-r', fx(name), '-T', 'jsonl']).out));
    expect(kept.map((p) => p.summary)).toEqual(lines(cli(['-r', fx(name)]).out));
  });

  it.each(['echo-veth.pcap', 'loss.pcap', 'dns.pcap', 'icmp-tcp.pcap'])('%s: details() is the -V text, tree style the --details tree text', async (name) => {
    const ps = await readCapture(fx(name));
    expect(ps.map((p) => p.details()).join('')).toBe(cli(['-r', fx(name), '-V']).out);
    expect(ps.map((p) => p.details({ style: 'tree' })).join('')).toBe(cli(['-r', fx(name), '-V', '--details', 'tree']).out);
  });

  it('retransmissions in loss.pcap: as many as -Y tcp.analysis.retransmission shows', async () => {
    const want = lines(cli(['-r', LOSS, '-Y', 'tcp.analysis.retransmission']).out);
    expect(want.length).toBe(18);
    const all = await readCapture(LOSS);
    expect(all.filter((p) => p.has('tcp.analysis.retransmission')).length).toBe(want.length);
    const filtered = await readCapture(LOSS, { filter: 'tcp.analysis.retransmission' });
    // with the CLI's filter the summaries match too (frame.time_delta_displayed counts displayed ones)
    expect(filtered.map((p) => p.summary)).toEqual(want);
    expect(filtered.map((p) => JSON.stringify(p))).toEqual(lines(cli(['-r', LOSS, '-Y', 'tcp.analysis.retransmission', '-T', 'jsonl']).out));
  });

  it('prefs and lang are the -o settings and --lang', async () => {
    const raw = await readCapture(ECHO, { prefs: { 'tcp.relative_sequence_numbers': false }, lang: 'zh' });
    expect(raw.map((p) => JSON.stringify(p))).toEqual(lines(cli(['-r', ECHO, '-o', 'tcp.relative_sequence_numbers:FALSE', '--lang', 'zh', '-T', 'jsonl']).out));
    expect(raw[4]!.get('tcp.seq')).toBe(raw[4]!.get('tcp.seq_raw'));
    expect(() => readPackets(ECHO, { prefs: { 'tcp.nosuch': true } as never })).toThrow(/unknown preference "tcp\.nosuch"/);
  });
});

describe('inputs and reading', () => {
  it('a Buffer, a Readable and a gzip file give the same packets as the path', async () => {
    const want = (await readCapture(ECHO)).map((p) => JSON.stringify(p));
    expect((await readCapture(fs.readFileSync(ECHO))).map((p) => JSON.stringify(p))).toEqual(want);
    expect((await readCapture(fs.createReadStream(ECHO))).map((p) => JSON.stringify(p))).toEqual(want);
    expect((await readCapture(fx('echo-veth.pcap.gz'))).map((p) => JSON.stringify(p))).toEqual(want);
  });

  it('iterating the same readPackets twice reads the file afresh; a stream only once', async () => {
    const it = readPackets(ECHO, { filter: 'tcp' });
    const a: number[] = [];
    for await (const p of it) a.push(p.number);
    const b: number[] = [];
    for await (const p of it) b.push(p.number);
    expect(a).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(b).toEqual(a);
    const s = readPackets(fs.createReadStream(ECHO));
    for await (const _ of s) break;
    expect(() => s[Symbol.asyncIterator]()).toThrow(/a stream can be read once/);
  });

  it('break closes the file', async () => {
    const file = fs.realpathSync(LOSS);
    expect(fdsOn(file)).toBe(0);
    let open = -1;
    for await (const p of readPackets(file)) {
      expect(p.number).toBe(1);
      open = fdsOn(file);
      break;
    }
    expect(open).toBe(1);
    expect(fdsOn(file)).toBe(0);
  });

  it('break ends a stream, gzip-compressed or not, that would send more', async () => {
    for (const name of ['echo-veth.pcap', 'echo-veth.pcap.gz']) {
      // all of the capture, and the stream left open: without the break's return it would wait
      const stream = new PassThrough();
      stream.write(fs.readFileSync(fx(name)));
      for await (const p of readPackets(stream)) {
        expect(p.number).toBe(1);
        break;
      }
      await new Promise((r) => setImmediate(r));
      expect(stream.destroyed).toBe(true);
    }
  });

  it('a cut-short capture: every complete packet, then CaptureError (kind, offset, frame)', async () => {
    const seen: number[] = [];
    let err: unknown = null;
    try {
      for await (const p of readPackets(CUT)) seen.push(p.number);
    } catch (e) {
      err = e;
    }
    // the CLI prints the same packets before its error
    expect(seen.length).toBe(lines(cli(['-r', CUT]).out).length);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(err).toBeInstanceOf(CaptureError);
    const e = err as CaptureError;
    expect(e.kind).toBe('cut-short');
    // the file ends 10 bytes into the fifth record's header (test/inputs/README.md)
    expect(e.offset).toBe(fs.statSync(CUT).size - 10);
    expect(e.frame).toBe(5);
    await expect(readCapture(path.join(ROOT, 'no-such.pcap'))).rejects.toMatchObject({ kind: 'missing', frame: 1 });
  });

  it('an aborted signal stops the read', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of readPackets(ECHO, { signal: ac.signal })) {
          seen.push(p.number);
          ac.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toEqual([1]);
  });
});

describe('compileFilter and fields()', () => {
  it('a predicate with text and fields', async () => {
    const ps = await readCapture(ECHO);
    const f = compileFilter('tcp.flags.syn == 1 && tcp.port == 20000');
    expect(f.text).toBe('tcp.flags.syn == 1 && tcp.port == 20000');
    expect(f.fields).toEqual(['tcp.flags.syn', 'tcp.port']);
    expect(ps.filter(f).map((p) => p.number)).toEqual([3, 4]);
    expect(ps.filter(compileFilter('frame')).length).toBe(ps.length);
  });

  it.each(['tcp.port == 70000', 'tcp.sek == 1', 'tcp.port ==', 'ip.addr == 1.2.3'])('a bad filter (%s) throws FilterError with the CLI message', (text) => {
    const r = cli(['-r', ECHO, '-Y', text]);
    expect(r.code).toBe(2);
    let err: unknown = null;
    try {
      compileFilter(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect(`minishark: ${(err as Error).message}\n`).toBe(r.err);
    // readPackets checks its filter at once, before the loop
    expect(() => readPackets(ECHO, { filter: text })).toThrow(FilterError);
  });

  it('fields() lists the registry, with repeats', () => {
    const list = fields();
    expect(list.length).toBeGreaterThan(500);
    const byName = new Map(list.map((f) => [f.name, f]));
    expect(byName.get('tcp.seq')).toEqual({ name: 'tcp.seq', label: 'Sequence Number', type: 'uint', repeats: false, protocol: 'tcp' });
    expect(byName.get('tcp.option_kind')?.repeats).toBe(true);
    expect(list.filter((f) => f.repeats).length).toBeGreaterThan(10);
  });

  it('src/api/field-names.ts is current (else: npm run build && node scripts/make-field-names.mjs)', () => {
    const want = renderFieldNames([...fields().map((f) => f.name), ...COLUMN_FIELDS]);
    expect(fs.readFileSync(FIELD_NAMES_FILE, 'utf8')).toBe(want);
  });
});

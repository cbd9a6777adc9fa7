// --details tree against tshark -V: on every fixture, test input and shared/corpus capture, the
// first PACKETS packets of `minishark -V --details tree` must equal `tshark-ref -V` byte for byte,
// packet by packet. A file may differ only where KNOWN says why (and then it must still differ, so
// the list cannot go stale). Skipped when tshark is not installed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { runCli } from './golden/cases.mjs';
import { captureFiles, CORPUS, FIXTURES, hasCorpus, hasTshark, ROOT, sweepSample, TSHARK_REF } from './helpers/reference.js';

const run = promisify(execFile);
/** packets compared per file: bounds the time the corpus takes */
const PACKETS = 60;

interface Known {
  file: RegExp;
  reason: string;
}

/** Files whose tree differs from tshark's, each with the reason. */
export const KNOWN: Known[] = [
  {
    file: /test\/inputs\/ipv6-ext-loop\.pcap$/,
    reason: 'tshark stops at its tree depth limit with "[Dissector bug, …failed assertion saved_layers_len < prefs.gui_max_tree_depth]"; minishark dissects the whole chain of extension headers',
  },
  {
    file: /(icmp-cksum-oobr-2\.pcap|icmp-cksum-oobr-4\.pcapng|icmp-icmp_print-oobr-2\.pcap|icmp-rfc5837\.pcap|unsupported-link-type-160\.pcap)$/,
    reason: 'link types minishark does not dissect (PPP, Frame Relay, user DLTs): minishark shows the bytes as data and names the encapsulation "Unknown"; tshark-ref has those dissectors switched off and names them',
  },
  {
    file: /icmp6-redirect-hdr-opt\.pcap$/,
    reason: 'the datagram quoted in an ICMPv6 Redirected Header option sits two levels deep in tshark\'s tree (under the option); minishark marks quoted layers as inner, one level under the ICMPv6 layer',
  },
  {
    file: /pcapng-test-generator\/output_(le|be)\/(basic\/test0(08|09|17|18)|advanced\/test102|difficult\/test202)\.pcapng$|rusticata\/err-buffertoosmall\.pcapng$|zeek\/pcapng-multi-interface\.pcapng$/,
    reason: 'pcapng metadata minishark does not read: Custom Block frames (tshark titles them "PCAPNG Custom Block N" with the enterprise name), the EPB flags and drop count options ("Packet flags", "Drop Count") and the IDB if_description ("Interface description")',
  },
  {
    file: /timestamp_invalid_(micro|nano)\.pcap$/,
    reason: 'records with an out-of-range timestamp fraction: tshark adds an "Arrival Time" expert item; minishark keeps the raw value (as in the -T fields differential suite)',
  },
];

/** The packets of a -V text: each starts at "Frame N: …" (or "Packet comments") at the left edge
 * after a blank line (a Data layer's hex dump also follows a blank line, but starts with an offset). */
export function splitPackets(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let cur: string[] | null = null;
  lines.forEach((l, i) => {
    if ((i === 0 || lines[i - 1] === '') && /^(Frame \d+: |Packet comments$|PCAPNG Custom Block \d+: )/.test(l)) {
      if (cur) out.push(cur.join('\n'));
      cur = [];
    }
    cur?.push(l);
  });
  if (cur) out.push((cur as string[]).join('\n'));
  return out;
}

async function tsharkTree(file: string, args: string[] = ['-V']): Promise<string> {
  try {
    return (await run(TSHARK_REF, ['-r', file, ...args, '-c', String(PACKETS)], { maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } })).stdout;
  } catch (e) {
    // an unreadable file: what tshark printed before failing
    return (e as { stdout?: string }).stdout ?? '';
  }
}

async function minisharkTree(file: string, args: string[] = ['-V']): Promise<string> {
  return (await runCli(main, ['-r', file, ...args, '--details', 'tree', '-c', String(PACKETS)], {})).out;
}

const totals = { files: 0, filesEqual: 0, packets: 0, packetsEqual: 0, known: 0 };

afterAll(() => {
  if (!totals.files) return;
  console.log(
    `--details tree vs tshark -V (first ${PACKETS} packets of each file): ${totals.filesEqual}/${totals.files} files equal, ` +
      `${totals.packetsEqual}/${totals.packets} packets equal, ${totals.known} files in KNOWN`,
  );
});

function suite(set: string, files: string[]) {
  describe.concurrent(set, () => {
    for (const file of files) {
      it(path.basename(file), async () => {
        const [t, m] = await Promise.all([tsharkTree(file), minisharkTree(file)]);
        const tp = splitPackets(t);
        const mp = splitPackets(m);
        const n = Math.max(tp.length, mp.length);
        let equal = 0;
        let first = -1;
        for (let i = 0; i < n; i++) {
          if (tp[i] === mp[i]) equal++;
          else if (first < 0) first = i;
        }
        totals.files++;
        totals.packets += n;
        totals.packetsEqual += equal;
        if (t === m) totals.filesEqual++;
        const known = KNOWN.find((k) => k.file.test(path.relative(ROOT, file)) || k.file.test(file));
        if (known) {
          totals.known++;
          // still different, or the entry must go
          expect(t === m, `${file} is equal now: remove it from KNOWN`).toBe(false);
          return;
        }
        if (first >= 0) expect(mp[first] ?? '(no packet)').toBe(tp[first] ?? '(no packet)');
        expect(m).toBe(t);
      });
    }
  });
}

it('splits -V text into packets, not at a Data layer\'s hex dump', () => {
  const text = 'Frame 1: 1 bytes\n    a\nData (1 bytes)\n\n0000  00   .\n    Data: 00\n\nFrame 2: 1 bytes\n    b\n\n';
  expect(splitPackets(text)).toEqual(['Frame 1: 1 bytes\n    a\nData (1 bytes)\n\n0000  00   .\n    Data: 00\n', 'Frame 2: 1 bytes\n    b\n\n']);
});

describe('--details tree without tshark', () => {
  const tree = async (file: string, ...args: string[]) => (await runCli(main, ['-r', path.join(ROOT, file), '-V', '--details', 'tree', ...args], {})).out as string;

  it('indents 4 spaces a level; an expert item with its message, severity and group one level deeper; no table, no minishark field', async () => {
    const out = await tree('fixtures/echo-veth.pcap', '-c', '3');
    expect(out).toContain(
      '        .... .... ..1. = Syn: Set\n' +
        '            [Expert Info (Chat/Sequence): Connection establish request (SYN): server port 20000]\n' +
        '                [Connection establish request (SYN): server port 20000]\n' +
        '                [Severity level: Chat]\n' +
        '                [Group: Sequence]\n',
    );
    expect(out).toContain('\n    [Time shift for this packet: 0.000000000 seconds]\n');
    expect(out).not.toMatch(/[│┌]|Explanation|Connection phase/);
    expect(out.endsWith('\n\n')).toBe(true);
  });

  it('an option-length expert is a line of its own with the expert info under it', async () => {
    const out = await tree('test/inputs/tcp-opt-len0.pcap', '-c', '3');
    expect(out).toContain(
      '        Maximum segment size (with too-short option length = 0 bytes)\n' +
        '            [Expert Info (Note/Sequence): Maximum segment size (with too-short option length = 0 bytes)]\n',
    );
  });

  it('a label of 240 bytes or more: " [truncated]" after the name, cut to 238 bytes', async () => {
    const out = await tree('test/inputs/vlan-1000.pcap', '-c', '3');
    const line = out.split('\n').find((l) => l.includes('Protocols in frame: eth:ethertype:vlan') || l.includes('Protocols in frame ['))!;
    expect(line.startsWith('    [Protocols in frame [truncated]: eth:ethertype:vlan:')).toBe(true);
    expect(line.length).toBe(4 + 1 + 238 + 1);
  });

  it('Data under ICMP, its bytes in hex after a blank line; with -x the packet hex after the tree instead', async () => {
    const out = await tree('fixtures/ping-arp.pcap', '-c', '3');
    expect(out).toMatch(/\n    Data \(\d+ bytes\)\n\n0000  [0-9a-f]{2} /);
    const x = await tree('fixtures/ping-arp.pcap', '-c', '3', '-x');
    expect(x).not.toMatch(/\n    Data \(\d+ bytes\)\n\n/);
    expect(x).toMatch(/\n\n0000  [0-9a-f]{2} [^\n]*\n(.*\n)*\n$/);
  });

  it('-O: the other protocols as their title line only', async () => {
    const out = await tree('fixtures/echo-veth.pcap', '-c', '3', '-O', 'tcp');
    expect(out).toContain('Ethernet II, Src: 02:00:0a:63:00:01, Dst: 02:00:0a:63:00:02\nInternet Protocol Version 4, Src: 10.99.0.1, Dst: 10.99.0.2\nTransmission Control Protocol');
    expect(out).toContain('\n    Source Port: 51454\n');
  });
});

describe.skipIf(!hasTshark)('--details tree vs tshark-ref -V', () => {
  suite('fixtures', captureFiles(FIXTURES));
  suite('test inputs', captureFiles(path.join(ROOT, 'test', 'inputs')));
  if (hasCorpus) suite('corpus', sweepSample(captureFiles(CORPUS), 40, '--details tree vs tshark -V, corpus'));
  // -V -x (the packet's hex after the tree, no Data hex) and -O (other protocols as their title,
  // with nothing under them), on the fixtures with ICMP, Data, fragments and TCP
  describe.concurrent('with -x and -O', () => {
    const cases = [['-V', '-x'], ['-O', 'icmp,udp'], ['-O', 'tcp,data'], ['-O', 'ip', '-x']];
    for (const f of ['icmp-unreach.pcap', 'ping-arp.pcap', 'udp-frag.pcap', 'echo-veth.pcap']) {
      for (const args of cases) {
        it(`${f} ${args.join(' ')}`, async () => {
          const file = path.join(FIXTURES, f);
          const [t, m] = await Promise.all([tsharkTree(file, args), minisharkTree(file, args)]);
          expect(t.length).toBeGreaterThan(0);
          expect(m).toBe(t);
        });
      }
    }
  });
});

if (!hasTshark) console.warn('--details tree differential skipped: tshark is not installed (apt-get install -y tshark)');
if (!hasCorpus) console.warn(`corpus part of the --details tree differential skipped: ${CORPUS} is absent`);

// The named bad inputs of issue #8 that test/cli-errors.test.ts does not already cover, through the
// CLI: each file in test/inputs/ is a real fixture with one crafted fault (see test/inputs/README.md
// and make-bad-inputs.mjs). For every one: the exit code, stderr (empty, or one line starting with
// "minishark: " and no stack trace), every packet before the fault printed exactly as for the
// intact fixture, and the faulty frame flagged the way tshark 4.0 flags it (compared with
// scripts/tshark-ref when tshark is installed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
// @ts-expect-error plain JS helpers
import { runCli } from './golden/cases.mjs';
import { MAX_EXT_HEADERS } from '../src/dissectors/ipv6.js';
import { VLAN_MAX_NESTED_TAGS } from '../src/dissectors/vlan.js';
import { MAX_BLOCK } from '../src/io/parser.js';
import { hasTshark, tsharkRows } from './helpers/reference.js';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'minishark.js');
const FIX = path.join(ROOT, 'fixtures');
const IN = path.join(ROOT, 'test', 'inputs');

/** the real CLI process (exit code, stderr as the user sees them) */
function spawnCli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** main() in this process with captured streams (the same code, without a node start per call) */
const cli = (args: string[]) => runCli(main, args, { NO_COLOR: '1', COLUMNS: '100' }) as Promise<{ code: number; out: string; err: string }>;

/** stderr is empty or one line "minishark: …" with no stack trace */
function cleanStderr(err: string, ...words: string[]): void {
  expect(err).not.toMatch(/\n\s+at |TypeError|RangeError|ReferenceError/);
  if (!words.length) {
    expect(err).toBe('');
    return;
  }
  const lines = err.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^minishark: /);
  for (const w of words) expect(lines[0]).toContain(w);
}

/** the summary lines of an intact fixture (once per fixture) */
const intactCache = new Map<string, Promise<string[]>>();
function intactLines(fixture: string): Promise<string[]> {
  let p = intactCache.get(fixture);
  if (!p) intactCache.set(fixture, (p = cli(['-r', path.join(FIX, fixture)]).then((r) => r.out.split('\n'))));
  return p;
}

const FIELDS = ['frame.number', 'frame.protocols', '_ws.malformed', '_ws.expert.message', '_ws.col.Info'];
const fieldArgs = ['-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...FIELDS.flatMap((f) => ['-e', f])];
const rows = (out: string) => out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));

interface PacketCase {
  file: string;
  fixture: string;
  /** the frame that shows the fault */
  frame: number;
  /** frames at the start that the crafting did not touch (default frame - 1) */
  intact?: number;
  frames: number;
  protocols: string | RegExp;
  /** the faulty frame's expert messages, in tree order */
  expert: string[];
  malformed: boolean;
  info: string | RegExp;
  /** frames whose cells tshark 4.0 cannot be compared on, and why */
  tsharkSkip?: { frame: number; why: string };
}

const PACKET_CASES: PacketCase[] = [
  {
    file: 'ipv4-ihl-lt5.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ip',
    expert: ['Bogus IP header length (16, must be at least 20)'],
    malformed: false, // an Error expert of the Protocol group, as tshark: the dissection stops there
    info: 'Bogus IP header length (16, must be at least 20)',
  },
  {
    file: 'ipv4-ihl-gt-totlen.pcap',
    fixture: 'echo-veth.pcap',
    frame: 5,
    frames: 13,
    protocols: 'eth:ethertype:ip',
    expert: ['Bogus IP length'],
    malformed: false,
    info: 'Bogus IP length (52, less than header length 60)',
  },
  {
    file: 'tcp-doff-lt5.pcap',
    fixture: 'echo-veth.pcap',
    frame: 5,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: ['Bogus TCP header length (16, must be at least 20)'],
    malformed: false,
    info: '51454 → 20000 [ACK] Seq=1 Ack=1 Win=64512, bogus TCP header length (16, must be at least 20)',
  },
  {
    file: 'tcp-doff-beyond.pcap',
    fixture: 'echo-veth.pcap',
    frame: 6,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: [
      'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
      'Unknown (0x41) (option length = 66 bytes says option goes past end of options)',
      'Malformed Packet (Exception occurred)',
    ],
    malformed: true,
    info: /^51454 → 20000 \[PSH, ACK\] Seq=2621332234 Ack=2634036062 Win=63 TSval=336384762 TSecr=2442344644\[Malformed Packet\]$/,
  },
  {
    file: 'tcp-opt-len0.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: ['Connection establish request (SYN): server port 20000', 'Maximum segment size (with too-short option length = 0 bytes)'],
    malformed: false,
    info: '51454 → 20000 [SYN] Seq=0 Win=64240 Len=0', // the options after the bad one are not read
  },
  {
    file: 'tcp-opt-len1.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: ['Connection establish request (SYN): server port 20000', 'Maximum segment size (with too-short option length = 1 byte)'],
    malformed: false,
    info: '51454 → 20000 [SYN] Seq=0 Win=64240 Len=0',
  },
  {
    file: 'tcp-opt-overrun.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: ['Connection establish request (SYN): server port 20000', 'Maximum segment size (option length = 40 bytes says option goes past end of options)'],
    malformed: false,
    info: '51454 → 20000 [SYN] Seq=0 Win=64240 Len=0',
  },
  // regressions: where minishark's flags differed from tshark's before the fixes in src/dissectors/tcp.ts
  // and the TCP analysis items (found by comparing mutated frames with tshark while building these tests)
  {
    file: 'tcp-opt-after-eol.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: ['Connection establish request (SYN): server port 20000', 'Non-zero header padding'],
    malformed: false,
    info: '51454 → 20000 [SYN] Seq=0 Win=64240 Len=0 MSS=1460', // nothing after the EOL is read
  },
  {
    file: 'tcp-hdr-cut-iplen.pcap',
    fixture: 'echo-veth.pcap',
    frame: 7,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: [
      "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
      'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
      'Malformed Packet (Exception occurred)',
    ],
    malformed: true,
    // the flags, Seq, Ack and Win were read before the header ran out (raw numbers: no segment length)
    info: '20000 → 51454 [ACK] Seq=2634036062 Ack=2621332236 Win=64[Malformed Packet]',
  },
  {
    file: 'tcp-hdr-cut-snaplen.pcap',
    fixture: 'echo-veth.pcap',
    frame: 6,
    frames: 13,
    protocols: 'eth:ethertype:ip:tcp',
    expert: [],
    malformed: false,
    info: '51454 → 20000 [PSH, ACK] Seq=1 Ack=1 Win=64512[Packet size limited during capture]',
  },
  {
    file: 'tcp-opt-cut-retransmission.pcap',
    fixture: 'echo-veth.pcap',
    frame: 7,
    frames: 14,
    protocols: 'eth:ethertype:ip:tcp',
    expert: [],
    malformed: false,
    // a retransmission, but the analysis is written after the options, which the snaplen cut
    info: '51454 → 20000 [PSH, ACK] Seq=1 Ack=1 Win=64512 Len=2[Packet size limited during capture]',
  },
  {
    file: 'ipv6-nxt-unassigned.pcap',
    fixture: 'echo-ipv6.pcap',
    frame: 6,
    frames: 13,
    protocols: 'eth:ethertype:ipv6:data',
    expert: [],
    malformed: false,
    info: 'Unknown IP Protocol: Unassigned (200)',
  },
  {
    file: 'ipv6-ext-loop.pcap',
    fixture: 'echo-ipv6.pcap',
    frame: 3,
    frames: 13,
    // the walk stops at MAX_EXT_HEADERS headers; the rest of the bytes are data
    protocols: new RegExp(`^eth:ethertype:ipv6(:ipv6\\.dstopts){${MAX_EXT_HEADERS}}:data$`),
    expert: [`More than ${MAX_EXT_HEADERS} IPv6 extension headers`],
    malformed: true,
    info: /^IPv6 destination options(, IPv6 destination options)*/,
    // tshark 4.0.17 hits its own assertion on this frame (packet.c: saved_layers_len <
    // prefs.gui_max_tree_depth) and reports a "Dissector bug": it is malformed there too
    tsharkSkip: { frame: 3, why: 'tshark reports a dissector bug (tree depth assertion)' },
  },
  {
    file: 'ipv6-ext-long.pcap',
    fixture: 'echo-ipv6.pcap',
    frame: 3,
    frames: 13,
    protocols: /^eth:ethertype:ipv6(:ipv6\.dstopts){100}:tcp$/,
    expert: ['Connection establish request (SYN): server port 20000'],
    malformed: false,
    info: /^43120 → 20000 \[SYN\] Seq=0 Win=64800 Len=0 MSS=1440 SACK_PERM TSval=\d+ TSecr=0 WS=1024$/,
  },
  {
    file: 'ipv6-ext-overrun.pcap',
    fixture: 'echo-ipv6.pcap',
    frame: 3,
    frames: 13,
    protocols: 'eth:ethertype:ipv6:ipv6.dstopts',
    expert: ['Malformed Packet (Exception occurred)'],
    malformed: true,
    info: 'IPv6 destination options[Malformed Packet]',
  },
  {
    file: 'vlan-1000.pcap',
    fixture: 'echo-veth.pcap',
    frame: 3,
    frames: 13,
    // Wireshark's limit: VLAN_MAX_NESTED_TAGS tags are dissected, the 21st stops with an expert
    protocols: new RegExp(`^eth(:ethertype:vlan){${VLAN_MAX_NESTED_TAGS + 1}}$`),
    expert: ['Too many nested VLAN tags'],
    malformed: false,
    info: `PRI: 0  DEI: 0  ID: ${VLAN_MAX_NESTED_TAGS + 1}`,
  },
  {
    file: 'frag-incomplete.pcap',
    fixture: 'udp-frag.pcap',
    frame: 6,
    frames: 7,
    protocols: 'eth:ethertype:ip:data',
    expert: [],
    malformed: false,
    // the datagram is never completed: every fragment stays a fragment, the reply is still read
    info: 'Fragmented IP protocol (proto=UDP 17, off=7400, ID=4565)',
  },
  {
    file: 'frag-overlap.pcap',
    fixture: 'udp-frag.pcap',
    frame: 8,
    intact: 2, // the crafted fragment is frame 3
    frames: 9,
    protocols: 'eth:ethertype:ip:udp:data',
    expert: [],
    malformed: false,
    info: '35846 → 20002 Len=10240',
  },
];

describe('named bad packets: exit 0, every packet printed, the faulty frame flagged', () => {
  for (const c of PACKET_CASES) {
    it(`${c.file}: frame ${c.frame}`, async () => {
      const file = path.join(IN, c.file);
      // the real process: summary lines, nothing on stderr
      const r = spawnCli(['-r', file]);
      expect(r.code).toBe(0);
      cleanStderr(r.err);
      const lines = r.out.replace(/\n$/, '').split('\n');
      expect(lines).toHaveLength(c.frames);
      // the frames before the fault print exactly as in the intact fixture
      const intact = await intactLines(c.fixture);
      const n = c.intact ?? c.frame - 1;
      expect(lines.slice(0, n)).toEqual(intact.slice(0, n));
      // the faulty frame, field by field
      const f = await cli(['-r', file, ...fieldArgs]);
      expect(f.code).toBe(0);
      cleanStderr(f.err);
      const row = rows(f.out)[c.frame - 1]!;
      expect(row[0]).toBe(String(c.frame));
      if (typeof c.protocols === 'string') expect(row[1]).toBe(c.protocols);
      else expect(row[1]).toMatch(c.protocols);
      expect(row[2] !== '').toBe(c.malformed);
      expect(row[3]).toBe(c.expert.join(','));
      if (typeof c.info === 'string') expect(row[4]).toBe(c.info);
      else expect(row[4]).toMatch(c.info);
      // -V -x render the frame (1,000 tags, 512 headers) without failing; JSON carries the same experts
      const v = await cli(['-r', file, '-V', '-x', '-Y', `frame.number == ${c.frame}`]);
      expect(v.code).toBe(0);
      cleanStderr(v.err);
      expect(v.out).toMatch(new RegExp(`^Frame ${c.frame}: `));
      expect(v.out).toMatch(/\n0000  [0-9a-f]{2} /);
      const j = await cli(['-r', file, '-T', 'json', '-Y', `frame.number == ${c.frame}`]);
      const [obj] = JSON.parse(j.out) as Array<{ _ws?: { expert?: Array<{ message: string }> } }>;
      expect((obj!._ws?.expert ?? []).map((e) => e.message)).toEqual(c.expert);
    });
  }

  it('the fragment flags: the overlapping fragment is marked overlap and conflict, as tshark', async () => {
    const f = await cli(['-r', path.join(IN, 'frag-overlap.pcap'), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'ip.fragment.count', '-e', 'ip.fragment.overlap', '-e', 'ip.fragment.overlap.conflict', '-e', 'ip.reassembled.length', '-Y', 'ip.reassembled.length']);
    expect(f.out).toBe('8\t1,1\t1,1\t10248\n');
    // the incomplete train never reassembles
    const g = await cli(['-r', path.join(IN, 'frag-incomplete.pcap'), '-Y', 'ip.reassembled.length || udp.length > 1000']);
    expect(g.out).toBe('');
    expect(g.code).toBe(0);
  });
});

describe.skipIf(!hasTshark)('the same bad packets: minishark flags them as tshark 4.0 does (scripts/tshark-ref)', () => {
  for (const c of PACKET_CASES) {
    it(c.file, async () => {
      const file = path.join(IN, c.file);
      const want = await tsharkRows(file, FIELDS);
      const got = rows((await cli(['-r', file, ...fieldArgs])).out);
      expect(got).toHaveLength(want.length);
      for (let i = 0; i < want.length; i++) {
        if (c.tsharkSkip?.frame === i + 1) {
          // both flag it malformed
          expect(want[i]![2]).toContain('_ws.malformed');
          expect(got[i]![2]).toContain('_ws.malformed');
          continue;
        }
        expect(got[i], `frame ${i + 1}`).toEqual(want[i]);
      }
    }, 20000);
  }
});

interface FileCase {
  file: string;
  /** packets printed before the fault */
  before: number;
  words: string[];
}
const FILE_CASES: FileCase[] = [
  { file: 'cut-mid-record-header.pcap', before: 4, words: ['cut-mid-record-header.pcap', 'appears to have been cut short in the middle of a packet'] },
  { file: 'pcapng-ifid-out-of-range.pcapng', before: 2, words: ['damaged or corrupt', 'interface index 5 is not less than interface count 1', 'byte offset 416'] },
  { file: 'pcapng-block-huge.pcapng', before: 2, words: ['damaged or corrupt', `total block length 2147483632 is too large (limit ${MAX_BLOCK})`, 'byte offset 412'] },
];

describe('named bad files not covered by cli-errors.test.ts: the packets before the fault, one line, exit 2', () => {
  for (const c of FILE_CASES) {
    it(c.file, async () => {
      const file = path.join(IN, c.file);
      const r = spawnCli(['-r', file]);
      expect(r.code).toBe(2);
      cleanStderr(r.err, ...c.words);
      const lines = r.out === '' ? [] : r.out.replace(/\n$/, '').split('\n');
      expect(lines).toHaveLength(c.before);
      const intact = await intactLines('echo-veth.pcap');
      expect(lines).toEqual(intact.slice(0, c.before));
      // JSON output still closes its array
      const j = await cli(['-r', file, '-T', 'json']);
      expect(j.code).toBe(2);
      expect(JSON.parse(j.out)).toHaveLength(c.before);
      if (hasTshark) {
        const t = spawnSync('scripts/tshark-ref', ['-r', file], { cwd: ROOT, encoding: 'utf8' });
        expect(t.status).toBe(2);
        expect(t.stdout.replace(/\n$/, '').split('\n')).toHaveLength(c.before);
      }
    });
  }
});

describe('test/inputs is what make-bad-inputs.mjs makes from the fixtures', () => {
  it('regenerates byte-identical files and lists each in MANIFEST.json', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'minishark-inputs-'));
    const r = spawnSync(process.execPath, [path.join(IN, 'make-bad-inputs.mjs'), out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const made = readdirSync(out).sort();
    const manifest = JSON.parse(readFileSync(path.join(IN, 'MANIFEST.json'), 'utf8')) as Array<{ file: string; source: string; why: string }>;
    expect(made).toEqual([...manifest.map((m) => m.file), 'MANIFEST.json'].sort());
    for (const f of made) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(IN, f))), f).toBe(true);
    // every case of this file is a committed, generated input
    for (const c of [...PACKET_CASES, ...FILE_CASES]) expect(made).toContain(c.file);
    for (const m of manifest) expect(m.source).toMatch(/fixtures|\.pcap/);
  });
});

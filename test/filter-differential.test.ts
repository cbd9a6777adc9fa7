// Display filters, differentially: for every filter below and every fixture, the frames minishark's
// compileFilter(...).matches() selects must be the frames tshark 4.0 selects (scripts/tshark-ref: only
// our protocols, -n, no TCP desegmentation), and a filter tshark rejects must be rejected with the same
// message.
//
// tshark takes about a second to start, so instead of one `tshark -Y FILTER` per filter and fixture,
// tshark-ref runs once per fixture with a small Lua script that registers one tap listener per filter
// (a listener's filter is the same display-filter engine, in the same single pass). A few pairs are also
// checked with the literal `scripts/tshark-ref -r FILE -Y FILTER -T fields -e frame.number`, including
// the two things that depend on that form: frame.time_delta_displayed (only -Y hides frames) and a
// protocol's length (tshark's TCP item spans the header in -T fields mode but not in summary mode).
//
// minishark is driven as a library (openCapture + Engine), in full mode and in non-full mode keeping
// only CompiledFilter.fields, which proves that list is complete.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { compileFilter } from '../src/filter/index.js';
import { openCapture } from '../src/io/reader.js';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures');
const TSHARK_REF = path.join(ROOT, 'scripts', 'tshark-ref');
const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

const FILES = [
  'echo-veth.pcap',
  'echo-veth.pcapng',
  'echo-ipv6.pcap',
  'echo-null.pcap',
  'echo-any.pcap',
  'echo-any-sll2.pcap',
  'mixed-linktypes.pcapng',
  'bulk4096.pcap',
  'loss.pcap',
  'zerowin.pcap',
  'keepalive.pcap',
  'halfclose.pcap',
  'port-reuse.pcap',
  'rst-linger.pcap',
  'rst-closed-port.pcap',
  'server-close.pcap',
  'ping-arp.pcap',
  'udp-frag.pcap',
  'icmp-unreach.pcap',
].filter((f) => existsSync(path.join(FIXTURES, f)));

/** The filters: protocols, every operator, address/CIDR/byte-string/string/time literals, slices,
 * sets, arithmetic, functions, layers, TCP analysis, expert info; and some tshark rejects. */
export const FILTERS = [
  // protocols and existence
  'tcp',
  'udp',
  'ip',
  'arp',
  'icmp || icmpv6',
  'ipv6',
  'data',
  'ethertype',
  'tcp.options.mss',
  '_ws.malformed',
  'not tcp and not arp',
  '!tcp.flags.ack',
  // comparisons, the four equalities, English operators
  'tcp.port == 20000',
  'tcp.dstport != 20000',
  'tcp.port ~= 20000',
  'tcp.port === 20000',
  'tcp.srcport !== tcp.dstport',
  'tcp.srcport > tcp.dstport',
  'all tcp.port > 1024',
  'tcp.port eq 20000 and not tcp.len gt 0',
  'tcp.len ge 1000 or frame.len le 60',
  // sets
  'tcp.port in {80, 443, 20000..20010}',
  'tcp.port not in {20000}',
  'frame.number in {1, 3..5, 10}',
  'ip.src in {10.99.0.2 .. 10.99.0.9, 192.168.0.0/16}',
  // bits and booleans
  'tcp.flags & 0x02',
  'tcp.flags & 0x12 == 0x12',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags.fin == True || tcp.flags.reset == 1',
  'tcp.flags.push == "Set"',
  'tcp.flags == 0x012',
  'ip.flags.df == 0',
  // numbers, value strings, time
  'tcp.len > 0',
  'tcp.len >= 1000',
  'tcp.window_size_value == 0',
  'tcp.hdr_len == 40',
  'ip.proto == UDP',
  'ip.proto == "ICMP"',
  'ip.ttl < 64',
  'ip.len > 1000',
  'ip.id == 0',
  'eth.type == 0x0806',
  'frame.len > 100',
  'frame.len <= 60',
  'frame.time_relative > 0.1',
  'frame.time_delta < 0.00001',
  'frame.time >= "2020-01-01 00:00:00"',
  'udp.length > 100',
  'udp.srcport >= 1024',
  // addresses
  'ip.addr == 10.0.0.0/8',
  'ip.src == 10.99.0.1 && ip.dst != 10.99.0.1',
  'ip.flags.mf == 1 || ip.frag_offset > 0',
  'ipv6.addr == fd00::/16',
  'ipv6.src == fd00:99::1',
  'eth.src == 02:00:0a:63:00:01',
  'eth.addr == ff:ff:ff:ff:ff:ff',
  'eth.dst == 02-00-0a-63-00-02',
  // slices, byte strings, strings, regexes
  'eth.src[0:3] == 02:00:0a',
  'eth.dst[-1] == 02',
  'tcp.payload[0] == 0x41',
  'tcp.payload contains "B"',
  'tcp.payload == 41:42',
  'tcp contains 41:42',
  'frame[12:2] == 08:00',
  'frame.protocols contains "data"',
  'frame.protocols matches "TCP:DATA$"',
  'frame.protocols ~ "^eth:ethertype:(ip|ipv6):tcp$"',
  // arithmetic and functions
  'tcp.len + 40 > 1000',
  'tcp.len - 1 < 0',
  'tcp.port > -1 || -tcp.len == -2',
  'tcp.window_size_value * 1024 > 60000000',
  'count(ip.addr) == 2',
  'len(tcp.payload) == 2',
  'string(frame.number) matches "[13579]$"',
  'lower(frame.protocols) contains "arp"',
  // layers
  'ip.src#1 == 10.99.0.1',
  'ip.dst#2 == 10.99.0.2',
  // TCP conversation tracking and analysis
  'tcp.seq == 1',
  'tcp.ack == 1 and tcp.len == 0',
  'tcp.stream == 1',
  'tcp.window_size == 0',
  'tcp.time_delta > 0.1',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.lost_segment',
  'tcp.analysis.flags',
  'tcp.analysis.flags && !tcp.analysis.window_update',
  'tcp.analysis.zero_window || tcp.analysis.window_full',
  'tcp.analysis.keep_alive',
  'tcp.analysis.ack_rtt > 0.0001',
  'tcp.analysis.bytes_in_flight > 1000',
  'tcp.options.sack_le',
  'udp.stream == 0',
  // expert info
  '_ws.expert',
  '_ws.expert.severity >= 0x400000',
  // tshark rejects these
  'tcp.nosuch',
  'tcp.port == 70000',
  'tcp.port in {80 443}',
  'ip.addr == 10.99.0.1/33',
  'tcp.analysis.retransmission == 1',
  'tcp.srcport contains 1',
];

/** Pairs checked with the literal -Y form. */
const Y_CHECKS: Array<[string, string]> = [
  ['echo-veth.pcap', 'frame.time_delta_displayed > 0.001'],
  ['echo-veth.pcap', 'len(tcp) == 32'],
  ['loss.pcap', 'tcp.analysis.retransmission || tcp.analysis.lost_segment'],
  ['echo-ipv6.pcap', 'ipv6.addr == fd00::/16 && tcp.len > 0'],
  ['ping-arp.pcap', 'arp.opcode == 1 || icmp.type == 8'],
  ['udp-frag.pcap', 'ip.flags.mf == 1'],
];

const LUA = `-- one tap listener per display filter, all in one single tshark pass
local filters = {}
for line in io.lines(os.getenv("MINISHARK_FILTER_LIST")) do filters[#filters + 1] = line end
local hits, errs = {}, {}
for i, f in ipairs(filters) do
  hits[i] = {}
  local ok, l = pcall(Listener.new, "frame", f)
  if ok then
    l.packet = function(pinfo) local h = hits[i]; h[#h + 1] = pinfo.number end
  else
    errs[i] = tostring(l)
  end
end
local done = Listener.new("frame", nil)
function done.draw()
  for i in ipairs(filters) do
    if errs[i] then io.write("E\\t", i, "\\t", (errs[i]:gsub("\\n", " ")), "\\n")
    else io.write("F\\t", i, "\\t", table.concat(hits[i], " "), "\\n") end
  end
end
`;

type Outcome = string; // "1 3 5" or "ERR: message"

/** tshark's outcome for every filter on one file, from one pass. */
async function tsharkOutcomes(file: string, filters: string[], dir: string): Promise<Outcome[]> {
  const list = path.join(dir, `filters-${path.basename(file)}.txt`);
  writeFileSync(list, filters.join('\n') + '\n');
  const { stdout } = await run(TSHARK_REF, ['-r', file, '-q', '-X', `lua_script:${path.join(dir, 'filters.lua')}`], {
    maxBuffer: 1 << 28,
    env: { ...process.env, TZ: 'UTC', MINISHARK_FILTER_LIST: list },
  });
  const out: Outcome[] = new Array(filters.length).fill('ERR: no answer from tshark');
  for (const line of stdout.split('\n')) {
    const m = /^([FE])\t(\d+)\t(.*)$/.exec(line);
    if (!m) continue;
    const i = Number(m[2]) - 1;
    out[i] = m[1] === 'F' ? m[3]! : 'ERR: ' + m[3]!.replace(/^.*? is invalid - /, '');
  }
  return out;
}

async function readPackets(file: string, engine: Engine, each: (p: Packet) => void): Promise<void> {
  const reader = await openCapture(file);
  for await (const batch of reader.batches()) for (const rec of batch) each(engine.dissect(rec));
}

function outcome(filter: string, packets: Packet[]): Outcome {
  let f;
  try {
    f = compileFilter(filter);
  } catch (e) {
    return 'ERR: ' + (e as Error).message;
  }
  const hits: number[] = [];
  for (const p of packets) if (f.matches(p)) hits.push(p.rec.num);
  return hits.join(' ');
}

/**
 * minishark's outcome with an engine of its own: `full` or keeping only the filter's fields; `display`
 * says which frames count as displayed (for frame.time_delta_displayed): every frame (as with tap
 * listeners) or only the matching ones (as with -Y).
 */
async function minisharkOutcome(file: string, filter: string, full: boolean, display: 'all' | 'matched'): Promise<Outcome> {
  let f;
  try {
    f = compileFilter(filter);
  } catch (e) {
    return 'ERR: ' + (e as Error).message;
  }
  const engine = new Engine({ full, fields: f.fields, columns: false });
  const hits: number[] = [];
  await readPackets(file, engine, (p) => {
    const m = f.matches(p);
    if (m) hits.push(p.rec.num);
    if (m || display === 'all') engine.displayed(p);
  });
  return hits.join(' ');
}

/** Fixtures on which every filter also runs in non-full mode (an engine keeping only its fields). */
const LEAN_FILES = ['echo-veth.pcap', 'echo-ipv6.pcap', 'loss.pcap', 'ping-arp.pcap', 'udp-frag.pcap', 'icmp-unreach.pcap'];

const tally = { compared: 0, equal: 0 };
const failing = new Map<string, string[]>();

describe.skipIf(!hasTshark)('display filters agree with tshark 4.0 (skipped when tshark is not installed)', () => {
  const ref = new Map<string, Outcome[]>();
  /** every fixture dissected once in full mode, every frame displayed */
  const packets = new Map<string, Packet[]>();

  beforeAll(async () => {
    for (const f of FILES) {
      const engine = new Engine({ full: true, columns: false });
      const list: Packet[] = [];
      await readPackets(path.join(FIXTURES, f), engine, (p) => {
        list.push(p);
        engine.displayed(p);
      });
      packets.set(f, list);
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'minishark-filters-'));
    writeFileSync(path.join(dir, 'filters.lua'), LUA);
    // a few tshark processes at a time
    const queue = [...FILES];
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let f = queue.shift(); f; f = queue.shift()) ref.set(f, await tsharkOutcomes(path.join(FIXTURES, f), FILTERS, dir));
      }),
    );
  }, 300_000);

  afterAll(() => {
    const lines = [`display filters: ${tally.equal}/${tally.compared} (filter, fixture) pairs equal; ${FILTERS.length} filters x ${FILES.length} fixtures`];
    for (const [f, d] of failing) lines.push(`  ${f}: ${d.length} fixture(s) differ: ${d.slice(0, 3).join('; ')}`);
    const text = lines.join('\n') + '\n';
    console.log(text);
    writeFileSync(path.join(os.tmpdir(), 'minishark-filter-differential.txt'), text);
  });

  it('has 40+ filters and a fixture set', () => {
    expect(FILTERS.length).toBeGreaterThanOrEqual(40);
    expect(FILES.length).toBeGreaterThan(10);
  });

  it.each(FILTERS)('%s', async (filter) => {
    const i = FILTERS.indexOf(filter);
    const diffs: string[] = [];
    for (const file of FILES) {
      const want = ref.get(file)![i]!;
      const full = outcome(filter, packets.get(file)!);
      const lean = LEAN_FILES.includes(file) ? await minisharkOutcome(path.join(FIXTURES, file), filter, false, 'all') : full;
      tally.compared++;
      if (full === want && lean === want) tally.equal++;
      else diffs.push(`${file}: tshark [${want}] minishark [${full}]${lean !== full ? ` non-full [${lean}]` : ''}`);
    }
    if (diffs.length) failing.set(filter, diffs);
    expect(diffs).toEqual([]);
  });

  it.concurrent.each(Y_CHECKS)('%s: %s, as `tshark-ref -Y ... -T fields -e frame.number`', async (file, filter) => {
    const p = path.join(FIXTURES, file);
    if (!existsSync(p)) return;
    const { stdout } = await run(TSHARK_REF, ['-r', p, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { env: { ...process.env, TZ: 'UTC' } });
    const want = stdout.trim().split('\n').filter(Boolean).join(' ');
    expect(await minisharkOutcome(p, filter, true, 'matched')).toBe(want);
    expect(await minisharkOutcome(p, filter, false, 'matched')).toBe(want);
  });
});

// -G fields / -G protocols: every field minishark registers (and can print with -e) is listed in
// tshark's glossary layout, and each line agrees with tshark 4.0's own line for the same filter name
// (type, parent protocol, base, bitmask, name), apart from the differences listed below with their
// reasons. The comparison with tshark skips without tshark.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { allFields } from '../src/core/field.js';
import '../src/dissect/engine.js';
import { resolveFields } from '../src/output/fields.js';
// @ts-expect-error plain JS helpers
import { runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

/** Column of an F record: 1 name, 2 filter name, 3 type, 4 parent, 5 base, 6 bitmask, 7 blurb. */
const COL = { name: 1, type: 3, parent: 4, base: 5, bitmask: 6 } as const;
type Col = keyof typeof COL;

/** Where minishark's glossary line differs from tshark's, and why. */
const JUSTIFIED: Record<string, { cols: Col[]; why: string }> = {};
const justify = (abbrevs: string[], cols: Col[], why: string) => {
  for (const a of abbrevs) JUSTIFIED[a] = { cols, why };
};
justify(
  ['_ws.expert.severity', '_ws.expert.group', 'eth.fcs.status', 'ip.checksum.status', 'icmp.checksum.status', 'icmp.ext.checksum.status', 'icmpv6.checksum.status', 'tcp.checksum.status', 'udp.checksum.status'],
  ['base'],
  'BASE_NONE in Wireshark (the value is shown only by its name); minishark declares the number it prints with -T fields, BASE_DEC',
);
justify(['eth.dst.oui', 'eth.src.oui', 'eth.addr.oui', 'llc.oui'], ['base'], 'BASE_OUI looks the OUI up in a vendor table minishark does not carry: BASE_DEC');
justify(['llc.dsap.sap', 'llc.ssap.sap', 'tcp.completeness'], ['base'], 'BASE_CUSTOM (a formatting function) in Wireshark: BASE_DEC in minishark');
justify(['tcp.srcport', 'tcp.dstport', 'tcp.port', 'udp.srcport', 'udp.dstport', 'udp.port'], ['base'], 'BASE_PT_TCP/UDP resolve port names; minishark is always numeric (-n): BASE_DEC');
justify(['arp.src.hw_ax25', 'arp.dst.hw_ax25'], ['type'], 'FT_AX25: minishark keeps the address as its text, FT_STRING');
justify(['icmp.resptime', 'icmpv6.resptime'], ['type'], 'FT_DOUBLE: minishark keeps the milliseconds as decimal text (no float touches a time), FT_STRING');
justify(['icmpv6.opt.linkaddr', 'icmpv6.opt.src_linkaddr', 'icmpv6.opt.target_linkaddr'], ['type'], 'FT_BYTES printed as an address: minishark stores the printed text, FT_STRING');
justify(['ipv6.version', 'tcp.hdr_len'], ['bitmask'], 'Wireshark shifts these by hand (bitmask 0x0); minishark declares the mask it extracts with');
justify(['dns.rr.udp_payload_size'], ['base', 'bitmask'], 'Wireshark registers this name twice (mDNS: hex, mask 0x7fff, listed first by tshark -G); the registry keeps one definition per name, DNS\'s, and dns.ts gives mDNS its masked copy');
justify(['frame.len', 'frame.cap_len', 'tcp.bogus_header_length'], ['name'], "minishark's registry name is the label its tree shows");

/** Lines of tshark's glossary that minishark lists differently, or that tshark does not have. */
const NOT_IN_TSHARK = ['ipv6.exthdr.too_many', '_ws.malformed.too_deep', 'tcp.options.mptcp', 'minishark.tcp.phase', 'minishark.tcp.step', 'minishark.tcp.role', 'minishark.tcp.explain', 'minishark.tcp.mss_check'];
/** _ws.expert is a protocol in Wireshark (a P record); minishark registers it as a value-less field. */
const OTHER_KIND = ['_ws.expert'];

const records = (s: string) => s.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));

describe('-G fields', () => {
  it('lists every registered field once (every field -e accepts), in the P/F layout', async () => {
    const r = await runCli(main, ['-G', 'fields']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const recs = records(r.out);
    const names = recs.map((x) => x[2]);
    expect(new Set(names).size).toBe(names.length);
    // Wireshark's text-only pseudo-field is not in tshark's glossary either
    const registered = allFields().filter((d) => d.abbrev !== 'text');
    expect(names.sort()).toEqual(registered.map((d) => d.abbrev).sort());
    expect(resolveFields(names as string[]).unknown).toEqual([]);
    for (const x of recs) {
      if (x[0] === 'P') expect(x).toHaveLength(3);
      else {
        expect(x[0]).toBe('F');
        expect(x).toHaveLength(8);
        expect(x[3]).toMatch(/^FT_[A-Z0-9_v]+$/);
        expect(x[6]).toMatch(/^0x[0-9a-f]+$/);
      }
    }
    const tcpSeq = recs.find((x) => x[2] === 'tcp.seq');
    expect(tcpSeq).toEqual(['F', 'Sequence Number', 'tcp.seq', 'FT_UINT32', 'tcp', 'BASE_DEC', '0x0', '']);
    expect(recs.find((x) => x[2] === 'tcp')).toEqual(['P', 'Transmission Control Protocol', 'tcp']);
  });

  it('-G alone is -G fields', async () => {
    const a = await runCli(main, ['-G']);
    const b = await runCli(main, ['-G', 'fields']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it("tshark's errors: -G not first, an unknown report (exit 1)", async () => {
    const late = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-G', 'fields']);
    expect([late.code, late.out, late.err]).toEqual([1, '', 'minishark: -G only valid as first option\n']);
    const bad = await runCli(main, ['-G', 'bogus']);
    expect([bad.code, bad.out, bad.err]).toEqual([1, '', 'minishark: Invalid "bogus" option for -G flag, enter -G help for more help.\n']);
    const help = await runCli(main, ['-G', 'help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('  -G fields                dump fields glossary and exit\n');
  });
});

describe.skipIf(!hasTshark)("-G fields / -G protocols against tshark's (needs tshark)", () => {
  const theirs = (report: string) => spawnSync('tshark', ['-G', report], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;

  it('each line agrees with tshark for the same filter name (type, parent, base, bitmask, name)', async () => {
    const t = new Map<string, string[]>();
    for (const x of records(theirs('fields'))) if (x[0] === 'P' || x[0] === 'F') t.set(x[2]!, x);
    const mine = records((await runCli(main, ['-G', 'fields'])).out);
    const diffs: string[] = [];
    let compared = 0;
    for (const x of mine) {
      const abbrev = x[2]!;
      const y = t.get(abbrev);
      if (!y) {
        if (!NOT_IN_TSHARK.includes(abbrev)) diffs.push(`${abbrev}: not in tshark's glossary`);
        continue;
      }
      if (x[0] !== y[0]) {
        if (!OTHER_KIND.includes(abbrev)) diffs.push(`${abbrev}: ${x[0]} record, tshark ${y[0]}`);
        continue;
      }
      compared++;
      if (x[0] === 'P') {
        if (x[1] !== y[1]) diffs.push(`${abbrev}: name ${x[1]}, tshark ${y[1]}`);
        continue;
      }
      for (const c of Object.keys(COL) as Col[]) {
        const i = COL[c];
        if (x[i] === y[i]) continue;
        if (JUSTIFIED[abbrev]?.cols.includes(c)) continue;
        diffs.push(`${abbrev}: ${c} ${x[i]}, tshark ${y[i]}`);
      }
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(600);
    // every listed difference is still a difference (the list does not outlive a fix)
    for (const [abbrev, j] of Object.entries(JUSTIFIED)) {
      const x = mine.find((m) => m[2] === abbrev)!;
      const y = t.get(abbrev)!;
      expect(j.cols.some((c) => x[COL[c]] !== y[COL[c]]), `${abbrev} now agrees: drop it from JUSTIFIED`).toBe(true);
    }
  });

  it('-G protocols: the same lines as tshark, sorted by short name as tshark sorts them', async () => {
    const t = new Set(theirs('protocols').split('\n'));
    const out = (await runCli(main, ['-G', 'protocols'])).out;
    const lines = out.replace(/\n$/, '').split('\n');
    expect(lines.length).toBe(allFields().filter((d) => d.type === 'protocol').length);
    expect(lines.filter((l) => !t.has(l))).toEqual(['TCP Option - Multipath TCP\tMultipath TCP\ttcp.options.mptcp']);
    const shorts = lines.map((l) => l.split('\t')[1]!.toLowerCase());
    expect(shorts).toEqual([...shorts].sort());
  });
});

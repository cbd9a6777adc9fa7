// -V / -O: the details tables read the field tree: texts, filter names, byte ranges, widths.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { FieldNode } from '../src/core/field.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { bytesText, cliTable3, collectRows, DetailsPrinter, displayWidth, layoutTable, naturalLayout, nodeText, type Row, shown, wrap } from '../src/output/details.js';
import { outputWidth } from '../src/output/options.js';
// @ts-expect-error plain JS helpers
import { ROOT, runCli } from './golden/cases.mjs';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

async function packets(file: string): Promise<Packet[]> {
  const engine = new Engine({ full: true, columns: false });
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

function nodes(p: Packet, proto: string): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (ns: FieldNode[]) => {
    for (const n of ns) {
      out.push(n);
      if (n.children) visit(n.children);
    }
  };
  for (const L of p.layers) if (L.proto === proto) visit(L.fields);
  return out;
}

const firstSyn = (ps: Packet[]) => ps.find((p) => p.tcp && p.tcp.flags === 0x002)!;

describe('field texts', () => {
  it('uses the dissector text, else writes "Name: value" with the bit picture like Wireshark', async () => {
    const syn = firstSyn(await packets('fixtures/echo-veth.pcap'));
    const eth = nodes(syn, 'eth');
    // without a dissector text, the output writes it from the definition and the value
    const lg = { ...eth.find((n) => n.def.abbrev === 'eth.dst.lg')!, text: undefined };
    expect(nodeText(lg)).toBe('.... ..1. .... .... .... .... = LG bit: Locally administered address (this is NOT the factory default)');
    const ig = { ...eth.find((n) => n.def.abbrev === 'eth.dst.ig')!, text: undefined };
    expect(nodeText(ig)).toBe('.... ...0 .... .... .... .... = IG bit: Individual address (unicast)');
    const tcp = nodes(syn, 'tcp');
    expect(nodeText(tcp.find((n) => n.def.abbrev === 'tcp.flags.syn')!)).toBe('.... .... ..1. = Syn: Set');
    expect(nodeText({ ...tcp.find((n) => n.def.abbrev === 'tcp.flags.syn')!, text: undefined })).toBe('.... .... ..1. = Syn: Set');
    expect(nodeText({ ...tcp.find((n) => n.def.abbrev === 'tcp.srcport')!, text: undefined })).toMatch(/^Source Port: \d+$/);
    const dscp = nodes(syn, 'ip').find((n) => n.def.abbrev === 'ip.dsfield.dscp')!;
    expect(nodeText({ ...dscp, text: undefined })).toBe('0000 00.. = Differentiated Services Codepoint: Default (0)');
    expect(nodeText(tcp.find((n) => n.def.abbrev === 'tcp.len')!)).toBe('[TCP Segment Len: 0]');
    const expert = tcp.find((n) => n.def.abbrev === 'tcp.connection.syn')!;
    expect(nodeText(expert)).toMatch(/^\[Expert Info \(Chat\/Sequence\): Connection establish request \(SYN\): server port \d+\]$/);
  });

  it('hides hidden fields and gives byte ranges as offset+length (blank for generated)', async () => {
    const syn = firstSyn(await packets('fixtures/echo-veth.pcap'));
    const ip = nodes(syn, 'ip');
    const src = ip.find((n) => n.def.abbrev === 'ip.src')!;
    expect(bytesText(src)).toBe('26+4');
    expect(shown(src)).toBe(true);
    const addr = ip.filter((n) => n.def.abbrev === 'ip.addr');
    expect(addr.length).toBe(2);
    expect(addr.every((n) => !shown(n))).toBe(true);
    const status = ip.find((n) => n.def.abbrev === 'ip.checksum.status')!;
    expect(bytesText(status)).toBe('');
    const out = new DetailsPrinter({ width: 100, chalk: null }).render(syn);
    expect(out).toMatch(/│ Source Address: 10\.99\.0\.1 +│ ip\.src +│ 26\+4 +│/);
    expect(out).not.toMatch(/│ ip\.addr /);
    expect(out).not.toMatch(/│ tcp\.port /);
    expect(out).toContain('│ [Header checksum status: Unverified]');
    expect(out.split('\n')[0]).toBe(syn.layers[0]!.summary);
    expect(out).toContain('\nInternet Protocol Version 4, Src: 10.99.0.1, Dst: 10.99.0.2\n');
    expect(out.endsWith('┘\n\n')).toBe(true);
  });

  it.skipIf(!hasTshark)('Ethernet and IPv4 rows read like tshark -V (needs tshark)', async () => {
    const ps = await packets('fixtures/echo-veth.pcap');
    const i = ps.indexOf(firstSyn(ps));
    const r = spawnSync(path.join(ROOT, 'scripts', 'tshark-ref'), ['-r', path.join(ROOT, 'fixtures/echo-veth.pcap'), '-V', '-Y', `frame.number == ${i + 1}`], { encoding: 'utf8' });
    const lines = new Set(r.stdout.split('\n').map((l) => l.trim()));
    for (const proto of ['eth', 'ip']) {
      for (const n of nodes(ps[i]!, proto)) if (shown(n)) expect(lines, nodeText(n)).toContain(nodeText(n));
    }
  });
});

describe('table width', () => {
  it('wraps long text at spaces with a hanging indent, filter names at dots', () => {
    expect(wrap('Options: (20 bytes), Maximum segment size, SACK permitted', 30, 4)).toEqual(['Options: (20 bytes), Maximum', '    segment size, SACK', '    permitted']);
    expect(wrap('tcp.options.timestamp.tsval', 16, 2, '.')).toEqual(['tcp.options.', '  timestamp.', '  tsval']);
    expect(displayWidth('窗口大小')).toBe(8);
  });

  it.each([40, 60, 80, 120, 200])('every line fits %i columns', async (w) => {
    for (const f of ['echo-veth.pcap', 'udp-frag.pcap', 'icmp-unreach.pcap']) {
      const r = await runCli(main, ['-r', `fixtures/${f}`, '-V', '-c', '8'], { COLUMNS: String(w) });
      expect(r.code).toBe(0);
      const widest = Math.max(...r.out.split('\n').filter((l: string) => l.startsWith('│') || l.startsWith('┌')).map((l: string) => displayWidth(l)));
      expect(widest).toBeLessThanOrEqual(Math.max(w, 40));
      if (w >= 80) expect(widest).toBe(w); // tables use the whole width
    }
  });
});

describe('natural width (stdout not a terminal, no COLUMNS)', () => {
  it('outputWidth: a terminal or COLUMNS set the width; a pipe without COLUMNS gets null (natural width)', () => {
    const pipe = {} as NodeJS.WritableStream;
    const tty = (columns?: number) => ({ isTTY: true, columns }) as unknown as NodeJS.WritableStream;
    expect(outputWidth(pipe, {})).toBeNull();
    expect(outputWidth(pipe, { COLUMNS: '132' })).toBe(132);
    expect(outputWidth(pipe, { COLUMNS: 'wide' })).toBeNull();
    expect(outputWidth(tty(100), { COLUMNS: '132' })).toBe(100);
    expect(outputWidth(tty(), {})).toBe(80);
  });

  it('one line per field, every cell whole: the text of each shown node is a line of its own', async () => {
    const r = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-V', '-c', '6'], {});
    expect(r.code).toBe(0);
    const ps = await packets('fixtures/echo-veth.pcap');
    const cells = r.out.split('\n').filter((l: string) => l.startsWith('│')).map((l: string) => l.split('│')[1]!.trim());
    let count = 0;
    for (const p of ps.slice(0, 6)) {
      for (const L of p.layers) {
        const rows: Row[] = [];
        collectRows(L.fields, 0, rows);
        for (const row of rows) expect(cells[count++]).toBe(row.text);
      }
    }
    expect(cells.length).toBe(count); // no continuation lines
    expect(r.out).toContain('│ Sequence Number: 0    (relative sequence number) ');
  });

  it('naturalLayout: each column as wide as its widest cell', () => {
    const rows: Row[] = [
      { depth: 0, text: 'Flags: 0x002 (SYN)', abbrev: 'tcp.flags', bytes: '46+2', generated: false },
      { depth: 1, text: '.... .... ..1. = Syn: Set', abbrev: 'tcp.flags.syn', bytes: '46+2', generated: false },
    ];
    const t = naturalLayout(rows);
    expect(t.widths).toEqual([2 + 25, 13, 4]);
    expect(t.cells.map((c) => c.text)).toEqual([['Flags: 0x002 (SYN)'], ['  .... .... ..1. = Syn: Set']]);
  });

  it.skipIf(!hasTshark)('grep finds every line tshark -V has', async () => {
    for (const f of ['echo-veth.pcap', 'loss.pcap']) {
      const r = await runCli(main, ['-r', `fixtures/${f}`, '-V'], {});
      const t = spawnSync(path.join(ROOT, 'scripts', 'tshark-ref'), ['-r', path.join(ROOT, 'fixtures', f), '-V'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
      for (const pat of ['relative sequence number)', 'Time delta from previous captured frame: ', 'LG bit: Locally administered address (this is NOT the factory default)']) {
        const count = (s: string) => s.split('\n').filter((l) => l.includes(pat)).length;
        expect(count(r.out), `${f}: ${pat}`).toBe(count(t));
        expect(count(t)).toBeGreaterThan(0);
      }
    }
  });
});

describe('drawing', () => {
  it('draws exactly what cli-table3 draws for the same cells', async () => {
    const ps = await packets('fixtures/echo-veth.pcap');
    const p = firstSyn(ps);
    const printed = new DetailsPrinter({ width: 80, chalk: null }).render(p);
    for (const L of p.layers) {
      const rows: Row[] = [];
      collectRows(L.fields, 0, rows);
      if (!rows.length) continue;
      const table = cliTable3(layoutTable(rows, 80));
      expect(printed).toContain(`${L.summary}\n${table}\n`);
    }
  });
});

describe('-O', () => {
  it('details only for the listed protocols, one summary line for the others', async () => {
    const r = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-O', 'tcp,ip', '-c', '3']);
    expect(r.code).toBe(0);
    const blocks = r.out.split('\n\n');
    const third = blocks[2]!.split('\n');
    expect(third[0]).toMatch(/^Frame 3: /);
    expect(third[1]).toMatch(/^Ethernet II, Src: /);
    expect(third[2]).toMatch(/^Internet Protocol Version 4, /);
    expect(third[3]).toMatch(/^┌/);
    expect(r.out).toContain('│ tcp.srcport');
    expect(r.out).not.toContain('│ eth.');
    expect(r.out).not.toContain('│ frame.');
  });

  it('an unknown protocol is a usage error', async () => {
    const r = await runCli(main, ['-r', 'fixtures/echo-veth.pcap', '-O', 'tcp,nosuch']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('"nosuch" is not a protocol');
  });
});

// -z flow,tcp: one diagram per TCP stream with a lifeline per endpoint (ip:port), one arrow per
// packet in the right direction, labels with flags / relative Seq / Ack / Len, minishark's phase
// and the tcp.analysis warnings; fitted to the width, coloured only when asked.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../src/analysis/lang.js';
import { lookupField } from '../src/core/field.js';
import type { Packet } from '../src/core/packet.js';
import { Engine } from '../src/dissect/engine.js';
import { openCapture } from '../src/io/reader.js';
import { analysisFlags, arrowBody, FlowStat } from '../src/stats/flow.js';
import { parseStat, statFields } from '../src/stats/index.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

async function runFlow(file: string, arg: string, width = 100, color = false, lang: Lang = 'en'): Promise<{ stat: FlowStat; text: string; pkts: Packet[] }> {
  const stat = parseStat(arg, { width, color, lang }) as FlowStat;
  const eng = new Engine({ full: false, fields: statFields([stat]), columns: false });
  const pkts: Packet[] = [];
  for await (const rec of await openCapture(path.join(FIXTURES, file))) {
    const p = eng.dissect(rec);
    pkts.push(p);
    stat.packet(p);
  }
  let text = '';
  stat.finish((s) => (text += s));
  return { stat, text, pkts };
}

describe('flow,tcp', () => {
  it('a loopback connection gets two lifelines (ip:port), one arrow per packet, each the right way', async () => {
    const { stat, text, pkts } = await runFlow('echo-lo.pcap', 'flow,tcp');
    const tcp = pkts.filter((p) => p.tcp);
    const [s] = stat.streams();
    expect(stat.streams()).toHaveLength(1);
    const client = tcp[0]!.tcp!;
    expect(s!.a).toBe(`127.0.0.1:${client.srcPort}`);
    expect(s!.b).toBe(`127.0.0.1:${client.dstPort}`);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^ {11}127\\.0\\.0\\.1:${client.srcPort} +127\\.0\\.0\\.1:${client.dstPort}$`));
    const arrows = lines.filter((l) => /[▶◀]/.test(l));
    expect(arrows).toHaveLength(tcp.length);
    arrows.forEach((l, i) => {
      const fromClient = tcp[i]!.tcp!.srcPort === client.srcPort;
      expect(l.includes('▶')).toBe(fromClient);
      expect(l.includes('◀')).toBe(!fromClient);
      expect(l.startsWith(` ${(tcp[i]!.rel.sec + tcp[i]!.rel.nsec / 1e9).toFixed(6).padStart(9)} │`)).toBe(true);
    });
    // the handshake, with relative numbers
    expect(arrows[0]).toContain('── SYN Seq=0 Len=0 ──');
    expect(arrows[1]).toContain(' SYN, ACK Seq=0 Ack=1 Len=0 ──│');
    expect(arrows[2]).toContain('── ACK Seq=1 Ack=1 Len=0 ──');
  });

  it("labels rows with minishark's phase when the tracker provides it", async () => {
    const { stat } = await runFlow('halfclose.pcap', 'flow,tcp');
    const rows = stat.streams()[0]!.rows;
    if (lookupField('minishark.tcp.phase')) {
      expect(rows[0]!.phase).not.toBe('');
      expect(rows.every((r) => r.phase !== '')).toBe(true);
    } else expect(rows.every((r) => r.phase === '')).toBe(true);
  });

  it('phase and step labels in English, Simplified (zh-CN) and Traditional (zh-TW) Chinese', async () => {
    const phases = async (lang: Lang) => (await runFlow('echo-veth.pcap', 'flow,tcp,0', 120, false, lang)).stat.streams()[0]!.rows.map((r) => r.phase);
    const data = (s: string) => Array<string>(4).fill(s);
    expect(await phases('en')).toEqual(['handshake 1/3', 'handshake 2/3', 'handshake 3/3', ...data('data'), 'teardown 1/4', 'teardown 2/4', 'teardown 3/4', 'teardown 4/4']);
    expect(await phases('zh-CN')).toEqual(['三次握手第1/3步', '三次握手第2/3步', '三次握手第3/3步', ...data('数据传输'), '四次挥手第1/4步', '四次挥手第2/4步', '四次挥手第3/4步', '四次挥手第4/4步']);
    expect(await phases('zh-TW')).toEqual(['三次握手第1/3步', '三次握手第2/3步', '三次握手第3/3步', ...data('資料傳輸'), '四次揮手第1/4步', '四次揮手第2/4步', '四次揮手第3/4步', '四次揮手第4/4步']);
    // drawn in the notes column
    const { text } = await runFlow('keepalive.pcap', 'flow,tcp', 120, false, 'zh-CN');
    expect(text).toContain('│ 四次挥手第2+3/4步');
    expect(text).toContain('│ Keep-Alive, 保活');
  });

  it('marks the analysis warnings the packets carry', async () => {
    const { stat, text, pkts } = await runFlow('loss.pcap', 'flow,tcp,0', 140);
    const rows = stat.streams()[0]!.rows;
    const byFrame = new Map(pkts.map((p) => [p.rec.num, p]));
    for (const r of rows) expect(r.flagsA).toEqual(analysisFlags(byFrame.get(r.frame)!));
    const retrans = rows.filter((r) => r.flagsA.includes('tcp.analysis.retransmission'));
    expect(retrans.length).toBeGreaterThan(0);
    expect(text.split('\n').filter((l) => /⚠ (Fast |Spurious )?Retransmission/.test(l)).length).toBe(retrans.length);
  });

  it('fits the width, and colours only when asked', async () => {
    for (const w of [60, 80, 120, 200]) {
      const { text } = await runFlow('echo-ipv6.pcap', 'flow,tcp', w);
      for (const l of text.split('\n')) expect(strip(l).length, l).toBeLessThanOrEqual(w);
      expect(text).not.toContain('\x1b[');
    }
    const { text } = await runFlow('halfclose.pcap', 'flow,tcp', 100, true);
    expect(text).toContain('\x1b[');
    expect(strip(text)).toBe((await runFlow('halfclose.pcap', 'flow,tcp', 100, false)).text);
  });

  it('flow,tcp,N draws only stream N', async () => {
    const all = await runFlow('port-reuse.pcap', 'flow,tcp');
    expect(all.stat.streams().map((s) => s.index)).toEqual([0, 1]);
    const one = await runFlow('port-reuse.pcap', 'flow,tcp,1');
    expect(one.stat.streams().map((s) => s.index)).toEqual([1]);
    expect(one.text.startsWith('TCP stream 1: ')).toBe(true);
    expect((await runFlow('port-reuse.pcap', 'flow,tcp,9')).text).toBe('TCP stream 9: no packets\n');
  });

  it('arrowBody keeps the label near the sender and the head at the receiver', () => {
    expect(arrowBody(20, 'SYN', true)).toBe('── SYN ────────────▶');
    expect(arrowBody(20, 'SYN', false)).toBe('◀──────────── SYN ──');
    expect(arrowBody(12, 'PSH, ACK Seq=1', true)).toBe('── PSH, … ─▶');
  });
});

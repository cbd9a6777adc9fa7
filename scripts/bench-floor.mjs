#!/usr/bin/env node
// What a bare Node loop can do, as a floor for the throughput targets of `npm run bench`: it reads
// a pcap file in 1 MiB chunks (as scripts/bench-walk.mjs does), decodes Ethernet → IPv4 → TCP by
// hand with no object per packet, keeps one Map entry per TCP direction for relative sequence
// numbers (the least a tracker does: no retransmission, window or teardown analysis; keyed by the
// addresses and ports as six UTF-16 units), makes each address's text once and writes, buffered to
// stdout, either
//   --summary  a tshark-style summary line per packet
//              ("    3   0.000037    10.98.0.1 → 10.98.0.2    TCP 66 28360 → 21000 [ACK] Seq=1 …"), or
//   --fields   the 10 values of the bench's -T fields mode, tab-separated (frame.number,
//              frame.time_relative, ip.src, ip.dst, tcp.srcport, tcp.dstport, tcp.seq, tcp.ack, tcp.len,
//              and an empty tcp.analysis.flags),
//   --jsonl    a JSON object per packet with as many values as minishark's `-T jsonl` line of a TCP
//              segment has (frame, eth, ip and tcp keys, nested the same way), from a fixed template, or
//   --conv     nothing per packet; frames and bytes per TCP conversation (one Map entry each, keyed
//              like the directions), printed as a table at the end (-q -z conv,tcp).
// It does less than minishark even in what it prints (Win= is the raw window, unscaled; SYN options
// and analysis labels are left out of the summary; the JSON template's option and analysis values
// are fixed), so it is an upper bound on speed, not a second implementation.
// Other packets get a short line. No dissector tables, no field model, no expert items: whatever
// minishark does on top of this costs time this loop does not spend, so a target that needs more
// packets/s than this loop reaches cannot be met by code that does more in the same runtime.
//
// Usage: node scripts/bench-floor.mjs FILE --summary|--fields|--jsonl|--conv  (output on stdout; a
//   line "floor: MODE N packets in S s, X packets/s" on stderr). Only little-endian pcap files.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const MODES = ['summary', 'fields', 'jsonl', 'conv'];
const mode = MODES.find((m) => args.includes('--' + m)) ?? '';
if (!file || !mode) {
  process.stderr.write('usage: node scripts/bench-floor.mjs FILE --summary|--fields|--jsonl|--conv\n');
  process.exit(1);
}
const fd = openSync(file, 'r');
const CHUNK = 1 << 20;
let buf = Buffer.allocUnsafe(CHUNK);
let have = 0;
let pos = 0;
let fileOff = 0;
let eof = false;
// the refill of scripts/bench-walk.mjs, repeated rather than shared: each script stands alone, and
// the walk (the read mode's reference) keeps its timing untouched
function refill(need) {
  if (pos > 0) {
    buf.copy(buf, 0, pos, have);
    have -= pos;
    pos = 0;
  }
  if (need > buf.length) {
    const nb = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
    buf.copy(nb, 0, 0, have);
    buf = nb;
  }
  while (have < need && !eof) {
    const n = readSync(fd, buf, have, Math.min(CHUNK, buf.length - have), fileOff);
    if (n === 0) eof = true;
    have += n;
    fileOff += n;
  }
  return have >= need;
}

// output: UTF-8 into one buffer, written when 256 KiB are there
const out = Buffer.allocUnsafe(512 * 1024);
let used = 0;
function emit(s) {
  if (used + s.length * 3 > out.length) flush();
  used += out.utf8Write(s, used);
}
function flush() {
  let off = 0;
  try {
    while (off < used) off += writeSync(1, out, off, used - off);
  } catch (e) {
    if (e.code === 'EPIPE') process.exit(0); // the reader went away (| head)
    throw e;
  }
  used = 0;
}

const t0 = process.hrtime.bigint();
refill(24);
const magic = buf.readUInt32LE(0);
if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) {
  process.stderr.write('bench-floor: only little-endian pcap files\n');
  process.exit(2);
}
const nano = magic === 0xa1b23c4d;
pos = 24;

const ip4 = (b, o) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
/** address text, made once per address (as minishark caches it) */
const ipText = new Map();
function ip4c(b, o) {
  const a = b.readUInt32BE(o);
  let t = ipText.get(a);
  if (t === undefined) ipText.set(a, (t = ip4(b, o)));
  return t;
}
const hx = (v) => (v < 16 ? '0' : '') + v.toString(16);
const mac = (b, o) => `${hx(b[o])}:${hx(b[o + 1])}:${hx(b[o + 2])}:${hx(b[o + 3])}:${hx(b[o + 4])}:${hx(b[o + 5])}`;
const pad = (s, w) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const padR = (s, w) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
function flagList(f) {
  let s = '';
  for (let i = 0; i < 9; i++) if (f & (1 << i)) s += (s ? ', ' : '') + FLAGS[i];
  return s;
}
const rel = (s, ns) => `${s}.${String(ns).padStart(9, '0')}`;

/** base sequence numbers per direction: the least a TCP tracker keeps */
const bases = new Map();
/** --conv: [frames, bytes] each way per conversation */
const convs = new Map();
let firstS = -1;
let firstN = 0;
let packets = 0;
for (;;) {
  if (have - pos < 16 && !refill(16)) break;
  const sec = buf.readUInt32LE(pos);
  const sub = buf.readUInt32LE(pos + 4);
  const cap = buf.readUInt32LE(pos + 8);
  const wire = buf.readUInt32LE(pos + 12);
  if (have - pos < 16 + cap && !refill(16 + cap)) break;
  const o = pos + 16;
  pos = o + cap;
  const num = ++packets;
  const ns = nano ? sub : sub * 1000;
  if (firstS < 0) {
    firstS = sec;
    firstN = ns;
  }
  let rs = sec - firstS;
  let rn = ns - firstN;
  if (rn < 0) {
    rs--;
    rn += 1e9;
  }
  const us = Math.floor(rn / 1000);
  const time = `${rs}.${String(us).padStart(6, '0')}`;
  const b = buf;
  if (cap < 54 || b[o + 12] !== 8 || b[o + 13] !== 0 || b[o + 23] !== 6) {
    if (mode === 'summary') emit(`${pad(String(num), 5)} ${pad(time, 10)}            ? → ?            ? ${wire}\n`);
    else if (mode === 'fields') emit(`${num}\t${rel(rs, rn)}\t\t\t\t\t\t\t\t\n`);
    else if (mode === 'jsonl') emit(`{"frame":{"number":${num}}}\n`);
    continue;
  }
  const ihl = (b[o + 14] & 15) * 4;
  const ipLen = (b[o + 16] << 8) | b[o + 17];
  const t = o + 14 + ihl;
  const sp = (b[t] << 8) | b[t + 1];
  const dp = (b[t + 2] << 8) | b[t + 3];
  const seq = b.readUInt32BE(t + 4);
  const ack = b.readUInt32BE(t + 8);
  const thl = (b[t + 12] >> 4) * 4;
  const flags = ((b[t + 12] << 8) | b[t + 13]) & 0xfff;
  const win = (b[t + 14] << 8) | b[t + 15];
  const len = ipLen - ihl - thl;
  if (mode === 'conv') {
    // one entry per conversation, whichever way the packet goes, keyed by the addresses and ports
    // as six UTF-16 units (their text is made once per conversation, for the table)
    const a = b.readUInt32BE(o + 26);
    const z = b.readUInt32BE(o + 30);
    const fwd = a < z || (a === z && sp <= dp);
    const k = fwd ? String.fromCharCode(a >>> 16, a & 0xffff, z >>> 16, z & 0xffff, sp, dp) : String.fromCharCode(z >>> 16, z & 0xffff, a >>> 16, a & 0xffff, dp, sp);
    let c = convs.get(k);
    if (c === undefined) {
      const src = ip4(b, o + 26);
      const dst = ip4(b, o + 30);
      convs.set(k, (c = [0, 0, 0, 0, fwd ? src + ':' + sp + ' ' + dst + ':' + dp : dst + ':' + dp + ' ' + src + ':' + sp]));
    }
    if (fwd) {
      c[0]++;
      c[1] += wire;
    } else {
      c[2]++;
      c[3] += wire;
    }
    continue;
  }
  const src = ip4c(b, o + 26);
  const dst = ip4c(b, o + 30);
  // a direction's key: source and destination address and port as six UTF-16 units
  const a = b.readUInt32BE(o + 26);
  const z = b.readUInt32BE(o + 30);
  const kf = String.fromCharCode(a >>> 16, a & 0xffff, sp, z >>> 16, z & 0xffff, dp);
  const kr = String.fromCharCode(z >>> 16, z & 0xffff, dp, a >>> 16, a & 0xffff, sp);
  let bf = bases.get(kf);
  if (bf === undefined) bases.set(kf, (bf = flags & 2 ? seq : (seq - 1) >>> 0));
  let br = bases.get(kr);
  if (br === undefined && flags & 16) bases.set(kr, (br = (ack - 1) >>> 0));
  const rseq = (seq - bf) >>> 0;
  const rack = flags & 16 ? (ack - (br ?? 0)) >>> 0 : 0;
  // the timestamp option, where the kernel puts it (NOP NOP TS)
  let tsv = -1;
  let tse = -1;
  if (thl >= 32 && b[t + 22] === 8) {
    tsv = b.readUInt32BE(t + 24);
    tse = b.readUInt32BE(t + 28);
  }
  if (mode === 'fields') {
    emit(`${num}\t${rel(rs, rn)}\t${src}\t${dst}\t${sp}\t${dp}\t${rseq}\t${rack}\t${len}\t\n`);
  } else if (mode === 'summary') {
    let info = `${sp} → ${dp} [${flagList(flags)}] Seq=${rseq}`;
    if (flags & 16) info += ` Ack=${rack}`;
    info += ` Win=${win} Len=${len}`;
    if (tsv >= 0) info += ` TSval=${tsv} TSecr=${tse}`;
    emit(`${pad(String(num), 5)} ${pad(time, 10)} ${pad(src, 12)} → ${padR(dst, 12)} TCP ${wire} ${info}\n`);
  } else {
    const ts = rel(rs, rn);
    emit(
      `{"schema":2,"frame":{"encap_type":1,"time":"2026-11-22T06:23:06.${String(ns).padStart(9, '0')}Z","time_epoch":"${rel(sec, ns)}","time_delta":"${ts}","time_delta_displayed":"${ts}","time_relative":"${ts}","number":${num},"len":${wire},"cap_len":${cap},"marked":false,"ignored":false,"protocols":"eth:ethertype:ip:tcp"},` +
        `"eth":[{"dst":{"_value":"${mac(b, o)}","lg":${(b[o] & 2) !== 0},"ig":${(b[o] & 1) !== 0}},"addr":{"_value":["${mac(b, o)}","${mac(b, o + 6)}"]},"src":{"_value":"${mac(b, o + 6)}","lg":${(b[o + 6] & 2) !== 0},"ig":false},"type":${(b[o + 12] << 8) | b[o + 13]}}],` +
        `"ip":[{"version":${b[o + 14] >> 4},"hdr_len":${ihl},"dsfield":{"_value":${b[o + 15]},"dscp":${b[o + 15] >> 2},"ecn":${b[o + 15] & 3}},"len":${ipLen},"id":${(b[o + 18] << 8) | b[o + 19]},"flags":{"_value":${b[o + 20] >> 5},"rb":false,"df":${(b[o + 20] & 0x40) !== 0},"mf":${(b[o + 20] & 0x20) !== 0}},"frag_offset":0,"ttl":${b[o + 22]},"proto":6,"checksum":{"_value":${(b[o + 24] << 8) | b[o + 25]},"status":2},"src":"${src}","dst":"${dst}"}],` +
        `"tcp":{"srcport":${sp},"dstport":${dp},"stream":0,"completeness":3,"len":${len},"seq":${rseq},"seq_raw":${seq},"nxtseq":${(rseq + len) >>> 0},"ack":${rack},"ack_raw":${ack},"hdr_len":${thl},"flags":{"_value":${flags},"res":false,"ae":false,"cwr":${(flags & 0x80) !== 0},"ece":${(flags & 0x40) !== 0},"urg":${(flags & 0x20) !== 0},"ack":${(flags & 0x10) !== 0},"push":${(flags & 8) !== 0},"reset":${(flags & 4) !== 0},"syn":${(flags & 2) !== 0},"fin":${(flags & 1) !== 0},"str":"${flagList(flags)}"},` +
        `"window_size_value":${win},"window_size":${win * 1024},"window_size_scalefactor":1024,"checksum":{"_value":${(b[t + 16] << 8) | b[t + 17]},"status":2},"urgent_pointer":0,"options":{"_value":"0101080a","nop":["01","01"],"timestamp":{"_value":"080a","tsval":${tsv},"tsecr":${tse}}},"option_kind":[1,1,8],"option_len":[10],"time_relative":"${ts}","time_delta":"${ts}","analysis":{"_value":true,"acks_frame":${num - 1},"ack_rtt":"${ts}","initial_rtt":"${ts}"}},` +
        `"minishark":{"tcp":{"phase":"data","step":"","role":"client","explain":"Client → server: ACK, Seq=${rseq}, Ack=${rack}"}}}\n`,
    );
  }
}
if (mode === 'conv') {
  const rows = [...convs].sort((a, b) => b[1][1] + b[1][3] - (a[1][1] + a[1][3]));
  emit('TCP Conversations\n');
  for (const [, c] of rows) emit(`${c[4].replace(' ', ' <-> ')} ${c[2]} ${c[3]} ${c[0]} ${c[1]} ${c[0] + c[2]} ${c[1] + c[3]}\n`);
}
flush();
closeSync(fd);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
process.stderr.write(`floor: ${mode} ${packets} packets in ${s.toFixed(3)} s, ${Math.round(packets / s)} packets/s\n`);

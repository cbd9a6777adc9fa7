// Captures of many short TCP connections, built at test time by replaying the 11 TCP frames of ONE
// real connection (fixtures/echo-veth.pcap frames 3-13: handshake, 'AB' both ways, four-way close)
// with a new client address and port, new initial sequence numbers and shifted timestamps per
// connection (checksums recomputed), a new connection every millisecond, frames in time order.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The capture: `n` replays of the fixture's connection, in time order. */
export function buildCapture(n: number): Buffer {
  const b = readFileSync(path.join(ROOT, 'fixtures', 'echo-veth.pcap'));
  const recs: Array<{ t: number; data: Buffer }> = [];
  for (let o = 24; o + 16 <= b.length; o += 16 + b.readUInt32LE(o + 8)) {
    recs.push({ t: b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4), data: b.subarray(o + 16, o + 16 + b.readUInt32LE(o + 8)) });
  }
  const conn = recs.slice(2); // frames 3-13: one TCP connection (the ARP frames 1-2 are left out)
  if (conn.length !== 11 || conn[0]!.data[47] !== 0x02) throw new Error('echo-veth.pcap changed: frame 3 is no longer the SYN');
  const t0 = conn[0]!.t;
  const client = conn[0]!.data.readUInt32BE(26);
  // every (connection, frame) in time order: key = time µs * 2^20 + connection * 16 + frame
  const keys = new Float64Array(n * conn.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < conn.length; k++) keys[i * conn.length + k] = (i * 1000 + conn[k]!.t - t0) * 2 ** 20 + i * 16 + k;
  keys.sort();
  const size = conn.reduce((s, r) => s + 16 + r.data.length, 0) * n;
  const out = Buffer.alloc(24 + size);
  b.copy(out, 0, 0, 24);
  let o = 24;
  for (const key of keys) {
    const i = Math.floor(key / 16) % 2 ** 16;
    const k = key % 16;
    const ts = t0 + Math.floor(key / 2 ** 20);
    const d = conn[k]!.data;
    out.writeUInt32LE(Math.floor(ts / 1e6), o);
    out.writeUInt32LE(ts % 1e6, o + 4);
    out.writeUInt32LE(d.length, o + 8);
    out.writeUInt32LE(d.length, o + 12);
    const f = out.subarray(o + 16, o + 16 + d.length);
    d.copy(f);
    const addr = (0x0a400000 + i) >>> 0; // 10.64.x.y: one client address per connection
    const port = 1024 + (i % 64000);
    const isnC = Math.imul(i, 2654435761) >>> 0;
    const isnS = Math.imul(i + 1, 40503) >>> 0;
    const ack = (f[47]! & 0x10) !== 0;
    const fromClient = f.readUInt32BE(26) === client;
    f.writeUInt32BE(addr, fromClient ? 26 : 30);
    f.writeUInt16BE(port, fromClient ? 34 : 36);
    f.writeUInt32BE((f.readUInt32BE(38) + (fromClient ? isnC : isnS)) >>> 0, 38);
    if (ack) f.writeUInt32BE((f.readUInt32BE(42) + (fromClient ? isnS : isnC)) >>> 0, 42);
    // IPv4 header checksum, TCP checksum over the pseudo-header
    f.writeUInt16BE(0, 24);
    let s = 0;
    for (let j = 14; j < 34; j += 2) s += f.readUInt16BE(j);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    f.writeUInt16BE(~s & 0xffff, 24);
    const tl = f.readUInt16BE(16) - 20;
    f.writeUInt16BE(0, 50);
    s = 6 + tl;
    for (let j = 26; j < 34; j += 2) s += f.readUInt16BE(j);
    for (let j = 34; j + 1 < 34 + tl; j += 2) s += f.readUInt16BE(j);
    if (tl & 1) s += f[33 + tl]! << 8;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    f.writeUInt16BE(~s & 0xffff, 50);
    o += 16 + d.length;
  }
  return out;
}


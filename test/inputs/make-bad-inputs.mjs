#!/usr/bin/env node
// Builds the named bad inputs of issue #8 from REAL fixture frames: each file is a fixture capture in
// which one header field of one frame is changed (or a few frames are dropped, repeated or moved),
// so everything around the fault is real traffic. Checksums are recomputed where the change would
// otherwise also break them, so each file has exactly one fault.
//
//   node test/inputs/make-bad-inputs.mjs [OUTDIR]      (default: test/inputs/)
//
// Deterministic: the same fixtures give byte-identical files (test/cli-robust.test.ts checks that
// the committed files are what this script makes). MANIFEST.json lists every file with its source.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIX = path.resolve(here, '../../fixtures');
const OUT = path.resolve(process.argv[2] ?? here);

// ---------------------------------------------------------------- pcap (little-endian µs) helpers
function readPcap(name) {
  const b = readFileSync(path.join(FIX, name));
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${name}: not a little-endian µs pcap`);
  const header = Buffer.from(b.subarray(0, 24));
  const recs = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const capLen = b.readUInt32LE(o + 8);
    recs.push({ hdr: Buffer.from(b.subarray(o, o + 16)), data: Buffer.from(b.subarray(o + 16, o + 16 + capLen)) });
    o += 16 + capLen;
  }
  return { header, recs };
}
/** a record with new bytes: caplen and len follow the data (the frames here were captured whole) */
function rec(r, data) {
  const hdr = Buffer.from(r.hdr);
  const grow = data.length - r.data.length;
  hdr.writeUInt32LE(data.length, 8);
  hdr.writeUInt32LE(hdr.readUInt32LE(12) + grow, 12);
  return { hdr, data };
}
function writePcap(header, recs) {
  return Buffer.concat([header, ...recs.flatMap((r) => [r.hdr, r.data])]);
}

// ---------------------------------------------------------------- checksums
function sum16(buf, start, end, acc = 0) {
  for (let i = start; i + 1 < end; i += 2) acc += buf.readUInt16BE(i);
  if ((end - start) & 1) acc += buf[end - 1] << 8;
  return acc;
}
const fold = (s) => {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
};
/** IPv4 header checksum of the header at `ip` (IHL from the header, at least 5 words) */
function ipv4Checksum(f, ip) {
  const hl = Math.max(5, f[ip] & 15) * 4;
  f.writeUInt16BE(0, ip + 10);
  f.writeUInt16BE(fold(sum16(f, ip, ip + hl)), ip + 10);
}
/** TCP checksum over the IPv4 pseudo-header; `tcp` is where the TCP header starts, `end` the IP end */
function tcp4Checksum(f, ip, tcp, end) {
  f.writeUInt16BE(0, tcp + 16);
  let s = sum16(f, ip + 12, ip + 20) + 6 + (end - tcp);
  f.writeUInt16BE(fold(sum16(f, tcp, end, s)), tcp + 16);
}
function tcp6Checksum(f, ip6, tcp, end) {
  f.writeUInt16BE(0, tcp + 16);
  const len = end - tcp;
  let s = sum16(f, ip6 + 8, ip6 + 40) + 6 + (len >>> 16) + (len & 0xffff);
  f.writeUInt16BE(fold(sum16(f, tcp, end, s)), tcp + 16);
}

// ---------------------------------------------------------------- the cases
const ETH = 14; // Ethernet header in the EN10MB fixtures
const files = [];
function emit(name, data, what, source, why) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, name), data);
  files.push({ file: name, what, source, why });
}

const echo = readPcap('echo-veth.pcap'); // 13 frames: ARP, ARP, SYN, SYN/ACK, ACK, 'AB', ACK, 'AB', ACK, FIN, ACK, FIN, ACK
const echo6 = readPcap('echo-ipv6.pcap'); // 13 frames: NS, NA, SYN, ... over IPv6
const frag = readPcap('udp-frag.pcap'); // 7 IPv4 fragments of one UDP datagram, then the reply

/** echo-veth.pcap with frame `n` (1-based) replaced by `mutate(copy of its bytes)` */
function echoWith(n, mutate) {
  const recs = echo.recs.map((r, i) => (i === n - 1 ? rec(r, mutate(Buffer.from(r.data))) : r));
  return writePcap(echo.header, recs);
}

/** echo-veth.pcap with byte `at` of frame `n` set to `set(old value)`, its TCP checksum recomputed */
function echoTcpByte(n, at, set) {
  return echoWith(n, (f) => {
    f[at] = set(f[at]);
    tcp4Checksum(f, ETH, ETH + 20, f.length);
    return f;
  });
}

// IPv4 IHL < 5: frame 3 (the SYN), IHL 4 (16 bytes)
emit(
  'ipv4-ihl-lt5.pcap',
  echoWith(3, (f) => {
    f[ETH] = 0x44;
    ipv4Checksum(f, ETH);
    return f;
  }),
  'IPv4 header length 16 (IHL 4) in frame 3',
  'echo-veth.pcap frame 3 (SYN), byte 14 0x45 -> 0x44',
  'an IPv4 header is at least 20 bytes: no stack sends IHL < 5',
);
// IPv4 IHL > total length: frame 5 (a bare ACK, total length 52), IHL 15 (60 bytes)
emit(
  'ipv4-ihl-gt-totlen.pcap',
  echoWith(5, (f) => {
    f[ETH] = 0x4f;
    return f; // the checksum would cover bytes that are not header: left as it was
  }),
  'IPv4 header length 60 (IHL 15) > total length 52 in frame 5',
  'echo-veth.pcap frame 5 (ACK), byte 14 0x45 -> 0x4f',
  'the header cannot be longer than the datagram',
);
// TCP data offset < 5: frame 5, data offset 4 (16 bytes)
emit(
  'tcp-doff-lt5.pcap',
  echoTcpByte(5, ETH + 20 + 12, (b) => (4 << 4) | (b & 15)),
  'TCP header length 16 (data offset 4) in frame 5',
  'echo-veth.pcap frame 5 (ACK), byte 46 0x80 -> 0x40, TCP checksum recomputed',
  'a TCP header is at least 20 bytes',
);
// TCP data offset beyond the segment: frame 6 ('AB', 34-byte segment), data offset 15 (60 bytes)
emit(
  'tcp-doff-beyond.pcap',
  echoTcpByte(6, ETH + 20 + 12, (b) => (15 << 4) | (b & 15)),
  'TCP header length 60 (data offset 15) in a 34-byte segment, frame 6',
  "echo-veth.pcap frame 6 ('AB'), byte 46 0x80 -> 0xf0, TCP checksum recomputed",
  'the header cannot reach past the segment',
);
// TCP option lengths: the SYN's options start at byte 54 with MSS (kind 2, len 4)
for (const [name, len, what] of [
  ['tcp-opt-len0.pcap', 0, 'option length 0'],
  ['tcp-opt-len1.pcap', 1, 'option length 1'],
  ['tcp-opt-overrun.pcap', 40, 'option length 40, past the 20 bytes of options'],
]) {
  emit(
    name,
    echoTcpByte(3, ETH + 20 + 20 + 1, () => len),
    `TCP MSS ${what} in frame 3`,
    `echo-veth.pcap frame 3 (SYN), byte 55 (MSS option length) 4 -> ${len}, TCP checksum recomputed`,
    'an option length covers its kind and length bytes (>= 2) and stays inside the header',
  );
}

// Regression inputs for flagging differences with tshark found while building these tests
// (src/dissectors/tcp*.ts; see test/cli-robust.test.ts)
// an EOL option followed by a non-zero byte: the SYN's SACK_PERM kind (byte 58) set to 0 (EOL)
emit(
  'tcp-opt-after-eol.pcap',
  echoTcpByte(3, ETH + 20 + 20 + 4, () => 0),
  'TCP options of frame 3: EOL, then non-zero bytes (Non-zero header padding)',
  'echo-veth.pcap frame 3 (SYN), byte 58 (SACK_PERM kind) 4 -> 0, TCP checksum recomputed',
  'a stack pads after EOL with zeros',
);
// the TCP fixed header cut by the IP total length: frame 7 (a bare ACK) says total length 38 (18 TCP bytes)
emit(
  'tcp-hdr-cut-iplen.pcap',
  echoWith(7, (f) => {
    f.writeUInt16BE(38, ETH + 2);
    ipv4Checksum(f, ETH);
    return f;
  }),
  'IPv4 total length 38 in frame 7: the 20-byte TCP header is cut at 18 bytes (the rest is padding)',
  'echo-veth.pcap frame 7 (ACK), IP total length 52 -> 38, IP checksum recomputed',
  'an IP length that ends inside the TCP header',
);
// the TCP fixed header cut by the snaplen: frame 6 captured to 52 of 68 bytes
{
  const recs = echo.recs.map((r, i) => {
    if (i !== 5) return r;
    const hdr = Buffer.from(r.hdr);
    hdr.writeUInt32LE(52, 8);
    return { hdr, data: r.data.subarray(0, 52) };
  });
  emit(
    'tcp-hdr-cut-snaplen.pcap',
    writePcap(echo.header, recs),
    "frame 6 ('AB') captured to 52 of 68 bytes: the TCP header cut at 18 bytes",
    'echo-veth.pcap, frame 6 caplen 68 -> 52',
    'tcpdump cuts at the snaplen, never inside a TCP header unless told a tiny snaplen',
  );
}
// a retransmission whose options the snaplen cut: frame 6 again after itself, captured to 58 bytes
{
  const r6 = echo.recs[5];
  const hdr = Buffer.from(r6.hdr);
  hdr.writeUInt32LE(58, 8);
  const recs = [...echo.recs.slice(0, 6), { hdr, data: r6.data.subarray(0, 58) }, ...echo.recs.slice(6)];
  emit(
    'tcp-opt-cut-retransmission.pcap',
    writePcap(echo.header, recs),
    "a copy of frame 6 ('AB') as frame 7, captured to 58 bytes: a retransmission whose options are cut",
    'echo-veth.pcap with frame 6 repeated (caplen 58)',
    'a retransmission cut inside its options needs a snaplen below the header length',
  );
}

/** echo-ipv6.pcap frame 3 (the SYN) with `ext` inserted between the IPv6 header and TCP;
 * `firstNext` is the IPv6 next header, ext's own next-header bytes are the caller's */
function ipv6With(ext, firstNext) {
  const r = echo6.recs[2];
  const f = r.data;
  const ip6 = ETH;
  const out = Buffer.concat([f.subarray(0, ip6 + 40), ext, f.subarray(ip6 + 40)]);
  out[ip6 + 6] = firstNext;
  out.writeUInt16BE(f.readUInt16BE(ip6 + 4) + ext.length, ip6 + 4);
  tcp6Checksum(out, ip6, ip6 + 40 + ext.length, out.length);
  const recs = echo6.recs.map((x, i) => (i === 2 ? rec(x, out) : x));
  return writePcap(echo6.header, recs);
}
// an IPv6 next header no dissector takes: frame 6 ('AB') with next header 200 (unassigned)
{
  const recs = echo6.recs.map((x, i) => {
    if (i !== 5) return x;
    const f = Buffer.from(x.data);
    f[ETH + 6] = 200;
    return rec(x, f);
  });
  emit(
    'ipv6-nxt-unassigned.pcap',
    writePcap(echo6.header, recs),
    'IPv6 next header 200 (unassigned) in frame 6',
    "echo-ipv6.pcap frame 6 ('AB'), byte 20 (next header) 6 -> 200",
    'no stack sends an unassigned protocol number (regression: the Info column was empty)',
  );
}

/** n 8-byte Destination Options headers (PadN), each naming the next as `next(i)` */
function dstopts(n, next) {
  const b = Buffer.alloc(8 * n);
  for (let i = 0; i < n; i++) {
    b[8 * i] = next(i);
    b[8 * i + 1] = 0; // 8 bytes
    b[8 * i + 2] = 1; // PadN
    b[8 * i + 3] = 4;
  }
  return b;
}
// a chain that loops: every Destination Options header names Destination Options (60) again, 600 of
// them, and the last still says 60: the chain only ends with the packet
emit(
  'ipv6-ext-loop.pcap',
  ipv6With(dstopts(600, () => 60), 60),
  'IPv6 chain of 600 Destination Options headers, each naming itself as next (it only ends with the packet), frame 3',
  'echo-ipv6.pcap frame 3 (SYN) with 600 8-byte Destination Options headers inserted before TCP; payload length updated, TCP checksum recomputed',
  'a real stack sends at most one Destination Options header before the upper layer; the chain must be walked with a bound',
);
// a long but well-formed chain: 100 Destination Options headers, then TCP
emit(
  'ipv6-ext-long.pcap',
  ipv6With(dstopts(100, (i) => (i === 99 ? 6 : 60)), 60),
  'IPv6 chain of 100 Destination Options headers ending in TCP, frame 3',
  'echo-ipv6.pcap frame 3 (SYN) with 100 8-byte Destination Options headers inserted before TCP; payload length updated, TCP checksum recomputed',
  'no stack sends 100 extension headers; depth must stay bounded',
);
// a header whose length runs past the payload: Hdr Ext Len 255 (2048 bytes) in a 48-byte payload
{
  const ext = dstopts(1, () => 6);
  ext[1] = 255;
  emit(
    'ipv6-ext-overrun.pcap',
    ipv6With(ext, 60),
    'IPv6 Destination Options header claiming 2048 bytes in a 48-byte payload, frame 3',
    'echo-ipv6.pcap frame 3 (SYN) with one Destination Options header (Hdr Ext Len 255) inserted before TCP',
    'the header length field claims more bytes than the packet has',
  );
}
// 1,000 nested 802.1Q tags in front of the SYN's IPv4
{
  const f = echo.recs[2].data;
  const tags = Buffer.alloc(4 * 1000);
  for (let i = 0; i < 1000; i++) {
    tags.writeUInt16BE(0x8100, 4 * i); // the type before each tag (Ethernet's, then each tag's)
    tags.writeUInt16BE((i % 4094) + 1, 4 * i + 2); // TCI: VLAN id 1..
  }
  // layout: dst src | 8100 tci | 8100 tci | ... | 0800 | IPv4 ...
  const out = Buffer.concat([f.subarray(0, 12), tags, f.subarray(12)]);
  const recs = echo.recs.map((x, i) => (i === 2 ? rec(x, out) : x));
  emit(
    'vlan-1000.pcap',
    writePcap(echo.header, recs),
    '1,000 nested 802.1Q tags in frame 3',
    'echo-veth.pcap frame 3 (SYN) with 1,000 802.1Q tags (VLAN ids 1-1000) inserted after the MAC addresses',
    'switches push one or two tags; a thousand only come from a crafted frame',
  );
}
// an IPv4 fragment train that never completes: the last fragment (frame 7) is gone
emit(
  'frag-incomplete.pcap',
  writePcap(frag.header, frag.recs.filter((_, i) => i !== 6)),
  'IPv4 fragments 1-6 of a 10240-byte UDP datagram without the last one, then the reply',
  'udp-frag.pcap without frame 7 (the fragment with MF=0)',
  'real traffic can lose a fragment, but the fixture captured none lost: dropped by hand',
);
// overlapping fragments with conflicting data: an extra fragment at offset 2224 (inside fragments 2
// and 3) with its bytes inverted, sent after fragment 2
{
  const f2 = frag.recs[1]; // fragment 2: offset 1480, 1480 bytes
  const f = Buffer.from(f2.data);
  const ip = ETH;
  const payload = f.subarray(ip + 20);
  for (let i = 0; i < payload.length; i++) payload[i] ^= 0xff;
  const offWord = f.readUInt16BE(ip + 6);
  f.writeUInt16BE((offWord & 0xe000) | (2224 / 8), ip + 6); // keep MF, offset 2224
  ipv4Checksum(f, ip);
  const extra = rec(f2, f);
  const recs = [...frag.recs.slice(0, 2), extra, ...frag.recs.slice(2)];
  emit(
    'frag-overlap.pcap',
    writePcap(frag.header, recs),
    'IPv4 fragment train with an extra fragment (frame 3) overlapping fragments 2 and 3 with different bytes',
    'udp-frag.pcap with a copy of frame 2 inserted as frame 3: offset 1480 -> 2224, payload bytes inverted, IP checksum recomputed',
    'a real sender never sends two different payloads for the same bytes of a datagram (an overlap attack does)',
  );
}

// ---------------------------------------------------------------- file-level inputs not built elsewhere
// pcap cut inside a record header: 4 intact records, then 10 of the 16 header bytes of record 5
{
  const full = writePcap(echo.header, echo.recs);
  let o = 24;
  for (let i = 0; i < 4; i++) o += 16 + echo.recs[i].data.length;
  emit('cut-mid-record-header.pcap', full.subarray(0, o + 10), 'echo-veth.pcap cut 10 bytes into the 5th record header', 'echo-veth.pcap, truncated', 'a copy interrupted mid-write');
}
// pcapng: interface id out of range in the 3rd EPB (the file has one IDB)
{
  const b = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
  let o = 0;
  let epb = 0;
  while (o + 12 <= b.length) {
    if (b.readUInt32LE(o) === 6 && ++epb === 3) {
      b.writeUInt32LE(5, o + 8);
      break;
    }
    o += b.readUInt32LE(o + 4);
  }
  emit('pcapng-ifid-out-of-range.pcapng', b, 'echo-veth.pcapng with interface id 5 in the 3rd Enhanced Packet Block (one interface)', 'echo-veth.pcapng, 1 byte changed', 'writers only name interfaces they described');
}
// pcapng block longer than minishark's block limit (16 MiB) in the 3rd EPB
{
  const b = Buffer.from(readFileSync(path.join(FIX, 'echo-veth.pcapng')));
  let o = 0;
  let epb = 0;
  while (o + 12 <= b.length) {
    if (b.readUInt32LE(o) === 6 && ++epb === 3) {
      b.writeUInt32LE(0x7ffffff0, o + 4);
      break;
    }
    o += b.readUInt32LE(o + 4);
  }
  emit('pcapng-block-huge.pcapng', b, 'echo-veth.pcapng with block total length 0x7ffffff0 in the 3rd Enhanced Packet Block', 'echo-veth.pcapng, 4 bytes changed', 'a length field that would make a naive reader allocate 2 GiB');
}

// ---------------------------------------------------------------- disagreements with tshark found in the wild
// Regression inputs for issue #16: each reproduces, on real fixture frames, a difference with tshark
// 4.0 first seen on public captures (which cannot be committed here). Crafted, because the fixture
// stacks never produce these bytes (said per file in MANIFEST.json).
const icmpTcp = readPcap('icmp-tcp.pcap'); // SYN, ICMP TTL exceeded, SYN, ICMP port unreachable; the same over IPv6

/** ICMP checksum of the message from `icmp` to `end` */
function icmp4Checksum(f, icmp, end) {
  f.writeUInt16BE(0, icmp + 2);
  f.writeUInt16BE(fold(sum16(f, icmp, end)), icmp + 2);
}
/** ICMPv6 checksum (IPv6 pseudo-header, next header 58) of the message from `icmp` to `end` */
function icmp6Checksum(f, ip6, icmp, end) {
  f.writeUInt16BE(0, icmp + 2);
  const len = end - icmp;
  const s = sum16(f, ip6 + 8, ip6 + 40) + 58 + (len >>> 16) + (len & 0xffff);
  f.writeUInt16BE(fold(sum16(f, icmp, end, s)), icmp + 2);
}
/** icmp-tcp.pcap frame `n` (an ICMPv4 error) with its ICMP message replaced by `msg(old message)`;
 * the outer IP total length and both checksums follow */
function icmp4Message(n, msg) {
  const f = icmpTcp.recs[n - 1].data;
  const icmp = ETH + 20;
  const out = Buffer.concat([f.subarray(0, icmp), msg(Buffer.from(f.subarray(icmp)))]);
  out.writeUInt16BE(out.length - ETH, ETH + 2);
  ipv4Checksum(out, ETH);
  icmp4Checksum(out, icmp, out.length);
  return out;
}
/** the same for an ICMPv6 error: the IPv6 payload length and the ICMPv6 checksum follow */
function icmp6Message(n, msg) {
  const f = icmpTcp.recs[n - 1].data;
  const icmp = ETH + 40;
  const out = Buffer.concat([f.subarray(0, icmp), msg(Buffer.from(f.subarray(icmp)))]);
  out.writeUInt16BE(out.length - icmp, ETH + 4);
  icmp6Checksum(out, ETH, icmp, out.length);
  return out;
}
/** a pcap of icmp-tcp.pcap's frames `pairs` = [[frame number, bytes or null (as captured)], ...] */
function icmpTcpPcap(pairs) {
  return writePcap(
    icmpTcp.header,
    pairs.map(([n, data]) => (data ? rec(icmpTcp.recs[n - 1], data) : icmpTcp.recs[n - 1])),
  );
}

// 4. an ICMPv4 error quoting only the first 8 bytes of the TCP header (RFC 792's minimum, what most
// routers send; Linux quotes up to 576 bytes, so the fixture's router quoted the whole SYN)
const quote8v4 = (m) => m.subarray(0, 8 + 20 + 8); // ICMP header, the quoted IPv4 header, 8 TCP bytes
emit(
  'icmp-tcp-quote8.pcap',
  icmpTcpPcap([[1, null], [2, icmp4Message(2, quote8v4)], [3, null], [4, icmp4Message(4, quote8v4)]]),
  'ICMPv4 time exceeded (frame 2) and port unreachable (frame 4) quoting the IPv4 header and only 8 bytes of the TCP SYN',
  'icmp-tcp.pcap frames 1-4, the ICMP messages of frames 2 and 4 cut after 8 TCP bytes; IP total length, IP and ICMP checksums recomputed',
  "routers quote the IP header + 8 bytes (RFC 792); Linux, the fixture's router, quotes the whole datagram (regression: tshark prints tcp.seq, minishark printed nothing)",
);
// 3 + 5. the same over IPv6: an ICMPv6 error quoting only 8 bytes of the TCP header
const quote8v6 = (m) => m.subarray(0, 8 + 40 + 8);
emit(
  'icmpv6-tcp-quote8.pcap',
  icmpTcpPcap([[5, null], [6, icmp6Message(6, quote8v6)], [7, null], [8, icmp6Message(8, quote8v6)]]),
  'ICMPv6 time exceeded (frame 2) and port unreachable (frame 4) quoting the IPv6 header and only 8 bytes of the TCP SYN',
  'icmp-tcp.pcap frames 5-8, the ICMPv6 messages of frames 6 and 8 cut after 8 TCP bytes; payload length and ICMPv6 checksum recomputed',
  "Linux quotes as much as fits in 1280 bytes; other routers cut shorter (regression: minishark added [Malformed Packet: TCP] and no tcp.seq_raw, tshark neither)",
);
// 2. an RFC 4884 length that puts the extension structure past the end of the message. The
// extensions are only looked for in messages longer than 8 + 128 bytes, so the quote is padded with
// zeros to 144 bytes; the length field (in 32-bit words) then says 160 bytes, so the extensions
// would start at byte 168 of a 152-byte message. Frame 2: all bytes captured (tshark: Malformed);
// frame 4: the same message 24 bytes longer on the wire but captured to the same 152 bytes (tshark:
// packet size limited during capture).
{
  const pad = (total) => (m) => {
    const out = Buffer.concat([m, Buffer.alloc(8 + total - m.length)]);
    out[5] = 160 / 4; // RFC 4884 length of the original datagram
    return out;
  };
  const onWire = icmp4Message(4, pad(168)); // 152 + 24 bytes: the extension start is inside, at 168 (+ 8 header)
  const cut = Buffer.from(onWire.subarray(0, ETH + 20 + 152));
  const r4 = rec(icmpTcp.recs[3], onWire);
  r4.hdr.writeUInt32LE(cut.length, 8); // captured length: the rest was not captured
  emit(
    'icmp-ext-past-end.pcap',
    writePcap(icmpTcp.header, [icmpTcp.recs[0], rec(icmpTcp.recs[1], icmp4Message(2, pad(144))), icmpTcp.recs[2], { hdr: r4.hdr, data: cut }]),
    'ICMPv4 errors whose RFC 4884 length (160 bytes) puts the extensions past the end of a 152-byte message (frame 2) or past the captured 152 of 176 bytes (frame 4)',
    'icmp-tcp.pcap frames 1-4, the quotes of frames 2 and 4 zero-padded and ICMP byte 5 set to 40; frame 4 captured to 186 of 210 bytes; lengths and checksums recomputed',
    'a sender that sets the RFC 4884 length field counts the quote it sends; here the length and the message disagree (regression: tshark marks the packet, minishark was silent)',
  );
}
// the same for ICMPv6 (RFC 4884 length in 64-bit words at byte 4)
{
  const m = icmp6Message(6, (x) => {
    const out = Buffer.concat([x, Buffer.alloc(8 + 144 - x.length)]);
    out[4] = 160 / 8;
    return out;
  });
  emit(
    'icmpv6-ext-past-end.pcap',
    icmpTcpPcap([[5, null], [6, m]]),
    'ICMPv6 time exceeded whose RFC 4884 length (160 bytes) puts the extensions past the end of the 152-byte message (frame 2)',
    'icmp-tcp.pcap frames 5-6, the quote of frame 6 zero-padded to 144 bytes and ICMPv6 byte 4 set to 20; payload length and ICMPv6 checksum recomputed',
    'a sender that sets the RFC 4884 length field counts the quote it sends; here the length and the message disagree',
  );
}
// 6. a TCP segment in a fragmented IPv4 datagram: echo-veth.pcap's handshake (frames 3-5), then frame
// 6's segment with 40 payload bytes instead of 'AB', sent as two IPv4 fragments (40 + 32 bytes of the
// 72-byte TCP segment) with DF cleared
{
  const payload = Buffer.from('HELLO-THIS-IS-THE-TCP-PAYLOAD-0123456789');
  const f6 = echo.recs[5].data; // Ethernet, IPv4 (20), TCP (32, timestamps), 'AB'
  const tcpOff = ETH + 20;
  const seg = Buffer.concat([f6.subarray(tcpOff, tcpOff + 32), payload]);
  const whole = Buffer.concat([f6.subarray(0, tcpOff), seg]);
  whole.writeUInt16BE(20 + seg.length, ETH + 2);
  tcp4Checksum(whole, ETH, tcpOff, whole.length);
  const fragment = (from, to, more) => {
    const f = Buffer.concat([whole.subarray(0, tcpOff), whole.subarray(tcpOff + from, tcpOff + to)]);
    f.writeUInt16BE(20 + to - from, ETH + 2);
    f.writeUInt16BE((more ? 0x2000 : 0) | (from / 8), ETH + 6); // DF clear, MF, offset
    ipv4Checksum(f, ETH);
    return f;
  };
  const r6 = echo.recs[5];
  emit(
    'tcp-in-ipv4-frags.pcap',
    writePcap(echo.header, [echo.recs[2], echo.recs[3], echo.recs[4], rec(r6, fragment(0, 40, true)), rec(r6, fragment(40, 72, false))]),
    "a TCP segment carrying 'HELLO-THIS-IS-THE-TCP-PAYLOAD-0123456789' in two IPv4 fragments (frames 4 and 5), after the handshake",
    "echo-veth.pcap frames 3-5, then frame 6 with its 'AB' replaced by the 40-byte text, split at TCP byte 40 into two fragments (DF cleared, MF and offset set); lengths and checksums recomputed",
    'Linux TCP sets DF and sizes segments to the path MTU, so it never sends a fragmented segment (regression: -z follow,tcp printed the second fragment\'s IP header)',
  );
}
// 1. pcapng option strings with a NUL inside their declared length: echo-veth.pcapng with frame 3's
// comment 'SYN of the echo connection' turned into 'SYN\0of the echo connection' and an if_name
// option 'veth-a\0junk' (11 bytes) added to the interface description block
{
  const b = readFileSync(path.join(FIX, 'echo-veth.pcapng'));
  const blocks = [];
  for (let o = 0; o + 12 <= b.length; o += b.readUInt32LE(o + 4)) blocks.push(Buffer.from(b.subarray(o, o + b.readUInt32LE(o + 4))));
  const out = blocks.map((blk) => {
    if (blk.readUInt32LE(0) === 1) {
      // IDB: type, length, link type, reserved, snaplen, then options; if_name goes first
      const name = Buffer.from('veth-a\0junk');
      const opt = Buffer.alloc(4 + ((name.length + 3) & ~3));
      opt.writeUInt16LE(2, 0);
      opt.writeUInt16LE(name.length, 2);
      name.copy(opt, 4);
      const nb = Buffer.concat([blk.subarray(0, 16), opt, blk.subarray(16)]);
      nb.writeUInt32LE(nb.length, 4);
      nb.writeUInt32LE(nb.length, nb.length - 4);
      return nb;
    }
    const at = blk.indexOf('SYN of the echo connection');
    if (blk.readUInt32LE(0) === 6 && at > 0) blk[at + 3] = 0;
    return blk;
  });
  emit(
    'pcapng-option-nul.pcapng',
    Buffer.concat(out),
    "echo-veth.pcapng with frame 3's comment 'SYN\\0of the echo connection' and if_name 'veth-a\\0junk' (a NUL inside each option's length)",
    'echo-veth.pcapng: 1 byte of the 3rd EPB set to 0, an 11-byte if_name option inserted into the IDB (block length updated)',
    'editcap and tcpdump write option strings without a NUL; other writers pad with NULs inside the length or leave garbage after one (regression: tshark cuts at the NUL, minishark printed the rest)',
  );
}

writeFileSync(path.join(OUT, 'MANIFEST.json'), JSON.stringify(files, null, 2) + '\n');
console.log(`wrote ${files.length} files to ${OUT}`);

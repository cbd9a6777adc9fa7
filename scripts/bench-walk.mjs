#!/usr/bin/env node
// The reading-speed reference of `npm run bench`: a bare Node loop that only walks the records of
// a pcap file and reads the TCP ports. It reads the file with fs in 1 MiB chunks (as minishark's
// reader does), walks the 16-byte record headers, finds the IPv4/IPv6 header behind the link
// layer (Ethernet with VLAN tags, Linux SLL/SLL2, BSD loopback, raw IP) and, for TCP (first
// fragment only), reads the source and destination ports. No objects per packet, no output per
// packet: this is the floor that "reading alone" (minishark -q) is compared against.
//
// Usage: node scripts/bench-walk.mjs FILE [--json]
//   prints "FILE: N packets (T TCP), port checksum S, B bytes, X packets/s"
//   or, with --json, {"packets":N,"tcp":T,"portSum":S,"bytes":B,"seconds":X}
// Exit status 2 when the file cannot be read or is not a pcap file (pcapng is not walked).
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

function fail(msg) {
  process.stderr.write(`bench-walk: ${msg}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const file = args.find((a) => a !== '--json');
if (!file || args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: node scripts/bench-walk.mjs FILE [--json]\n');
  process.exit(file ? 0 : 1);
}

let fd;
try {
  fd = openSync(file, 'r');
} catch (e) {
  fail(`${file}: ${e.message}`);
}

const t0 = process.hrtime.bigint();
let buf = Buffer.allocUnsafe(CHUNK);
let have = 0; // bytes in buf
let pos = 0; // next record header in buf
let fileOff = 0;
let eof = false;

/** Move the unread bytes to the front and read more; grow the buffer for a record > 1 MiB. */
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

if (!refill(24)) fail(`${file}: too short for a pcap file header`);
const magic = buf.readUInt32LE(0);
let le;
if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
else if (magic === 0x0a0d0d0a) fail(`${file}: pcapng: only pcap files are walked`);
else fail(`${file}: not a pcap file (magic 0x${magic.toString(16)})`);
const linktype = (le ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0x0fffffff;
pos = 24;

let packets = 0;
let tcp = 0;
let portSum = 0;
let bytes = 24;

for (;;) {
  if (have - pos < 16 && !refill(16)) break;
  const caplen = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
  if (have - pos < 16 + caplen && !refill(16 + caplen)) break; // cut record at the end
  const p = pos + 16;
  const end = p + caplen;
  pos = end;
  bytes += 16 + caplen;
  packets++;

  // link layer -> ethertype (or IP version) and offset of the network header
  let off;
  let et;
  switch (linktype) {
    case 1: // Ethernet
      off = p + 14;
      if (off > end) continue;
      et = buf.readUInt16BE(p + 12);
      while ((et === 0x8100 || et === 0x88a8) && off + 4 <= end) {
        et = buf.readUInt16BE(off + 2);
        off += 4;
      }
      break;
    case 113: // Linux SLL
      off = p + 16;
      if (off > end) continue;
      et = buf.readUInt16BE(p + 14);
      break;
    case 276: // Linux SLL2
      off = p + 20;
      if (off > end) continue;
      et = buf.readUInt16BE(p);
      break;
    case 0: // BSD loopback (family in host order), 108 (OpenBSD loop, big endian)
    case 108: {
      off = p + 4;
      if (off > end) continue;
      const fam = linktype === 0 ? (le ? buf.readUInt32LE(p) : buf.readUInt32BE(p)) : buf.readUInt32BE(p);
      et = fam === 2 ? 0x0800 : fam === 10 || fam === 24 || fam === 28 || fam === 30 ? 0x86dd : 0;
      break;
    }
    case 12: // raw IP
    case 14:
    case 101:
      off = p;
      if (off >= end) continue;
      et = buf[p] >> 4 === 4 ? 0x0800 : buf[p] >> 4 === 6 ? 0x86dd : 0;
      break;
    default:
      continue;
  }

  let tp; // offset of the TCP header
  if (et === 0x0800) {
    if (off + 20 > end) continue;
    if (buf[off + 9] !== 6 || (buf.readUInt16BE(off + 6) & 0x1fff) !== 0) continue;
    tp = off + (buf[off] & 0x0f) * 4;
  } else if (et === 0x86dd) {
    if (off + 40 > end || buf[off + 6] !== 6) continue;
    tp = off + 40;
  } else continue;
  if (tp + 4 > end) continue;
  tcp++;
  portSum = (portSum + buf.readUInt16BE(tp) + buf.readUInt16BE(tp + 2)) >>> 0;
}
closeSync(fd);

const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (json) {
  process.stdout.write(JSON.stringify({ packets, tcp, portSum, bytes, seconds }) + '\n');
} else {
  const pps = seconds > 0 ? Math.round(packets / seconds) : 0;
  process.stdout.write(
    `${file}: ${packets} packets (${tcp} TCP), port checksum ${portSum}, ${bytes} bytes, ${pps} packets/s\n`,
  );
}

import type { Time } from '../core/field.js';
import { Defragmenter } from '../analysis/ipdefrag.js';
import { LANG_NAMES, parseLang, type Lang } from '../analysis/lang.js';

/** Preferences, named after Wireshark's (`-o ip.check_checksum:TRUE`). Defaults are tshark 4.0's. */
export interface Prefs {
  'ip.check_checksum': boolean;
  'ip.defragment': boolean;
  'ipv6.defragment': boolean;
  'tcp.check_checksum': boolean;
  'udp.check_checksum': boolean;
  'icmp.check_checksum': boolean;
  'tcp.relative_sequence_numbers': boolean;
  'tcp.analyze_sequence_numbers': boolean;
  'tcp.calculate_timestamps': boolean;
  'tcp.track_bytes_in_flight': boolean;
  'tcp.default_window_scaling': number;
  /** language of minishark's own explanations (minishark.tcp.explain): en, zh-CN or zh-TW */
  'minishark.lang': Lang;
}

export const DEFAULT_PREFS: Prefs = {
  'ip.check_checksum': false,
  'ip.defragment': true,
  'ipv6.defragment': true,
  'tcp.check_checksum': false,
  'udp.check_checksum': false,
  'icmp.check_checksum': false,
  'tcp.relative_sequence_numbers': true,
  'tcp.analyze_sequence_numbers': true,
  'tcp.calculate_timestamps': true,
  'tcp.track_bytes_in_flight': true,
  'tcp.default_window_scaling': -1,
  'minishark.lang': 'en',
};

/** Parse `name:value` as tshark's -o does. Returns an error string for an unknown or bad pref. */
export function setPref(prefs: Prefs, spec: string): string | null {
  const i = spec.indexOf(':');
  if (i < 0) return `Invalid -o flag "${spec}"`;
  const name = spec.slice(0, i).trim();
  const raw = spec.slice(i + 1).trim();
  if (!(name in prefs)) return `Invalid -o flag "${spec}": unknown preference "${name}"`;
  const key = name as keyof Prefs;
  const cur = prefs[key];
  if (typeof cur === 'boolean') {
    const v = raw.toUpperCase();
    if (v === 'TRUE' || v === '1') (prefs as unknown as Record<string, unknown>)[key] = true;
    else if (v === 'FALSE' || v === '0') (prefs as unknown as Record<string, unknown>)[key] = false;
    else return `Invalid -o flag "${spec}": "${raw}" is not TRUE or FALSE`;
  } else if (typeof cur === 'string') {
    if (key === 'minishark.lang') {
      const lang = parseLang(raw);
      if (!lang) return `Invalid -o flag "${spec}": language must be ${LANG_NAMES.join(', ')}`;
      prefs[key] = lang;
    } else (prefs as unknown as Record<string, unknown>)[key] = raw;
  } else {
    const n = Number(raw);
    if (!Number.isInteger(n)) return `Invalid -o flag "${spec}": "${raw}" is not a number`;
    (prefs as unknown as Record<string, unknown>)[key] = n;
  }
  return null;
}

/** Subtract two times, as integers. */
export function timeSub(a: Time, b: Time): Time {
  return timeDelta(a.sec, a.nsec, b.sec, b.nsec);
}

/** The time since a previous frame's timestamp; zero for the first frame (no previous one). */
export function deltaFrom(ts: Time, prev: Time | null): Time {
  return prev ? timeSub(ts, prev) : { sec: 0, nsec: 0 };
}

/** a - b for times given as seconds and nanoseconds, normalised as Wireshark's nstime_delta: both
 * parts share the sign. */
export function timeDelta(aSec: number, aNsec: number, bSec: number, bNsec: number): Time {
  let sec = aSec - bSec;
  let nsec = aNsec - bNsec;
  if (sec > 0 && nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (sec < 0 && nsec > 0) {
    sec += 1;
    nsec -= 1e9;
  }
  return { sec, nsec };
}

/** a < b ? -1 : a > b ? 1 : 0 */
export function timeCmp(a: Time, b: Time): number {
  return a.sec !== b.sec ? (a.sec < b.sec ? -1 : 1) : a.nsec !== b.nsec ? (a.nsec < b.nsec ? -1 : 1) : 0;
}

/** State that lives across packets of one capture (besides the TCP tracker). Kept bounded. */
export class CaptureState {
  prefs: Prefs;
  firstTs: Time | null = null;
  prevTs: Time | null = null;
  prevDisplayedTs: Time | null = null;
  udpStreams = new Map<string, { index: number; first: Time; prev: Time }>();
  defrag4 = new Defragmenter();
  defrag6 = new Defragmenter();
  /** the stateful analyses run (the TCP sequence analysis); off when nothing reads them (the
   * engine's option), when a dissector keeps only what it needs for the rest (the TCP stream index) */
  analysis = true;
  /** per-protocol data across packets, keyed by protocol name (Wireshark's conversation proto data) */
  readonly protoData = new Map<string, unknown>();
  /** The per-capture data of protocol `proto`, made by `make` on first use. */
  slot<T>(proto: string, make: () => T): T {
    let v = this.protoData.get(proto) as T | undefined;
    if (v === undefined) this.protoData.set(proto, (v = make()));
    return v;
  }
  constructor(prefs: Partial<Prefs> = {}) {
    this.prefs = { ...DEFAULT_PREFS, ...prefs };
  }
}

import type { PacketRecord } from '../core/packet.js';

/** Returned by a parser that needs more bytes than the buffer holds (not an error: streaming). */
export const NEED = -1;

/** Sane bound for one record (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). A pcap record may be
 * larger only when the file's snaplen says so, and never more than 64× this. */
export const MAX_RECORD = 262144;

/** The largest pcapng block we accept (a block bigger than this is corrupt, never an allocation). */
export const MAX_BLOCK = 16 * 1024 * 1024;

/**
 * One small pure step per record/block, over a window of the stream. `parse` returns the bytes
 * consumed (pushing any record to `out`), or NEED with `need` set to the bytes required from `pos`.
 * Bad data throws a CaptureError naming the byte offset; "need more" is never an error by itself.
 */
export interface FormatParser {
  readonly format: 'pcap' | 'pcapng';
  need: number;
  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: PacketRecord[]): number;
}

/** Pseudo link type for pcapng Custom Blocks, which tshark shows as frames of their own. */
export const LINKTYPE_PCAPNG_CUSTOM = -2;

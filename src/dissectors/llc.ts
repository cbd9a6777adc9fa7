import { field, protocol, type FieldDef, type FieldNode, type Layer } from '../core/field.js';
import type { Ctx, Next } from '../dissect/context.js';
import { handoff, lookup, register } from '../dissect/registry.js';
import { bitPicture } from '../output/format.js';
import { ETHERTYPES, etypeText, hex4 } from './ethernet.js';

/** IEEE 802.2 SAP names (Wireshark's sap_vals, keyed by the even SAP value, plus 0x01 and 0x7f). */
const SAP: Record<number, string> = {
  0x00: 'NULL LSAP', 0x01: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP', 0x08: 'SNA',
  0x0c: 'SNA', 0x0e: 'PROWAY (IEC955) Network Management and Initialization', 0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Layer (OSLAN 1)', 0x18: 'Texas Instruments', 0x20: 'ISO Network Layer (unofficial?)',
  0x34: 'ISO Network Layer (unofficial?)', 0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)', 0x7e: 'ISO 8208 (X.25 over 802.2)', 0x7f: 'ISO 802.2', 0x80: 'XNS', 0x82: 'BACnet',
  0x86: 'Nestar', 0x8e: 'PROWAY (IEC955) Active Station List Maintenance', 0x98: 'ARP', 0xbc: 'HP JetDirect Printer',
  0xaa: 'SNAP', 0xba: 'Banyan Vines', 0xbd: 'Banyan Vines', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC', 0xfa: 'Ungermann-Bass', 0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer', 0xff: 'Global LSAP',
};

const FTYPE: Record<number, string> = { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' };
const STYPE: Record<number, string> = { 0: 'Receiver ready', 1: 'Receiver not ready', 2: 'Reject', 3: 'Selective reject' };
const STYPE_SHORT = ['RR', 'RNR', 'REJ', 'SREJ'];

/** U-frame modifiers (control & 0xec): short names and long names, for commands and responses. */
const U_CMD_SHORT: Record<number, string> = {
  0x00: 'UI', 0x20: 'UP', 0x40: 'DISC', 0x60: 'UA', 0x80: 'SNRM', 0xe0: 'TEST', 0x04: 'SIM', 0x84: 'FRMR', 0xc4: 'CFGR',
  0x0c: 'SARM', 0x2c: 'SABM', 0x4c: 'SARME', 0x6c: 'SABME', 0x8c: 'RESET', 0xac: 'XID', 0xcc: 'SNRME', 0xec: 'BCN',
};
const U_RESP_SHORT: Record<number, string> = {
  0x00: 'UI', 0x20: 'UP', 0x40: 'RD', 0x60: 'UA', 0x80: 'SNRM', 0xe0: 'TEST', 0x04: 'RIM', 0x84: 'FRMR', 0xc4: 'CFGR',
  0x0c: 'DM', 0x2c: 'SABM', 0x4c: 'SARME', 0x6c: 'SABME', 0x8c: 'RESET', 0xac: 'XID', 0xcc: 'SNRME', 0xec: 'BCN',
};
const U_CMD: Record<number, string> = {
  0x00: 'Unnumbered Information', 0x08: 'Unnumbered Poll', 0x10: 'Disconnect', 0x18: 'Unnumbered Acknowledge',
  0x20: 'Set Normal Response Mode', 0x38: 'Test', 0x01: 'Set Initialization Mode', 0x21: 'Frame reject', 0x31: 'Configure',
  0x03: 'Set Asynchronous Response Mode', 0x0b: 'Set Asynchronous Balanced Mode', 0x13: 'Set Asynchronous Response Mode Extended',
  0x1b: 'Set Asynchronous Balanced Mode Extended', 0x23: 'Reset', 0x2b: 'Exchange identification',
  0x33: 'Set Normal Response Mode Extended', 0x3b: 'Beacon',
};
const U_RESP: Record<number, string> = {
  ...U_CMD,
  0x10: 'Request Disconnect', 0x01: 'Request Initialization Mode', 0x03: 'Disconnected mode',
};

/** SNAP organization codes we name (Wireshark takes them from its manuf file; these are the ones SNAP
 * headers carry in practice). */
const OUI_NAMES: Record<number, string> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common', 0x00000c: 'Cisco Systems, Inc',
  0x0000f8: 'Digital Equipment Corporation', 0x0080c2: 'IEEE', 0x00e02f: 'Mcns Holdings, L.P.', 0x080007: 'Apple, Inc.',
  0x00005e: 'ICANN, IANA Department', 0x00e02b: 'Extreme Networks Headquarters', 0x000081: 'Bay Networks',
  0x0001e8: 'Force10 Networks, Inc.', 0x00805f: 'Hewlett Packard', 0x001958: 'Bluetooth SIG, Inc.',
  0x00e052: 'Brocade Communications Systems LLC', 0x004096: 'Cisco Systems, Inc', 0x000393: 'Apple, Inc.',
};

/** OUIs with their own PID field (Wireshark's llc_add_oui), and the names of their PIDs. */
const VENDOR_PID: Record<number, { abbrev: string; vals: Record<number, string> }> = {
  0x00000c: {
    abbrev: 'llc.cisco_pid',
    vals: {
      0x2000: 'CDP', 0x2001: 'CGMP', 0x0102: 'DRIP', 0x2004: 'DTP', 0x0139: 'MCP', 0x0105: 'MLS Hello', 0x0104: 'PAgP',
      0x010b: 'PVSTP+', 0x0108: 'RLQ BPDUs (request)', 0x0109: 'RLQ BPDUs (response)', 0x200a: 'STP Uplink Fast',
      0x0111: 'UDLD', 0x010c: 'VLAN Bridge', 0x2003: 'VTP',
    },
  },
  0x080007: { abbrev: 'llc.apple_atalk_pid', vals: { 0x809b: 'AppleTalk' } },
  0x00005e: {
    abbrev: 'llc.iana_pid',
    vals: {
      0x0001: 'MARS Data Messages (short form)', 0x0002: 'Reserved for future NHRP use', 0x0003: 'MARS/NHRP Control Messages',
      0x0004: 'MARS Data Messages (long form)', 0x0005: 'SCSP', 0x0006: 'VRID', 0x0007: 'L2TP', 0x0008: 'VPN ID',
      0x0009: 'MSDP-GRE-Protocol Type',
    },
  },
  0x00e02b: { abbrev: 'llc.extreme_pid', vals: { 0x00bb: 'EDP' } },
  0x000081: { abbrev: 'llc.nortel_pid', vals: { 0x01a1: 'NDP flatnet hello', 0x01a2: 'NDP segment hello', 0x01a3: 'NDP bridge hello' } },
  0x0001e8: { abbrev: 'llc.force10_pid', vals: { 0x0111: 'FEFD' } },
  0x00805f: { abbrev: 'llc.hpteam_pid', vals: { 0x0002: 'HP Teaming heartbeat' } },
  0x001958: {
    abbrev: 'llc.bluetooth_pid',
    vals: {
      0x0001: 'AMP_U L2CAP ACL data', 0x0002: 'AMP-C Activity Report', 0x0003: 'AMP-C Security frames',
      0x0004: 'AMP-C Link supervision request', 0x0005: 'AMP-C Link supervision reply',
    },
  },
  0x00e052: { abbrev: 'llc.foundry_pid', vals: { 0x2000: 'FDP' } },
  0x004096: { abbrev: 'llc.wlccp_pid', vals: { 0x0000: 'WLCCP' } },
};
/** each vendor's PID field, by OUI: declared once at load, never changed after */
const vendorPidFields: Readonly<Record<number, FieldDef>> = Object.freeze(
  Object.fromEntries(Object.entries(VENDOR_PID).map(([oui, v]) => [Number(oui), field(v.abbrev, 'PID', 'uint', { base: 'hex', bits: 16, vals: v.vals })])),
);

export const pLlc = protocol('llc', 'Logical-Link Control', { repeats: true, short: 'LLC', analysis: false }) // LLC in LLC: SNAP ethertype 0x8870;
export const llc = {
  type: field('llc.type', 'Type', 'uint', { base: 'hex', bits: 16, vals: ETHERTYPES }),
  dsap: field('llc.dsap', 'DSAP', 'uint', { base: 'hex', bits: 8, vals: SAP }),
  dsapSap: field('llc.dsap.sap', 'SAP', 'uint', { bits: 8, bitmask: 0xfe }),
  dsapIg: field('llc.dsap.ig', 'IG Bit', 'bool', { bits: 8, bitmask: 0x01, tf: ['Group', 'Individual'] }),
  ssap: field('llc.ssap', 'SSAP', 'uint', { base: 'hex', bits: 8, vals: SAP }),
  ssapSap: field('llc.ssap.sap', 'SAP', 'uint', { bits: 8, bitmask: 0xfe }),
  ssapCr: field('llc.ssap.cr', 'CR Bit', 'bool', { bits: 8, bitmask: 0x01, tf: ['Response', 'Command'] }),
  control: field('llc.control', 'Control', 'uint', { base: 'hex', bits: 16 }),
  nR: field('llc.control.n_r', 'N(R)', 'uint', { bits: 16, bitmask: 0xfe00 }),
  nS: field('llc.control.n_s', 'N(S)', 'uint', { bits: 16, bitmask: 0x00fe }),
  p: field('llc.control.p', 'Poll', 'bool', { bits: 8, bitmask: 0x10, tf: ['Set', 'Not set'] }),
  f: field('llc.control.f', 'Final', 'bool', { bits: 8, bitmask: 0x10, tf: ['Set', 'Not set'] }),
  sFtype: field('llc.control.s_ftype', 'Supervisory frame type', 'uint', { base: 'hex', bits: 16, bitmask: 0x000c, vals: STYPE }),
  uCmd: field('llc.control.u_modifier_cmd', 'Command', 'uint', { base: 'hex', bits: 8, bitmask: 0xec, vals: U_CMD }),
  uResp: field('llc.control.u_modifier_resp', 'Response', 'uint', { base: 'hex', bits: 8, bitmask: 0xec, vals: U_RESP }),
  ftypeI: field('llc.control.ftype', 'Frame type', 'uint', { base: 'hex', bits: 16, bitmask: 0x0001, vals: FTYPE }),
  oui: field('llc.oui', 'Organization Code', 'uint', { bits: 24 }),
  pid: field('llc.pid', 'Protocol ID', 'uint', { base: 'hex', bits: 16 }),
};

/** Same filter names, 8-bit forms (Wireshark registers several hf entries per name; the 8-bit ones
 * serve one-byte U-frame control fields and print with two hex digits). */
const ftypeSU: FieldDef = { ...llc.ftypeI, bits: 8, bitmask: 0x03 };
const ftypeSUext: FieldDef = { ...llc.ftypeI, bits: 16, bitmask: 0x0003 };
const pExt: FieldDef = { ...llc.p, bits: 16, bitmask: 0x0100 };
const fExt: FieldDef = { ...llc.f, bits: 16, bitmask: 0x0100 };

export const pBasicXid = protocol('basicxid', 'Logical-Link Control Basic Format XID', { short: 'Basic Format XID' });
const XID_TYPES: Record<number, string> = {
  1: 'Type 1 LLC (Class I LLC)', 2: 'Type 2 LLC', 3: 'Type 1 and Type 2 LLCs (Class II LLC)', 4: 'Type 3 LLC',
  5: 'Type 1 and Type 3 LLCs (Class III LLC)', 6: 'Type 2 and Type 3 LLCs', 7: 'Type 1 and Type 2 and Type 3 LLCs (Class IV LLC)',
};
export const basicxid = {
  format: field('basicxid.llc.xid.format', 'XID Format', 'uint', { base: 'hex', bits: 8, vals: { 0x81: 'LLC basic format' } }),
  types: field('basicxid.llc.xid.types', 'LLC Types/Classes', 'uint', { base: 'hex', bits: 8, vals: XID_TYPES }),
  wsize: field('basicxid.llc.xid.wsize', 'Receive Window Size', 'uint', { bits: 8 }),
};

function hx(v: number, digits: number): string {
  return '0x' + v.toString(16).padStart(digits, '0');
}

function sapName(v: number): string {
  return SAP[v] ?? 'Unknown';
}

/** The control field, as Wireshark's dissect_xdlc_control for LLC (extended I and S frames). */
function controlField(ctx: Ctx, L: Layer, o: number, end: number, rend: number, isResp: boolean): number {
  ctx.need(o, 1, end, rend);
  const b0 = ctx.u8(o);
  const full = ctx.tree.full;
  const cols = ctx.tree.cols;
  let n: FieldNode | null;
  if ((b0 & 3) === 3) {
    // unnumbered: one byte
    const c = b0;
    const pf = (c & 0x10) !== 0;
    const mod = c & 0xec;
    const modName = (isResp ? U_RESP_SHORT[mod] : U_CMD_SHORT[mod]) ?? 'Unknown';
    const info = full || cols ? `U${pf ? (isResp ? ' F' : ' P') : ''}, func=${modName}` : '';
    if (cols) ctx.pkt.colInfo = info;
    n = ctx.add(L, null, llc.control, o, 1, c, ctx.tree.texts ? `Control field: ${info} (0x${c.toString(16).toUpperCase().padStart(2, '0')})` : undefined);
    if (pf) ctx.add(L, n, isResp ? llc.f : llc.p, o, 1, true, ctx.tree.texts ? `${bitPicture(8, 0x10, c)} = ${isResp ? 'Final' : 'Poll'}: Set` : undefined);
    const m = mod >> 2;
    const longName = (isResp ? U_RESP[m] : U_CMD[m]) ?? 'Unknown';
    ctx.add(L, n, isResp ? llc.uResp : llc.uCmd, o, 1, m, ctx.tree.texts ? `${bitPicture(8, 0xec, c)} = ${isResp ? 'Response' : 'Command'}: ${longName} (${hx(m, 2)})` : undefined);
    ctx.add(L, n, ftypeSU, o, 1, 3, ctx.tree.texts ? `${bitPicture(8, 0x03, c)} = Frame type: Unnumbered frame (0x3)` : undefined);
    return c;
  }
  ctx.need(o, 2, end, rend);
  const c = ctx.u16le(o);
  const pf = (c & 0x0100) !== 0;
  const nr = (c & 0xfe00) >> 9;
  let info: string;
  if ((b0 & 3) === 1) {
    // supervisory
    const st = (c & 0x0c) >> 2;
    info = full || cols ? `S${pf ? (isResp ? ' F' : ' P') : ''}, func=${STYPE_SHORT[st]}, N(R)=${nr}` : '';
    if (cols) ctx.pkt.colInfo = info;
    n = ctx.add(L, null, llc.control, o, 2, c, ctx.tree.texts ? `Control field: ${info} (0x${c.toString(16).toUpperCase().padStart(4, '0')})` : undefined);
    ctx.add(L, n, llc.nR, o, 2, nr, ctx.tree.texts ? `${bitPicture(16, 0xfe00, c)} = N(R): ${nr}` : undefined);
    if (pf) ctx.add(L, n, isResp ? fExt : pExt, o, 2, true, ctx.tree.texts ? `${bitPicture(16, 0x0100, c)} = ${isResp ? 'Final' : 'Poll'}: Set` : undefined);
    ctx.add(L, n, llc.sFtype, o, 2, st, ctx.tree.texts ? `${bitPicture(16, 0x000c, c)} = Supervisory frame type: ${STYPE[st]} (0x${st.toString(16)})` : undefined);
    ctx.add(L, n, ftypeSUext, o, 2, 1, ctx.tree.texts ? `${bitPicture(16, 0x0003, c)} = Frame type: Supervisory frame (0x1)` : undefined);
    return c;
  }
  // information
  const ns = (c & 0x00fe) >> 1;
  info = full || cols ? `I${pf ? ' P' : ''}, N(R)=${nr}, N(S)=${ns}` : '';
  if (cols) ctx.pkt.colInfo = info;
  n = ctx.add(L, null, llc.control, o, 2, c, ctx.tree.texts ? `Control field: ${info} (0x${c.toString(16).toUpperCase().padStart(4, '0')})` : undefined);
  ctx.add(L, n, llc.nR, o, 2, nr, ctx.tree.texts ? `${bitPicture(16, 0xfe00, c)} = N(R): ${nr}` : undefined);
  ctx.add(L, n, llc.nS, o, 2, ns, ctx.tree.texts ? `${bitPicture(16, 0x00fe, c)} = N(S): ${ns}` : undefined);
  if (pf) ctx.add(L, n, pExt, o, 2, true, ctx.tree.texts ? `${bitPicture(16, 0x0100, c)} = Poll: Set` : undefined);
  ctx.add(L, n, llc.ftypeI, o, 2, 0, ctx.tree.texts ? `${bitPicture(16, 0x0001, c)} = Frame type: Information frame (0x0)` : undefined);
  return c;
}

function isInformation(c: number): boolean {
  return (c & 1) === 0 || c === 0x03;
}

/** IEEE 802.2 LLC, with SNAP: DSAP, SSAP, control, then (SNAP) OUI and protocol ID. */
export function dissectLlc(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pLlc, o, Math.max(0, rend - o));
  ctx.pkt.colProto = 'LLC';
  if (ctx.tree.cols) ctx.pkt.colInfo = '';
  // IEEE 1609.3: a bare WSMP ethertype instead of DSAP/SSAP
  if (o + 2 <= end && ctx.u16(o) === 0x88dc) {
    ctx.add(L, null, llc.type, o, 2, 0x88dc, ctx.tree.texts ? etypeText('Type', 0x88dc) : undefined);
    L.length = 2;
    return lookup('ethertype', 0x88dc) ? { table: 'ethertype', key: 0x88dc, offset: o + 2, end, rend } : { dissector: 'data', offset: o + 2, end, rend };
  }
  ctx.need(o, 1, end, rend);
  const dsap = ctx.u8(o);
  let n = ctx.add(L, null, llc.dsap, o, 1, dsap, ctx.tree.texts ? `DSAP: ${sapName(dsap)} (${hx(dsap, 2)})` : undefined);
  ctx.add(L, n, llc.dsapSap, o, 1, dsap >> 1, ctx.tree.texts ? `${bitPicture(8, 0xfe, dsap)} = SAP: ${sapName(dsap & 0xfe)}` : undefined);
  ctx.add(L, n, llc.dsapIg, o, 1, (dsap & 1) !== 0, ctx.tree.texts ? `${bitPicture(8, 0x01, dsap)} = IG Bit: ${dsap & 1 ? 'Group' : 'Individual'}` : undefined);
  ctx.need(o + 1, 1, end, rend);
  const ssap = ctx.u8(o + 1);
  n = ctx.add(L, null, llc.ssap, o + 1, 1, ssap, ctx.tree.texts ? `SSAP: ${sapName(ssap)} (${hx(ssap, 2)})` : undefined);
  ctx.add(L, n, llc.ssapSap, o + 1, 1, ssap >> 1, ctx.tree.texts ? `${bitPicture(8, 0xfe, ssap)} = SAP: ${sapName(ssap & 0xfe)}` : undefined);
  ctx.add(L, n, llc.ssapCr, o + 1, 1, (ssap & 1) !== 0, ctx.tree.texts ? `${bitPicture(8, 0x01, ssap)} = CR Bit: ${ssap & 1 ? 'Response' : 'Command'}` : undefined);
  const isSnap = dsap === 0xaa && ssap === 0xaa;
  const control = controlField(ctx, L, o + 2, end, rend, (ssap & 1) !== 0);
  const ctlLen = (control & 3) === 3 ? 1 : 2;
  let hlen = 2 + ctlLen;
  if (isSnap) hlen += 5;
  L.length = hlen;
  if (isSnap) return dissectSnap(ctx, L, o + 2 + ctlLen, end, rend, control);
  if (ctx.tree.cols) {
    const d = SAP[dsap & 0xfe];
    const s = SAP[ssap & 0xfe];
    ctx.pkt.colInfo += `; DSAP ${d ?? hx(dsap & 0xfe, 2)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${s ?? hx(ssap & 0xfe, 2)} ${ssap & 1 ? 'Response' : 'Command'}`;
  }
  const p = o + hlen;
  if (rend - p <= 0) return null;
  if (isInformation(control)) {
    // the LLC SAP table: only SAP 0x06 (IPv4) has a dissector here
    if (dsap === 0x06) return { dissector: 'ip', offset: p, end, rend };
    return { dissector: 'data', offset: p, end, rend };
  }
  if ((control & 0xef) === 0xaf) {
    // XID (U frame, modifier XID): LLC basic format, or data
    ctx.need(p, 1, end, rend);
    if (ctx.u8(p) === 0x81) return { dissector: 'basicxid', offset: p, end, rend };
  }
  return { dissector: 'data', offset: p, end, rend };
}

/** SNAP header (Wireshark's dissect_snap): OUI, then an ethertype (OUI 0) or a protocol ID. */
function dissectSnap(ctx: Ctx, L: Layer, o: number, end: number, rend: number, control: number): Next | null {
  ctx.need(o, 5, end, rend);
  const oui = ctx.u24(o);
  const pid = ctx.u16(o + 3);
  const full = ctx.tree.full;
  const ouiName = OUI_NAMES[oui];
  if (full) {
    const s = `${hx(oui >> 16, 2).slice(2)}:${hx((oui >> 8) & 255, 2).slice(2)}:${hx(oui & 255, 2).slice(2)}`;
    // the details pane shows at most 21 characters of the organization's name
    const name = ouiName === undefined ? '' : ouiName.length > 21 ? ` (${ouiName.slice(0, 21)}` : ` (${ouiName})`;
    ctx.add(L, null, llc.oui, o, 3, oui, `Organization Code: ${s}${name}`);
  } else ctx.add(L, null, llc.oui, o, 3, oui);
  if (ctx.tree.cols) {
    ctx.pkt.colInfo += `; SNAP, OUI 0x${oui.toString(16).toUpperCase().padStart(6, '0')} (${ouiName ?? 'Unknown'}), PID 0x${pid.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  const p = o + 5;
  if (oui === 0x000000 || oui === 0x0000f8) {
    // encapsulated Ethernet (RFC 1042) and Cisco's variant: the PID is an ethertype
    if (!isInformation(control)) return { dissector: 'data', offset: p, end, rend };
    ctx.add(L, null, llc.type, o + 3, 2, pid, ctx.tree.texts ? etypeText('Type', pid) : undefined);
    if (lookup('ethertype', pid)) return { table: 'ethertype', key: pid, offset: p, end, rend };
    return { dissector: 'data', offset: p, end, rend };
  }
  const vf = vendorPidFields[oui];
  if (vf) ctx.add(L, null, vf, o + 3, 2, pid, ctx.tree.texts ? `PID: ${vf.vals?.get(pid) ?? 'Unknown'} (${hex4(pid)})` : undefined);
  else ctx.add(L, null, llc.pid, o + 3, 2, pid, ctx.tree.texts ? `Protocol ID: ${hex4(pid)}` : undefined);
  if (oui === 0x0080c2 && (pid === 0x0001 || pid === 0x0007)) {
    // bridged Ethernet (RFC 2684 / RFC 2427), with or without FCS; pad 2 as for ATM
    return { dissector: pid === 0x0001 ? 'eth_withfcs' : 'eth_withoutfcs', offset: p + 2, end, rend };
  }
  return { dissector: 'data', offset: p, end, rend };
}

/** LLC basic format XID (called directly by LLC, so it is not listed in frame.protocols). */
export function dissectBasicXid(ctx: Ctx, o: number, end: number, rend: number): Next | null {
  const L = ctx.layer(pBasicXid, o, Math.max(0, rend - o));
  ctx.pkt.protocols.pop();
  ctx.pkt.colProto = 'XID';
  const cols = ctx.tree.cols;
  if (cols) ctx.pkt.colInfo = '';
  ctx.need(o, 1, end, rend);
  const format = ctx.u8(o);
  ctx.add(L, null, basicxid.format, o, 1, format, ctx.tree.texts ? `XID Format: ${format === 0x81 ? 'LLC basic format' : 'Unknown'} (${hx(format, 2)})` : undefined);
  if (cols) ctx.pkt.colInfo = 'Basic Format';
  ctx.need(o + 1, 1, end, rend);
  const types = ctx.u8(o + 1) & 0x1f;
  ctx.add(L, null, basicxid.types, o + 1, 1, types, ctx.tree.texts ? `LLC Types/Classes: ${XID_TYPES[types] ?? 'Unknown'} (${hx(types, 2)})` : undefined);
  if (cols) ctx.pkt.colInfo += `; ${XID_TYPES[types] ?? hx(types, 2)}`;
  ctx.need(o + 2, 1, end, rend);
  const ws = (ctx.u8(o + 2) & 0xfe) >> 1;
  ctx.add(L, null, basicxid.wsize, o + 2, 1, ws, ctx.tree.texts ? `Receive Window Size: ${ws}` : undefined);
  if (cols) ctx.pkt.colInfo += `; Window Size ${ws}`;
  return null;
}

register('llc', dissectLlc);
register('basicxid', dissectBasicXid);
// Jumbo LLC
handoff('ethertype', 0x8870, 'llc');

// The "did you mean" function (src/core/suggest.ts) and the names of Wireshark protocols minishark does
// not dissect (src/filter/not-dissected.ts). Pure functions over the field registry: no process runs.
import { describe, expect, it } from 'vitest';
import '../src/dissect/engine.js';
import { didYouMean, editDistance, fieldHint, orList, suggest, suggestField } from '../src/core/suggest.js';
import { notDissected, notDissectedNote } from '../src/filter/not-dissected.js';
import { WIRESHARK_PROTOCOLS } from '../src/filter/wireshark-protocols.js';

describe('editDistance', () => {
  it('counts inserts, deletes, replacements and swaps of neighbours', () => {
    expect(editDistance('tcp.seq', 'tcp.seq')).toBe(0);
    expect(editDistance('tcp.sek', 'tcp.seq')).toBe(1);
    expect(editDistance('tcp.srcprot', 'tcp.srcport')).toBe(1);
    expect(editDistance('ip.src', 'ip.srcc')).toBe(1);
    expect(editDistance('ipv4.src', 'ip.src')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('suggest', () => {
  const known = ['tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size', 'tcp.window_size_value', 'tcp.window_size_scalefactor', 'tcp.flags.syn', 'tcp.flags.fin', 'udp.port'];

  it('the names one edit per four characters away at most, nearest first, shorter first', () => {
    expect(suggest('tcp.sek', known)).toEqual(['tcp.seq']);
    expect(suggest('tcp.flags.sin', known)).toEqual(['tcp.flags.fin', 'tcp.flags.syn']);
    expect(suggest('TCP.SEQ', known)).toEqual(['tcp.seq']);
    // "tcp.sek" is 2 edits from tcp.ack and tcp.len, but tcp.seq is nearer: only the best distance
    expect(suggest('tcp.sek', known)).not.toContain('tcp.ack');
  });

  it('a name that continues the typed one when nothing is an edit away; at most three', () => {
    expect(suggest('tcp.window', known)).toEqual(['tcp.window_size', 'tcp.window_size_value', 'tcp.window_size_scalefactor']);
    expect(suggest('tcp.window', known, 1)).toEqual(['tcp.window_size']);
  });

  it('nothing for a name far from every known one', () => {
    expect(suggest('zzz', known)).toEqual([]);
    // two edits in seven characters is too far (one per four at most)
    expect(suggest('tcp.sxx', known)).toEqual([]);
    expect(suggest('tcp.flags.sxx', known)).toEqual(['tcp.flags.syn']);
    expect(suggest('http.host', known)).toEqual([]);
    // short names: one edit at most
    expect(suggest('ud', ['udp', 'ip', 'id'])).toEqual(['id', 'udp']);
    expect(suggest('xyz', ['udp'])).toEqual([]);
  });

  it('over the registry, with Wireshark\'s name for IPv4', () => {
    expect(suggestField('tcp.stram')).toEqual(['tcp.stream']);
    expect(suggestField('ipv4.src')).toEqual(['ip.src']);
    expect(suggestField('ipv4')).toEqual(['ip']);
    expect(suggestField('_ws.col.Infoo', ['_ws.col.Info'])).toEqual(['_ws.col.Info']);
    expect(suggestField('tcp.seq')).not.toContain('tcp.seq');
  });

  it('worded as a question', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['a'])).toBe('did you mean a?');
    expect(didYouMean(['a', 'b', 'c'])).toBe('did you mean a, b or c?');
    expect(orList(['eth', 'ip', 'tcp'])).toBe('eth, ip or tcp');
    expect(orList(['tcp'])).toBe('tcp');
    expect(fieldHint('udp.prot')).toBe('Did you mean udp.port?');
    expect(fieldHint('zzz')).toBe('');
  });
});

describe('notDissected', () => {
  it('the list holds tshark 4.0\'s protocol names, minishark\'s among them', () => {
    expect(WIRESHARK_PROTOCOLS.length).toBeGreaterThan(2500);
    for (const p of ['http', 'dns', 'tls', 'tcp', 'ip', 'eth', '_ws.expert']) expect(WIRESHARK_PROTOCOLS).toContain(p);
  });

  it('a protocol, or a field of one, minishark does not dissect', () => {
    expect(notDissected('http')).toEqual({ name: 'http', proto: 'http' });
    expect(notDissected('http.request.method')).toEqual({ name: 'http.request.method', proto: 'http' });
    expect(notDissected('smb.cmd')).toEqual({ name: 'smb.cmd', proto: 'smb' });
    expect(notDissected('dns.qry.name')).toBeNull(); // dissected since DNS was added
  });

  it('not a name minishark registers, nor an unknown field of a protocol it dissects, nor an unknown name', () => {
    expect(notDissected('tcp')).toBeNull();
    expect(notDissected('tcp.seq')).toBeNull();
    expect(notDissected('tcp.nosuch')).toBeNull();
    expect(notDissected('ip.nosuch.deeper')).toBeNull();
    expect(notDissected('nosuchprotocol')).toBeNull();
    expect(notDissected('nosuchprotocol.field')).toBeNull();
  });

  it('says what the name does', () => {
    expect(notDissectedNote({ name: 'http', proto: 'http' }, 'filter')).toBe('"http" is a Wireshark protocol minishark does not dissect: it matches no packet');
    expect(notDissectedNote({ name: 'http.host', proto: 'http' }, 'column')).toBe('"http.host" is a field of http, a Wireshark protocol minishark does not dissect: its column is empty');
  });
});

// The port tables (udp.port, tcp.port): which port picks the payload's dissector, in Wireshark's
// decode_udp_ports / decode_tcp_ports order. Table names here are made up for the test, so the real
// tables (and the other test files, which run in their own module instances) are not affected.
import { describe, expect, it } from 'vitest';
import { handoff, portKey } from '../src/dissect/registry.js';

describe('portKey', () => {
  handoff('test.port', 53, 'data');
  handoff('test.port', 5353, 'data');

  it('has no key when the table is empty or unknown', () => {
    expect(portKey('test.none', 53, 53)).toBe(-1);
    expect(portKey('test.port', 40000, 40001)).toBe(-1);
  });

  it('tries the lower port first, then the higher', () => {
    expect(portKey('test.port', 5353, 53)).toBe(53);
    expect(portKey('test.port', 53, 5353)).toBe(53);
    expect(portKey('test.port', 40000, 5353)).toBe(5353);
    expect(portKey('test.port', 5353, 40000)).toBe(5353);
  });

  it('prefers the server port when the transport knows it', () => {
    expect(portKey('test.port', 5353, 53, 5353)).toBe(5353);
    // a server port with no entry falls back to the lower/higher order
    expect(portKey('test.port', 40000, 53, 40000)).toBe(53);
  });

  it('never matches port 0', () => {
    handoff('test.zero', 0, 'data');
    expect(portKey('test.zero', 0, 0)).toBe(-1);
    expect(portKey('test.zero', 0, 7)).toBe(-1);
  });
});

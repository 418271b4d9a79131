import { createHash } from 'node:crypto';
import { base32nopad } from '@scure/base';
import { crc16Xmodem } from '../../../src/tracker/stellar/stellarAddress.js';

/** A valid Stellar account id (G…) for a name: the StrKey of a public key derived from it. */
export function stellarAccount(name: string): string {
  const body = new Uint8Array(33);
  body[0] = 6 << 3;
  body.set(createHash('sha256').update(name).digest(), 1);
  const checksum = crc16Xmodem(body);
  return base32nopad.encode(new Uint8Array([...body, checksum & 0xff, checksum >> 8]));
}

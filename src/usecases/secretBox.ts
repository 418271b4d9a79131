import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UserInputError } from '../errors/LookoutError.js';

/** A value sealed with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each part base64; the IV is random per value. */
export type SealedText = string;

/** Seals and opens the exchange credentials kept in the database, under `LOOKOUT_SECRET_KEY`. */
export type SecretBox = { seal(plain: string): SealedText; open(sealed: SealedText): string };

const VERSION = 'v1';
const IV_BYTES = 12;

export const MISSING_SECRET_KEY =
  'Set LOOKOUT_SECRET_KEY before adding an exchange account: it encrypts the API keys at rest; make one with openssl rand -base64 32 and keep it safe.';

/** The box over a configured key; without one, every use refuses with the sentence that says how to make one. */
export function createSecretBox(key: Buffer | undefined): SecretBox {
  const need = (): Buffer => {
    if (!key) throw new UserInputError(MISSING_SECRET_KEY);
    return key;
  };
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', need(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) throw new Error('Not a sealed value.');
      const decipher = createDecipheriv('aes-256-gcm', need(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      // Note: a wrong LOOKOUT_SECRET_KEY fails the tag check here rather than yielding garbage.
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * A getBlock answer as sifted from its bytes: the JSON-RPC error, or the block's own fields with only the
 * transactions that may touch a followed wallet parsed, and how many the block held in all.
 */
export type SiftedBlockAnswer =
  | { error: { code: number; message: string; data?: unknown } }
  | { result: null }
  | { result: { blockhash?: unknown; blockTime?: unknown; transactions: unknown[]; transactionCount: number } & Record<string, unknown> };

/** Takes a getBlock answer chunk by chunk as it arrives, and sifts it when it has all arrived. */
export type BlockSifter = {
  write(chunk: Uint8Array): void;
  end(): SiftedBlockAnswer;
};

/** A getBlock answer that is not the JSON it should be; the call is tried again. */
export class MalformedBlockJson extends Error {
  override name = 'MalformedBlockJson';
}

// Note: base58 addresses are 32 to 44 characters; only strings of that length can name a followed wallet.
const MIN_ADDRESS = 32;
const MAX_ADDRESS = 44;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;

/**
 * Sifts a getBlock answer (json, transactionDetails "full") as its bytes stream in: a transaction is kept when its
 * text holds a followed address as a whole JSON string (an account key, a loaded address or a token balance's
 * owner is one), or when it is not an object, so that a damaged one is still decoded and skipped with a reason;
 * the others are dropped as soon as they end. A mainnet block is about 10 MB of JSON with 1,000–1,500
 * transactions; parsed whole it costs tens of MB of heap, and held whole 10 MB, per block in flight. Sifted, it
 * costs its largest transaction and the few it keeps, whatever its size. The caller still checks each kept
 * transaction exactly: a string can match without being one of its accounts.
 */
export function createBlockSifter(followed: ReadonlySet<string>): BlockSifter {
  // What is kept: the answer without the dropped transactions (nor the commas between them).
  const kept = new ByteBuilder(4096);
  // The transaction being read.
  const current = new ByteBuilder(16384);
  let depth = 0;
  let inString = false;
  let escaped = false;
  // Where the string being read opened: in this chunk (`stringFrom`), or else in `kept` or `current` (`stringStart`).
  let stringFrom = -1;
  let stringStart = 0;
  let stringEscaped = false;
  // Keys of the member being read at depths 1 and 2 (the answer's and the block's).
  const keys: [string | null, string | null] = [null, null];
  let lastString: string | null = null;
  let inTransactions = false;
  let element: 'none' | 'container' | 'string' | 'scalar' = 'none';
  let elementFirst = 0;
  let named = false;
  let transactionCount = 0;
  let keptCount = 0;

  /** Ends the transaction being read: keeps it, or drops it. */
  function endElement(): void {
    transactionCount++;
    if (named || elementFirst !== OPEN_OBJECT) {
      if (keptCount++ > 0) kept.push(COMMA);
      kept.append(current.view());
    }
    current.reset();
    element = 'none';
    named = false;
  }

  return {
    write(input) {
      const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      // Bytes of this chunk from `from` on are still to be copied: to `current` inside a transaction, else to `kept`.
      let from = 0;
      /**
       * The text of the string that closes at `quote` when its length is within bounds; else null. Note: an escaped
       * string is decoded first, so that an address written with `\u` escapes is still recognised.
       */
      const stringText = (quote: number, shortest: number, longest: number): string | null => {
        const rawLongest = stringEscaped ? longest * 6 : longest;
        let raw: string;
        if (stringFrom >= 0) {
          const length = quote - stringFrom - 1;
          if (length < shortest || length > rawLongest) return null;
          raw = chunk.toString('latin1', stringFrom + 1, quote);
        } else {
          flush(quote);
          const target = element === 'none' ? kept : current;
          const length = target.length - stringStart - 1;
          if (length < shortest || length > rawLongest) return null;
          raw = target.latin1(stringStart + 1, target.length);
        }
        if (!stringEscaped) return raw;
        const text = decodeJsonString(raw);
        return text !== null && text.length >= shortest && text.length <= longest ? text : null;
      };
      const flush = (to: number) => {
        (element === 'none' ? kept : current).append(chunk.subarray(from, to));
        from = to;
      };
      // Note: most of a block is string content; it is crossed by indexOf, to the next quote or backslash.
      let nextBackslash = -1;
      for (let at = 0; at < chunk.length; at++) {
        if (inString) {
          if (escaped) {
            escaped = false;
            continue;
          }
          if (nextBackslash < at) nextBackslash = indexOrEnd(chunk, BACKSLASH, at);
          const quote = indexOrEnd(chunk, QUOTE, at);
          if (nextBackslash < quote) {
            at = nextBackslash;
            escaped = stringEscaped = true;
            continue;
          }
          at = quote;
          if (quote < chunk.length) {
            inString = false;
            if (element !== 'none') {
              if (followed.size > 0 && !named) {
                const text = stringText(quote, MIN_ADDRESS, MAX_ADDRESS);
                if (text !== null && followed.has(text)) named = true;
              }
              if (element === 'string' && depth === 3) {
                flush(quote + 1);
                endElement();
              }
            } else if (depth <= 2) lastString = stringText(quote, 0, 64);
          }
          continue;
        }
        const code = chunk[at]!;
        if (code <= SPACE) continue;
        if (inTransactions && depth === 3) {
          // Between the block's transactions: an element starts, ends (a scalar), or the list closes.
          if (element === 'scalar' && (code === COMMA || code === CLOSE_ARRAY)) {
            flush(at);
            endElement();
          }
          if (code === COMMA) {
            from = at + 1;
            continue;
          }
          if (code === CLOSE_ARRAY) {
            inTransactions = false;
          } else if (element === 'none') {
            flush(at);
            element = code === OPEN_OBJECT || code === OPEN_ARRAY ? 'container' : code === QUOTE ? 'string' : 'scalar';
            elementFirst = code;
          }
        }
        if (code === QUOTE) {
          inString = true;
          stringEscaped = false;
          stringFrom = at;
        } else if (code === COLON) {
          if (depth === 1 || depth === 2) keys[depth - 1] = lastString;
        } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
          depth++;
          if (depth === 3 && code === OPEN_ARRAY && keys[0] === 'result' && keys[1] === 'transactions') {
            flush(at + 1);
            inTransactions = true;
          }
        } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
          depth--;
          if (depth < 0) throw new MalformedBlockJson('getBlock answered malformed JSON: a bracket closes that never opened');
          if (depth === 3 && element === 'container') {
            flush(at + 1);
            endElement();
          }
        }
      }
      if (inString && stringFrom >= 0) {
        // Note: a string that goes on in the next chunk is read from where it was copied to.
        stringStart = (element === 'none' ? kept : current).length + (stringFrom - from);
        stringFrom = -1;
      }
      flush(chunk.length);
    },

    end() {
      if (inString || depth !== 0) throw new MalformedBlockJson('getBlock answered JSON that ends before it is complete');
      let answer: unknown;
      try {
        answer = JSON.parse(kept.utf8());
      } catch (error) {
        throw new MalformedBlockJson(`getBlock answered malformed JSON: ${(error as Error).message}`);
      }
      const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
      if (typeof fields['error'] === 'object' && fields['error'] !== null) return { error: fields['error'] as { code: number; message: string } };
      if (!('result' in fields)) throw new MalformedBlockJson('getBlock answered neither a result nor an error');
      const result = fields['result'];
      if (result === null) return { result: null };
      if (typeof result !== 'object' || Array.isArray(result)) throw new MalformedBlockJson('getBlock answered a result that is neither a block nor null');
      const block = result as Record<string, unknown>;
      return { result: { ...block, transactions: Array.isArray(block['transactions']) ? block['transactions'] : [], transactionCount } };
    },
  };
}

/** The value of a JSON string's escaped content, or null when its escapes are malformed. */
function decodeJsonString(raw: string): string | null {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return null;
  }
}

/** Where `code` next is in `bytes` from `from` on, or the end of `bytes`. */
function indexOrEnd(bytes: Uint8Array, code: number, from: number): number {
  const found = bytes.indexOf(code, from);
  return found === -1 ? bytes.length : found;
}

/** A growable byte buffer. */
class ByteBuilder {
  private bytes: Buffer;
  length = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  append(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.length + part.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + part.length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.bytes.set(part, this.length);
    this.length += part.length;
  }

  push(byte: number): void {
    this.append(Uint8Array.of(byte));
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  latin1(start: number, end: number): string {
    return this.bytes.toString('latin1', start, end);
  }

  utf8(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/**
 * A getBlock answer as sifted from its bytes: the JSON-RPC error, or the block's own fields with only the
 * transactions that may touch a followed wallet parsed, and how many the block held in all.
 */
export type SiftedBlockAnswer =
  | { error: { code: number; message: string; data?: unknown } }
  | { result: null }
  | { result: { blockhash?: unknown; blockTime?: unknown; transactions: unknown[]; transactionCount: number } & Record<string, unknown> };

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

/** A getBlock answer that is not the JSON it should be; the call is tried again. */
export class MalformedBlockJson extends Error {
  override name = 'MalformedBlockJson';
}

/**
 * Reads a getBlock answer (json, transactionDetails "full") from its bytes and parses only the transactions whose
 * text holds a followed address as a whole JSON string (an account key, a loaded address or a token balance's
 * owner is one), plus any entry that is not an object, so that a damaged one is still decoded and skipped with a
 * reason. A mainnet block is about 10 MB of JSON with 1,000–1,500 transactions; parsing it whole costs tens of MB of
 * heap per block in flight, while the transactions of the followed wallets are a handful. The bytes are read as they
 * came (not decoded into one string), so a block's 10 MB stay outside the heap and are freed as soon as it is read.
 * The caller still checks each kept transaction exactly: a string can match without being one of its accounts.
 */
export function siftBlockJson(bytes: Uint8Array, followed: ReadonlySet<string>): SiftedBlockAnswer {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scanner = new Scanner(body, followed);
  const json = (start: number, end: number): unknown => JSON.parse(body.toString('utf8', start, end));
  let result: SiftedBlockAnswer | null = null;
  scanner.object((key, start) => {
    if (key === 'error') {
      const end = scanner.skip(start);
      result = { error: json(start, end) as { code: number; message: string } };
      return end;
    }
    if (key !== 'result') return scanner.skip(start);
    if (body[start] !== OPEN_OBJECT) {
      const end = scanner.skip(start);
      if (json(start, end) !== null) throw new MalformedBlockJson(`getBlock answered a result that is neither a block nor null`);
      result = { result: null };
      return end;
    }
    const block: Record<string, unknown> = {};
    const transactions: unknown[] = [];
    let transactionCount = 0;
    const end = scanner.object((field, at) => {
      if (field !== 'transactions' || body[at] !== OPEN_ARRAY) {
        const after = scanner.skip(at);
        block[field] = json(at, after);
        return after;
      }
      return scanner.array(at, (entry) => {
        transactionCount++;
        scanner.named = false;
        const after = scanner.skip(entry);
        if (scanner.named || body[entry] !== OPEN_OBJECT) transactions.push(json(entry, after));
        return after;
      });
    }, start);
    result = { result: { ...block, transactions, transactionCount } };
    return end;
  });
  if (result === null) throw new MalformedBlockJson('getBlock answered neither a result nor an error');
  return result;
}

/** Walks JSON bytes without building them, noting whether any string it passes is a followed address. */
class Scanner {
  /** Set when a string passed since it was last cleared is one of the followed addresses. */
  named = false;

  constructor(
    private readonly body: Buffer,
    private readonly followed: ReadonlySet<string>,
  ) {}

  /** Reads an object from `start` (or the first non-space), handing each key and its value's start to `member`, which returns the value's end. */
  object(member: (key: string, valueStart: number) => number, start = 0): number {
    let at = this.expect(this.space(start), OPEN_OBJECT);
    at = this.space(at);
    if (this.body[at] === CLOSE_OBJECT) return at + 1;
    for (;;) {
      if (this.body[at] !== QUOTE) this.fail(at, 'a key');
      const keyEnd = this.string(at);
      const key = this.body.toString('latin1', at + 1, keyEnd - 1);
      at = this.space(this.expect(this.space(keyEnd), COLON));
      at = this.space(member(key, at));
      const next = this.body[at];
      if (next === CLOSE_OBJECT) return at + 1;
      at = this.space(this.expect(at, COMMA));
    }
  }

  /** Reads an array from `start`, handing each element's start to `element`, which returns its end. */
  array(start: number, element: (elementStart: number) => number): number {
    let at = this.space(this.expect(start, OPEN_ARRAY));
    if (this.body[at] === CLOSE_ARRAY) return at + 1;
    for (;;) {
      at = this.space(element(at));
      if (this.body[at] === CLOSE_ARRAY) return at + 1;
      at = this.space(this.expect(at, COMMA));
    }
  }

  /** The end of the value at `start`: a string, an object or array with all it holds, or a scalar. */
  skip(start: number): number {
    const body = this.body;
    const first = body[start];
    if (first === QUOTE) return this.string(start);
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      let at = start;
      while (at < body.length) {
        const code = body[at]!;
        if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY || code <= 0x20) break;
        at++;
      }
      if (at === start) this.fail(start, 'a value');
      return at;
    }
    let depth = 0;
    let at = start;
    while (at < body.length) {
      const code = body[at]!;
      if (code === QUOTE) {
        at = this.string(at);
        continue;
      }
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) depth++;
      else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return at + 1;
      }
      at++;
    }
    return this.fail(start, 'the end of a value');
  }

  /** The end of the string opening at `start` (after its closing quote); notes a followed address. */
  private string(start: number): number {
    const body = this.body;
    let end = body.indexOf(QUOTE, start + 1);
    let escaped = false;
    while (end !== -1 && body[end - 1] === BACKSLASH) {
      // Note: a quote is escaped only by an odd run of backslashes before it.
      let run = 1;
      while (body[end - 1 - run] === BACKSLASH) run++;
      escaped = true;
      if (run % 2 === 0) break;
      end = body.indexOf(QUOTE, end + 1);
    }
    if (end === -1) this.fail(start, 'the end of a string');
    const length = end - start - 1;
    if (!escaped && length >= MIN_ADDRESS && length <= MAX_ADDRESS && this.followed.size > 0 && this.followed.has(body.toString('latin1', start + 1, end))) this.named = true;
    return end + 1;
  }

  private space(at: number): number {
    while (at < this.body.length && this.body[at]! <= 0x20) at++;
    return at;
  }

  private expect(at: number, code: number): number {
    if (this.body[at] !== code) this.fail(at, `'${String.fromCharCode(code)}'`);
    return at + 1;
  }

  private fail(at: number, wanted: string): never {
    throw new MalformedBlockJson(`getBlock answered malformed JSON: expected ${wanted} at character ${at} of ${this.body.length}`);
  }
}

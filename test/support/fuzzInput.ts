import { seededRandom } from './seededRandom.js';

/** Seeded choices over `seededRandom`: the same seed gives the same inputs, so a failure can be replayed. */
export type Random = {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
};

export function createRandom(seed: number): Random {
  const next = seededRandom(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}

/** The seed of a run: LOOKOUT_FUZZ_SEED when set, to replay a failure, otherwise a fresh one. */
export function fuzzSeed(): number {
  const given = process.env.LOOKOUT_FUZZ_SEED;
  return given !== undefined && /^\d+$/.test(given) ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

const ATOMS = [
  '0x0000000000000000000000000000000000000001',
  '0x00000000000000000000000000000000000000A1',
  '0xAbC0000000000000000000000000000000000001',
  '0x123',
  'So11111111111111111111111111111111111111112',
  'whale',
  'whales',
  'WHALE',
  'fish',
  'all',
  '24h',
  '7d',
  'min',
  'types',
  'buy,sell',
  'on',
  'off',
  'new',
  'add',
  'remove',
  'delete',
  'list',
  'base',
  'solana',
  '1e21',
  '100000000000000000000',
  '-5',
  '$1,000.50',
  '0.001',
  'NaN',
  '%',
  '_',
  "'; drop table wallets; --",
  '<b>bold</b>',
  '<a href="https://evil.example">x</a>',
  '&amp;',
  '&',
  '<',
  '**bold** __u__ ~~s~~ ||spoiler||',
  '`code`',
  '# heading',
  '- item',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@&123456789012345678>',
  '[Claim your airdrop](https://evil.example/claim)',
  'https://evil.example/?q=1',
  '🐋',
  '👨‍👩‍👧‍👦',
  'e\u0301',
  '\u202eevil',
  '\u200b',
  'é',
  '中文',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\ud83d',
];

/** One argument: a known word, a hostile piece, a long run, or a mix of them. */
export function fuzzWord(random: Random): string {
  const roll = random.next();
  if (roll < 0.55) return random.pick(ATOMS);
  if (roll < 0.7) return random.pick(ATOMS).repeat(1 + random.int(random.chance(0.3) ? 3000 : 60));
  if (roll < 0.85) return Array.from({ length: 1 + random.int(4) }, () => random.pick(ATOMS)).join('');
  return Array.from({ length: 1 + random.int(40) }, () => String.fromCodePoint(32 + random.int(0x2000))).join('');
}

/** The text after a command: zero to five arguments. */
export function fuzzArgs(random: Random): string {
  return Array.from({ length: random.int(6) }, () => fuzzWord(random)).join(random.chance(0.1) ? '\n' : ' ');
}

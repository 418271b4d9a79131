const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes Discord-style ids. The creation time sits in the high bits, as on Discord, because
 * discord.js derives `createdTimestamp` from every id it sees.
 */
export function createSnowflakes(): () => string {
  let increment = 0n;
  return () => String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (increment++ & 0xfffn));
}

/** Whether `id` can be a Discord id; discord.js reads ids with BigInt, so anything else throws there. */
export function isSnowflake(id: string): boolean {
  return /^\d{1,20}$/.test(id);
}

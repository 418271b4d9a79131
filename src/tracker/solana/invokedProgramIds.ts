import { instructionProgramId } from './decodeTransactionMessage.js';
import { readArray, readIndex, readObject } from './rpcReaders.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

/**
 * Every program the transaction invoked, once each, in the order they ran: each top-level
 * instruction's program, then the programs its inner instructions called.
 */
export function invokedProgramIds(
  instructionProgramIds: string[],
  innerInstructions: unknown,
  accountKeys: string[],
): string[] {
  const innerByIndex = new Map<number, string[]>();
  readArray(innerInstructions, 'meta.innerInstructions').forEach((entry, i) => {
    const path = `meta.innerInstructions[${i}]`;
    const group = readObject(entry, path);
    const index = readIndex(group['index'], `${path}.index`);
    if (index >= instructionProgramIds.length) {
      throw new SolanaDecodeError(`${path}.index ${index} is past the ${instructionProgramIds.length} instructions`);
    }
    const programIds = readArray(group['instructions'], `${path}.instructions`).map((instruction, j) =>
      instructionProgramId(instruction, accountKeys, `${path}.instructions[${j}]`),
    );
    innerByIndex.set(index, [...(innerByIndex.get(index) ?? []), ...programIds]);
  });
  const ordered = instructionProgramIds.flatMap((programId, i) => [programId, ...(innerByIndex.get(i) ?? [])]);
  return [...new Set(ordered)];
}

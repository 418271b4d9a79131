import { txErrDecode, type SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { base58Encode } from './base58.js';

type JsonObject = Record<string, unknown>;
type TokenBalance = NonNullable<SubscribeUpdateTransactionInfo['meta']>['preTokenBalances'][number];

/**
 * A Geyser stream's transaction as getTransaction (json encoding) shows it: base58 keys, signatures and
 * instruction data, lookup-table accounts under meta.loadedAddresses, amounts as given. The stream carries neither
 * slot time nor blockhash with a transaction; the slot's block meta does, and the caller passes its time in. What
 * is missing is left out, so that the decoder names it and the transaction is skipped with a reason.
 */
export function geyserTransactionResult(info: SubscribeUpdateTransactionInfo, slot: number, blockTime: number | null): JsonObject {
  const message = info.transaction?.message;
  const meta = info.meta;
  return {
    slot,
    blockTime,
    version: message === undefined ? undefined : message.versioned ? 0 : 'legacy',
    transaction:
      info.transaction === undefined
        ? undefined
        : {
            signatures: info.transaction.signatures.map(base58Encode),
            message:
              message === undefined
                ? undefined
                : {
                    header: message.header,
                    accountKeys: message.accountKeys.map(base58Encode),
                    recentBlockhash: base58Encode(message.recentBlockhash),
                    instructions: message.instructions.map((instruction) => ({
                      programIdIndex: instruction.programIdIndex,
                      accounts: [...instruction.accounts],
                      data: base58Encode(instruction.data),
                    })),
                    ...(message.versioned
                      ? {
                          addressTableLookups: message.addressTableLookups.map((lookup) => ({
                            accountKey: base58Encode(lookup.accountKey),
                            writableIndexes: [...lookup.writableIndexes],
                            readonlyIndexes: [...lookup.readonlyIndexes],
                          })),
                        }
                      : {}),
                  },
          },
    meta:
      meta === undefined
        ? undefined
        : {
            err: meta.err === undefined ? null : transactionError(meta.err.err),
            fee: meta.fee,
            preBalances: meta.preBalances,
            postBalances: meta.postBalances,
            innerInstructions: meta.innerInstructionsNone
              ? []
              : meta.innerInstructions.map((group) => ({
                  index: group.index,
                  instructions: group.instructions.map((instruction) => ({
                    programIdIndex: instruction.programIdIndex,
                    accounts: [...instruction.accounts],
                    data: base58Encode(instruction.data),
                    stackHeight: instruction.stackHeight ?? null,
                  })),
                })),
            logMessages: meta.logMessagesNone ? null : meta.logMessages,
            preTokenBalances: meta.preTokenBalances.map(tokenBalance),
            postTokenBalances: meta.postTokenBalances.map(tokenBalance),
            loadedAddresses: {
              writable: meta.loadedWritableAddresses.map(base58Encode),
              readonly: meta.loadedReadonlyAddresses.map(base58Encode),
            },
          },
  };
}

/** The first signature of a stream transaction in base58, for naming one that cannot be decoded. */
export function geyserSignature(info: SubscribeUpdateTransactionInfo): string {
  return base58Encode(info.signature);
}

function tokenBalance(balance: TokenBalance): JsonObject {
  return {
    accountIndex: balance.accountIndex,
    mint: balance.mint,
    owner: balance.owner,
    // Note: protobuf has no absent string; an empty programId is one the validator did not record.
    programId: balance.programId === '' ? null : balance.programId,
    uiTokenAmount: balance.uiTokenAmount && {
      amount: balance.uiTokenAmount.amount,
      decimals: balance.uiTokenAmount.decimals,
      uiAmountString: balance.uiTokenAmount.uiAmountString,
    },
  };
}

/** The transaction error as RPC's JSON shows it, from its bincode form; the raw bytes when they do not decode. */
function transactionError(bytes: Uint8Array): unknown {
  try {
    return txErrDecode.decode(bytes);
  } catch {
    // Note: only the fact of failure counts for the deltas; the text of an unknown error is kept for reading.
    return { bincode: Buffer.from(bytes).toString('hex') };
  }
}

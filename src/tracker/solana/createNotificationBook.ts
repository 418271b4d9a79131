/** What logsSubscribe told of and polling has not found yet, and the signatures already processed. */
export type NotificationBook = {
  /** A notification for an address; false when the signature is already processed (nothing to wake for). */
  notify(address: string, signature: string, at?: number): boolean;
  /** Whether an address has notifications polling has not confirmed: it is read in every round until they are. */
  isPending(address: string): boolean;
  /** Whether any notification waits: the follower then looks again soon. */
  readonly hasPending: boolean;
  /** Forgets notifications polling found, and those it never confirms after a while. */
  settle(discovered: readonly { address: string; signature: string }[], now: number): void;
  /** Whether a signature was processed already. */
  processed(signature: string): boolean;
  remember(signature: string): void;
};

const REMEMBERED_SIGNATURES = 20_000;
const PATIENCE_MS = 30_000;

/** The notification bookkeeping of the Solana follower, in memory and bounded. */
export function createNotificationBook(): NotificationBook {
  const notified = new Map<string, Map<string, number>>();
  const remembered = new Set<string>();
  return {
    notify(address, signature, at = Date.now()) {
      if (remembered.has(signature)) return false;
      const signatures = notified.get(address) ?? new Map<string, number>();
      notified.set(address, signatures.set(signature, at));
      return true;
    },
    isPending: (address) => notified.has(address),
    get hasPending() {
      return notified.size > 0;
    },
    settle(discovered, now) {
      for (const { address, signature } of discovered) notified.get(address)?.delete(signature);
      for (const [address, signatures] of notified) {
        for (const [signature, at] of signatures) {
          // Note: a notification polling never confirms (a node that lists less than it notifies) stops counting after a while.
          if (remembered.has(signature) || now - at > PATIENCE_MS) signatures.delete(signature);
        }
        if (signatures.size === 0) notified.delete(address);
      }
    },
    processed: (signature) => remembered.has(signature),
    remember(signature) {
      remembered.add(signature);
      if (remembered.size > REMEMBERED_SIGNATURES) remembered.delete(remembered.values().next().value!);
    },
  };
}

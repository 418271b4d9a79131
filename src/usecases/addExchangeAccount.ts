import { randomBytes } from 'node:crypto';
import { DEFAULT_EXCHANGES } from '../config/exchangesConfig.js';
import { insertExchangeAccount } from '../db/exchangeQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import { createExchangeClient, type ExchangeClient, type ExchangeCredentials, type MarketsCache } from '../tracker/exchange/createExchangeClient.js';
import { exchangeFault } from '../tracker/exchange/exchangeFault.js';
import { EXCHANGE_NAMES, type ExchangeName } from '../tracker/exchange/exchangeKinds.js';
import { wordDbErrors } from './dbErrorMessage.js';
import { createSecretBox, MISSING_SECRET_KEY } from './secretBox.js';
import type { UseCaseDeps } from './UseCaseDeps.js';
import { validateLabel } from './validateNames.js';

export type ExchangeAddArgs = { exchange?: string | undefined; label?: string | undefined; key?: string | undefined; secret?: string | undefined; passphrase?: string | undefined };

/** An account just added: never its key, only the key's last characters. */
export type AddedExchangeAccount = { exchange: ExchangeName; label: string; keyEnding: string };

export const EXCHANGE_ADD_USAGE = 'exchange add <binance|coinbase> --label L --key K --secret S [--passphrase P]';

/** Display names of the exchanges, for sentences. */
export const EXCHANGE_TITLES: Record<ExchangeName, string> = { binance: 'Binance', coinbase: 'Coinbase' };

/** Makes the client of an account; tests and the sync job pass the same one. */
export type ExchangeClientFactory = (exchange: ExchangeName, credentials: ExchangeCredentials, apiUrl: string | undefined, cache?: MarketsCache) => ExchangeClient;

/**
 * Adds a read-only exchange account as a wallet of the workspace: checks the key reads the account and, where the
 * exchange reports it, that it can neither trade nor withdraw; then keeps it sealed under LOOKOUT_SECRET_KEY.
 */
export async function addExchangeAccount(
  deps: UseCaseDeps,
  args: ExchangeAddArgs,
  clientFor: ExchangeClientFactory = createExchangeClient,
): Promise<AddedExchangeAccount> {
  const settings = deps.config.exchanges ?? DEFAULT_EXCHANGES;
  if (!settings.secretKey) throw new UserInputError(MISSING_SECRET_KEY);
  const input = parseExchangeAdd(args);
  const title = EXCHANGE_TITLES[input.exchange];
  const credentials = { key: input.key, secret: input.secret, passphrase: input.passphrase };
  const client = clientFor(input.exchange, credentials, settings.apiUrls[input.exchange]);
  try {
    const permissions = await client.permissions();
    if (permissions?.withdraw) {
      throw new UserInputError(`This ${title} key may withdraw or transfer funds; Lookout only takes read-only keys: create one with reading only and add that.`);
    }
    if (permissions?.trade) {
      throw new UserInputError(`This ${title} key may trade; Lookout only takes read-only keys: create one with reading only and add that.`);
    }
    await client.balances();
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    const fault = exchangeFault(error);
    throw new UserInputError(
      fault.kind === 'refused'
        ? `${title} refused this key; check the key, the secret${input.exchange === 'coinbase' ? ' and the passphrase' : ''}, and that it may read the account.`
        : `${title} could not be asked about this key (${fault.reason.split(';')[0]}); try again in a minute.`,
      { cause: error },
    );
  }
  const box = createSecretBox(settings.secretKey);
  const added = await wordDbErrors(() => insertExchangeAccount(deps.db, {
    workspaceId: deps.workspaceId,
    exchange: input.exchange,
    label: input.label,
    // Note: random, so that two workspaces' accounts of the same label never share trades.
    address: `${input.exchange}:${randomBytes(6).toString('hex')}`,
    keyCiphertext: box.seal(input.key),
    secretCiphertext: box.seal(input.secret),
    passphraseCiphertext: input.passphrase === null ? null : box.seal(input.passphrase),
    keyEnding: input.key.slice(-4),
    actor: deps.actor,
    maxWallets: deps.config.limits.walletsPerWorkspace,
  }));
  deps.events.emit({ type: 'wallets_changed', workspaceId: deps.workspaceId, chains: [input.exchange] });
  return { exchange: input.exchange, label: added.label, keyEnding: added.keyEnding };
}

/** Checks what was typed before anything is asked of the exchange. */
export function parseExchangeAdd(args: ExchangeAddArgs): { exchange: ExchangeName; label: string; key: string; secret: string; passphrase: string | null } {
  const exchange = args.exchange?.trim().toLowerCase();
  // Note: no sentence here quotes what was typed: a key pasted in the wrong place must not be echoed.
  if (!exchange || !(EXCHANGE_NAMES as readonly string[]).includes(exchange)) {
    throw new UserInputError(`Name the exchange first, binance or coinbase; write ${EXCHANGE_ADD_USAGE}.`);
  }
  const name = exchange as ExchangeName;
  if (args.label === undefined) throw new UserInputError(`Give the account a label: ${EXCHANGE_ADD_USAGE}.`);
  let label: string;
  try {
    label = validateLabel(args.label);
  } catch {
    throw new UserInputError(`The label must be one word of 1 to 32 characters, such as binance_main; write ${EXCHANGE_ADD_USAGE}.`);
  }
  const key = credential(args.key, '--key');
  const secret = credential(args.secret, '--secret', name === 'coinbase' ? 4096 : 512);
  const passphrase = args.passphrase === undefined ? null : credential(args.passphrase, '--passphrase');
  if (name === 'coinbase' && passphrase === null) {
    throw new UserInputError('A Coinbase Exchange key comes with a passphrase; add --passphrase P (the one shown when the key was made).');
  }
  if (name === 'binance' && passphrase !== null) throw new UserInputError('A Binance key has no passphrase; leave out --passphrase.');
  return { exchange: name, label, key, secret, passphrase };
}

function credential(value: string | undefined, option: string, max = 512): string {
  const text = value?.trim() ?? '';
  if (text.length === 0) throw new UserInputError(`Give ${option}: ${EXCHANGE_ADD_USAGE}.`);
  // Note: the sentence never quotes the value; it may be a secret.
  if (text.length > max || /[\s\u0000-\u001f\u007f]/.test(text)) throw new UserInputError(`${option} is not an API credential: it has spaces or is too long; paste it again.`);
  return text;
}

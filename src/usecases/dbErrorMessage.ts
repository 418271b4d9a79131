import { DbError, DbConflict, DbLimitReached, DbNotFound } from '../db/DbError.js';
import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';

/** What a refused query means to the person who asked (in a chat, on the command line or over the API), in one sentence that says what to do. */
export function dbErrorMessage(error: DbError): string {
  if (error instanceof DbNotFound) {
    const facts = error.facts;
    switch (facts.entity) {
      case 'wallet':
        return `No wallet '${quoteInput(facts.ref)}' is tracked${facts.chain ? ` on ${facts.chain}` : ''} in this workspace; list them with wallets.`;
      case 'group':
        return `There is no group '${quoteInput(facts.name)}'${facts.name.length <= 32 ? `; create it first with: group create ${facts.name}` : ''}.`;
      case 'group_member':
        return `'${quoteInput(facts.ref)}' is not in group '${facts.group}'; see its members with: group list`;
      case 'alert_route':
        return `There is no alert route #${facts.id} in this workspace; see them with /alerts routes.`;
      case 'manual_trade':
        return `There is no manual trade #${facts.id} in this workspace; lookout trades --csv lists them.`;
      case 'exchange_account':
        return `There is no exchange account '${quoteInput(facts.label)}' in this workspace; exchange list shows them.`;
    }
  }
  if (error instanceof DbConflict) {
    const facts = error.facts;
    if (facts.entity === 'group') return `A group named '${facts.name}' already exists; pick another name.`;
    switch (facts.reason) {
      case 'label_taken':
        return `The label '${facts.label}' is already used for ${facts.address} on ${facts.chain}; pick another label.`;
      case 'tracked_as':
        return `${facts.address} is already tracked as '${facts.label}'; track it with that label, or untrack it first.`;
      case 'already_tracked':
        return `${facts.address} is already tracked on ${facts.chains.join(', ')} as '${facts.label}'.`;
    }
  }
  if (error instanceof DbLimitReached) {
    return error.facts.entity === 'wallet'
      ? `This workspace already tracks ${error.facts.max} wallets, the most allowed; untrack one before tracking another.`
      : `This workspace already has ${error.facts.max} groups, the most allowed; delete one before creating another.`;
  }
  return error.message;
}

/** Runs a command's work, turning what a query refused into a sentence for the person who asked. */
export async function wordDbErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DbError) throw new UserInputError(dbErrorMessage(error), { cause: error });
    throw error;
  }
}

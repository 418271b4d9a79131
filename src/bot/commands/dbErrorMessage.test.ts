import { describe, expect, it } from 'vitest';
import { DbConflict, DbLimitReached, DbNotFound } from '../../db/DbError.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { dbErrorMessage, wordDbErrors } from './dbErrorMessage.js';

describe('dbErrorMessage', () => {
  it('behavior: each refusal is one sentence that says what to do, with the facts the query gave', () => {
    expect(dbErrorMessage(new DbNotFound({ entity: 'wallet', ref: 'nobody', chain: 'base' }))).toBe(
      "No wallet 'nobody' is tracked on base in this workspace; list them with wallets.",
    );
    expect(dbErrorMessage(new DbNotFound({ entity: 'group', name: 'nope' }))).toBe("There is no group 'nope'; create it first with: group create nope.");
    expect(dbErrorMessage(new DbNotFound({ entity: 'group', name: 'x'.repeat(40) }))).not.toMatch(/group create/);
    expect(dbErrorMessage(new DbNotFound({ entity: 'alert_route', id: 7 }))).toBe('There is no alert route #7 in this workspace; see them with /alerts routes.');
    expect(dbErrorMessage(new DbConflict({ entity: 'group', reason: 'name_taken', name: 'Fish' }))).toBe("A group named 'Fish' already exists; pick another name.");
    expect(dbErrorMessage(new DbConflict({ entity: 'wallet', reason: 'already_tracked', address: '0xab', chains: ['base', 'sonic'], label: 'w' }))).toBe(
      "0xab is already tracked on base, sonic as 'w'.",
    );
    expect(dbErrorMessage(new DbLimitReached({ entity: 'wallet', max: 3 }))).toMatch(/already tracks 3 wallets, the most allowed/);
  });

  it('behavior: a refused query becomes a UserInputError carrying it as the cause; any other error passes through', async () => {
    const refused = new DbNotFound({ entity: 'manual_trade', id: 2 });
    const worded = await wordDbErrors(() => Promise.reject(refused)).catch((error: unknown) => error);
    expect(worded).toBeInstanceOf(UserInputError);
    expect(worded).toMatchObject({ message: 'There is no manual trade #2 in this workspace; lookout trades --csv lists them.', cause: refused });
    const bug = new TypeError('x is undefined');
    await expect(wordDbErrors(() => Promise.reject(bug))).rejects.toBe(bug);
  });
});

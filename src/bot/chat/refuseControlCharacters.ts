import { UserInputError } from '../../errors/LookoutError.js';
import { codePointName, findControlCharacter } from '../../text/clipText.js';

/** Refuses input holding a control character before it reaches any query (Postgres refuses NUL in text). */
export function refuseControlCharacters(values: readonly (string | null | undefined)[]): void {
  for (const value of values) {
    const found = value ? findControlCharacter(value) : undefined;
    if (found !== undefined) {
      throw new UserInputError(`Your text contains an invisible control character (${codePointName(found)}); type it again without it.`);
    }
  }
}

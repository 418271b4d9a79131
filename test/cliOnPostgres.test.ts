import { describe } from 'vitest';
import { describeCli } from './support/describeCli.js';
import { postgresUrl } from './support/testDatabase.js';

// Note: CI runs the suite a second time with DATABASE_URL set; without a server this file has nothing to test.
describe.runIf(postgresUrl)('on the Postgres server of DATABASE_URL', () => describeCli('postgres'));

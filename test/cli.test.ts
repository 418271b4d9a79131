import { describeCli } from './support/describeCli.js';

describeCli('pglite');

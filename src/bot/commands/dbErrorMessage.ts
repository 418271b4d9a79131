// Note: the wording lives with the use cases, so that the chats, the command line and the HTTP API say the same.
export { dbErrorMessage, wordDbErrors } from '../../usecases/dbErrorMessage.js';

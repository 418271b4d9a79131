import type { Chat, ChatMember, Message, User, UserFromGetMe } from 'grammy/types';

import { badRequest } from './telegramApiError.js';

/** A chat as a test describes it. */
export type TestChat = { id: number; type: 'private' | 'group' | 'supergroup'; title?: string; username?: string };

/** A person as a test describes them. */
export type TestUser = { id: number; first_name: string; username?: string; last_name?: string; language_code?: string };

/** The statuses a test may give a chat member. */
export type ChatMemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

/** The chats, people, memberships and messages the simulated Telegram knows. */
export type ChatDirectory = {
  /** Records a chat (and, for a private one, names it after `from`). */
  rememberChat(chat: TestChat, from?: TestUser): Chat;
  rememberUser(user: TestUser): User;
  /** A chat by id or `@username`; an unknown numeric id is taken as a chat of the kind its sign implies. */
  chat(chatId: number | string): Chat;
  user(userId: number): User | undefined;
  setStatus(chatId: number, userId: number, status: ChatMemberStatus): void;
  /** Marks a user as present in a chat because they wrote there. */
  markSeen(chatId: number, userId: number): void;
  /** The member record getChatMember answers with. */
  member(chatId: number, userId: number): ChatMember;
  nextMessageId(chatId: number): number;
  storeMessage(message: Message): void;
  message(chatId: number, messageId: number): Message | undefined;
};

const SUPERGROUP_ID_BELOW = -1_000_000_000_000;

/** Creates a directory in which the bot itself is known. */
export function createChatDirectory(bot: UserFromGetMe): ChatDirectory {
  const chats = new Map<number, Chat>();
  const users = new Map<number, User>([[bot.id, botAsUser(bot)]]);
  const statuses = new Map<string, ChatMemberStatus>();
  const seen = new Set<string>();
  const messageIds = new Map<number, number>();
  const messages = new Map<string, Message>();
  const key = (chatId: number, id: number): string => `${chatId}:${id}`;

  const inferChat = (chatId: number): Chat => {
    if (chatId > 0) return { id: chatId, type: 'private', first_name: users.get(chatId)?.first_name ?? `User ${chatId}` };
    if (chatId <= SUPERGROUP_ID_BELOW) return { id: chatId, type: 'supergroup', title: `Supergroup ${chatId}` };
    return { id: chatId, type: 'group', title: `Group ${chatId}` };
  };

  const directory: ChatDirectory = {
    rememberChat(chat, from) {
      let known: Chat;
      if (chat.type === 'private') {
        const person = from?.id === chat.id ? from : undefined;
        known = { id: chat.id, type: 'private', first_name: person?.first_name ?? chat.title ?? `User ${chat.id}` };
        if (person?.last_name !== undefined) known.last_name = person.last_name;
        const username = chat.username ?? person?.username;
        if (username !== undefined) known.username = username;
      } else if (chat.type === 'group') {
        known = { id: chat.id, type: 'group', title: chat.title ?? `Group ${chat.id}` };
      } else {
        known = { id: chat.id, type: 'supergroup', title: chat.title ?? `Supergroup ${chat.id}` };
        if (chat.username !== undefined) known.username = chat.username;
      }
      chats.set(chat.id, known);
      return known;
    },
    rememberUser(user) {
      const known: User = { id: user.id, is_bot: false, first_name: user.first_name };
      if (user.last_name !== undefined) known.last_name = user.last_name;
      if (user.username !== undefined) known.username = user.username;
      if (user.language_code !== undefined) known.language_code = user.language_code;
      users.set(user.id, known);
      return known;
    },
    chat(chatId) {
      if (typeof chatId === 'string') {
        const wanted = chatId.replace(/^@/, '').toLowerCase();
        const found = [...chats.values()].find((chat) => chat.username?.toLowerCase() === wanted);
        if (found === undefined) throw badRequest('chat not found');
        return found;
      }
      if (chatId === 0) throw badRequest('chat not found');
      return chats.get(chatId) ?? inferChat(chatId);
    },
    user: (userId) => users.get(userId),
    setStatus(chatId, userId, status) {
      if (!users.has(userId)) users.set(userId, { id: userId, is_bot: false, first_name: `User ${userId}` });
      statuses.set(key(chatId, userId), status);
    },
    markSeen(chatId, userId) {
      seen.add(key(chatId, userId));
    },
    member(chatId, userId) {
      const user = users.get(userId);
      if (user === undefined) throw badRequest('user not found');
      const set = statuses.get(key(chatId, userId));
      // Someone who wrote in a chat, or the other side of a private chat, is a member unless a test says otherwise.
      const status = set ?? (seen.has(key(chatId, userId)) || chatId === userId || userId === bot.id ? 'member' : 'left');
      return chatMemberOf(user, status);
    },
    nextMessageId(chatId) {
      const id = (messageIds.get(chatId) ?? 0) + 1;
      messageIds.set(chatId, id);
      return id;
    },
    storeMessage(message) {
      messages.set(key(message.chat.id, message.message_id), message);
    },
    message: (chatId, messageId) => messages.get(key(chatId, messageId)),
  };
  return directory;
}

function botAsUser(bot: UserFromGetMe): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

/** The ChatMember object Telegram returns for a user with a given status. */
export function chatMemberOf(user: User, status: ChatMemberStatus): ChatMember {
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false };
    case 'administrator':
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: false,
        can_send_welcome_messages: false,
      };
    case 'member':
      return { status, user };
    case 'left':
      return { status, user };
    case 'kicked':
      return { status, user, until_date: 0 };
  }
}

import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';

import type { FormProblem, ReportProblem } from './discordApiError.js';
import { isJsonObject } from './isJsonObject.js';

type Json = Record<string, unknown>;

const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  label: 80,
} as const;

/**
 * Checks a message body against the limits Discord enforces, so that an embed Discord would
 * refuse with 50035 Invalid Form Body (an empty field value, a 1025-character field, an
 * eleventh embed) is refused here too. `isEdit` skips what an edit may leave out.
 */
export function validateMessagePayload(body: Json, options: { fileCount: number; isEdit: boolean }): FormProblem[] {
  const problems: FormProblem[] = [];
  const problem: ReportProblem = (path, code, message) => void problems.push({ path, code, message });
  const { content, embeds, components } = body;

  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') problem('content', 'BASE_TYPE_STRING', 'Must be a string.');
    else if ([...content].length > LIMITS.content) {
      problem('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.content} or fewer in length.`);
    }
  }
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) problem('embeds', 'BASE_TYPE_ARRAY', 'Must be an array.');
    else {
      if (embeds.length > LIMITS.embeds) problem('embeds', 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embeds} or fewer in length.`);
      let total = 0;
      embeds.forEach((embed, index) => (total += checkEmbed(embed, `embeds.${index}`, problem)));
      if (total > LIMITS.embedTotal) {
        problem('embeds', 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
      }
    }
  }
  const componentsV2 = typeof body['flags'] === 'number' && (body['flags'] & MessageFlags.IsComponentsV2) !== 0;
  if (Array.isArray(components) && !componentsV2) checkActionRows(components, problem);

  if (!options.isEdit) {
    const hasContent = typeof content === 'string' && content.length > 0;
    const hasEmbeds = Array.isArray(embeds) && embeds.length > 0;
    const hasComponents = Array.isArray(components) && components.length > 0;
    const hasStickers = Array.isArray(body['sticker_ids']) && body['sticker_ids'].length > 0;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasStickers && body['poll'] === undefined && options.fileCount === 0) {
      problem('_root', 'EMPTY_MESSAGE', 'Cannot send an empty message');
    }
  }
  return problems;
}

// Returns the embed's characters that count towards the 6000 of a message.
function checkEmbed(embed: unknown, at: string, problem: ReportProblem): number {
  if (!isJsonObject(embed)) {
    problem(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return 0;
  }
  let total = 0;
  const text = (value: unknown, path: string, max: number, required: boolean): void => {
    if (value === undefined || value === null) {
      if (required) problem(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    if (typeof value !== 'string') return problem(path, 'BASE_TYPE_STRING', 'Must be a string.');
    const length = [...value].length;
    total += length;
    if (required && value.trim().length === 0) return problem(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    if (length > max) problem(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  };
  text(embed['title'], `${at}.title`, LIMITS.title, false);
  text(embed['description'], `${at}.description`, LIMITS.description, false);
  if (isJsonObject(embed['footer'])) text(embed['footer']['text'], `${at}.footer.text`, LIMITS.footer, true);
  if (isJsonObject(embed['author'])) text(embed['author']['name'], `${at}.author.name`, LIMITS.author, true);
  const fields = embed['fields'];
  if (Array.isArray(fields)) {
    if (fields.length > LIMITS.fields) problem(`${at}.fields`, 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.fields} or fewer in length.`);
    fields.forEach((field, index) => {
      const path = `${at}.fields.${index}`;
      if (!isJsonObject(field)) return problem(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      text(field['name'], `${path}.name`, LIMITS.fieldName, true);
      text(field['value'], `${path}.value`, LIMITS.fieldValue, true);
    });
  }
  const color = embed['color'];
  if (color !== undefined && color !== null && !(Number.isInteger(color) && (color as number) >= 0 && (color as number) <= 0xffffff)) {
    problem(`${at}.color`, 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
  }
  const timestamp = embed['timestamp'];
  if (timestamp !== undefined && (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)))) {
    problem(`${at}.timestamp`, 'DATE_TYPE_PARSE', `Could not parse ${String(timestamp)}. Should be ISO8601.`);
  }
  checkUrl(embed['url'], `${at}.url`, false, problem);
  for (const key of ['image', 'thumbnail']) {
    const media = embed[key];
    if (isJsonObject(media)) checkUrl(media['url'], `${at}.${key}.url`, true, problem);
  }
  return total;
}

function checkUrl(value: unknown, path: string, attachmentAllowed: boolean, problem: ReportProblem): void {
  if (value === undefined || value === null) return;
  const scheme = typeof value === 'string' ? /^([a-z]+):\/\//i.exec(value)?.[1]?.toLowerCase() : undefined;
  const allowed = scheme === 'http' || scheme === 'https' || (attachmentAllowed && scheme === 'attachment');
  if (!allowed) problem(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

function checkActionRows(rows: unknown[], problem: ReportProblem): void {
  if (rows.length > LIMITS.rows) problem('components', 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.rows} or fewer in length.`);
  const customIds = new Set<string>();
  rows.forEach((row, rowIndex) => {
    const at = `components.${rowIndex}`;
    if (!isJsonObject(row) || row['type'] !== ComponentType.ActionRow || !Array.isArray(row['components'])) {
      return problem(at, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    }
    const children = row['components'];
    if (children.length === 0 || children.length > LIMITS.buttonsPerRow) {
      problem(`${at}.components`, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${LIMITS.buttonsPerRow} in length.`);
    }
    children.forEach((child, index) => {
      const path = `${at}.components.${index}`;
      if (!isJsonObject(child)) return problem(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      const customId = child['custom_id'];
      if (typeof customId === 'string') {
        if (customId.length === 0 || customId.length > LIMITS.customId) {
          problem(`${path}.custom_id`, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${LIMITS.customId} in length.`);
        }
        if (customIds.has(customId)) {
          problem(`${path}.custom_id`, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        }
        customIds.add(customId);
      }
      if (child['type'] !== ComponentType.Button) return;
      if (typeof child['label'] === 'string' && [...child['label']].length > LIMITS.label) {
        problem(`${path}.label`, 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.label} or fewer in length.`);
      }
      const style = child['style'];
      if (style === ButtonStyle.Link) {
        if (typeof child['url'] !== 'string') problem(`${path}.url`, 'BASE_TYPE_REQUIRED', 'This field is required');
        else checkUrl(child['url'], `${path}.url`, false, problem);
        if (customId !== undefined) {
          problem(`${path}.custom_id`, 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A link button cannot have a custom id');
        }
      } else if (style !== ButtonStyle.Premium) {
        if (typeof customId !== 'string') problem(`${path}.custom_id`, 'BASE_TYPE_REQUIRED', 'This field is required');
        if (child['url'] !== undefined) problem(`${path}.url`, 'BUTTON_COMPONENT_URL_NOT_ALLOWED', 'Only link buttons have a url');
      }
    });
  });
}

import type { Deps } from '../deps.js';
import type { PresentedMessage } from '../conversations/presenter.js';
import type { NewMessage } from '../conversations/repo.js';
import type { ChoiceItem } from '../conversations/schemas.js';
import { addMessage, setStatus } from '../conversations/service.js';
import type { KbItemRow } from '../kb/repo.js';
import { findPolicy } from '../sla/repo.js';
import { addBusinessMinutes } from '../sla/business-hours.js';
import type { IntentLanguage } from './intents.js';
import type { AgentContext } from './context.js';
import { botLanguage, handoffMessage, textsFor, type HandoffReason } from './texts.js';

/** The AI agent as the sender of its messages. */
export type BotRef = { id: number; bot_name: string };

/** Where the bot speaks: the conversation, and the language it speaks there. */
export type Stage = { accountId: number; conversationId: number; bot: BotRef; lang: IntentLanguage; contactEmail: string | null };

/** Where the bot speaks and in which language: the widget's, else the website's, else English. */
export function stageOf(context: AgentContext, bot: BotRef): Stage {
  const { conversation } = context;
  return {
    accountId: conversation.account_id,
    conversationId: conversation.id,
    bot,
    lang: botLanguage(conversation.locale, conversation.site_locale),
    contactEmail: conversation.contact_email,
  };
}

/** The value a choice carries for a KB item (contract: `kb_item:<id>`), and back. */
export const choiceValue = (itemId: number) => `kb_item:${itemId}`;
export const HANDOFF_VALUE = 'handoff';
export function itemIdOfChoice(value: string): number | null {
  const match = /^kb_item:(\d+)$/.exec(value);
  return match ? Number(match[1]) : null;
}

export function say(deps: Deps, stage: Stage, content: string, extra: Pick<NewMessage, 'content_type' | 'content_attributes'> = {}) {
  return addMessage(deps, stage.accountId, stage.conversationId, {
    content,
    message_type: 'outgoing',
    sender: { type: 'bot', id: stage.bot.id, name: stage.bot.bot_name },
    ...extra,
  });
}

/** Answer: the reply text (the item's answer, or the LLM's phrasing of it), marked with its item. */
export function answer(deps: Deps, stage: Stage, itemId: number, content: string): Promise<PresentedMessage> {
  return say(deps, stage, content, { content_attributes: { kind: 'answer', kb_item_id: itemId } });
}

/** Choices: the items as buttons (`input_select`), and always a last "talk to a person". */
export function offerChoices(deps: Deps, stage: Stage, items: Pick<KbItemRow, 'id' | 'title'>[]): Promise<PresentedMessage> {
  const t = textsFor(stage.lang);
  const choices: ChoiceItem[] = [
    ...items.map((item) => ({ title: item.title, value: choiceValue(item.id) })),
    { title: t.talkToPerson, value: HANDOFF_VALUE },
  ];
  return say(deps, stage, t.choicesPrompt, { content_type: 'input_select', content_attributes: { kind: 'choices', items: choices } });
}

/**
 * Hand-off: the conversation goes to the humans (status `pending`, the bot stops), then the bot says so. Outside
 * the business hours of the account's SLA policy it says when people are back, and asks for an e-mail address
 * when the contact left none.
 */
export async function handOff(deps: Deps, stage: Stage, reason: HandoffReason): Promise<PresentedMessage> {
  const { business_hours: hours } = await findPolicy(deps.db, stage.accountId);
  const now = deps.now();
  const opensAt = hours ? addBusinessMinutes(now, 0, hours) : now;
  const away = hours && opensAt > now ? { opensAt, now, timezone: hours.timezone, askEmail: !stage.contactEmail } : null;
  // Pending first (it turns bot_active off): once the contact reads the hand-off, a human has the conversation.
  await setStatus(deps, stage.accountId, stage.conversationId, 'pending', { type: 'bot', id: stage.bot.id, name: stage.bot.bot_name });
  return say(deps, stage, handoffMessage(stage.lang, reason, away));
}

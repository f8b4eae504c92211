import type { IntentLanguage } from './intents.js';

/**
 * What the AI agent says besides KB answers, in the widget's languages (en, es, pt) and fr, de. A hand-off is
 * a lead (why) and then either "they will reply here" or, outside business hours, when people are back, and
 * a request for an e-mail address where the contact left none.
 */
type BotTexts = {
  choicesPrompt: string;
  talkToPerson: string;
  greetingReply: string;
  thanksReply: string;
  handoff: Record<HandoffReason, string>;
  replyHere: string;
  /** `{when}`: the next opening, from `opensToday` / `opensTomorrow` / `opensOn`. */
  awayUntil: string;
  opensToday: string;
  opensTomorrow: string;
  opensOn: string;
  askEmail: string;
};

/** Why the bot hands over: nothing in the KB matched, the visitor asked for a person (by words or the choice), or an answer did not help. */
export type HandoffReason = 'no_match' | 'requested' | 'not_helpful';

const en: BotTexts = {
  choicesPrompt: 'Is your question about one of these?',
  talkToPerson: 'Talk to a person',
  greetingReply: 'Hello! How can I help you today?',
  thanksReply: "You're welcome! Is there anything else I can help you with?",
  handoff: {
    no_match: "I couldn't find an answer to that in our help articles, so I'm passing you to a member of our team.",
    requested: "Of course, I'm passing you to a member of our team.",
    not_helpful: "Sorry that didn't help. I'm passing you to a member of our team.",
  },
  replyHere: 'They will reply here as soon as they can.',
  awayUntil: 'Our team is away right now and will be back {when}.',
  opensToday: 'today at {time}',
  opensTomorrow: 'tomorrow at {time}',
  opensOn: 'on {day} at {time}',
  askEmail: 'Please leave your e-mail address here so they can get back to you.',
};

const es: BotTexts = {
  choicesPrompt: '¿Tu pregunta es sobre alguno de estos temas?',
  talkToPerson: 'Hablar con una persona',
  greetingReply: '¡Hola! ¿En qué puedo ayudarte hoy?',
  thanksReply: '¡De nada! ¿Hay algo más en lo que pueda ayudarte?',
  handoff: {
    no_match: 'No encontré una respuesta a eso en nuestros artículos de ayuda, así que te paso con una persona de nuestro equipo.',
    requested: 'Por supuesto, te paso con una persona de nuestro equipo.',
    not_helpful: 'Siento que no te haya servido. Te paso con una persona de nuestro equipo.',
  },
  replyHere: 'Te responderán aquí lo antes posible.',
  awayUntil: 'Nuestro equipo no está disponible ahora y volverá {when}.',
  opensToday: 'hoy a las {time}',
  opensTomorrow: 'mañana a las {time}',
  opensOn: 'el {day} a las {time}',
  askEmail: 'Déjanos aquí tu correo electrónico para que puedan responderte.',
};

const pt: BotTexts = {
  choicesPrompt: 'Sua pergunta é sobre um destes assuntos?',
  talkToPerson: 'Falar com uma pessoa',
  greetingReply: 'Olá! Como posso ajudar você hoje?',
  thanksReply: 'De nada! Posso ajudar em mais alguma coisa?',
  handoff: {
    no_match: 'Não encontrei uma resposta para isso nos nossos artigos de ajuda, então vou passar você para uma pessoa da nossa equipe.',
    requested: 'Claro, vou passar você para uma pessoa da nossa equipe.',
    not_helpful: 'Que pena que não ajudou. Vou passar você para uma pessoa da nossa equipe.',
  },
  replyHere: 'Eles vão responder aqui assim que puderem.',
  awayUntil: 'Nossa equipe não está disponível agora e volta {when}.',
  opensToday: 'hoje às {time}',
  opensTomorrow: 'amanhã às {time}',
  opensOn: '{day} às {time}',
  askEmail: 'Deixe seu e-mail aqui para que possam responder você.',
};

const fr: BotTexts = {
  choicesPrompt: 'Votre question porte-t-elle sur l’un de ces sujets ?',
  talkToPerson: 'Parler à une personne',
  greetingReply: 'Bonjour ! Comment puis-je vous aider aujourd’hui ?',
  thanksReply: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
  handoff: {
    no_match: 'Je n’ai pas trouvé de réponse dans nos articles d’aide, je vous passe donc un membre de notre équipe.',
    requested: 'Bien sûr, je vous passe un membre de notre équipe.',
    not_helpful: 'Désolé que cela ne vous ait pas aidé. Je vous passe un membre de notre équipe.',
  },
  replyHere: 'Il vous répondra ici dès que possible.',
  awayUntil: 'Notre équipe est absente pour le moment et sera de retour {when}.',
  opensToday: 'aujourd’hui à {time}',
  opensTomorrow: 'demain à {time}',
  opensOn: '{day} à {time}',
  askEmail: 'Laissez-nous votre adresse e-mail ici pour qu’elle puisse vous répondre.',
};

const de: BotTexts = {
  choicesPrompt: 'Geht es bei Ihrer Frage um eines dieser Themen?',
  talkToPerson: 'Mit einem Menschen sprechen',
  greetingReply: 'Hallo! Wie kann ich Ihnen heute helfen?',
  thanksReply: 'Gern geschehen! Kann ich Ihnen sonst noch helfen?',
  handoff: {
    no_match: 'Dazu habe ich in unseren Hilfeartikeln keine Antwort gefunden, deshalb verbinde ich Sie mit jemandem aus unserem Team.',
    requested: 'Natürlich, ich verbinde Sie mit jemandem aus unserem Team.',
    not_helpful: 'Schade, dass das nicht geholfen hat. Ich verbinde Sie mit jemandem aus unserem Team.',
  },
  replyHere: 'Sie bekommen hier so bald wie möglich eine Antwort.',
  awayUntil: 'Unser Team ist gerade nicht da und ist {when} wieder erreichbar.',
  opensToday: 'heute um {time} Uhr',
  opensTomorrow: 'morgen um {time} Uhr',
  opensOn: 'am {day} um {time} Uhr',
  askEmail: 'Hinterlassen Sie hier Ihre E-Mail-Adresse, damit wir Ihnen antworten können.',
};

const CATALOG: Record<IntentLanguage, BotTexts> = { en, es, pt, fr, de };
export const BOT_LANGUAGES = Object.keys(CATALOG) as IntentLanguage[];

/** The first of the candidates (BCP 47 tags, e.g. `pt-BR`) the bot speaks; English otherwise. */
export function botLanguage(...candidates: (string | null | undefined)[]): IntentLanguage {
  for (const candidate of candidates) {
    const lang = candidate?.toLowerCase().split(/[-_]/)[0];
    if (lang && lang in CATALOG) return lang as IntentLanguage;
  }
  return 'en';
}

export const textsFor = (lang: IntentLanguage): BotTexts => CATALOG[lang];

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/** "tomorrow at 09:00 (Europe/Berlin)": the next opening in the business's time zone, in the visitor's language. */
export function describeOpening(lang: IntentLanguage, opensAt: Date, now: Date, timezone: string): string {
  const t = CATALOG[lang];
  const dayOf = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, dateStyle: 'short' }).format(date);
  const time = new Intl.DateTimeFormat(lang, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(opensAt);
  const day = new Intl.DateTimeFormat(lang, { timeZone: timezone, weekday: 'long' }).format(opensAt);
  const template =
    dayOf(opensAt) === dayOf(now)
      ? t.opensToday
      : dayOf(opensAt) === dayOf(new Date(now.getTime() + 86_400_000))
        ? t.opensTomorrow
        : t.opensOn;
  return `${fill(template, { day, time })} (${timezone})`;
}

/** The hand-off message: why, then when people answer (and how to reach the contact when they are away). */
export function handoffMessage(
  lang: IntentLanguage,
  reason: HandoffReason,
  away: { opensAt: Date; now: Date; timezone: string; askEmail: boolean } | null,
): string {
  const t = CATALOG[lang];
  if (!away) return `${t.handoff[reason]} ${t.replyHere}`;
  const when = describeOpening(lang, away.opensAt, away.now, away.timezone);
  return [t.handoff[reason], fill(t.awayUntil, { when }), ...(away.askEmail ? [t.askEmail] : [])].join(' ');
}

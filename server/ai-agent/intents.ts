/**
 * What a contact message is before it is searched (contract, "How the AI agent replies"; issue 12): a request
 * for a person (handed off at once), a greeting or a thanks/goodbye (answered politely, never searched), or a
 * question. Rule-based over small lexicons in the widget's languages (en, es, pt) and fr, de: a message is a
 * greeting or a thanks only when nothing else is in it ("hi, how long does shipping take?" is a question), and
 * asks for a person only when a contact verb ("talk", "hablar", "parler"…) or a bare request meets a person noun
 * ("human", "atendente", "Mitarbeiter"…) in a short message, so "can a person pick up my order?" stays a question.
 * Written against the `dev` half of test/fixtures/intents-eval.json; figures on both halves in intents.test.ts.
 */
export type Intent = 'handoff' | 'greeting' | 'thanks' | 'question';
export type IntentLanguage = 'en' | 'es' | 'pt' | 'fr' | 'de';

export type DetectedIntent = {
  intent: Intent;
  /** The language the message's intent words are in, when they tell (null for a plain question). */
  lang: IntentLanguage | null;
  /** What to search: the message without a leading greeting or thanks ("hi, where is…" → "where is…"). */
  question: string;
};

type Lexicon = Map<string, IntentLanguage[]>;

/** Phrases by language, `|`-separated, each of space-separated normalised words (see `normalise`). */
function lexicon(byLanguage: Partial<Record<IntentLanguage, string>>): Lexicon {
  const map: Lexicon = new Map();
  for (const [lang, phrases] of Object.entries(byLanguage) as [IntentLanguage, string][])
    for (const phrase of phrases.split('|')) map.set(phrase, [...(map.get(phrase) ?? []), lang]);
  return map;
}

const words = (list: string) => new Set(list.split('|'));

const GREETINGS = lexicon({
  en: 'hi|hello|hey|heya|hiya|howdy|yo|sup|whats up|greetings|good morning|good afternoon|good evening|good day|morning|evening|gday|how are you|how are you doing|how r u|hows it going',
  es: 'hola|holi|buenas|buenos dias|buen dia|buenas tardes|buenas noches|que tal|que onda|saludos|como estas|como esta|como andas|alo',
  pt: 'oi|oie|ola|bom dia|boa tarde|boa noite|e ai|eai|tudo bem|tudo bom|opa|salve|como vai|como vai voce',
  fr: 'bonjour|bonsoir|salut|coucou|bjr|slt|cc|rebonjour|ca va|comment ca va|comment allez vous|allo',
  de: 'hallo|hallochen|guten tag|guten morgen|guten abend|tag|tach|moin|moin moin|servus|gruss gott|gruss dich|gruezi|hallo zusammen|hallo allerseits|wie gehts|wie geht es ihnen|wie geht es dir',
});

const THANKS = lexicon({
  en: 'thanks|thank you|thank u|thanx|thx|tnx|tks|ty|tysm|cheers|much appreciated|appreciated|appreciate it|bye|goodbye|good bye|bye bye|see you|see ya|cya|later|take care|have a nice day|have a good day|have a great day|have a good one|good night|thats all|thats it|nothing else|all good|that helps|that helped|you rock|youre the best',
  es: 'gracias|grax|mil gracias|muchisimas gracias|se agradece|te agradezco|le agradezco|adios|chao|chau|hasta luego|hasta pronto|hasta manana|nos vemos|que tengas buen dia|eso es todo|nada mas|listo',
  pt: 'obrigado|obrigada|brigado|brigada|obg|valeu|vlw|agradeco|agradecido|agradecida|tchau|ate mais|ate logo|ate breve|ate amanha|falou|flw|era so isso|so isso|tenha um bom dia',
  fr: 'merci|mci|mrc|mille mercis|je vous remercie|au revoir|a plus|a bientot|a demain|bonne journee|bonne soiree|bonne nuit|a la prochaine|cest tout|ciao',
  de: 'danke|dankeschon|vielen dank|besten dank|herzlichen dank|tausend dank|tschuss|tschus|ciao|auf wiedersehen|bis dann|bis bald|bis spater|schonen tag noch|schonen tag|schones wochenende|gute nacht|das wars|das war es|passt',
});

/** Words that may sit around a greeting or a thanks without making it a question. */
const COURTESY_FILLERS = words(
  'but|there|all|everyone|everybody|team|guys|folks|friend|so|much|very|really|a|lot|you|again|ok|okay|alright|great|perfect|awesome|cool|nice|brilliant|lovely|got|it|and|for|the|help|your|many|info|information|quick|reply|answer|kind|oh|ah|well|just|wanted|to|say|bot|nova' +
    '|pero|mas|muchas|muchisimas|muy|amable|todo|todos|perfecto|vale|genial|por|tu|su|la|ayuda|informacion|respuesta|bueno|y|ya|ok|oki' +
    '|mas|muito|muita|pela|pelo|ajuda|informacao|resposta|beleza|blz|perfeito|otimo|entao|pessoal|gente|tudo|ok|certo' +
    '|mais|beaucoup|bien|pour|votre|ton|aide|laide|reponse|parfait|super|tres|daccord|tout|le|monde|et|ok' +
    '|aber|schon|sehr|perfekt|fur|die|ihre|deine|hilfe|info|antwort|schnelle|alles|klar|noch|und|ihnen|dir|ok|super',
);

/** Words that go with a greeting or thanks ("hi there", "thanks again, but…"): left out with it from the search. */
const COMPANIONS = words(
  'there|all|everyone|everybody|team|guys|folks|friend|again|so|much|a|lot|very|but|and|todos|pero|y|muchas|muito|pessoal|gente|mas|e|tout|le|monde|beaucoup|mais|et|zusammen|allerseits|vielen|aber|und',
);

/** Words of a bare acknowledgement ("ok", "great"): with nothing else, they close a topic like a thanks. */
const ACKNOWLEDGEMENTS = words(
  'ok|okay|alright|great|perfect|awesome|cool|brilliant|lovely|perfecto|vale|genial|listo|perfeito|beleza|blz|certo|parfait|super|daccord|perfekt|passt',
);

/** Who a visitor asks for. */
const PERSON_NOUNS = lexicon({
  en: 'human|humans|human being|person|real person|agent|human agent|live agent|live person|someone|somebody|anyone|anybody|operator|representative|rep|employee|advisor|adviser|consultant|manager|supervisor|customer service|customer support|customer care|support team|support agent|your team|the team|live chat|live support',
  es: 'humano|humana|persona|agente|alguien|operador|operadora|asesor|asesora|representante|ejecutivo|ejecutiva|empleado|encargado|encargada|gerente|supervisor|atencion al cliente|servicio al cliente',
  pt: 'humano|humana|pessoa|atendente|atendimento|operador|operadora|representante|alguem|consultor|consultora|funcionario|gerente|supervisor|especialista|analista',
  fr: 'humain|humaine|personne|agent|conseiller|conseillere|operateur|operatrice|quelquun|responsable|interlocuteur|service client|service clientele|representant',
  de: 'mensch|menschen|person|mitarbeiter|mitarbeiterin|berater|beraterin|agent|jemand|jemandem|jemanden|kundenservice|kundendienst|ansprechpartner|operator|sachbearbeiter|vorgesetzten',
});

/** Who or what a visitor may ask to be put through to, but not "need" or "want" ("I need support with…" is a question). */
const SERVICE_NOUNS = lexicon({
  en: 'support|help desk|helpdesk|service',
  es: 'soporte|equipo',
  pt: 'suporte|equipe',
  fr: 'support|assistance|equipe',
  de: 'support|team|service',
});

/** Verbs of reaching someone: joined to a person noun by fillers only, a request for a person. */
const CONTACT_VERBS = lexicon({
  en: 'talk|speak|chat|connect|transfer|escalate|reach|contact|put me through|pass me|get me',
  es: 'hablar|hablo|hablarle|platicar|comunicar|comunicarme|comunicame|comuniquen|contactar|contactarme|conectar|conectarme|pasame|pasenme|pasar|transferir|transfiere|transfiereme|atiende|atienda|chatear|conversar',
  pt: 'falar|fala|conversar|passa|passar|transferir|transfere|chamar|chama|atende|atenda|atender|contatar|contato',
  fr: 'parler|discuter|echanger|relation|passez|passer|joindre|contacter|transferer',
  de: 'sprechen|reden|schreiben|verbinden|verbinde|chatten|weiterleiten|durchstellen|kontakt',
});

/** A bare request ("I want…", "is there…"): a request for a person only right before one (articles aside). */
const REQUEST_WORDS = lexicon({
  en: 'want|need|is there|are there|is anyone|is anybody|is someone|any',
  es: 'quiero|necesito|hay',
  pt: 'quero|preciso|tem|tem algum|tem alguem',
  fr: 'veux|voudrais|souhaite|y a t il|il y a',
  de: 'mochte|moechte|will|brauche|gibt es|ist da',
});

/** Articles, pronouns and adjectives that may stand between the words of a request. */
const REQUEST_FILLERS = words(
  'a|an|the|to|with|real|actual|live|i|me|can|could|may|please|from|of|your|one|some|just|now|is|are|there|here|speak|talk|directly|who|works|for|you' +
    '|un|una|uno|con|real|de|del|me|por|favor|sil|vous|plait|te|verdadera|verdadero|verdad|el|la|al|algun|ahi|alli|aqui|puedo|pueden|puede|les|lo' +
    '|um|uma|com|de|do|da|me|algum|alguma|ai|aqui|verdadeira|verdadeiro|verdade|o|a|posso|eu|pode|podem|para|pra|voces' +
    '|une|avec|vraie|vrai|le|la|les|moi|je|en|au|du|des|peux|puis|est|ce|que|etre|mis|mettre|mettez|svp|la|ici|reel|reelle' +
    '|einen|einem|einer|eine|ein|mit|echten|echte|echter|echtem|dem|den|der|vom|support|ich|mich|sie|kann|konnte|bitte|zu|da|hier|mal',
);

/** Politeness and urgency that change nothing about what is asked. */
const POLITENESS = lexicon({
  en: 'please|pls|plz|plis|now|asap|thanks|urgent|urgently',
  es: 'porfa|porfavor|pf|xfa|ahora|urgente|ya',
  pt: 'pfv|pfvr|pf|agora|urgente|ja',
  fr: 'svp|stp|maintenant|urgent|vite',
  de: 'bitte|jetzt|sofort|dringend|schnell',
});

/** A machine the visitor does not want ("no bot", "not a robot", "kein Bot"). */
const MACHINES = words('bot|robot|robo|chatbot|maquina|machine|roboter');
const NEGATIONS = words('no|not|dont|nao|pas|kein|keinen|keine|nicht|nunca|never|ne|sans|without|sin|sem|ohne|stop');

/** German compounds naming a person ("Servicemitarbeiter", "Kundenberater", "Supportmitarbeiterin"). */
const PERSON_SUFFIXES = ['mitarbeiter', 'mitarbeiterin', 'berater', 'beraterin', 'betreuer', 'betreuerin'];

/** Lower case, no accents, apostrophes dropped ("quelqu'un" → "quelquun"), ß → ss. */
const normalise = (word: string) => word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/['’`]/g, '');

/** Variants that forgive stretched words: "holaa" → "hola", "thanksss" → "thanks", "heyyy" → "hey". */
function variants(word: string): string[] {
  const squeezed = word.replace(/(.)\1{2,}/g, '$1$1');
  return [...new Set([word, squeezed, squeezed.replace(/(.)\1+$/, '$1')])];
}

/** French clitics written with a hyphen ("passez-moi", "est-ce") are words of their own; "human-readable" stays one. */
const CLITICS = new Set(['moi', 'me', 'nous', 'vous', 'ce', 'il', 'elle', 'on', 'toi', 'tu', 'le', 'la', 'les', 't']);

type Token = { word: string; start: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:['’`-][\p{L}\p{N}]+)*/gu)) {
    const parts = match[0].split('-');
    if (parts.length > 1 && parts.slice(1).every((p) => CLITICS.has(normalise(p)))) {
      let offset = 0;
      for (const part of parts) {
        tokens.push({ word: normalise(part), start: match.index + offset });
        offset += part.length + 1;
      }
    } else tokens.push({ word: normalise(match[0]), start: match.index });
  }
  return tokens;
}

/** The phrase of `lexicon` that starts at token `i` (longest first), with its length in tokens. */
function phraseAt(tokens: Token[], i: number, lex: Lexicon): { length: number; langs: IntentLanguage[] } | null {
  for (let length = Math.min(5, tokens.length - i); length >= 1; length--) {
    const words = tokens.slice(i, i + length).map((t) => t.word);
    for (const last of variants(words.at(-1)!)) {
      const langs = lex.get([...words.slice(0, -1), last].join(' '));
      if (langs) return { length, langs };
    }
  }
  return null;
}

/** Damerau–Levenshtein distance ≤ 1 (one typo: a letter missing, extra, wrong or two swapped). */
function oneTypoApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Real words one typo away from a person noun, which must not count as one ("personal" is not "persona"). */
const NEAR_MISSES = new Set(['personal', 'personas', 'personne', 'persons', 'humor', 'humour', 'agents', 'agenda', 'agentes']);

/** A person noun at token `i`: exact, or (for words of 5+ letters) one typo away ("persn", "atendenti", "conseiler"). */
function personAt(tokens: Token[], i: number): { length: number; langs: IntentLanguage[] } | null {
  const exact = phraseAt(tokens, i, PERSON_NOUNS);
  if (exact) return exact;
  const word = tokens[i]!.word;
  const compound = PERSON_SUFFIXES.find((suffix) => word.length > suffix.length + 2 && word.endsWith(suffix));
  if (compound) return { length: 1, langs: ['de'] };
  if (word.length < 5 || NEAR_MISSES.has(word)) return null;
  for (const [noun, langs] of PERSON_NOUNS)
    if (!noun.includes(' ') && noun.length >= 5 && oneTypoApart(word, noun)) return { length: 1, langs };
  return null;
}

/** The most frequent language among the matched words; ties go to `fallback`, then to the first listed. */
function pickLanguage(votes: IntentLanguage[][], fallback: IntentLanguage | null): IntentLanguage | null {
  const counts = new Map<IntentLanguage, number>();
  for (const langs of votes) for (const lang of langs) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  const best = Math.max(0, ...counts.values());
  if (!best) return null;
  const tied = [...counts].filter(([, n]) => n === best).map(([lang]) => lang);
  return fallback && tied.includes(fallback) ? fallback : tied[0]!;
}

/** Longest run of courtesy (greetings, thanks, fillers) from the start: its end, where its last greeting or thanks ends, kinds and languages. */
function courtesyPrefix(tokens: Token[]) {
  let i = 0;
  let greeting = false;
  let thanks = false;
  let acknowledged = false;
  /** Where the last greeting or thanks ends: what a question after it is searched from. */
  let courtesyEnd = 0;
  const votes: IntentLanguage[][] = [];
  while (i < tokens.length) {
    const hello = phraseAt(tokens, i, GREETINGS);
    const bye = phraseAt(tokens, i, THANKS);
    const match = (bye?.length ?? 0) >= (hello?.length ?? 0) ? bye : hello;
    if (match) {
      if (match === bye) thanks = true;
      else greeting = true;
      votes.push(match.langs);
      i += match.length;
      courtesyEnd = i;
    } else if (COURTESY_FILLERS.has(tokens[i]!.word) || POLITENESS.has(tokens[i]!.word)) {
      const polite = POLITENESS.get(tokens[i]!.word);
      if (polite) votes.push(polite);
      if (ACKNOWLEDGEMENTS.has(tokens[i]!.word)) acknowledged = true;
      if (courtesyEnd === i && COMPANIONS.has(tokens[i]!.word)) courtesyEnd = i + 1;
      i += 1;
    } else break;
  }
  return { end: i, courtesyEnd, greeting, thanks, acknowledged, votes };
}

/** Longer messages are questions even when they name a person ("I talked to an agent yesterday and…"). */
const MAX_HANDOFF_WORDS = 14;
/** How many filler words may stand between a contact verb or a request and the person it reaches. */
const MAX_GAP = 4;

type Span = { start: number; end: number; langs: IntentLanguage[] };

/** The spans of `tokens` some matcher recognises, left to right, without overlaps. */
function spans(tokens: Token[], at: (tokens: Token[], i: number) => { length: number; langs: IntentLanguage[] } | null): Span[] {
  const found: Span[] = [];
  for (let i = 0; i < tokens.length;) {
    const match = at(tokens, i);
    if (match) {
      found.push({ start: i, end: i + match.length, langs: match.langs });
      i += match.length;
    } else i += 1;
  }
  return found;
}

/** Only articles, pronouns and the like between two spans (either order), and not too many. */
function joined(tokens: Token[], a: Span, b: Span): boolean {
  const [first, second] = a.start < b.start ? [a, b] : [b, a];
  if (second.start < first.end || second.start - first.end > MAX_GAP) return false;
  return tokens.slice(first.end, second.start).every((t) => REQUEST_FILLERS.has(t.word));
}

/**
 * A request for a person: a person noun alone (with fillers: "agent", "human pls", "un conseiller svp"), or joined
 * by fillers only to a contact verb ("talk to a human", "mit einer echten Person reden") or, after it, to a bare
 * request ("I want a human", "tem algum humano aí?"). Null when the message is not one; else the languages seen.
 */
function handoffRequest(tokens: Token[]): IntentLanguage[][] | null {
  const content = tokens.filter((t) => !POLITENESS.has(t.word));
  if (!content.length || tokens.length > MAX_HANDOFF_WORDS) return null;
  const polite = tokens.flatMap((t) => POLITENESS.get(t.word) ?? []);
  const votes = (found: Span[]) => found.map((span) => span.langs).concat(polite.length ? [polite] : []);
  // "no bot", "not a robot please", "kein Bot": a person is what is asked for.
  const machine = content.findIndex((t) => MACHINES.has(t.word));
  if (machine > 0 && content.length <= 6 && content.slice(Math.max(0, machine - 3), machine).some((t) => NEGATIONS.has(t.word)))
    return votes([]).concat([[]]);

  const persons = spans(content, personAt);
  const covered = new Set(persons.flatMap((p) => Array.from({ length: p.end - p.start }, (_, k) => p.start + k)));
  const free = (at: (ts: Token[], i: number) => { length: number; langs: IntentLanguage[] } | null) =>
    spans(content, (ts, i) => (covered.has(i) ? null : at(ts, i)));
  const verbs = free((ts, i) => phraseAt(ts, i, CONTACT_VERBS));
  const services = free((ts, i) => phraseAt(ts, i, SERVICE_NOUNS));
  const asks = free((ts, i) => phraseAt(ts, i, REQUEST_WORDS));
  const alone = persons.length > 0 && content.length <= 4 && content.every((t, i) => covered.has(i) || REQUEST_FILLERS.has(t.word));
  if (alone) return votes(persons);
  for (const verb of verbs) {
    const reached = [...persons, ...services].find((noun) => joined(content, verb, noun));
    if (reached) return votes([verb, reached]);
  }
  for (const ask of asks) {
    const reached = persons.find((person) => person.start >= ask.end && joined(content, ask, person));
    if (reached) return votes([ask, reached]);
  }
  return null;
}

/**
 * The intent of a contact message. `fallback` (the widget's language) settles which language a reply is in
 * when the message's words are common to several ("operador": es or pt).
 */
export function detectIntent(text: string, fallback: IntentLanguage | null = null): DetectedIntent {
  const tokens = tokenize(text);
  const handoff = handoffRequest(tokens);
  if (handoff) return { intent: 'handoff', lang: pickLanguage(handoff, fallback), question: text.trim() };

  // A thumbs up or a smile with no words closes the topic like a thanks.
  if (!tokens.length && /[\u{1F44D}\u{1F64F}\u{1F60A}\u{1F642}\u{2764}\u{1F44C}]/u.test(text))
    return { intent: 'thanks', lang: null, question: text.trim() };
  const prefix = courtesyPrefix(tokens);
  const lang = pickLanguage(prefix.votes, fallback);
  if (tokens.length > 0 && prefix.end === tokens.length) {
    if (prefix.thanks || (prefix.acknowledged && !prefix.greeting)) return { intent: 'thanks', lang, question: text.trim() };
    if (prefix.greeting) return { intent: 'greeting', lang, question: text.trim() };
  }
  // A greeting or thanks before a question is left out of the search ("hi, how long does shipping take?").
  const rest =
    prefix.courtesyEnd > 0 && prefix.courtesyEnd < tokens.length ? text.slice(tokens[prefix.courtesyEnd]!.start).trim() : text.trim();
  return { intent: 'question', lang: null, question: rest || text.trim() };
}

import type { Config } from '../config.js';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type LlmSettings = { baseUrl: string; model: string; apiKey: string | undefined; timeoutMs: number };

/** The configured OpenAI-compatible endpoint (Ollama, llama.cpp server, LM Studio, vLLM…), or null. */
export function llmSettings(config: Config): LlmSettings | null {
  if (!config.llmBaseUrl) return null;
  return {
    baseUrl: config.llmBaseUrl.replace(/\/+$/, ''),
    model: config.llmModel,
    apiKey: config.llmApiKey,
    timeoutMs: config.llmTimeoutMs,
  };
}

/**
 * One `POST {base}/chat/completions` call; resolves to the reply text. Rejects on timeout, a non-2xx
 * answer or an empty reply, so callers fall back to the extractive answer.
 */
export async function chatCompletion(llm: LlmSettings, messages: ChatMessage[], options: { temperature?: number } = {}): Promise<string> {
  const res = await fetch(`${llm.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}),
    },
    body: JSON.stringify({ model: llm.model, messages, temperature: options.temperature ?? 0.2, stream: false }),
    signal: AbortSignal.timeout(llm.timeoutMs),
  });
  if (!res.ok) throw new Error(`LLM endpoint answered ${res.status}`);
  const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim()) throw new Error('LLM endpoint returned no message content');
  return content.trim();
}

import type { Deps } from '../deps.js';
import type { ServerModule } from '../modules.js';
import { AiAgent } from './agent.js';

/** The AI agent has no routes of its own: it works from the event bus. */
export function aiAgentModule(): ServerModule {
  let agent: AiAgent | null = null;
  return {
    name: 'ai-agent',
    routes: [],
    start(deps: Deps) {
      agent = new AiAgent(deps);
      agent.start();
    },
    async stop() {
      await agent?.stop();
    },
  };
}

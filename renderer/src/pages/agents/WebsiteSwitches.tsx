import { Stack, Switch, Text } from '@mantine/core';
import type { AiAgent, Domain } from '../../api/types.js';
import { setWebsiteAgent } from '../../api/websites.js';
import { attempt } from '../../components/notify.js';

/** One switch per website: on = this agent answers that website's widget (one agent per website). */
export function WebsiteSwitches({ agent, domains, onChanged }: { agent: AiAgent; domains: Domain[]; onChanged: () => void }) {
  if (domains.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Bind a website first to put this agent on it.
      </Text>
    );
  return (
    <Stack gap={6}>
      {domains.map((d) => {
        const active = d.ai_config.ai_bot_config_id === agent.id && d.ai_config.is_active;
        const other = d.ai_config.is_active && d.ai_config.ai_bot_config_id !== null && !active;
        return (
          <Switch
            key={d.id}
            label={d.label || d.website_url}
            description={other ? 'Another agent answers here now; switching on replaces it' : undefined}
            checked={active}
            aria-label={`${agent.bot_name} answers ${d.website_url}`}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              void attempt(
                () => setWebsiteAgent(d.id, on ? agent.id : null, on),
                on ? `${agent.bot_name} now answers ${d.website_url}` : `${agent.bot_name} no longer answers ${d.website_url}`,
              ).then(onChanged);
            }}
          />
        );
      })}
    </Stack>
  );
}

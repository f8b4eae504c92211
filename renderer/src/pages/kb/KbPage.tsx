import { Tabs } from '@mantine/core';
import { IconBulb, IconFileImport, IconList, IconSearch, IconSparkles } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader.js';
import { DraftsPanel } from './DraftsPanel.js';
import { ImportPanel } from './ImportPanel.js';
import { ItemsPanel } from './ItemsPanel.js';
import { LearnedQuestionsPanel } from './LearnedQuestionsPanel.js';
import { SearchPanel } from './SearchPanel.js';

/** `?tab=learned` opens a tab; `?new=<question>` opens a new item titled with it (the AI report's "write an article"). */
export default function KbPage() {
  const [params, setParams] = useSearchParams();
  const [tab, setTab] = useState<string | null>(params.get('tab') ?? 'items');
  const draftTitle = params.get('new') ?? undefined;
  // Bumped after an import so the item list reloads when shown again.
  const [version, setVersion] = useState(0);
  return (
    <>
      <PageHeader title="Knowledge base" description="The answers your AI agent gives come from here. Keep them short and specific." />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="items" leftSection={<IconList size={16} />}>
            Items
          </Tabs.Tab>
          <Tabs.Tab value="search" leftSection={<IconSearch size={16} />}>
            Test search
          </Tabs.Tab>
          <Tabs.Tab value="import" leftSection={<IconFileImport size={16} />}>
            Import
          </Tabs.Tab>
          <Tabs.Tab value="drafts" leftSection={<IconSparkles size={16} />}>
            Drafts
          </Tabs.Tab>
          <Tabs.Tab value="learned" leftSection={<IconBulb size={16} />}>
            Learned questions
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="items">
          <ItemsPanel key={version} draftTitle={draftTitle} onDraftClosed={() => setParams({}, { replace: true })} />
        </Tabs.Panel>
        <Tabs.Panel value="search">
          <SearchPanel />
        </Tabs.Panel>
        <Tabs.Panel value="import">
          <ImportPanel onImported={() => setVersion((v) => v + 1)} />
        </Tabs.Panel>
        <Tabs.Panel value="drafts">
          <DraftsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="learned">
          <LearnedQuestionsPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

import { Alert, Anchor, Button, FileInput, Group, List, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconFileImport, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../api/errors.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { importFile } from '../../api/kb.js';
import type { KbImport } from '../../api/types.js';

const TEMPLATE = 'question,answer,category,tags\n"How long does shipping take?","3-5 business days.","Shipping","shipping;delivery"\n';
const templateHref = `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`;

type Phase =
  { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'done'; result: KbImport } | { kind: 'failed'; error: unknown };

/** Upload a CSV or JSON Q&A file; the bar shows the bytes going out, then the server indexing them. */
export function ImportPanel({ onImported, compact = false }: { onImported?: (r: KbImport) => void; compact?: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  async function start() {
    if (!file) return;
    setPhase({ kind: 'uploading', fraction: 0 });
    try {
      const result = await importFile(file, (fraction) => setPhase({ kind: 'uploading', fraction }));
      setPhase({ kind: 'done', result });
      onImported?.(result);
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }

  const uploading = phase.kind === 'uploading';
  const sent = uploading && phase.fraction >= 1;
  return (
    <Stack maw={720}>
      {!compact && (
        <Text size="sm" c="dimmed">
          CSV with the header <code>question,answer,category,tags</code> (tags separated by <code>;</code>), or JSON: an array of{' '}
          <code>{'{title, content}'}</code> or <code>{'{question, answer}'}</code>. Up to 500 items per file; a file with a bad row imports
          nothing.{' '}
          <Anchor href={templateHref} download="nova-kb-template.csv">
            Download a CSV template
          </Anchor>
        </Text>
      )}
      <Group align="flex-end" gap="xs">
        <FileInput
          label="Q&A file"
          placeholder="Choose a .csv or .json file"
          accept=".csv,.json,text/csv,application/json"
          value={file}
          onChange={(f) => {
            setFile(f);
            setPhase({ kind: 'idle' });
          }}
          leftSection={<IconFileImport size={16} />}
          clearable
          style={{ flex: 1, minWidth: 220 }}
          data-testid="kb-import-file"
        />
        <Button onClick={start} disabled={!file} loading={uploading} leftSection={<IconUpload size={16} />} data-testid="kb-import-submit">
          Import
        </Button>
      </Group>
      {phase.kind !== 'idle' && (
        <div>
          <Progress
            data-testid="kb-import-progress"
            value={phase.kind === 'uploading' ? Math.round(phase.fraction * 100) : 100}
            color={phase.kind === 'failed' ? 'red' : phase.kind === 'done' ? 'teal' : undefined}
            striped={sent}
            animated={sent}
            size="lg"
            aria-label="Import progress"
          />
          <Text size="xs" c="dimmed" mt={4} aria-live="polite">
            {phase.kind === 'uploading'
              ? sent
                ? 'Uploaded. Indexing the items for search…'
                : `Uploading… ${Math.round(phase.fraction * 100)}%`
              : phase.kind === 'done'
                ? 'Done.'
                : 'Import failed: nothing was imported.'}
          </Text>
        </div>
      )}
      {phase.kind === 'done' && <ImportSummary result={phase.result} />}
      {phase.kind === 'failed' && <ImportErrors error={phase.error} />}
    </Stack>
  );
}

function ImportSummary({ result }: { result: KbImport }) {
  return (
    <Alert
      color="teal"
      icon={<IconCircleCheck size={18} />}
      title={`Imported ${result.imported} item${result.imported === 1 ? '' : 's'}`}
      data-testid="kb-import-result"
    >
      <List size="sm" spacing={2}>
        {result.items.slice(0, 8).map((item) => (
          <List.Item key={item.id}>{item.title}</List.Item>
        ))}
        {result.items.length > 8 && <List.Item>…and {result.items.length - 8} more</List.Item>}
      </List>
    </Alert>
  );
}

/** Per-row problems from the 422's details, as a table the user can fix their file from. */
function ImportErrors({ error }: { error: unknown }) {
  const rows = error instanceof ApiError ? error.fieldErrorList : [];
  return (
    <Stack gap="xs">
      <ErrorAlert error={error} fields={[]} title="The file was not imported" />
      {rows.length > 0 && (
        <Paper withBorder>
          <Table data-testid="kb-import-errors" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Where</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, 50).map((r, i) => (
                <Table.Tr key={i}>
                  <Table.Td ff="monospace">{describeWhere(r.field)}</Table.Td>
                  <Table.Td>{r.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}

/** "items[3].content" → "item 4 · content" (people count from 1); CSV labels ("row 5.answer") already are. */
function describeWhere(field: string): string {
  const json = /^items\[(\d+)\]\.?(.*)$/.exec(field);
  if (json) return `item ${Number(json[1]) + 1}${json[2] ? ` · ${json[2]}` : ''}`;
  const csv = /^(row \d+)\.?(.*)$/.exec(field);
  if (csv) return `${csv[1]}${csv[2] ? ` · ${csv[2]}` : ''}`;
  return field;
}

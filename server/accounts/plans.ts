import fs from 'node:fs';
import { z } from 'zod';
import defaultPlans from './plans.json' with { type: 'json' };

const planSchema = z.object({
  limits: z.object({ domains: z.number().int().min(0), agents: z.number().int().min(0), kb_items: z.number().int().min(0) }),
  agentic_rag: z.boolean(),
  trial_days: z.number().int().positive().nullable(),
});
const planTableSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), planSchema);

export type Plan = z.infer<typeof planSchema>;
export type PlanTable = Record<string, Plan>;
export type LimitName = keyof Plan['limits'];

export const DEFAULT_PLAN = 'starter';

/** The plan table is configuration: `plans.json` beside this file, or the file named by `NOVA_PLANS_FILE`. */
export function loadPlans(file?: string): PlanTable {
  const raw: unknown = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : defaultPlans;
  const table = planTableSchema.parse(raw);
  if (!table[DEFAULT_PLAN]) throw new Error(`The plan table must define "${DEFAULT_PLAN}"`);
  return table;
}

export function planOrDefault(plans: PlanTable, name: string): Plan {
  return plans[name] ?? plans[DEFAULT_PLAN]!;
}

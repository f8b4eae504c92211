import { NodeSqliteClient } from '../../server/db/sqlite-client.js';

export type StatementTimes = { cpuMs: number; wallMs: number; commitCpuMs: number; statements: number };

/**
 * Times every SQLite statement the server runs, in CPU (the process's, read around each statement: node:sqlite
 * runs it to completion on the calling thread) and in wall time (the rest is waiting on the disk): how much of a
 * message's CPU is SQLite's own work. A bench-only wrap of the client's single entry point; it adds two
 * `process.cpuUsage()` reads (≈ 1 µs each) per statement.
 */
export function timeSqliteStatements(): () => StatementTimes {
  const times: StatementTimes = { cpuMs: 0, wallMs: 0, commitCpuMs: 0, statements: 0 };
  const execute = NodeSqliteClient.prototype.execute;
  NodeSqliteClient.prototype.execute = function (this: NodeSqliteClient, ...args: Parameters<typeof execute>) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return execute.apply(this, args);
    } finally {
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      times.cpuMs += cpuMs;
      times.wallMs += performance.now() - started;
      times.statements += 1;
      if (/^\s*commit/i.test(args[1])) times.commitCpuMs += cpuMs;
    }
  };
  return () => ({ ...times });
}

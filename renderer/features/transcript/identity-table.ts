// The dump's identity table as text, exactly what the index holds (the same table
// `dumpscope threads` prints): every thread's #index, DBG, tid and OSID side by side, so a
// transcript from any debugger can be read against it. Pure: unit-tested.
import { type DumpSummary, type ThreadInfo } from '../../../shared/types';

export function identityTable(dump: Pick<DumpSummary, 'path' | 'process' | 'pid' | 'threadCount' | 'signalName'>, threads: readonly ThreadInfo[]): string {
  const head = [
    `# ${dump.path}`,
    `# ${dump.process} (pid ${dump.pid}${dump.signalName ? `, signal ${dump.signalName}` : ''}), ${dump.threadCount} threads`,
    '# #N: lldb thread #N · DBG: dotnet-dump setthread N · TID: decimal (lldb tid =, gdb LWP) · OSID: hex (SOS)',
    '',
  ];
  const rows = threads.map((t) => [
    `#${t.index}`,
    `dbg:${t.dbg}`,
    String(t.tid),
    `0x${t.osid}`,
    t.name ?? '-',
    t.state === 'syscall' ? `in ${t.syscall?.name ?? 'syscall'}` : 'running',
    t.signalName ?? '-',
    t.syscall?.text ?? '-',
  ]);
  const header = ['#', 'DBG', 'TID', 'OSID', 'NAME', 'STATE', 'SIGNAL', 'WAITING IN'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([0, 1, 2, 3]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [...head, line(header), ...rows.map(line)].join('\n') + '\n';
}

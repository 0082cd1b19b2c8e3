// Are two dumps of one process? ELF cores say the pid and the command line (NT_PRPSINFO) and
// where each module is loaded (NT_FILE), but not when the process started. Load addresses stand
// in for the start time: address-space randomisation loads a program at new addresses on every
// start, so one pid with one command line at other addresses is a restarted process (a
// container's pid 1, say). With randomisation off we cannot tell, and say so.
import { type DumpSummary, type ModuleInfo, type ProcessIdentity } from '../../../shared/types';
import { oneLine } from './frame-lines';

export interface IdentitySide {
  dump: DumpSummary;
  modules?: readonly ModuleInfo[];
}

const q = (s: string) => `"${oneLine(s)}"`;

export function compareProcessIdentity(a: IdentitySide, b: IdentitySide): ProcessIdentity {
  const differences: string[] = [];
  const checks: string[] = [];
  const da = a.dump;
  const db = b.dump;
  checks.push('pid (NT_PRPSINFO)');
  if (da.pid !== db.pid) differences.push(`pid ${da.pid} in A, ${db.pid} in B`);
  if (da.executable !== null && db.executable !== null) {
    checks.push('executable path (NT_FILE)');
    if (da.executable !== db.executable) differences.push(`executable ${q(da.executable)} in A, ${q(db.executable)} in B`);
  } else {
    checks.push('process name (NT_PRPSINFO; the executable path is missing)');
    if (da.process !== db.process) differences.push(`process ${q(da.process)} in A, ${q(db.process)} in B`);
  }
  checks.push('command line (NT_PRPSINFO pr_psargs, its first 80 bytes)');
  if (da.args !== db.args) differences.push(`command line ${q(da.args)} in A, ${q(db.args)} in B`);

  if (a.modules && b.modules && a.modules.length > 0 && b.modules.length > 0) {
    checks.push('load addresses and build-ids of the modules in both (they stand in for the start time, which ELF cores do not record)');
    const inB = new Map(b.modules.map((m) => [m.path, m]));
    let moved = 0;
    let rebuilt = 0;
    let firstMoved: string | null = null;
    let firstRebuilt: string | null = null;
    for (const m of a.modules) {
      const o = inB.get(m.path);
      if (!o || m.kind === 'file') continue;
      if (m.buildId && o.buildId && m.buildId !== o.buildId) {
        rebuilt++;
        firstRebuilt ??= `${q(m.name)}: build-id ${m.buildId} in A, ${o.buildId} in B`;
      } else if (m.base !== o.base) {
        moved++;
        firstMoved ??= `${q(m.name)} at ${m.base} in A, ${o.base} in B`;
      }
    }
    if (rebuilt > 0) differences.push(`${rebuilt === 1 ? 'a module was' : `${rebuilt} modules were`} rebuilt (${firstRebuilt})`);
    if (moved > 0) differences.push(`${moved === 1 ? 'a module is' : `${moved} modules are`} loaded at other addresses, so the process was started again (${firstMoved})`);
    if (moved === 0 && rebuilt === 0 && da.pid === db.pid) {
      checks.push('every module is at the same address in both: one process, or a restart with address randomisation off');
    }
  } else {
    checks.push('load addresses not compared (module lists not given): a restart under the same pid cannot be ruled out');
  }
  checks.push('start time: not recorded in ELF cores');
  return { same: differences.length === 0, differences, checks };
}

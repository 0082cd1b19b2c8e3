// Exporting a report (exportReport): HTML, Markdown or JSON of the current dump, with the
// comparison when one is shown; handed to the browser as a download (the desktop shell offers
// to save it).
import { create } from 'zustand';
import { type ReportFormat } from '../../../shared/types';
import { api, asApiError, describeError } from '../../api';
import { useCompare } from '../compare';
import { useDumps } from '../dumps';
import { notify } from '../notices';

interface ReportState {
  busy: boolean;
  export(format: ReportFormat, withComparison?: boolean): Promise<void>;
}

export const useReport = create<ReportState>()((set, get) => ({
  busy: false,
  async export(format, withComparison = true) {
    const cur = useDumps.getState().current;
    if (!cur || get().busy) {
      if (!cur) notify('Open a dump to export its report', 'warning');
      return;
    }
    const cmp = useCompare.getState();
    const compareWith = withComparison && cmp.forDumpId === cur.id && cmp.otherId !== null && cmp.status === 'ready' ? cmp.otherId : undefined;
    set({ busy: true });
    try {
      const r = await api().call('exportReport', { dumpId: cur.id, format, compareWith });
      download(r.filename, r.mime, r.content);
      notify(`Report saved as ${r.filename}${compareWith !== undefined ? ' (with the comparison)' : ''}`);
    } catch (e) {
      notify(`Could not export the report: ${describeError(asApiError(e))}`, 'error');
    } finally {
      set({ busy: false });
    }
  },
}));

function download(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

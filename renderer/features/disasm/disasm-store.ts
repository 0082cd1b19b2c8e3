// Disassemblies by (dump, pc, syntax, context), fetched with the disassemble method and kept for
// the dump; the syntax (AT&T as lldb and gdb print, or Intel) and whether bytes show are
// preferences remembered across sessions.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type Disassembly, type DisassemblySyntax } from '../../../shared/types';
import { api, asApiError } from '../../api';

export type DisasmEntry = { status: 'loading' } | { status: 'ready'; value: Disassembly } | { status: 'error'; error: ApiError };

export interface DisasmRequest {
  dumpId: number;
  pc: string;
  returnAddress: boolean;
  before: number;
  after: number;
}

interface DisasmState {
  dumpId: number | null;
  entries: Record<string, DisasmEntry>;
  syntax: DisassemblySyntax;
  showBytes: boolean;
  load(req: DisasmRequest): void;
  setSyntax(s: DisassemblySyntax): void;
  setShowBytes(on: boolean): void;
  clear(): void;
}

export const disasmKey = (r: DisasmRequest, syntax: DisassemblySyntax) => `${r.dumpId}|${r.pc}|${r.returnAddress ? 'r' : 'x'}|${r.before}|${r.after}|${syntax}`;

const storedSyntax = (): DisassemblySyntax => (localStorage.getItem('dumpscope.disasm.syntax') === 'intel' ? 'intel' : 'att');

export const useDisasm = create<DisasmState>()((set, get) => ({
  dumpId: null,
  entries: {},
  syntax: storedSyntax(),
  showBytes: localStorage.getItem('dumpscope.disasm.bytes') === '1',
  load(req) {
    if (get().dumpId !== req.dumpId) set({ dumpId: req.dumpId, entries: {} });
    const syntax = get().syntax;
    const key = disasmKey(req, syntax);
    if (get().entries[key]) return;
    set({ entries: { ...get().entries, [key]: { status: 'loading' } } });
    api()
      .call('disassemble', { dumpId: req.dumpId, pc: req.pc, before: req.before, after: req.after, syntax, returnAddress: req.returnAddress })
      .then(
        (value) => {
          if (get().dumpId === req.dumpId) set({ entries: { ...get().entries, [key]: { status: 'ready', value } } });
        },
        (e: unknown) => {
          if (get().dumpId === req.dumpId) set({ entries: { ...get().entries, [key]: { status: 'error', error: asApiError(e) } } });
        },
      );
  },
  setSyntax(syntax) {
    localStorage.setItem('dumpscope.disasm.syntax', syntax);
    set({ syntax });
  },
  clear: () => set({ dumpId: null, entries: {} }),
  setShowBytes(showBytes) {
    localStorage.setItem('dumpscope.disasm.bytes', showBytes ? '1' : '0');
    set({ showBytes });
  },
}));

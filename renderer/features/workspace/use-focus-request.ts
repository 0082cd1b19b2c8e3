import { useEffect, type RefObject } from 'react';
import { useWorkspace, type FocusTarget } from './workspace-store';

/**
 * Focuses (and selects) the element when a shortcut asks for `target`. A request is taken once,
 * by the first mounted view that owns the target, and only while fresh (a shortcut that also
 * switched views reaches the view that mounts right after it). `ready` changes when the element
 * appears later than its view (a table shown once its data arrives).
 */
export function useFocusRequest<T extends HTMLElement>(target: FocusTarget, ref: RefObject<T | null>, ready?: unknown): void {
  const focus = useWorkspace((s) => s.focus);
  useEffect(() => {
    if (!focus || focus.taken || focus.target !== target || Date.now() - focus.at > 1000) return;
    const el = ref.current;
    if (!el) return;
    useWorkspace.getState().takeFocus(focus.seq);
    el.focus();
    if (el instanceof HTMLInputElement) el.select();
  }, [focus, target, ref, ready]);
}

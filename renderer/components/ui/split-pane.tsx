// Two panes side by side (SplitPane) or one above the other (VSplit) with a draggable divider;
// the fixed pane's size is remembered per id.
import { useCallback, useRef, useState, type PointerEvent, type ReactNode } from 'react';

export function SplitPane(props: { id: string; main: ReactNode; side: ReactNode; defaultSide?: number; minSide?: number; minMain?: number; sideFirst?: boolean }) {
  const { id, defaultSide = 440, minSide = 260, minMain = 320, sideFirst = false } = props;
  const key = `dumpscope.split.${id}`;
  const [side, setSide] = useState(() => Number(localStorage.getItem(key)) || defaultSide);
  const box = useRef<HTMLDivElement | null>(null);

  const onPointerDown = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      const el = box.current;
      if (!el) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      const rect = el.getBoundingClientRect();
      const move = (ev: globalThis.PointerEvent) => {
        const want = sideFirst ? ev.clientX - rect.left : rect.right - ev.clientX;
        const w = Math.max(minSide, Math.min(want, rect.width - minMain));
        setSide(w);
        localStorage.setItem(key, String(Math.round(w)));
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [key, minSide, minMain, sideFirst],
  );

  const handle = <div className="split-handle" role="separator" aria-orientation="vertical" onPointerDown={onPointerDown} />;
  if (sideFirst) {
    return (
      <div className="split" ref={box} style={{ gridTemplateColumns: `${side}px 5px minmax(${minMain}px, 1fr)` }}>
        <div className="split-side">{props.side}</div>
        {handle}
        <div className="split-main">{props.main}</div>
      </div>
    );
  }
  return (
    <div className="split" ref={box} style={{ gridTemplateColumns: `minmax(${minMain}px, 1fr) 5px ${side}px` }}>
      <div className="split-main">{props.main}</div>
      {handle}
      <div className="split-side">{props.side}</div>
    </div>
  );
}

/** Top and bottom panes; the top one's share of the height is remembered. */
export function VSplit(props: { id: string; top: ReactNode; bottom: ReactNode; defaultTop?: number; minTop?: number; minBottom?: number }) {
  const { id, defaultTop = 0.45, minTop = 80, minBottom = 80 } = props;
  const key = `dumpscope.vsplit.${id}`;
  const [share, setShare] = useState(() => Number(localStorage.getItem(key)) || defaultTop);
  const box = useRef<HTMLDivElement | null>(null);
  const onPointerDown = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      const el = box.current;
      if (!el) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      const rect = el.getBoundingClientRect();
      const move = (ev: globalThis.PointerEvent) => {
        const y = Math.max(minTop, Math.min(ev.clientY - rect.top, rect.height - minBottom));
        const s = y / rect.height;
        setShare(s);
        localStorage.setItem(key, s.toFixed(3));
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [key, minTop, minBottom],
  );
  return (
    <div className="vsplit" ref={box} style={{ gridTemplateRows: `minmax(${minTop}px, ${share}fr) 5px minmax(${minBottom}px, ${1 - share}fr)` }}>
      <div className="vsplit-pane">{props.top}</div>
      <div className="vsplit-handle" role="separator" aria-orientation="horizontal" onPointerDown={onPointerDown} />
      <div className="vsplit-pane">{props.bottom}</div>
    </div>
  );
}

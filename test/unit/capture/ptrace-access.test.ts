// The sentences a refused attach produces, for each rule the kernel applies. This machine has
// no Yama and runs tests as root, so the Yama values and the non-root cases are given here; the
// integration tests produce the other-user and non-dumpable refusals for real (as nobody).
import { describe, expect, it } from 'vitest';
import { attachBlocker, yamaReason, type AttachTarget, type PtraceContext } from '../../../main/core/capture';

const eacces = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }) as NodeJS.ErrnoException;
const target: AttachTarget = { pid: 77, name: 'svc', uid: 1000, user: 'alice', mapsError: null, descendant: false };
const asBob: PtraceContext = { yamaScope: null, hasCapSysPtrace: false, euid: 1001, user: 'bob' };
const asRoot: PtraceContext = { yamaScope: null, hasCapSysPtrace: true, euid: 0, user: 'root' };

describe('attachBlocker', () => {
  it('nothing stands in the way of root without Yama', () => {
    expect(attachBlocker(target, asRoot)).toBeNull();
  });

  it("another user's process", () => {
    expect(attachBlocker({ ...target, mapsError: eacces }, asBob)).toBe(
      'cannot capture pid 77 (svc): it belongs to alice (uid 1000) and dumpscope runs as bob (uid 1001); only its owner or root may attach to it: run dumpscope as root (sudo dumpscope capture 77)',
    );
  });

  it('a non-dumpable process of the same user', () => {
    expect(attachBlocker({ ...target, uid: 1001, user: 'bob', mapsError: eacces }, asBob)).toMatch(
      /^cannot capture pid 77 \(svc\): it is marked non-dumpable \(it called prctl\(PR_SET_DUMPABLE, 0\), or changed its user or capabilities, e\.g\. setuid\), so only root may attach to it: run dumpscope as root/,
    );
  });

  it('root without CAP_SYS_PTRACE is told about containers', () => {
    const m = attachBlocker({ ...target, mapsError: eacces }, { ...asRoot, hasCapSysPtrace: false });
    expect(m).toMatch(/in a container, start it with --cap-add=SYS_PTRACE$/);
  });

  it('a security module when even CAP_SYS_PTRACE is refused', () => {
    expect(attachBlocker({ ...target, mapsError: eacces }, asRoot)).toMatch(/a security module \(SELinux, AppArmor\) forbids it/);
  });

  it('Yama: each value, what it blocks and what to do', () => {
    const yama = (scope: number, ctx: PtraceContext = asBob, t: AttachTarget = target) => attachBlocker(t, { ...ctx, yamaScope: scope });
    expect(yama(0)).toBeNull();
    expect(yama(1)).toBe(
      'cannot capture pid 77 (svc): kernel.yama.ptrace_scope is 1: a process may attach only to its own descendants unless it has CAP_SYS_PTRACE: run dumpscope as root (sudo dumpscope capture 77), or allow attaching for this boot: sudo sysctl kernel.yama.ptrace_scope=0',
    );
    expect(yama(1, asBob, { ...target, descendant: true })).toBeNull();
    expect(yama(1, asRoot)).toBeNull();
    expect(yama(2)).toBe(
      'cannot capture pid 77 (svc): kernel.yama.ptrace_scope is 2: only processes with CAP_SYS_PTRACE (root) may attach: run dumpscope as root (sudo dumpscope capture 77)',
    );
    expect(yama(2, asRoot)).toBeNull();
    expect(yama(3, asRoot)).toBe(
      'cannot capture pid 77 (svc): kernel.yama.ptrace_scope is 3: attaching is disabled for every process, root included, until the next reboot; no debugger can take its dump on this boot',
    );
    expect(yamaReason(target, { ...asBob, yamaScope: null })).toBeNull();
  });
});

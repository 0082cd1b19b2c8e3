// A program whose threads run "JIT code": machine code copied into an anonymous executable
// mapping, as a JIT does, with no module and no unwind tables around it. Each JIT stub calls a
// C function that blocks on a mutex main holds, and that function prints the addresses a
// runtime's `clrstack` would list for the thread (the stub's return address and stack pointer,
// a stack object standing for an explicit Frame, the C caller's return address and SP).
//
// - thread "jit_fp": the stub keeps a frame-pointer chain (push rbp; mov rbp, rsp) and a return
//   address right above it: the native unwinder's fallbacks get past it (frame pointer or stack
//   scan) and see the stub as a bare address.
// - thread "jit_opaque": the stub clears rbp and keeps 32 KiB of zeroes under it: neither the
//   frame-pointer chain nor a stack scan (2048 words) gets past it, as happens in JIT code.
// Built with -O2 (no frame pointers in C code): the C caller is unwound by its CFI from SP alone.
import { C_PREAMBLE } from '../../helpers/programs';

export const JIT_PROGRAM = C_PREAMBLE + String.raw`
#include <stdint.h>
#include <sys/mman.h>
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

/* Called from JIT code with the stub's stack pointer at the call, and how far above it the
   return address into the C caller lies. */
__attribute__((noinline)) void blocker(uintptr_t stub_sp, uintptr_t caller_ret_off, const char *role) {
  volatile char frame_object[64]; /* stands for a runtime Frame object on this thread's stack */
  frame_object[0] = 1;
  pthread_mutex_lock(&report_lock);
  printf("addr %s stub_ret 0x%lx\n", role, (unsigned long)__builtin_return_address(0));
  printf("addr %s stub_sp 0x%lx\n", role, (unsigned long)stub_sp);
  printf("addr %s frame_object 0x%lx\n", role, (unsigned long)(uintptr_t)frame_object);
  printf("addr %s caller_ret 0x%lx\n", role, (unsigned long)*(uintptr_t *)(stub_sp + caller_ret_off));
  printf("addr %s caller_sp 0x%lx\n", role, (unsigned long)(stub_sp + caller_ret_off + 8));
  fflush(stdout);
  pthread_mutex_unlock(&report_lock);
  pthread_mutex_lock(&gate); /* main holds it: blocks here for good */
  frame_object[1] = 2;
}

static unsigned char *emit(unsigned char *p, const void *bytes, size_t n) { memcpy(p, bytes, n); return p + n; }
static unsigned char *emit_imm64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); return p + 8; }

typedef void (*stub_fn)(const char *role);

/* push rbp; mov rbp,rsp; mov rdx,rdi; mov rdi,rsp; mov esi,16; mov rax,blocker; call rax; pop rbp; ret */
static stub_fn make_fp_stub(unsigned char *p) {
  unsigned char *start = p;
  p = emit(p, "\x55\x48\x89\xe5", 4);          /* push rbp; mov rbp, rsp                  */
  p = emit(p, "\x48\x89\xfa", 3);              /* mov rdx, rdi        (role)              */
  p = emit(p, "\x48\x89\xe7", 3);              /* mov rdi, rsp        (stub_sp)           */
  p = emit(p, "\xbe\x08\x00\x00\x00", 5);      /* mov esi, 8          (ret at sp+8)       */
  p = emit(p, "\x48\xb8", 2);                  /* mov rax, imm64                          */
  p = emit_imm64(p, (uint64_t)(uintptr_t)blocker);
  p = emit(p, "\xff\xd0", 2);                  /* call rax                                */
  p = emit(p, "\x5d\xc3", 2);                  /* pop rbp; ret                            */
  return (stub_fn)start;
}

/* push rbp; xor ebp,ebp; sub rsp,0x8000; zero it; call blocker; add rsp,0x8000; pop rbp; ret */
static stub_fn make_opaque_stub(unsigned char *p) {
  unsigned char *start = p;
  p = emit(p, "\x55\x31\xed", 3);              /* push rbp; xor ebp, ebp                  */
  p = emit(p, "\x48\x89\xfa", 3);              /* mov rdx, rdi        (role)              */
  p = emit(p, "\x48\x81\xec\x00\x80\x00\x00", 7); /* sub rsp, 0x8000                      */
  p = emit(p, "\x48\x89\xe7", 3);              /* mov rdi, rsp                            */
  p = emit(p, "\xb9\x00\x10\x00\x00", 5);      /* mov ecx, 0x1000                         */
  p = emit(p, "\x31\xc0", 2);                  /* xor eax, eax                            */
  p = emit(p, "\xf3\x48\xab", 3);              /* rep stosq           (32 KiB of zeroes)  */
  p = emit(p, "\x48\x89\xe7", 3);              /* mov rdi, rsp        (stub_sp)           */
  p = emit(p, "\xbe\x08\x80\x00\x00", 5);      /* mov esi, 0x8008     (ret at sp+0x8008)  */
  p = emit(p, "\x48\xb8", 2);                  /* mov rax, imm64                          */
  p = emit_imm64(p, (uint64_t)(uintptr_t)blocker);
  p = emit(p, "\xff\xd0", 2);                  /* call rax                                */
  p = emit(p, "\x48\x81\xc4\x00\x80\x00\x00", 7); /* add rsp, 0x8000                      */
  p = emit(p, "\x5d\xc3", 2);                  /* pop rbp; ret                            */
  return (stub_fn)start;
}

static stub_fn fp_stub, opaque_stub;

__attribute__((noinline)) void managed_caller(stub_fn f, const char *role) {
  f(role);
  __asm__ volatile("" ::: "memory"); /* not a tail call */
}

static void *run(void *arg) {
  const char *role = arg;
  report_tid(role);
  managed_caller(strcmp(role, "jit_fp") == 0 ? fp_stub : opaque_stub, role);
  return 0;
}

int main(void) {
  unsigned char *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) return 1;
  fp_stub = make_fp_stub(code);
  opaque_stub = make_opaque_stub(code + 256);
  pthread_mutex_lock(&gate);
  report_tid("main");
  pthread_t a, b;
  pthread_create(&a, 0, run, "jit_fp");
  pthread_create(&b, 0, run, "jit_opaque");
  usleep(300000);
  report_ready();
  pthread_join(a, 0);
  return 0;
}
`;

/** `addr <role> <name> 0x…` lines the program prints. */
export function addressesOf(output: string, role: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const m of output.matchAll(/^addr (\S+) (\S+) (0x[0-9a-f]+)$/gm)) if (m[1] === role) out[m[2]] = BigInt(m[3]);
  return out;
}

// An Itanium C++ ABI demangler whose output matches c++filt (binutils' libiberty with
// DMGL_PARAMS | DMGL_ANSI | DMGL_VERBOSE), which is what gdb users read.
//
// Why our own: cpp_demangle (inside gecko-profiler-demangle, which we keep for Rust) omits
// the return types of function templates, prints literals differently, and on real libstdc++
// names drops parameters of template constructors; on a C++ test program 106 of 353 names
// differed from c++filt. This file follows the ABI grammar
// (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling) and libiberty's printing
// conventions (`char const*`, `> >`, `{lambda(int)#1}`, `(anonymous namespace)`,
// `[abi:cxx11]`, `[clone .isra.0]`, `0ul`), checked name by name against c++filt on every
// mangled name of libstdc++ and of programs built in the tests.
//
// The parser builds a tree of components; the printer walks it with a stack of template
// argument lists (to resolve T_ references) and a stack of type modifiers (to print
// declarators such as `void (*)(int)` and `int (&) [3]` inside out). Both are bounded: a
// hostile name fails (returns null) instead of recursing without end.

type CT =
  | 'name'
  | 'qual'
  | 'local'
  | 'typed'
  | 'template'
  | 'tparam'
  | 'fparam'
  | 'ctor'
  | 'dtor'
  | 'special'
  | 'cvtable'
  | 'reftemp'
  | 'sub'
  | 'restrict'
  | 'volatile'
  | 'const'
  | 'restrict_this'
  | 'volatile_this'
  | 'const_this'
  | 'ref_this'
  | 'rref_this'
  | 'xobj'
  | 'txsafe'
  | 'noexcept'
  | 'throwspec'
  | 'vendor_qual'
  | 'pointer'
  | 'ref'
  | 'rref'
  | 'complex'
  | 'imaginary'
  | 'builtin'
  | 'extbuiltin'
  | 'vendor_type'
  | 'functype'
  | 'arraytype'
  | 'ptrmem'
  | 'vectype'
  | 'arglist'
  | 'targlist'
  | 'initlist'
  | 'operator'
  | 'extoperator'
  | 'conversion'
  | 'cast'
  | 'nullary'
  | 'unary'
  | 'binary'
  | 'binary_args'
  | 'trinary'
  | 'trinary_arg1'
  | 'trinary_arg2'
  | 'literal'
  | 'literal_neg'
  | 'vendor_expr'
  | 'number'
  | 'decltype'
  | 'pack'
  | 'lambda'
  | 'unnamed'
  | 'clone'
  | 'tagged'
  | 'default_arg'
  | 'global_ctors'
  | 'global_dtors'
  | 'binding'
  | 'friend'
  | 'template_head'
  | 'ttype_parm'
  | 'tnontype_parm'
  | 'ttemplate_parm'
  | 'tpack_parm'
  | 'constraints';

type PrintKind = 'default' | 'int' | 'unsigned' | 'long' | 'ulong' | 'longlong' | 'ulonglong' | 'bool' | 'float' | 'void';

interface Builtin {
  name: string;
  print: PrintKind;
}

interface OpInfo {
  code: string;
  name: string;
  args: number;
}

interface Comp {
  t: CT;
  l: Comp | null;
  r: Comp | null;
  /** Name text, literal digits, special-name prefix. */
  s: string;
  /** Template parameter index, lambda/unnamed number, extended operator arity, ... */
  n: number;
  op: OpInfo | null;
  bt: Builtin | null;
  /** Suffix of an extended builtin (_Float32x). */
  suffix: string;
  printing: number;
}

const BUILTINS: Record<string, Builtin> = {
  a: { name: 'signed char', print: 'default' },
  b: { name: 'bool', print: 'bool' },
  c: { name: 'char', print: 'default' },
  d: { name: 'double', print: 'float' },
  e: { name: 'long double', print: 'float' },
  f: { name: 'float', print: 'float' },
  g: { name: '__float128', print: 'float' },
  h: { name: 'unsigned char', print: 'default' },
  i: { name: 'int', print: 'int' },
  j: { name: 'unsigned int', print: 'unsigned' },
  l: { name: 'long', print: 'long' },
  m: { name: 'unsigned long', print: 'ulong' },
  n: { name: '__int128', print: 'default' },
  o: { name: 'unsigned __int128', print: 'default' },
  s: { name: 'short', print: 'default' },
  t: { name: 'unsigned short', print: 'default' },
  v: { name: 'void', print: 'void' },
  w: { name: 'wchar_t', print: 'default' },
  x: { name: 'long long', print: 'longlong' },
  y: { name: 'unsigned long long', print: 'ulonglong' },
  z: { name: '...', print: 'default' },
};

const D_BUILTINS: Record<string, Builtin> = {
  f: { name: 'decimal32', print: 'default' },
  d: { name: 'decimal64', print: 'default' },
  e: { name: 'decimal128', print: 'default' },
  h: { name: 'half', print: 'float' },
  u: { name: 'char8_t', print: 'default' },
  s: { name: 'char16_t', print: 'default' },
  i: { name: 'char32_t', print: 'default' },
  n: { name: 'decltype(nullptr)', print: 'default' },
};
const FLOAT_N: Builtin = { name: '_Float', print: 'float' };
const BFLOAT16: Builtin = { name: 'std::bfloat16_t', print: 'float' };

// Operator codes of the ABI, their spelling, and arity in expressions.
const OPERATORS: Record<string, OpInfo> = {};
for (const [code, name, args] of [
  ['aN', '&=', 2],
  ['aS', '=', 2],
  ['aa', '&&', 2],
  ['ad', '&', 1],
  ['an', '&', 2],
  ['at', 'alignof ', 1],
  ['aw', 'co_await ', 1],
  ['az', 'alignof ', 1],
  ['cc', 'const_cast', 2],
  ['cl', '()', 2],
  ['cm', ',', 2],
  ['co', '~', 1],
  ['dV', '/=', 2],
  ['dX', '[...]=', 3],
  ['da', 'delete[] ', 1],
  ['dc', 'dynamic_cast', 2],
  ['de', '*', 1],
  ['di', '=', 2],
  ['dl', 'delete ', 1],
  ['ds', '.*', 2],
  ['dt', '.', 2],
  ['dv', '/', 2],
  ['dx', ']=', 2],
  ['eO', '^=', 2],
  ['eo', '^', 2],
  ['eq', '==', 2],
  ['fL', '...', 3],
  ['fR', '...', 3],
  ['fl', '...', 2],
  ['fr', '...', 2],
  ['ge', '>=', 2],
  ['gs', '::', 1],
  ['gt', '>', 2],
  ['ix', '[]', 2],
  ['lS', '<<=', 2],
  ['le', '<=', 2],
  ['li', 'operator"" ', 1],
  ['ls', '<<', 2],
  ['lt', '<', 2],
  ['mI', '-=', 2],
  ['mL', '*=', 2],
  ['mi', '-', 2],
  ['ml', '*', 2],
  ['mm', '--', 1],
  ['na', 'new[]', 3],
  ['ne', '!=', 2],
  ['ng', '-', 1],
  ['nt', '!', 1],
  ['nw', 'new', 3],
  ['nx', 'noexcept', 1],
  ['oR', '|=', 2],
  ['oo', '||', 2],
  ['or', '|', 2],
  ['pL', '+=', 2],
  ['pl', '+', 2],
  ['pm', '->*', 2],
  ['pp', '++', 1],
  ['ps', '+', 1],
  ['pt', '->', 2],
  ['qu', '?', 3],
  ['rM', '%=', 2],
  ['rS', '>>=', 2],
  ['rc', 'reinterpret_cast', 2],
  ['rm', '%', 2],
  ['rs', '>>', 2],
  ['sP', 'sizeof...', 1],
  ['sZ', 'sizeof...', 1],
  ['sc', 'static_cast', 2],
  ['ss', '<=>', 2],
  ['st', 'sizeof ', 1],
  ['sz', 'sizeof ', 1],
  ['tr', 'throw', 0],
  ['tw', 'throw ', 1],
] as const) {
  OPERATORS[code] = { code, name, args };
}

/** The standard abbreviations: simple form, full (verbose) form, and the name a ctor/dtor takes. */
const STD_SUBS: Record<string, [string, string, string | null]> = {
  t: ['std', 'std', null],
  a: ['std::allocator', 'std::allocator', 'allocator'],
  b: ['std::basic_string', 'std::basic_string', 'basic_string'],
  s: ['std::string', 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >', 'basic_string'],
  i: ['std::istream', 'std::basic_istream<char, std::char_traits<char> >', 'basic_istream'],
  o: ['std::ostream', 'std::basic_ostream<char, std::char_traits<char> >', 'basic_ostream'],
  d: ['std::iostream', 'std::basic_iostream<char, std::char_traits<char> >', 'basic_iostream'],
};

const FNQUAL: ReadonlySet<CT> = new Set<CT>(['restrict_this', 'volatile_this', 'const_this', 'ref_this', 'rref_this', 'txsafe', 'noexcept', 'throwspec', 'xobj']);

const PARSE_DEPTH_LIMIT = 2048;
const PRINT_DEPTH_LIMIT = 1024;
const MAX_INPUT = 16 * 1024;
const MAX_OUTPUT = 256 * 1024;

class Fail extends Error {}

function mk(t: CT, l: Comp | null = null, r: Comp | null = null): Comp {
  return { t, l, r, s: '', n: 0, op: null, bt: null, suffix: '', printing: 0 };
}

function mkName(s: string): Comp {
  const c = mk('name');
  c.s = s;
  return c;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';

class Parser {
  pos = 0;
  subs: Comp[] = [];
  lastName: Comp | null = null;
  isExpression = false;
  isConversion = false;
  /** 1: try the new unresolved-name mangling first; -1: it was tried; 0: use the old one. */
  unresolvedState = 1;
  depth = 0;

  constructor(
    readonly s: string,
    readonly verbose: boolean,
  ) {}

  peek(k = 0): string {
    return this.s[this.pos + k] ?? '';
  }
  next(): string {
    return this.s[this.pos++] ?? '';
  }
  check(c: string): boolean {
    if (this.peek() === c) {
      this.pos++;
      return true;
    }
    return false;
  }
  need(c: string): void {
    if (!this.check(c)) throw new Fail();
  }
  enter(): void {
    if (++this.depth > PARSE_DEPTH_LIMIT) throw new Fail();
  }
  leave(): void {
    this.depth--;
  }
  addSub(c: Comp | null): void {
    if (!c) throw new Fail();
    this.subs.push(c);
  }

  mangledName(topLevel: boolean): Comp {
    if (!this.check('_') && topLevel) throw new Fail();
    this.need('Z');
    let p = this.encoding(topLevel);
    if (topLevel) {
      while (this.peek() === '.' && (isLower(this.peek(1)) || this.peek(1) === '_' || isDigit(this.peek(1)))) p = this.cloneSuffix(p);
    }
    return p;
  }

  cloneSuffix(enc: Comp): Comp {
    const start = this.pos;
    let p = this.pos;
    const s = this.s;
    if (s[p] === '.' && (isLower(s[p + 1] ?? '') || isDigit(s[p + 1] ?? '') || s[p + 1] === '_')) {
      p += 2;
      while (p < s.length && (isLower(s[p]) || isDigit(s[p]) || s[p] === '_')) p++;
    }
    while (s[p] === '.' && isDigit(s[p + 1] ?? '')) {
      p += 2;
      while (p < s.length && isDigit(s[p])) p++;
    }
    this.pos = p;
    return mk('clone', enc, mkName(s.slice(start, p)));
  }

  encoding(topLevel: boolean): Comp {
    const c = this.peek();
    if (c === 'G' || c === 'T') return this.specialName();
    let dc = this.name(false);
    const pk = this.peek();
    if (pk !== '' && pk !== 'E') {
      let ftype = this.bareFunctionType(hasReturnType(dc));
      if (!topLevel && dc.t === 'local' && ftype.t === 'functype') ftype.l = null;
      ftype = this.maybeConstraints(ftype);
      dc = mk('typed', dc, ftype);
    }
    return dc;
  }

  maybeConstraints(dc: Comp): Comp {
    if (this.check('Q')) return mk('constraints', dc, this.expression());
    return dc;
  }

  abiTags(dc: Comp): Comp {
    const hold = this.lastName;
    while (this.check('B')) dc = mk('tagged', dc, this.sourceName());
    this.lastName = hold;
    return dc;
  }

  name(substable: boolean): Comp {
    const c = this.peek();
    let dc: Comp | null = null;
    let subst = false;
    switch (c) {
      case 'N':
        dc = this.nestedName();
        break;
      case 'Z':
        dc = this.localName();
        break;
      case 'U':
        dc = this.unqualifiedName(null);
        break;
      default: {
        if (c === 'S') {
          if (this.peek(1) === 't') {
            this.pos += 2;
            dc = mkName('std');
          }
          if (this.peek() === 'S') {
            if (dc) throw new Fail();
            dc = this.substitution(false);
            subst = true;
          }
        }
        if (!subst) dc = this.unqualifiedName(dc);
        if (this.peek() === 'I') {
          if (!subst) this.addSub(dc);
          dc = mk('template', dc, this.templateArgs());
          subst = false;
        }
      }
    }
    if (!dc) throw new Fail();
    if (substable && !subst) this.addSub(dc);
    return dc;
  }

  nestedName(): Comp {
    this.need('N');
    let rqual: Comp | null;
    const holder: { c: Comp | null } = { c: null };
    let setInner: (c: Comp) => void;
    if (this.peek() === 'H') {
      this.pos++;
      rqual = mk('xobj');
      setInner = (c) => (holder.c = c);
    } else {
      setInner = this.cvQualifiers(holder, true);
      rqual = this.refQualifier(null);
    }
    const pre = this.prefix(true);
    setInner(pre);
    let ret = holder.c as Comp;
    if (rqual) {
      rqual.l = ret;
      ret = rqual;
    }
    this.need('E');
    return ret;
  }

  prefix(substable: boolean): Comp {
    let ret: Comp | null = null;
    for (let guard = 0; ; guard++) {
      if (guard > 4096) throw new Fail();
      const c = this.peek();
      if (c === 'D' && (this.peek(1) === 'T' || this.peek(1) === 't')) {
        if (ret) throw new Fail();
        ret = this.type();
      } else if (c === 'I') {
        if (!ret) throw new Fail();
        ret = mk('template', ret, this.templateArgs());
      } else if (c === 'T') {
        if (ret) throw new Fail();
        ret = this.templateParam();
      } else if (c === 'M') {
        this.pos++;
        continue;
      } else if (c === 'S') {
        // A substitution stands for a whole prefix: it cannot follow a scope, and it is not
        // added to the table again.
        if (ret) throw new Fail();
        ret = this.substitution(true);
        continue;
      } else {
        ret = this.unqualifiedName(ret);
      }
      if (this.peek() === 'E') break;
      if (substable) this.addSub(ret);
    }
    if (!ret) throw new Fail();
    return ret;
  }

  unqualifiedName(scope: Comp | null): Comp {
    let ret: Comp;
    let friend = false;
    let c = this.peek();
    if (c === 'F') {
      friend = true;
      this.pos++;
      c = this.peek();
    }
    if (isDigit(c)) ret = this.sourceName();
    else if (isLower(c)) {
      const was = this.isExpression;
      if (c === 'o' && this.peek(1) === 'n') {
        this.pos += 2;
        this.isExpression = false;
      }
      ret = this.operatorName();
      this.isExpression = was;
      if (ret.t === 'operator' && ret.op?.code === 'li') ret = mk('unary', ret, this.sourceName());
    } else if (c === 'D' && this.peek(1) === 'C') {
      this.pos += 2;
      let first: Comp | null = null;
      let prev: Comp | null = null;
      do {
        const nx = mk('binding', this.sourceName());
        if (prev) prev.r = nx;
        else first = nx;
        prev = nx;
      } while (this.peek() !== 'E' && this.peek() !== '');
      this.need('E');
      ret = first as Comp;
    } else if (c === 'C' || c === 'D') ret = this.ctorDtorName();
    else if (c === 'L') {
      this.pos++;
      ret = this.sourceName();
      this.discriminator();
    } else if (c === 'U') {
      if (this.peek(1) === 'l') ret = this.lambda();
      else if (this.peek(1) === 't') ret = this.unnamedType();
      else throw new Fail();
    } else throw new Fail();
    if (this.peek() === 'B') ret = this.abiTags(ret);
    if (friend) ret = mk('friend', ret);
    if (scope) ret = mk('qual', scope, ret);
    return ret;
  }

  sourceName(): Comp {
    const len = this.number();
    if (len <= 0 || this.pos + len > this.s.length) throw new Fail();
    const id = this.s.slice(this.pos, this.pos + len);
    this.pos += len;
    let ret: Comp;
    if (len >= 10 && id.startsWith('_GLOBAL_') && (id[8] === '.' || id[8] === '_' || id[8] === '$') && id[9] === 'N') ret = mkName('(anonymous namespace)');
    else ret = mkName(id);
    this.lastName = ret;
    return ret;
  }

  number(): number {
    let neg = false;
    if (this.peek() === 'n') {
      neg = true;
      this.pos++;
    }
    let v = 0;
    let digits = 0;
    while (isDigit(this.peek())) {
      v = v * 10 + (this.next().charCodeAt(0) - 48);
      if (v > 0x7fffffff) throw new Fail();
      digits++;
    }
    if (digits === 0 && !neg) return 0;
    return neg ? -v : v;
  }

  operatorName(): Comp {
    const c1 = this.next();
    const c2 = this.next();
    if (c1 === 'v' && isDigit(c2)) {
      const c = mk('extoperator', this.sourceName());
      c.n = c2.charCodeAt(0) - 48;
      return c;
    }
    if (c1 === 'c' && c2 === 'v') {
      const was = this.isConversion;
      this.isConversion = !this.isExpression;
      const type = this.type();
      const res = mk(this.isConversion ? 'conversion' : 'cast', type);
      this.isConversion = was;
      return res;
    }
    const op = OPERATORS[c1 + c2];
    if (!op) throw new Fail();
    const c = mk('operator');
    c.op = op;
    return c;
  }

  specialName(): Comp {
    if (this.check('T')) {
      const c = this.next();
      const special = (text: string, child: Comp) => {
        const x = mk('special', child);
        x.s = text;
        return x;
      };
      switch (c) {
        case 'V':
          return special('vtable for ', this.type());
        case 'T':
          return special('VTT for ', this.type());
        case 'I':
          return special('typeinfo for ', this.type());
        case 'S':
          return special('typeinfo name for ', this.type());
        case 'F':
          return special('typeinfo fn for ', this.type());
        case 'J':
          return special('java Class for ', this.type());
        case 'H':
          return special('TLS init function for ', this.name(false));
        case 'W':
          return special('TLS wrapper function for ', this.name(false));
        case 'A':
          return special('template parameter object for ', this.templateArg());
        case 'h':
          this.callOffset('h');
          return special('non-virtual thunk to ', this.encoding(false));
        case 'v':
          this.callOffset('v');
          return special('virtual thunk to ', this.encoding(false));
        case 'c':
          this.callOffset('');
          this.callOffset('');
          return special('covariant return thunk to ', this.encoding(false));
        case 'C': {
          const derived = this.type();
          if (this.number() < 0) throw new Fail();
          this.need('_');
          const base = this.type();
          return mk('cvtable', base, derived);
        }
        default:
          throw new Fail();
      }
    }
    if (this.check('G')) {
      const c = this.next();
      const special = (text: string, child: Comp) => {
        const x = mk('special', child);
        x.s = text;
        return x;
      };
      switch (c) {
        case 'V':
          return special('guard variable for ', this.name(false));
        case 'R': {
          const nm = this.name(false);
          const num = mk('number');
          num.n = this.number();
          return mk('reftemp', nm, num);
        }
        case 'A':
          return special('hidden alias for ', this.encoding(false));
        case 'T':
          return this.next() === 'n' ? special('non-transaction clone for ', this.encoding(false)) : special('transaction clone for ', this.encoding(false));
        default:
          throw new Fail();
      }
    }
    throw new Fail();
  }

  callOffset(c: string): void {
    if (c === '') c = this.next();
    if (c === 'h') this.number();
    else if (c === 'v') {
      this.number();
      this.need('_');
      this.number();
    } else throw new Fail();
    this.need('_');
  }

  ctorDtorName(): Comp {
    if (this.peek() === 'C') {
      let inheriting = false;
      if (this.peek(1) === 'I') {
        inheriting = true;
        this.pos++;
      }
      const k = this.peek(1);
      if (k < '1' || k > '5') throw new Fail();
      this.pos += 2;
      // An inheriting constructor (CI1 <base type>) is named after the last name in the
      // base type, as c++filt prints it.
      if (inheriting) this.type();
      if (!this.lastName) throw new Fail();
      return mk('ctor', this.lastName);
    }
    if (this.peek() === 'D') {
      const k = this.peek(1);
      if (!['0', '1', '2', '4', '5'].includes(k)) throw new Fail();
      this.pos += 2;
      if (!this.lastName) throw new Fail();
      return mk('dtor', this.lastName);
    }
    throw new Fail();
  }

  nextIsTypeQual(): boolean {
    const c = this.peek();
    if (c === 'r' || c === 'V' || c === 'K') return true;
    if (c === 'D') {
      const d = this.peek(1);
      return d === 'x' || d === 'o' || d === 'O' || d === 'w';
    }
    return false;
  }

  type(): Comp {
    this.enter();
    try {
      return this.typeInner();
    } finally {
      this.leave();
    }
  }

  private typeInner(): Comp {
    if (this.nextIsTypeQual()) {
      const holder: { c: Comp | null } = { c: null };
      const set = this.cvQualifiers(holder, false);
      const inner = this.peek() === 'F' ? this.functionType() : this.type();
      set(inner);
      let ret = holder.c as Comp;
      // Move a ref-qualifier outside the cv-qualifiers so they print in the right order.
      if (inner.t === 'rref_this' || inner.t === 'ref_this') {
        const fn = inner.l;
        // Find the slot that holds `inner` and replace it by `fn`.
        let p = ret;
        while (p.l && p.l !== inner) p = p.l;
        if (p.l === inner) {
          p.l = fn;
          inner.l = ret;
          ret = inner;
        }
      }
      this.addSub(ret);
      return ret;
    }
    let canSub = true;
    let ret: Comp;
    const c = this.peek();
    const b = BUILTINS[c];
    if (b && c !== 'u') {
      ret = mk('builtin');
      ret.bt = b;
      this.pos++;
      canSub = false;
    } else {
      switch (c) {
        case 'u':
          this.pos++;
          ret = mk('vendor_type', this.sourceName());
          break;
        case 'F':
          ret = this.functionType();
          break;
        case 'A':
          ret = this.arrayType();
          break;
        case 'M':
          ret = this.ptrMemType();
          break;
        case 'T':
          ret = this.templateParam();
          if (this.peek() === 'I') {
            if (!this.isConversion) {
              this.addSub(ret);
              ret = mk('template', ret, this.templateArgs());
            } else {
              const save = { pos: this.pos, subs: this.subs.length };
              const args = this.templateArgs();
              if (this.peek() === 'I') {
                this.addSub(ret);
                ret = mk('template', ret, args);
              } else {
                this.pos = save.pos;
                this.subs.length = save.subs;
              }
            }
          }
          break;
        case 'O':
          this.pos++;
          ret = mk('rref', this.type());
          break;
        case 'P':
          this.pos++;
          ret = mk('pointer', this.type());
          break;
        case 'R':
          this.pos++;
          ret = mk('ref', this.type());
          break;
        case 'C':
          this.pos++;
          ret = mk('complex', this.type());
          break;
        case 'G':
          this.pos++;
          ret = mk('imaginary', this.type());
          break;
        case 'U': {
          this.pos++;
          let q = this.sourceName();
          if (this.peek() === 'I') q = mk('template', q, this.templateArgs());
          ret = mk('vendor_qual', this.type(), q);
          break;
        }
        case 'D': {
          canSub = false;
          this.pos++;
          const d = this.next();
          const db = D_BUILTINS[d];
          if (db) {
            ret = mk('builtin');
            ret.bt = db;
            break;
          }
          switch (d) {
            case 'T':
            case 't':
              ret = mk('decltype', this.expression());
              this.need('E');
              canSub = true;
              break;
            case 'p':
              ret = mk('pack', this.type());
              canSub = true;
              break;
            case 'a':
              ret = mkName('auto');
              break;
            case 'c':
              ret = mkName('decltype(auto)');
              break;
            case 'F': {
              const arg = this.number();
              if (this.peek() === 'b') {
                if (arg !== 16) throw new Fail();
                this.pos++;
                ret = mk('builtin');
                ret.bt = BFLOAT16;
                break;
              }
              let suffix = '';
              if (this.peek() === 'x') suffix = 'x';
              else if (this.peek() !== '_') throw new Fail();
              this.pos++;
              ret = mk('extbuiltin');
              ret.bt = FLOAT_N;
              ret.n = arg;
              ret.suffix = suffix;
              break;
            }
            case 'v': {
              let dim: Comp;
              if (this.check('_')) dim = this.expression();
              else {
                dim = mk('number');
                dim.n = this.number();
              }
              this.need('_');
              ret = mk('vectype', dim, this.type());
              canSub = true;
              break;
            }
            default:
              throw new Fail();
          }
          break;
        }
        default:
          return this.name(true);
      }
    }
    if (canSub) this.addSub(ret);
    return ret;
  }

  /**
   * Reads [r] [V] [K] [Dx] [Do|DO expr E|Dw types E] into a chain whose innermost left slot is
   * filled by the returned setter (the chain is in holder.c; the setter's target is the base).
   */
  cvQualifiers(holder: { c: Comp | null }, memberFn: boolean): (c: Comp) => void {
    let slotOwner: Comp | null = null;
    const chain: Comp[] = [];
    while (this.nextIsTypeQual()) {
      const c = this.next();
      let t: CT;
      let right: Comp | null = null;
      if (c === 'r') t = memberFn ? 'restrict_this' : 'restrict';
      else if (c === 'V') t = memberFn ? 'volatile_this' : 'volatile';
      else if (c === 'K') t = memberFn ? 'const_this' : 'const';
      else {
        const d = this.next();
        if (d === 'x') t = 'txsafe';
        else if (d === 'o' || d === 'O') {
          t = 'noexcept';
          if (d === 'O') {
            right = this.expression();
            this.need('E');
          }
        } else if (d === 'w') {
          t = 'throwspec';
          right = this.parmlist();
          this.need('E');
        } else throw new Fail();
      }
      const q = mk(t, null, right);
      chain.push(q);
      if (slotOwner) slotOwner.l = q;
      else holder.c = q;
      slotOwner = q;
    }
    if (!memberFn && this.peek() === 'F') {
      for (const q of chain) {
        if (q.t === 'restrict') q.t = 'restrict_this';
        else if (q.t === 'volatile') q.t = 'volatile_this';
        else if (q.t === 'const') q.t = 'const_this';
      }
    }
    const owner = slotOwner;
    return (c: Comp) => {
      if (owner) owner.l = c;
      else holder.c = c;
    };
  }

  refQualifier(sub: Comp | null): Comp | null {
    const c = this.peek();
    if (c === 'R' || c === 'O') {
      this.pos++;
      return mk(c === 'R' ? 'ref_this' : 'rref_this', sub);
    }
    return sub;
  }

  functionType(): Comp {
    this.enter();
    try {
      this.need('F');
      this.check('Y');
      let ret: Comp | null = this.bareFunctionType(true);
      ret = this.refQualifier(ret);
      this.need('E');
      return ret as Comp;
    } finally {
      this.leave();
    }
  }

  parmlist(): Comp {
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (;;) {
      const c = this.peek();
      if (c === '' || c === 'E' || c === '.' || c === 'Q') break;
      if ((c === 'R' || c === 'O') && this.peek(1) === 'E') break;
      const t = this.type();
      const a = mk('arglist', t);
      if (last) last.r = a;
      else first = a;
      last = a;
    }
    if (!first) throw new Fail();
    if (!first.r && first.l?.t === 'builtin' && first.l.bt?.print === 'void') first.l = null;
    return first;
  }

  bareFunctionType(hasReturn: boolean): Comp {
    if (this.check('J')) hasReturn = true;
    const ret = hasReturn ? this.type() : null;
    return mk('functype', ret, this.parmlist());
  }

  arrayType(): Comp {
    this.need('A');
    let dim: Comp | null;
    const c = this.peek();
    if (c === '_') dim = null;
    else if (isDigit(c)) {
      const start = this.pos;
      while (isDigit(this.peek())) this.pos++;
      dim = mkName(this.s.slice(start, this.pos));
    } else dim = this.expression();
    this.need('_');
    return mk('arraytype', dim, this.type());
  }

  ptrMemType(): Comp {
    this.need('M');
    const cl = this.type();
    const mem = this.type();
    return mk('ptrmem', cl, mem);
  }

  compactNumber(): number {
    let num: number;
    if (this.peek() === '_') num = 0;
    else if (this.peek() === 'n') throw new Fail();
    else num = this.number() + 1;
    if (num < 0) throw new Fail();
    this.need('_');
    return num;
  }

  templateParam(): Comp {
    this.need('T');
    const c = mk('tparam');
    c.n = this.compactNumber();
    return c;
  }

  templateArgs(): Comp {
    const c = this.peek();
    if (c !== 'I' && c !== 'J') throw new Fail();
    this.pos++;
    return this.templateArgs1();
  }

  templateArgs1(): Comp {
    const hold = this.lastName;
    if (this.check('E')) return mk('targlist');
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (let guard = 0; ; guard++) {
      if (guard > 100_000) throw new Fail();
      const a = this.templateArg();
      const node = mk('targlist', a);
      if (last) last.r = node;
      else first = node;
      last = node;
      const c = this.peek();
      if (c === 'E' || c === 'Q' || c === '') break;
    }
    let al = first as Comp;
    al = this.maybeConstraints(al);
    this.need('E');
    this.lastName = hold;
    return al;
  }

  templateArg(): Comp {
    this.enter();
    try {
      switch (this.peek()) {
        case 'X': {
          this.pos++;
          const e = this.expression();
          this.need('E');
          return e;
        }
        case 'L':
          return this.exprPrimary();
        case 'I':
        case 'J':
          return this.templateArgs();
        default:
          return this.type();
      }
    } finally {
      this.leave();
    }
  }

  exprList(term: string): Comp {
    if (this.check(term)) return mk('arglist');
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (let guard = 0; ; guard++) {
      if (guard > 100_000) throw new Fail();
      const a = mk('arglist', this.expression());
      if (last) last.r = a;
      else first = a;
      last = a;
      if (this.check(term)) break;
      if (this.peek() === '') throw new Fail();
    }
    return first as Comp;
  }

  unresolvedName(): Comp {
    this.pos += 2; // sr
    const c = this.peek();
    let type: Comp;
    if (this.unresolvedState && (isDigit(c) || isLower(c) || c === 'C' || c === 'U' || c === 'L')) {
      this.unresolvedState = -1;
      type = this.prefix(false);
      this.check('E');
    } else type = this.type();
    let nm = this.unqualifiedName(type);
    if (this.peek() === 'I') nm = mk('template', nm, this.templateArgs());
    return nm;
  }

  expression(): Comp {
    const was = this.isExpression;
    this.isExpression = true;
    try {
      return this.expression1();
    } finally {
      this.isExpression = was;
    }
  }

  expression1(): Comp {
    this.enter();
    try {
      return this.expressionInner();
    } finally {
      this.leave();
    }
  }

  private expressionInner(): Comp {
    const c = this.peek();
    const c1 = this.peek(1);
    if (c === 'L') return this.exprPrimary();
    if (c === 'T') return this.templateParam();
    if (c === 's' && c1 === 'r') return this.unresolvedName();
    if (c === 's' && c1 === 'p') {
      this.pos += 2;
      return mk('pack', this.expression1());
    }
    if (c === 'f' && c1 === 'p') {
      this.pos += 2;
      let index: number;
      if (this.check('T')) index = 0;
      else index = this.compactNumber() + 1;
      const f = mk('fparam');
      f.n = index;
      return f;
    }
    if (isDigit(c) || (c === 'o' && c1 === 'n')) {
      if (c === 'o') this.pos += 2;
      const nm = this.unqualifiedName(null);
      if (this.peek() === 'I') return mk('template', nm, this.templateArgs());
      return nm;
    }
    if ((c === 'i' || c === 't') && c1 === 'l') {
      this.pos += 2;
      const type = c === 't' ? this.type() : null;
      if (this.peek() === '' || this.peek(1) === '') throw new Fail();
      return mk('initlist', type, this.exprList('E'));
    }
    if (c === 'u') {
      this.pos++;
      const nm = this.sourceName();
      return mk('vendor_expr', nm, this.templateArgs1());
    }
    const op = this.operatorName();
    let code: string | null = null;
    let args: number;
    if (op.t === 'operator') {
      code = (op.op as OpInfo).code;
      if (code === 'st') return mk('unary', op, this.type());
      args = (op.op as OpInfo).args;
    } else if (op.t === 'extoperator') args = op.n;
    else if (op.t === 'cast') args = 1;
    else throw new Fail();
    switch (args) {
      case 0:
        return mk('nullary', op);
      case 1: {
        let suffix = false;
        if (code && (code[0] === 'p' || code[0] === 'm') && code[1] === code[0]) suffix = !this.check('_');
        let operand: Comp;
        if (op.t === 'cast' && this.check('_')) operand = this.exprList('E');
        else if (code === 'sP') operand = this.templateArgs1();
        else operand = this.expression1();
        if (suffix) operand = mk('binary_args', operand, operand);
        return mk('unary', op, operand);
      }
      case 2: {
        if (!code) throw new Fail();
        let left: Comp;
        if (isNewCast(op)) left = this.type();
        else if (code[0] === 'f') left = this.operatorName();
        else if (code === 'di') left = this.unqualifiedName(null);
        else left = this.expression1();
        let right: Comp;
        if (code === 'cl') right = this.exprList('E');
        else if (code === 'dt' || code === 'pt') {
          const p0 = this.peek();
          const p1 = this.peek(1);
          if ((p0 === 'g' && p1 === 's') || (p0 === 's' && p1 === 'r')) right = this.expression1();
          else {
            right = this.unqualifiedName(null);
            if (this.peek() === 'I') right = mk('template', right, this.templateArgs());
          }
        } else right = this.expression1();
        return mk('binary', op, mk('binary_args', left, right));
      }
      case 3: {
        if (!code) throw new Fail();
        let first: Comp | null;
        let second: Comp;
        let third: Comp | null;
        if (code === 'qu' || code === 'dX') {
          first = this.expression1();
          second = this.expression1();
          third = this.expression1();
        } else if (code[0] === 'f') {
          first = this.operatorName();
          second = this.expression1();
          third = this.expression1();
        } else if (code[0] === 'n') {
          if (code[1] !== 'w' && code[1] !== 'a') throw new Fail();
          first = this.exprList('_');
          second = this.type();
          if (this.check('E')) third = null;
          else if (this.peek() === 'p' && this.peek(1) === 'i') {
            this.pos += 2;
            third = this.exprList('E');
          } else if (this.peek() === 'i' && this.peek(1) === 'l') third = this.expression1();
          else throw new Fail();
        } else throw new Fail();
        return mk('trinary', op, mk('trinary_arg1', first, mk('trinary_arg2', second, third)));
      }
      default:
        throw new Fail();
    }
  }

  exprPrimary(): Comp {
    this.need('L');
    let ret: Comp;
    if (this.peek() === '_' || this.peek() === 'Z') ret = this.mangledName(false);
    else {
      const type = this.type();
      if (type.t === 'builtin' && type.bt?.name === 'decltype(nullptr)' && this.peek() === 'E') {
        this.pos++;
        return type;
      }
      let t: CT = 'literal';
      if (this.check('n')) t = 'literal_neg';
      const start = this.pos;
      while (this.peek() !== 'E') {
        if (this.peek() === '') throw new Fail();
        this.pos++;
      }
      ret = mk(t, type, mkName(this.s.slice(start, this.pos)));
    }
    this.need('E');
    return ret;
  }

  localName(): Comp {
    this.need('Z');
    const fn = this.encoding(false);
    this.need('E');
    let nm: Comp;
    if (this.check('s')) {
      this.discriminator();
      nm = mkName('string literal');
    } else {
      let num = -1;
      if (this.check('d')) num = this.compactNumber();
      nm = this.name(false);
      if (nm.t !== 'lambda' && nm.t !== 'unnamed') this.discriminator();
      if (num >= 0) {
        const d = mk('default_arg', nm);
        d.n = num;
        nm = d;
      }
    }
    if (fn.t === 'typed' && fn.r?.t === 'functype') fn.r.l = null;
    return mk('local', fn, nm);
  }

  discriminator(): void {
    if (!this.check('_')) return;
    let under = 1;
    if (this.check('_')) under++;
    const d = this.number();
    if (d < 0) throw new Fail();
    if (under > 1 && d >= 10) this.need('_');
  }

  templateParm(): Comp | null {
    if (this.peek() !== 'T') return null;
    switch (this.peek(1)) {
      case 'p': {
        this.pos += 2;
        const op = this.templateParm();
        if (!op) throw new Fail();
        return mk('tpack_parm', op);
      }
      case 'y':
        this.pos += 2;
        return mk('ttype_parm');
      case 'n':
        this.pos += 2;
        return mk('tnontype_parm', this.type());
      case 't': {
        this.pos += 2;
        const head = this.templateHead();
        if (!head) throw new Fail();
        this.need('E');
        return mk('ttemplate_parm', head);
      }
      default:
        return null;
    }
  }

  templateHead(): Comp | null {
    let first: Comp | null = null;
    let last: Comp | null = null;
    for (let op = this.templateParm(); op; op = this.templateParm()) {
      if (last) last.r = op;
      else first = op;
      last = op;
    }
    return first ? mk('template_head', first) : null;
  }

  lambda(): Comp {
    this.need('U');
    this.need('l');
    const head = this.templateHead();
    let tl = this.parmlist();
    if (head) {
      head.r = tl;
      tl = head;
    }
    this.need('E');
    const num = this.compactNumber();
    const ret = mk('lambda', tl);
    ret.n = num;
    return ret;
  }

  unnamedType(): Comp {
    this.need('U');
    this.need('t');
    const ret = mk('unnamed');
    ret.n = this.compactNumber();
    this.addSub(ret);
    return ret;
  }

  substitution(prefix: boolean): Comp {
    this.need('S');
    const c = this.next();
    if (c === '_' || isDigit(c) || isUpper(c)) {
      let id = 0;
      if (c !== '_') {
        let ch = c;
        for (let k = 0; ch !== '_'; k++) {
          if (k > 8) throw new Fail();
          if (isDigit(ch)) id = id * 36 + ch.charCodeAt(0) - 48;
          else if (isUpper(ch)) id = id * 36 + ch.charCodeAt(0) - 55;
          else throw new Fail();
          ch = this.next();
        }
        id++;
      }
      const sub = this.subs[id];
      if (!sub) throw new Fail();
      return sub;
    }
    const std = STD_SUBS[c];
    if (!std) throw new Fail();
    let verbose = this.verbose;
    if (!verbose && prefix) {
      const p = this.peek();
      if (p === 'C' || p === 'D') verbose = true;
    }
    if (std[2] !== null) this.lastName = subComp(std[2]);
    let dc = subComp(verbose ? std[1] : std[0]);
    if (this.peek() === 'B') {
      dc = this.abiTags(dc);
      this.addSub(dc);
    }
    return dc;
  }
}

function subComp(s: string): Comp {
  const c = mk('sub');
  c.s = s;
  return c;
}

function isNewCast(op: Comp): boolean {
  const code = op.op?.code ?? '';
  return code[1] === 'c' && (code[0] === 's' || code[0] === 'd' || code[0] === 'c' || code[0] === 'r');
}

function isCtorDtorOrConversion(dc: Comp | null): boolean {
  if (!dc) return false;
  switch (dc.t) {
    case 'qual':
    case 'local':
      return isCtorDtorOrConversion(dc.r);
    case 'ctor':
    case 'dtor':
    case 'conversion':
      return true;
    default:
      return false;
  }
}

function hasReturnType(dc: Comp | null): boolean {
  if (!dc) return false;
  if (dc.t === 'local') return hasReturnType(dc.r);
  if (dc.t === 'template') return !isCtorDtorOrConversion(dc.l);
  if (FNQUAL.has(dc.t)) return hasReturnType(dc.l);
  return false;
}

// ---------------------------------------------------------------- printing

interface TemplateFrame {
  next: TemplateFrame | null;
  decl: Comp | null;
}

interface ModFrame {
  next: ModFrame | null;
  mod: Comp;
  printed: boolean;
  templates: TemplateFrame | null;
}

interface StackFrame {
  dc: Comp;
  parent: StackFrame | null;
}

class Printer {
  out = '';
  /**
   * The last character appended. Like libiberty's, it is not rewound when an empty pack's
   * ", " is taken back, so `X<a, >` closes as `X<a>` but a following `>` gets no space:
   * c++filt prints `std::_Tuple_impl<1ul, std::default_delete<W>>` there.
   */
  lastChar = '';
  templates: TemplateFrame | null = null;
  modifiers: ModFrame | null = null;
  packIndex = 0;
  lambdaTplParms = 0;
  currentTemplate: Comp | null = null;
  savedScopes: { container: Comp; templates: TemplateFrame | null }[] = [];
  stack: StackFrame | null = null;
  depth = 0;
  failed = false;

  last(): string {
    return this.lastChar;
  }
  put(s: string): void {
    if (s.length === 0) return;
    this.out += s;
    this.lastChar = s[s.length - 1];
    if (this.out.length > MAX_OUTPUT) throw new Fail();
  }
  error(): void {
    this.failed = true;
    throw new Fail();
  }

  comp(dc: Comp | null): void {
    if (!dc || dc.printing > 1 || this.depth > PRINT_DEPTH_LIMIT) this.error();
    const d = dc as Comp;
    d.printing++;
    this.depth++;
    const self: StackFrame = { dc: d, parent: this.stack };
    this.stack = self;
    try {
      this.inner(d);
    } finally {
      this.stack = self.parent;
      d.printing--;
      this.depth--;
    }
  }

  lookupTemplateArg(dc: Comp): Comp | null {
    if (!this.templates || !this.templates.decl) this.error();
    return indexTemplateArg((this.templates as TemplateFrame).decl?.r ?? null, dc.n);
  }

  findPack(dc: Comp | null): Comp | null {
    if (!dc) return null;
    switch (dc.t) {
      case 'tparam': {
        const a = this.lookupTemplateArg(dc);
        return a && a.t === 'targlist' ? a : null;
      }
      case 'pack':
      case 'lambda':
      case 'name':
      case 'tagged':
      case 'operator':
      case 'builtin':
      case 'extbuiltin':
      case 'sub':
      case 'fparam':
      case 'unnamed':
      case 'default_arg':
      case 'number':
        return null;
      case 'extoperator':
      case 'ctor':
      case 'dtor':
        return this.findPack(dc.l);
      default:
        return this.findPack(dc.l) ?? this.findPack(dc.r);
    }
  }

  argsLength(dc: Comp | null): number {
    let count = 0;
    for (; dc && dc.t === 'targlist'; dc = dc.r) {
      const elt = dc.l;
      if (!elt) break;
      if (elt.t === 'pack') count += packLength(this.findPack(elt.l));
      else count++;
    }
    return count;
  }

  subexpr(dc: Comp): void {
    const simple = dc.t === 'name' || dc.t === 'qual' || dc.t === 'initlist' || dc.t === 'fparam';
    if (!simple) this.put('(');
    this.comp(dc);
    if (!simple) this.put(')');
  }

  exprOp(dc: Comp): void {
    if (dc.t === 'operator') this.put((dc.op as OpInfo).name);
    else this.comp(dc);
  }

  private inner(dc: Comp): void {
    let modInner: Comp | null = null;
    let savedTemplates: TemplateFrame | null = null;
    let needRestore = false;
    switch (dc.t) {
      case 'name':
        this.put(dc.s);
        return;
      case 'tagged':
        this.comp(dc.l);
        this.put('[abi:');
        this.comp(dc.r);
        this.put(']');
        return;
      case 'binding': {
        this.put('[');
        let p: Comp | null = dc;
        for (;;) {
          this.comp((p as Comp).l);
          p = (p as Comp).r;
          if (!p) break;
          this.put(', ');
        }
        this.put(']');
        return;
      }
      case 'qual':
      case 'local': {
        this.comp(dc.l);
        this.put('::');
        let ln = dc.r as Comp;
        if (ln.t === 'default_arg') {
          this.put(`{default arg#${ln.n + 1}}::`);
          ln = ln.l as Comp;
        }
        this.comp(ln);
        return;
      }
      case 'typed': {
        const hold = this.modifiers;
        this.modifiers = null;
        const adpm: ModFrame[] = [];
        let typed = dc.l;
        while (typed) {
          if (adpm.length >= 4) this.error();
          const f: ModFrame = { next: this.modifiers, mod: typed, printed: false, templates: this.templates };
          adpm.push(f);
          this.modifiers = f;
          if (!FNQUAL.has(typed.t)) break;
          typed = typed.l;
        }
        if (!typed) this.error();
        let tn = typed as Comp;
        if (tn.t === 'local') {
          let r = tn.r as Comp;
          if (r.t === 'default_arg') r = r.l as Comp;
          while (r && FNQUAL.has(r.t)) {
            if (adpm.length >= 4) this.error();
            const prev = adpm[adpm.length - 1];
            const moved: ModFrame = { ...prev, next: prev };
            adpm.push(moved);
            this.modifiers = moved;
            prev.mod = r;
            prev.printed = false;
            prev.templates = this.templates;
            r = r.l as Comp;
          }
          if (!r) this.error();
          tn = r;
        }
        let pushed = false;
        if (tn.t === 'template') {
          this.templates = { next: this.templates, decl: tn };
          pushed = true;
          const tnr = tn.r;
          if (tnr && tnr.t === 'constraints') {
            tn.r = tnr.l;
            tnr.l = dc.r;
            dc.r = tnr;
          }
        }
        this.comp(dc.r);
        if (pushed) this.templates = (this.templates as TemplateFrame).next;
        for (let i = adpm.length - 1; i >= 0; i--) {
          if (!adpm[i].printed) {
            this.put(' ');
            this.mod(adpm[i].mod);
          }
        }
        this.modifiers = hold;
        return;
      }
      case 'template': {
        const holdCurrent = this.currentTemplate;
        this.currentTemplate = dc;
        const holdMods = this.modifiers;
        this.modifiers = null;
        this.comp(dc.l);
        if (this.last() === '<') this.put(' ');
        this.put('<');
        this.comp(dc.r);
        if (this.last() === '>') this.put(' ');
        this.put('>');
        this.modifiers = holdMods;
        this.currentTemplate = holdCurrent;
        return;
      }
      case 'tparam': {
        if (this.lambdaTplParms > dc.n + 1) {
          let a: Comp | null = this.templates?.decl?.l ?? null;
          for (let c = dc.n; a && c; c--) a = a.r;
          if (a && a.t === 'tpack_parm') a = a.l;
          if (!a) this.error();
          this.lambdaParmName((a as Comp).t, dc.n);
        } else if (this.lambdaTplParms) {
          this.put(`auto:${dc.n + 1}`);
        } else {
          let a = this.lookupTemplateArg(dc);
          if (a && a.t === 'targlist') a = indexTemplateArg(a, this.packIndex);
          if (!a) this.error();
          const hold = this.templates as TemplateFrame;
          this.templates = hold.next;
          this.comp(a);
          this.templates = hold;
        }
        return;
      }
      case 'ctor':
        this.comp(dc.l);
        return;
      case 'dtor':
        this.put('~');
        this.comp(dc.l);
        return;
      case 'special':
        this.put(dc.s);
        this.comp(dc.l);
        return;
      case 'cvtable':
        this.put('construction vtable for ');
        this.comp(dc.l);
        this.put('-in-');
        this.comp(dc.r);
        return;
      case 'reftemp':
        this.put('reference temporary #');
        this.comp(dc.r);
        this.put(' for ');
        this.comp(dc.l);
        return;
      case 'sub':
        this.put(dc.s);
        return;
      case 'restrict':
      case 'volatile':
      case 'const': {
        for (let p = this.modifiers; p; p = p.next) {
          if (!p.printed) {
            if (p.mod.t !== 'restrict' && p.mod.t !== 'volatile' && p.mod.t !== 'const') break;
            if (p.mod.t === dc.t) {
              this.comp(dc.l);
              return;
            }
          }
        }
        break; // to the modifier code below
      }
      case 'ref':
      case 'rref': {
        let sub = dc.l as Comp;
        if (!this.lambdaTplParms && sub.t === 'tparam') {
          const scope = this.savedScopes.find((s) => s.container === sub);
          if (!scope) {
            this.savedScopes.push({ container: sub, templates: copyTemplates(this.templates) });
          } else {
            let found = false;
            for (let f = this.stack; f; f = f.parent) {
              if (f.dc === sub || (f.dc === dc && f !== this.stack)) {
                found = true;
                break;
              }
            }
            if (!found) {
              savedTemplates = this.templates;
              this.templates = scope.templates;
              needRestore = true;
            }
          }
          let a = this.lookupTemplateArg(sub);
          if (a && a.t === 'targlist') a = indexTemplateArg(a, this.packIndex);
          if (!a) {
            if (needRestore) this.templates = savedTemplates;
            this.error();
          }
          sub = a as Comp;
        }
        if (sub.t === 'ref' || sub.t === dc.t) dc = sub;
        else if (sub.t === 'rref') modInner = sub.l;
        break;
      }
      case 'vendor_qual':
      case 'pointer':
      case 'complex':
      case 'imaginary':
        break;
      case 'builtin':
        this.put((dc.bt as Builtin).name);
        return;
      case 'extbuiltin':
        this.put(`${(dc.bt as Builtin).name}${dc.n}${dc.suffix}`);
        return;
      case 'vendor_type':
        this.comp(dc.l);
        return;
      case 'functype': {
        if (dc.l) {
          const f: ModFrame = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
          this.modifiers = f;
          this.comp(dc.l);
          this.modifiers = f.next;
          if (f.printed) return;
          this.put(' ');
        }
        this.functionType(dc, this.modifiers);
        return;
      }
      case 'arraytype': {
        const hold = this.modifiers;
        const adpm: ModFrame[] = [{ next: hold, mod: dc, printed: false, templates: this.templates }];
        this.modifiers = adpm[0];
        for (let p = hold; p && (p.mod.t === 'restrict' || p.mod.t === 'volatile' || p.mod.t === 'const'); p = p.next) {
          if (!p.printed) {
            if (adpm.length >= 4) this.error();
            const copy: ModFrame = { ...p, next: this.modifiers };
            adpm.push(copy);
            this.modifiers = copy;
            p.printed = true;
          }
        }
        this.comp(dc.r);
        this.modifiers = hold;
        if (adpm[0].printed) return;
        for (let i = adpm.length - 1; i >= 1; i--) this.mod(adpm[i].mod);
        this.arrayType(dc, this.modifiers);
        return;
      }
      case 'ptrmem':
      case 'vectype': {
        const f: ModFrame = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
        this.modifiers = f;
        this.comp(dc.r);
        if (!f.printed) this.mod(dc);
        this.modifiers = f.next;
        return;
      }
      case 'arglist':
      case 'targlist': {
        if (dc.l) this.comp(dc.l);
        if (dc.r) {
          this.put(', ');
          const len = this.out.length;
          this.comp(dc.r);
          if (this.out.length === len) this.out = this.out.slice(0, -2);
        }
        return;
      }
      case 'initlist':
        if (dc.l) this.comp(dc.l);
        this.put('{');
        this.comp(dc.r);
        this.put('}');
        return;
      case 'operator': {
        const op = dc.op as OpInfo;
        this.put('operator');
        if (isLower(op.name[0])) this.put(' ');
        this.put(op.name.endsWith(' ') ? op.name.slice(0, -1) : op.name);
        return;
      }
      case 'extoperator':
        this.put('operator ');
        this.comp(dc.l);
        return;
      case 'conversion':
        this.put('operator ');
        this.conversion(dc);
        return;
      case 'nullary':
        this.exprOp(dc.l as Comp);
        return;
      case 'unary': {
        const op = dc.l as Comp;
        let operand = dc.r as Comp;
        let code: string | null = null;
        if (op.t === 'operator') {
          code = (op.op as OpInfo).code;
          if (code === 'ad' && operand.t === 'typed' && operand.l?.t === 'qual' && operand.r?.t === 'functype') operand = operand.l;
          if (operand.t === 'binary_args') {
            this.subexpr(operand.l as Comp);
            this.exprOp(op);
            return;
          }
        }
        if (code === 'sZ') {
          this.put(String(packLength(this.findPack(operand))));
          return;
        }
        if (code === 'sP') {
          this.put(String(this.argsLength(operand)));
          return;
        }
        if (op.t !== 'cast') this.exprOp(op);
        else {
          this.put('(');
          this.comp(op.l);
          this.put(')');
        }
        if (code === 'gs') this.comp(operand);
        else if (code === 'st' || code === 'nx') {
          this.put('(');
          this.comp(operand);
          this.put(')');
        } else this.subexpr(operand);
        return;
      }
      case 'binary': {
        const op = dc.l as Comp;
        const args = dc.r as Comp;
        if (args.t !== 'binary_args') this.error();
        if (isNewCast(op)) {
          this.exprOp(op);
          this.put('<');
          this.comp(args.l);
          this.put('>(');
          this.comp(args.r);
          this.put(')');
          return;
        }
        if (this.foldExpression(dc)) return;
        if (this.designatedInit(dc)) return;
        const gt = op.t === 'operator' && (op.op as OpInfo).name === '>';
        if (gt) this.put('(');
        const code = op.op?.code ?? '';
        if (code === 'cl' && args.l?.t === 'typed') {
          const func = args.l;
          if (func.r?.t !== 'functype') this.error();
          this.subexpr(func.l as Comp);
        } else this.subexpr(args.l as Comp);
        if (code === 'ix') {
          this.put('[');
          this.comp(args.r);
          this.put(']');
        } else {
          if (code !== 'cl') this.exprOp(op);
          this.subexpr(args.r as Comp);
        }
        if (gt) this.put(')');
        return;
      }
      case 'trinary': {
        const a1 = dc.r as Comp;
        if (a1.t !== 'trinary_arg1' || a1.r?.t !== 'trinary_arg2') this.error();
        if (this.foldExpression(dc)) return;
        if (this.designatedInit(dc)) return;
        const op = dc.l as Comp;
        const first = a1.l;
        const second = (a1.r as Comp).l;
        const third = (a1.r as Comp).r;
        if (op.op?.code === 'qu') {
          this.subexpr(first as Comp);
          this.exprOp(op);
          this.subexpr(second as Comp);
          this.put(' : ');
          this.subexpr(third as Comp);
        } else {
          this.put('new ');
          if (first && first.l) {
            this.subexpr(first);
            this.put(' ');
          }
          this.comp(second);
          if (third) this.subexpr(third);
        }
        return;
      }
      case 'literal':
      case 'literal_neg': {
        const type = dc.l as Comp;
        const value = dc.r as Comp;
        let tp: PrintKind = 'default';
        if (type.t === 'builtin') {
          tp = (type.bt as Builtin).print;
          const suffix: Partial<Record<PrintKind, string>> = { int: '', unsigned: 'u', long: 'l', ulong: 'ul', longlong: 'll', ulonglong: 'ull' };
          if (suffix[tp] !== undefined && value.t === 'name') {
            if (dc.t === 'literal_neg') this.put('-');
            this.comp(value);
            this.put(suffix[tp] as string);
            return;
          }
          if (tp === 'bool' && value.t === 'name' && value.s.length === 1 && dc.t === 'literal') {
            if (value.s === '0') {
              this.put('false');
              return;
            }
            if (value.s === '1') {
              this.put('true');
              return;
            }
          }
        }
        this.put('(');
        this.comp(type);
        this.put(')');
        if (dc.t === 'literal_neg') this.put('-');
        if (tp === 'float') this.put('[');
        this.comp(value);
        if (tp === 'float') this.put(']');
        return;
      }
      case 'vendor_expr':
        this.comp(dc.l);
        this.put('(');
        this.comp(dc.r);
        this.put(')');
        return;
      case 'number':
        this.put(String(dc.n));
        return;
      case 'decltype':
        this.put('decltype (');
        this.comp(dc.l);
        this.put(')');
        return;
      case 'pack': {
        const a = this.lambdaTplParms ? null : this.findPack(dc.l);
        if (!a) {
          this.subexpr(dc.l as Comp);
          this.put('...');
        } else {
          const len = packLength(a);
          const pattern = dc.l as Comp;
          for (let i = 0; i < len; i++) {
            if (i) this.put(', ');
            this.packIndex = i;
            this.comp(pattern);
          }
        }
        return;
      }
      case 'fparam':
        this.put(dc.n === 0 ? 'this' : `{parm#${dc.n}}`);
        return;
      case 'global_ctors':
        this.put('global constructors keyed to ');
        this.comp(dc.l);
        return;
      case 'global_dtors':
        this.put('global destructors keyed to ');
        this.comp(dc.l);
        return;
      case 'lambda': {
        this.put('{lambda');
        let parms = dc.l;
        const saved = this.lambdaTplParms;
        this.lambdaTplParms = 0;
        const frame: TemplateFrame = { next: this.templates, decl: null };
        this.templates = frame;
        if (parms && parms.t === 'template_head') {
          frame.decl = parms;
          this.put('<');
          for (let parm: Comp | null = parms.l; parm; parm = parm.r) {
            if (this.lambdaTplParms++) this.put(', ');
            this.comp(parm);
            this.put(' ');
            const kind = parm.t === 'tpack_parm' ? (parm.l as Comp).t : parm.t;
            this.lambdaParmName(kind, this.lambdaTplParms - 1);
          }
          this.put('>');
          parms = parms.r;
        }
        this.lambdaTplParms++;
        this.put('(');
        if (parms) this.comp(parms);
        this.lambdaTplParms = saved;
        this.templates = frame.next;
        this.put(`)#${dc.n + 1}}`);
        return;
      }
      case 'unnamed':
        this.put(`{unnamed type#${dc.n + 1}}`);
        return;
      case 'clone':
        this.comp(dc.l);
        this.put(' [clone ');
        this.comp(dc.r);
        this.put(']');
        return;
      case 'friend':
        this.comp(dc.l);
        this.put('[friend]');
        return;
      case 'template_head': {
        this.put('<');
        let count = 0;
        for (let p: Comp | null = dc.l; p; p = p.r) {
          if (count++) this.put(', ');
          this.comp(p);
        }
        this.put('>');
        return;
      }
      case 'ttype_parm':
        this.put('typename');
        return;
      case 'tnontype_parm':
        this.comp(dc.l);
        return;
      case 'ttemplate_parm':
        this.put('template');
        this.comp(dc.l);
        this.put(' class');
        return;
      case 'tpack_parm':
        this.comp(dc.l);
        this.put('...');
        return;
      case 'constraints':
        this.comp(dc.l);
        this.put(' requires ');
        this.comp(dc.r);
        return;
      default:
        if (FNQUAL.has(dc.t)) break;
        this.error();
    }
    // Modifiers: pointer, references, cv-qualifiers, function qualifiers, vendor qualifiers.
    const f: ModFrame = { next: this.modifiers, mod: dc, printed: false, templates: this.templates };
    this.modifiers = f;
    this.comp(modInner ?? dc.l);
    if (!f.printed) this.mod(dc);
    this.modifiers = f.next;
    if (needRestore) this.templates = savedTemplates;
  }

  lambdaParmName(kind: CT, index: number): void {
    const prefix = kind === 'ttype_parm' ? '$T' : kind === 'tnontype_parm' ? '$N' : kind === 'ttemplate_parm' ? '$TT' : null;
    if (prefix === null) this.error();
    this.put(`${prefix}${index}`);
  }

  foldExpression(dc: Comp): boolean {
    const code = dc.l?.op?.code ?? '';
    if (code[0] !== 'f') return false;
    const ops = dc.r as Comp;
    const operator = ops.l as Comp;
    let op1 = ops.r as Comp;
    let op2: Comp | null = null;
    if (op1.t === 'trinary_arg2') {
      op2 = op1.r;
      op1 = op1.l as Comp;
    }
    const save = this.packIndex;
    this.packIndex = -1;
    switch (code[1]) {
      case 'l':
        this.put('(...');
        this.exprOp(operator);
        this.subexpr(op1);
        this.put(')');
        break;
      case 'r':
        this.put('(');
        this.subexpr(op1);
        this.exprOp(operator);
        this.put('...)');
        break;
      case 'L':
      case 'R':
        this.put('(');
        this.subexpr(op1);
        this.exprOp(operator);
        this.put('...');
        this.exprOp(operator);
        this.subexpr(op2 as Comp);
        this.put(')');
        break;
    }
    this.packIndex = save;
    return true;
  }

  designatedInit(dc: Comp): boolean {
    if (!isDesignatedInit(dc)) return false;
    const code = (dc.l as Comp).op?.code ?? '';
    const operands = dc.r as Comp;
    const op1 = operands.l as Comp;
    let op2 = operands.r as Comp;
    this.put(code[1] === 'i' ? '.' : '[');
    this.comp(op1);
    if (code[1] === 'X') {
      this.put(' ... ');
      this.comp(op2.l);
      op2 = op2.r as Comp;
    }
    if (code[1] !== 'i') this.put(']');
    if (isDesignatedInit(op2)) this.comp(op2);
    else {
      this.put('=');
      this.subexpr(op2);
    }
    return true;
  }

  modList(mods: ModFrame | null, suffix: boolean): void {
    if (!mods) return;
    if (mods.printed || (!suffix && FNQUAL.has(mods.mod.t))) {
      this.modList(mods.next, suffix);
      return;
    }
    mods.printed = true;
    const hold = this.templates;
    this.templates = mods.templates;
    if (mods.mod.t === 'functype') {
      this.functionType(mods.mod, mods.next);
      this.templates = hold;
      return;
    }
    if (mods.mod.t === 'arraytype') {
      this.arrayType(mods.mod, mods.next);
      this.templates = hold;
      return;
    }
    if (mods.mod.t === 'local') {
      const holdMods = this.modifiers;
      this.modifiers = null;
      this.comp(mods.mod.l);
      this.modifiers = holdMods;
      this.put('::');
      let d = mods.mod.r as Comp;
      if (d.t === 'default_arg') {
        this.put(`{default arg#${d.n + 1}}::`);
        d = d.l as Comp;
      }
      while (FNQUAL.has(d.t)) d = d.l as Comp;
      this.comp(d);
      this.templates = hold;
      return;
    }
    this.mod(mods.mod);
    this.templates = hold;
    this.modList(mods.next, suffix);
  }

  mod(m: Comp): void {
    switch (m.t) {
      case 'restrict':
      case 'restrict_this':
        this.put(' restrict');
        return;
      case 'volatile':
      case 'volatile_this':
        this.put(' volatile');
        return;
      case 'const':
      case 'const_this':
        this.put(' const');
        return;
      case 'txsafe':
        this.put(' transaction_safe');
        return;
      case 'noexcept':
        this.put(' noexcept');
        if (m.r) {
          this.put('(');
          this.comp(m.r);
          this.put(')');
        }
        return;
      case 'throwspec':
        this.put(' throw');
        if (m.r) {
          this.put('(');
          this.comp(m.r);
          this.put(')');
        }
        return;
      case 'vendor_qual':
        this.put(' ');
        this.comp(m.r);
        return;
      case 'pointer':
        this.put('*');
        return;
      case 'ref_this':
        this.put(' &');
        return;
      case 'ref':
        this.put('&');
        return;
      case 'rref_this':
        this.put(' &&');
        return;
      case 'rref':
        this.put('&&');
        return;
      case 'xobj':
        return;
      case 'complex':
        this.put(' _Complex');
        return;
      case 'imaginary':
        this.put(' _Imaginary');
        return;
      case 'ptrmem':
        if (this.last() !== '(') this.put(' ');
        this.comp(m.l);
        this.put('::*');
        return;
      case 'typed':
        this.comp(m.l);
        return;
      case 'vectype':
        this.put(' __vector(');
        this.comp(m.l);
        this.put(')');
        return;
      default:
        this.comp(m);
    }
  }

  functionType(dc: Comp, mods: ModFrame | null): void {
    let needParen = false;
    let needSpace = false;
    let xobj = false;
    for (let p = mods; p; p = p.next) {
      if (p.printed) break;
      switch (p.mod.t) {
        case 'pointer':
        case 'ref':
        case 'rref':
          needParen = true;
          break;
        case 'restrict':
        case 'volatile':
        case 'const':
        case 'vendor_qual':
        case 'complex':
        case 'imaginary':
        case 'ptrmem':
          needSpace = true;
          needParen = true;
          break;
        case 'xobj':
          xobj = true;
          break;
        default:
          break;
      }
      if (needParen) break;
    }
    if (needParen) {
      if (!needSpace && this.last() !== '(' && this.last() !== '*') needSpace = true;
      if (needSpace && this.last() !== ' ') this.put(' ');
      this.put('(');
    }
    const hold = this.modifiers;
    this.modifiers = null;
    this.modList(mods, false);
    if (needParen) this.put(')');
    this.put('(');
    if (xobj) this.put('this ');
    if (dc.r) this.comp(dc.r);
    this.put(')');
    this.modList(mods, true);
    this.modifiers = hold;
  }

  arrayType(dc: Comp, mods: ModFrame | null): void {
    let needSpace = true;
    if (mods) {
      let needParen = false;
      for (let p: ModFrame | null = mods; p; p = p.next) {
        if (!p.printed) {
          if (p.mod.t === 'arraytype') needSpace = false;
          else {
            needParen = true;
            needSpace = true;
          }
          break;
        }
      }
      if (needParen) this.put(' (');
      this.modList(mods, false);
      if (needParen) this.put(')');
    }
    if (needSpace) this.put(' ');
    this.put('[');
    if (dc.l) this.comp(dc.l);
    this.put(']');
  }

  conversion(dc: Comp): void {
    let pushed = false;
    if (this.currentTemplate) {
      this.templates = { next: this.templates, decl: this.currentTemplate };
      pushed = true;
    }
    this.comp(dc.l);
    if (pushed) this.templates = (this.templates as TemplateFrame).next;
  }
}

function isDesignatedInit(dc: Comp): boolean {
  if (dc.t !== 'binary' && dc.t !== 'trinary') return false;
  const code = dc.l?.op?.code ?? '';
  return code[0] === 'd' && (code[1] === 'i' || code[1] === 'x' || code[1] === 'X');
}

function copyTemplates(t: TemplateFrame | null): TemplateFrame | null {
  if (!t) return null;
  return { decl: t.decl, next: copyTemplates(t.next) };
}

function indexTemplateArg(args: Comp | null, i: number): Comp | null {
  if (i < 0) return args;
  let a = args;
  for (; a; a = a.r) {
    if (a.t !== 'targlist') return null;
    if (i <= 0) break;
    i--;
  }
  if (i !== 0 || !a) return null;
  return a.l;
}

function packLength(dc: Comp | null): number {
  let count = 0;
  while (dc && dc.t === 'targlist' && dc.l) {
    count++;
    dc = dc.r;
  }
  return count;
}

export interface ItaniumOptions {
  /** Spell out std::string & co. as c++filt does (default true); false prints them short, as gdb does. */
  verbose?: boolean;
}

/**
 * Demangles an Itanium C++ ABI name (`_Z…`, or `_GLOBAL__I_…`), as c++filt prints it.
 * Returns null when the name is not a valid mangled name (the caller keeps the raw name).
 */
export function demangleItanium(mangled: string, opts: ItaniumOptions = {}): string | null {
  if (mangled.length > MAX_INPUT) return null;
  const verbose = opts.verbose ?? true;
  let kind: 'mangled' | 'ctors' | 'dtors';
  if (mangled.startsWith('_Z')) kind = 'mangled';
  else if (/^_GLOBAL_[._$][DI]_/.test(mangled)) kind = mangled[9] === 'I' ? 'ctors' : 'dtors';
  else return null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const p = new Parser(mangled, verbose);
    if (attempt === 1) p.unresolvedState = 0;
    let dc: Comp | null;
    try {
      if (kind === 'mangled') dc = p.mangledName(true);
      else {
        p.pos = 11;
        const rest = mangled.slice(11);
        let inner: Comp;
        if (rest.startsWith('_Z')) {
          p.pos += 2;
          inner = p.encoding(false);
        } else {
          inner = mkName(rest);
          p.pos = mangled.length;
        }
        dc = mk(kind === 'ctors' ? 'global_ctors' : 'global_dtors', inner);
      }
      if (p.pos !== mangled.length) dc = null;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      dc = null;
    }
    if (!dc) {
      if (p.unresolvedState === -1) continue;
      return null;
    }
    const pr = new Printer();
    try {
      pr.comp(dc);
      return pr.out;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      return null;
    }
  }
  return null;
}

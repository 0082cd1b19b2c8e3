// Demangling checked against c++filt on every mangled name of a C++ program built here
// (namespaces, templates, lambdas, operators, std::map/std::function instantiations, ABI tags,
// vtables and typeinfo), and against rustc-demangle's documented outputs for Rust.
import { describe, expect, test } from 'vitest';
import { compile, haveTool } from '../../helpers/native';
import { demangle, nameLanguage } from '../../../main/core/symbols';
import { CXXPROG_CPP, nm, run } from './programs';

const hasTools = haveTool('g++') && haveTool('c++filt') && haveTool('nm');

describe.skipIf(!hasTools)('demangle vs c++filt', () => {
  test('every mangled name of a C++ program demangles as c++filt prints it', () => {
    const exe = compile('cxxprog', CXXPROG_CPP, { cxx: true, flags: ['-g', '-O0', '-std=c++17'] });
    const names = [...new Set(nm(exe).map((s) => s.name))].filter((n) => n.startsWith('_Z'));
    expect(names.length).toBeGreaterThan(100);
    // Make sure the interesting shapes are there, so the comparison means something.
    const expected = run('c++filt', [], names.join('\n') + '\n').split('\n');
    const ours = names.map((n) => demangle(n));
    const joined = ours.join('\n');
    expect(joined).toContain('outer_ns::inner::Box<int>::get() const');
    expect(joined).toContain('{lambda(int)#1}');
    expect(joined).toContain('outer_ns::inner::Widget::operator+=(outer_ns::inner::Widget const&)');
    expect(joined).toMatch(/\[abi:cxx11\]/);
    expect(joined).toContain('vtable for outer_ns::inner::Widget');
    const diffs = names.map((n, i) => ({ n, ours: ours[i], cxxfilt: expected[i] })).filter((d) => d.ours !== d.cxxfilt);
    expect(diffs).toEqual([]);
  });

  test('every mangled name libstdc++ exports demangles as c++filt prints it', () => {
    const lib = run('g++', ['-print-file-name=libstdc++.so.6']).trim();
    const names = [...new Set(nm(lib, true).map((s) => s.name.replace(/@.*$/, '')))].filter((n) => n.startsWith('_Z'));
    expect(names.length).toBeGreaterThan(1000);
    const expected = run('c++filt', [], names.join('\n') + '\n').split('\n');
    const diffs = names.map((n, i) => ({ n, ours: demangle(n), cxxfilt: expected[i] })).filter((d) => d.ours !== d.cxxfilt);
    expect(diffs).toEqual([]);
  });

  test('GCC clone suffixes and ELF versions', () => {
    const names = ['_ZN2ns3fooEi.isra.0', '_ZN2ns3fooEi.cold', '_ZN2ns3fooEi.constprop.0.isra.0', '_ZNSt6vectorIiSaIiEE9push_backERKi@@GLIBCXX_3.4'];
    const expected = run('c++filt', [], names.join('\n') + '\n').split('\n');
    names.forEach((n, i) => expect(demangle(n)).toBe(expected[i]));
  });
});

describe('demangle', () => {
  test('plain C names and near misses stay as they are', () => {
    for (const n of ['main', '__GI___pthread_mutex_lock', '_start', '_Z', '_R', '__libc_start_main', '_ZZZ_not_valid']) expect(demangle(n)).toBe(n);
  });

  test('Rust legacy and v0 names (rustc-demangle alternate format, without hashes)', () => {
    expect(demangle('_ZN4core3ptr13drop_in_place17h0123456789abcdefE')).toBe('core::ptr::drop_in_place');
    expect(demangle('_ZN3foo3bar17h05af221e174051e9E')).toBe('foo::bar');
    expect(demangle('_RNvCs1234_7mycrate3foo')).toBe('mycrate::foo');
    expect(demangle('_RNvNtCs1234_7mycrate4util6helper')).toBe('mycrate::util::helper');
    expect(nameLanguage('_ZN3foo3bar17h05af221e174051e9E')).toBe('rust-legacy');
    expect(nameLanguage('_RNvCs1234_7mycrate3foo')).toBe('rust-v0');
    expect(nameLanguage('_ZN2ns3fooEi')).toBe('c++');
    expect(nameLanguage('pthread_mutex_lock')).toBe('c');
  });

  test('huge names are not demangled (bounded work)', () => {
    const huge = '_ZN' + '3abc'.repeat(10_000) + 'Ev';
    expect(demangle(huge)).toBe(huge);
  });
});

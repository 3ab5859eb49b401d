import { describe, expect, it } from 'vitest';
import { changedLines, lineDiff } from './line-diff';

const render = (before: string, after: string) =>
  lineDiff(before, after)
    .map((l) => `${l.op === 'same' ? ' ' : l.op === 'add' ? '+' : '-'}${l.text}`)
    .join('\n');

describe('lineDiff', () => {
  it('marks a changed middle line as removed and added, keeping the rest', () => {
    expect(render('a\nb\nc', 'a\nB\nc')).toBe(' a\n-b\n+B\n c');
  });

  it('handles additions and removals at both ends', () => {
    expect(render('b\nc', 'a\nb\nc\nd')).toBe('+a\n b\n c\n+d');
    expect(render('a\nb\nc', 'b')).toBe('-a\n b\n-c');
  });

  it('keeps the longest common subsequence when lines move', () => {
    const out = lineDiff('x\na\nb\nc', 'a\nb\nx\nc');
    expect(out.filter((l) => l.op === 'same').map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(out.filter((l) => l.op !== 'same')).toHaveLength(2);
  });

  it('treats an empty side as no lines', () => {
    expect(render('', 'new')).toBe('+new');
    expect(render('old', '')).toBe('-old');
    expect(lineDiff('', '')).toEqual([]);
  });

  it('normalises CRLF so a line-ending change alone is no change', () => {
    expect(changedLines('a\r\nb', 'a\nb')).not.toBeNull();
    expect(lineDiff('a\r\nb', 'a\nb').every((l) => l.op === 'same')).toBe(true);
  });

  it('says null when nothing changed', () => {
    expect(changedLines('same', 'same')).toBeNull();
  });

  it('falls back to replace-all for huge inputs instead of allocating a huge table', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    const out = lineDiff(a, b);
    expect(out.filter((l) => l.op === 'del')).toHaveLength(3000);
    expect(out.filter((l) => l.op === 'add')).toHaveLength(3000);
  });
});

import { describe, expect, it } from 'vitest';
import { GRAM_MARKER, gramBlock, indexedFragment, nameInitials, searchTerms } from '../../../electron/core/students/search-terms';
import { searchText } from '../../../electron/core/students/student-rows';
import { seededRandom } from '../../../shared/rules/sample';

/** What FTS5's trigram phrase finds in one student's terms: the fragment, padded to three characters, as a substring (case folded). */
const found = (terms: string, fragment: string) =>
  terms.toLowerCase().includes((fragment + GRAM_MARKER.repeat(Math.max(0, 3 - [...fragment].length))).toLowerCase());

describe('the search terms of one student', () => {
  it('packs the grams into one part and leaves out the ID number held in a 学籍号 of G + ID number', () => {
    expect(gramBlock('张英志')).toBe('张\u001f\u001f张英\u001f\u001f英志\u001f\u001f');
    expect(gramBlock('')).toBe('');
    expect(
      searchTerms('张英志', searchText({ name: '张英志', idNumber: '11010120000101123X', studentNumber: 'G11010120000101123X' })),
    ).toBe('张英志 G11010120000101123X zyz 张\u001f\u001f张英\u001f\u001f英志\u001f\u001f z\u001f\u001fzy\u001f\u001fyz\u001f\u001f');
    // A 学籍号 of its own keeps the ID number; a student with neither has only the name's parts.
    expect(searchTerms('李四', '李四 11010120000101123X L2026001').split(' ').slice(0, 3)).toEqual([
      '李四',
      '11010120000101123X',
      'L2026001',
    ]);
    expect(searchTerms('李四', '李四  ')).toBe('李四 ls 李\u001f\u001f李四\u001f\u001f l\u001f\u001fls\u001f\u001f');
  });

  it('answers every fragment as the search box promises, for 300 random students', () => {
    const rand = seededRandom(20261204);
    const pick = (s: string) => s[Math.floor(rand() * s.length)]!;
    const hanzi = '张王李赵刘陈杨黄周吴英志华明丽芳军伟敏静曾单乐子东晨馨阿依古';
    const digits = '0123456789';
    for (let n = 0; n < 300; n++) {
      const name = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(hanzi)).join('');
      const idNumber = rand() < 0.1 ? null : Array.from({ length: 17 }, () => pick(digits)).join('') + pick('0123456789X');
      const studentNumber =
        rand() < 0.2 ? null : rand() < 0.7 && idNumber ? `G${idNumber}` : `L${Array.from({ length: 8 }, () => pick(digits)).join('')}`;
      const text = searchText({ name, idNumber, studentNumber });
      const terms = searchTerms(name, text);
      const initials = nameInitials(name);
      const sources = [name, idNumber ?? '', studentNumber ?? '', initials];
      const fragments = new Set<string>(['G', 'L', 'x', `${name}${initials}`, `${name.slice(-1)}${(idNumber ?? '').slice(0, 2)}`]);
      for (const source of sources)
        for (let start = 0; start < source.length; start++)
          for (let length = 1; length <= 6 && start + length <= source.length; length++) fragments.add(source.slice(start, start + length));
      for (let i = 0; i < 20; i++) fragments.add(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(hanzi + digits)).join(''));
      // A number of one or two characters is not asked of the index (it scans).
      for (const fragment of [...fragments].filter(indexedFragment)) {
        // The oracle: from three characters a substring of the name, ID number, 学籍号 or initials; shorter, of the name or initials.
        const long = [...fragment].length >= 3;
        const inInitials = /^[a-z]+$/i.test(fragment) && initials.includes(fragment.toLowerCase());
        const expected = (long ? [name, idNumber ?? '', studentNumber ?? ''] : [name]).some((s) => s.includes(fragment)) || inInitials;
        expect({ name, text, fragment, found: found(terms, fragment) }).toEqual({ name, text, fragment, found: expected });
      }
    }
  });
});

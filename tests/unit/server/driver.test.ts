import { describe, expect, it } from 'vitest';
import { toPostgresPlaceholders } from '../../../src/server/db/driver';

describe('toPostgresPlaceholders', () => {
  it('numbers the placeholders in order', () => {
    expect(toPostgresPlaceholders('SELECT * FROM t WHERE a = ? AND b = ?')).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
  });

  it('counts past nine', () => {
    const sql = `INSERT INTO t VALUES (${Array.from({ length: 12 }, () => '?').join(', ')})`;
    expect(toPostgresPlaceholders(sql)).toBe(`INSERT INTO t VALUES (${Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ')})`);
  });

  it('leaves a question mark inside a string literal alone', () => {
    expect(toPostgresPlaceholders("SELECT '?' AS q, x FROM t WHERE a = ?")).toBe("SELECT '?' AS q, x FROM t WHERE a = $1");
  });

  it('leaves a question mark inside a quoted identifier alone', () => {
    expect(toPostgresPlaceholders('SELECT "odd?col" FROM t WHERE a = ?')).toBe('SELECT "odd?col" FROM t WHERE a = $1');
  });

  it('handles doubled quotes inside a literal', () => {
    expect(toPostgresPlaceholders("SELECT 'it''s ?' WHERE a = ? AND b = '?'")).toBe("SELECT 'it''s ?' WHERE a = $1 AND b = '?'");
  });

  it('does not let a double quote inside a single-quoted literal end it', () => {
    expect(toPostgresPlaceholders(`SELECT 'say "hi" ?' , ?`)).toBe(`SELECT 'say "hi" ?' , $1`);
  });

  it('returns SQL without placeholders unchanged', () => {
    const sql = 'UPDATE version_counter SET version = version + 1 WHERE id = 1 RETURNING version';
    expect(toPostgresPlaceholders(sql)).toBe(sql);
  });

  it('keeps non-ASCII text intact', () => {
    expect(toPostgresPlaceholders("SELECT '朝阳区?' WHERE name = ?")).toBe("SELECT '朝阳区?' WHERE name = $1");
  });
});

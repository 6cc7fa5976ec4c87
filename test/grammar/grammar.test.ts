/**
 * Tests for the TextMate grammar in syntaxes/toml.tmLanguage.json.
 *
 * Three layers, because each catches what the others miss:
 *  1. Snapshots: every real Drone.toml of the shared corpus and every hand-written fixture is
 *     tokenized and compared with a readable, committed dump (test/grammar/snapshots/*.snap).
 *     They pin the exact output, so any grammar change shows up as a reviewable diff.
 *     Missing snapshots are written; UPDATE_SNAPSHOTS=1 rewrites them all.
 *  2. Cross-check with a real TOML parser (toml-eslint-parser, TOML 1.0 mode): for every valid
 *     file, each character's highlighting class (key, section, string kind, number kind, ...)
 *     and its array / inline-table / header nesting must agree with the parse tree. This
 *     does not depend on anyone having reviewed a snapshot carefully.
 *  3. Targeted assertions on the constructs Drone.toml relies on, readable as a spec.
 *
 * Runs from the bundled out/test/grammar/grammar.test.js with the repo root as cwd;
 * vscode-textmate and vscode-oniguruma are external to the bundle, so the wasm is resolved
 * through Node's resolver rather than relative to this file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { parseTOML, traverseNodes, type AST } from 'toml-eslint-parser';
import { CORPUS, REPO_ROOT } from '../support/paths';
import { matchSnapshot } from '../support/snapshot';

const repoRoot = REPO_ROOT;
const grammarPath = path.join(repoRoot, 'syntaxes', 'toml.tmLanguage.json');
const corpusDir = CORPUS;
const fixturesDir = path.join(repoRoot, 'test', 'grammar', 'fixtures');
const snapshotsDir = path.join(repoRoot, 'test', 'grammar', 'snapshots');

/** Fixtures named invalid-*.toml are deliberately broken: snapshot only, no parser cross-check. */
const isDeliberatelyInvalid = (file: string) => path.basename(file).startsWith('invalid-');

interface Source {
  /** Snapshot name: the file name without `.toml`. */
  name: string;
  file: string;
}

function tomlFilesIn(dir: string): Source[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.toml'.length), file: path.join(dir, f) }));
}

// Listed at load time because mocha needs the test names before `before` hooks run.
// A missing corpus must fail loudly, not quietly test nothing.
const corpus = fs.existsSync(corpusDir) ? tomlFilesIn(corpusDir) : [];
const fixtures = tomlFilesIn(fixturesDir);
const sources = [...corpus, ...fixtures];

// ---------------------------------------------------------------------------------------------
// Tokenizing

interface Token {
  /** 1-based line. */
  line: number;
  /** 0-based UTF-16 columns, end exclusive (what the editor uses). */
  start: number;
  end: number;
  /** Offset of `start` in the whole text, to line tokens up with parser ranges. */
  offset: number;
  text: string;
  /** Outermost first; always starts with source.toml. */
  scopes: string[];
}

interface Tokenized {
  tokens: Token[];
  /** Depth of the rule stack after the last line: 1 means every region was closed. */
  finalDepth: number;
}

let grammar: vsctm.IGrammar;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  // loadWASM is idempotent (it returns the first promise), so another suite loading it is fine.
  await oniguruma.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.toml' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar('source.toml');
  if (!loaded) throw new Error(`could not load ${grammarPath}`);
  return loaded;
}

/** Tokenizes line by line, as the editor does (lines without their EOL, state carried over). */
function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  let stack = vsctm.INITIAL;
  let lineStart = 0;
  let lineNo = 0;
  // A final EOL does not start another line worth tokenizing.
  while (lineStart < text.length || (lineNo === 0 && text.length === 0)) {
    lineNo++;
    const nl = text.indexOf('\n', lineStart);
    const next = nl === -1 ? text.length : nl + 1;
    const contentEnd = nl === -1 ? text.length : nl > lineStart && text[nl - 1] === '\r' ? nl - 1 : nl;
    const line = text.slice(lineStart, contentEnd);
    const result = grammar.tokenizeLine(line, stack);
    for (const t of result.tokens) {
      // vscode-textmate matches against line + '\n'; the last token may claim that extra
      // character, and an empty line yields one empty token. Neither is text of the file.
      const end = Math.min(t.endIndex, line.length);
      if (end <= t.startIndex) continue;
      tokens.push({
        line: lineNo,
        start: t.startIndex,
        end,
        offset: lineStart + t.startIndex,
        text: line.slice(t.startIndex, end),
        scopes: t.scopes,
      });
    }
    stack = result.ruleStack;
    lineStart = next;
  }
  return { tokens, finalDepth: stack.depth };
}

// ---------------------------------------------------------------------------------------------
// Snapshots

const SNAPSHOT_HEADER = [
  '# Token snapshot for syntaxes/toml.tmLanguage.json; regenerate with UPDATE_SNAPSHOTS=1 and review the diff.',
  '# line:start-end scopes | "text"  (1-based line; 0-based UTF-16 columns, end exclusive; scopes outermost first)',
];

function snapshotOf(source: Source, { tokens }: Tokenized): string {
  const rel = path.relative(repoRoot, source.file).split(path.sep).join('/');
  const lines = [...SNAPSHOT_HEADER, `# source: ${rel}`];
  // JSON quoting makes trailing whitespace and tabs visible.
  for (const t of tokens) lines.push(`${t.line}:${t.start}-${t.end} ${t.scopes.join(' ')} | ${JSON.stringify(t.text)}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Cross-check against the TOML parser

/**
 * What a character is, as far as colouring goes. Scopes are mapped to a class by the innermost
 * scope that has one, so quote and escape tokens count as part of their string, quotes of a
 * quoted key as part of the key, and '#' as part of its comment.
 */
const CLASS_OF_SCOPE: [scope: string, cls: string][] = [
  ['invalid.illegal', 'invalid'],
  ['comment.line.number-sign.toml', 'comment'],
  ['entity.name.section.toml', 'section name'],
  ['support.type.property-name.toml', 'key'],
  ['string.quoted.double.basic.toml', 'basic string'],
  ['string.quoted.single.literal.toml', 'literal string'],
  ['string.quoted.triple.basic.toml', 'multi-line basic string'],
  ['string.quoted.triple.literal.toml', 'multi-line literal string'],
  ['constant.numeric.integer.decimal.toml', 'decimal integer'],
  ['constant.numeric.integer.hex.toml', 'hex integer'],
  ['constant.numeric.integer.octal.toml', 'octal integer'],
  ['constant.numeric.integer.binary.toml', 'binary integer'],
  ['constant.numeric.float', 'float'],
  ['constant.language.boolean.toml', 'boolean'],
  ['constant.other.time.datetime.offset.toml', 'offset-date-time'],
  ['constant.other.time.datetime.local.toml', 'local-date-time'],
  ['constant.other.time.date.toml', 'local-date'],
  ['constant.other.time.time.toml', 'local-time'],
];

function classOfScopes(scopes: string[]): string {
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const [scope, cls] of CLASS_OF_SCOPE) {
      if (scopes[i] === scope || scopes[i].startsWith(scope + '.')) return cls;
    }
  }
  return 'other';
}

function classOfValue(node: AST.TOMLValue, text: string): string {
  switch (node.kind) {
    case 'string':
      return `${node.multiline ? 'multi-line ' : ''}${node.style} string`;
    case 'integer': {
      const prefix = text.slice(node.range[0], node.range[0] + 2);
      return prefix === '0x' ? 'hex integer' : prefix === '0o' ? 'octal integer' : prefix === '0b' ? 'binary integer' : 'decimal integer';
    }
    case 'float':
      return 'float';
    case 'boolean':
      return 'boolean';
    default:
      return node.kind; // the four date/time kinds are named like the classes above
  }
}

/** The characters that only the header `[a.b]` / `[[a.b]]` covers (a TOMLTable's range spans its body). */
function headerRange(table: AST.TOMLTable, program: AST.TOMLProgram): [number, number] {
  const closers = program.tokens.filter((t) => t.type === 'Punctuator' && t.value === ']' && t.range[0] >= table.key.range[1]);
  const last = closers[table.kind === 'array' ? 1 : 0];
  assert.ok(last, 'header without closing bracket in a file the parser accepted');
  return [table.range[0], last.range[1]];
}

interface Expectation {
  cls: string[];
  inArray: boolean[];
  inInlineTable: boolean[];
  inTableHeader: boolean[];
  inArrayTableHeader: boolean[];
}

function expectationsFromParser(text: string): Expectation {
  const program = parseTOML(text, { tomlVersion: '1.0.0' });
  const n = text.length;
  const exp: Expectation = {
    cls: new Array<string>(n).fill('other'),
    inArray: new Array<boolean>(n).fill(false),
    inInlineTable: new Array<boolean>(n).fill(false),
    inTableHeader: new Array<boolean>(n).fill(false),
    inArrayTableHeader: new Array<boolean>(n).fill(false),
  };
  const fill = <T>(arr: T[], [from, to]: readonly [number, number], v: T) => arr.fill(v, from, to);
  for (const c of program.comments) fill(exp.cls, c.range, 'comment');
  traverseNodes(program, {
    enterNode(node) {
      switch (node.type) {
        case 'TOMLTable':
          fill(node.kind === 'array' ? exp.inArrayTableHeader : exp.inTableHeader, headerRange(node, program), true);
          for (const k of node.key.keys) fill(exp.cls, k.range, 'section name');
          break;
        case 'TOMLKeyValue':
          for (const k of node.key.keys) fill(exp.cls, k.range, 'key');
          break;
        case 'TOMLValue':
          fill(exp.cls, node.range, classOfValue(node, text));
          break;
        case 'TOMLArray':
          fill(exp.inArray, node.range, true);
          break;
        case 'TOMLInlineTable':
          fill(exp.inInlineTable, node.range, true);
          break;
      }
    },
    leaveNode() {},
  });
  return exp;
}

/** Every disagreement between the grammar and the parser, as readable lines (empty = agree). */
function disagreements(text: string, { tokens }: Tokenized): string[] {
  const exp = expectationsFromParser(text);
  const problems: string[] = [];
  for (const t of tokens) {
    const got = {
      cls: classOfScopes(t.scopes),
      inArray: t.scopes.includes('meta.array.toml'),
      inInlineTable: t.scopes.includes('meta.inline-table.toml'),
      inTableHeader: t.scopes.includes('meta.table.toml'),
      inArrayTableHeader: t.scopes.includes('meta.array.table.toml'),
    };
    for (let i = 0; i < t.text.length; i++) {
      const at = t.offset + i;
      const where = `${t.line}:${t.start + i} ${JSON.stringify(t.text)} [${t.scopes.join(' ')}]`;
      if (got.cls !== exp.cls[at]) problems.push(`${where}: grammar says ${got.cls}, parser says ${exp.cls[at]}`);
      // Whitespace around a region (e.g. indentation before '[header]') may fall either side.
      if (/\s/.test(t.text[i])) continue;
      for (const key of ['inArray', 'inInlineTable', 'inTableHeader', 'inArrayTableHeader'] as const) {
        if (got[key] !== exp[key][at]) problems.push(`${where}: grammar ${key}=${got[key]}, parser ${key}=${exp[key][at]}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Helpers for targeted assertions

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** 1-based number of the first line whose text equals `content` exactly. */
function lineOf(text: string, content: string): number {
  const i = text.split(/\r?\n/).indexOf(content);
  assert.notEqual(i, -1, `no line ${JSON.stringify(content)}`);
  return i + 1;
}

/** The `nth` token on `line` whose text is exactly `text`. */
function tokenOn(tokens: Token[], line: number, text: string, nth = 0): Token {
  const found = tokens.filter((t) => t.line === line && t.text === text)[nth];
  if (!found) {
    const onLine = tokens.filter((t) => t.line === line).map((t) => JSON.stringify(t.text));
    assert.fail(`no token ${JSON.stringify(text)} (#${nth}) on line ${line}; tokens there: ${onLine.join(' ')}`);
  }
  return found;
}

function assertScope(t: Token, scope: string): void {
  assert.ok(t.scopes.includes(scope), `${JSON.stringify(t.text)} at ${t.line}:${t.start} lacks ${scope}: [${t.scopes.join(' ')}]`);
}

function assertNoScope(t: Token, prefix: string): void {
  const hit = t.scopes.find((s) => s === prefix || s.startsWith(prefix + '.'));
  assert.equal(hit, undefined, `${JSON.stringify(t.text)} at ${t.line}:${t.start} must not be ${prefix}: [${t.scopes.join(' ')}]`);
}

/** Tokenizes a snippet and returns the tokens of its line `line` (1-based) as a lookup. */
function snippet(text: string) {
  const { tokens } = tokenize(text);
  return (line: number, tokenText: string, nth = 0) => tokenOn(tokens, line, tokenText, nth);
}

// ---------------------------------------------------------------------------------------------

describe('TOML grammar (syntaxes/toml.tmLanguage.json)', () => {
  before(async () => {
    grammar = await loadGrammar();
  });

  it('has the Drone.toml corpus and the fixtures to test with', () => {
    assert.ok(corpus.length > 0, `no *.toml in ${corpusDir}`);
    assert.ok(fixtures.length > 0, `no *.toml in ${fixturesDir}`);
    const names = sources.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `snapshot names collide: ${names.join(', ')}`);
  });

  it('compiles every regular expression (not only those the fixtures happen to reach)', () => {
    const raw = JSON.parse(read(grammarPath)) as unknown;
    const regexes: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if ((k === 'match' || k === 'begin' || k === 'end') && typeof child === 'string') regexes.push(child);
          else walk(child);
        }
      }
    };
    walk(raw);
    assert.ok(regexes.length > 20, 'suspiciously few patterns');
    for (const re of regexes) {
      assert.doesNotThrow(() => new oniguruma.OnigScanner([re]).dispose(), `does not compile: ${re}`);
    }
  });

  describe('snapshots', () => {
    for (const source of sources) {
      it(`${path.basename(source.file)} matches snapshots/${source.name}.snap`, () => {
        const actual = snapshotOf(source, tokenize(read(source.file)));
        matchSnapshot(path.join(snapshotsDir, `${source.name}.snap`), actual);
      });
    }

    it('has no snapshot without a source file', () => {
      const expected = new Set(sources.map((s) => `${s.name}.snap`));
      const orphans = fs.existsSync(snapshotsDir)
        ? fs.readdirSync(snapshotsDir).filter((f) => f.endsWith('.snap') && !expected.has(f))
        : [];
      assert.deepEqual(orphans, [], 'delete these snapshots or restore their source files');
    });
  });

  describe('agrees with a TOML 1.0 parser on every valid file', () => {
    for (const source of sources.filter((s) => !isDeliberatelyInvalid(s.file))) {
      it(path.basename(source.file), () => {
        const text = read(source.file);
        const tokenized = tokenize(text);
        assert.equal(tokenized.finalDepth, 1, 'a region (string, array, table header ...) is still open at the end of the file');
        const problems = disagreements(text, tokenized);
        assert.deepEqual(problems.slice(0, 15), [], `${problems.length} characters disagree`);
      });
    }
  });

  describe('Drone.toml essentials (bluepill-blink)', () => {
    const file = path.join(corpusDir, 'bluepill-blink.Drone.toml');
    let text: string;
    let tokens: Token[];
    before(() => {
      text = read(file);
      tokens = tokenize(text).tokens;
    });

    it('[heap.main] is a table header whose name parts are entity.name.section', () => {
      const line = lineOf(text, '[heap.main]');
      const parts = ['[', 'heap', '.', 'main', ']'].map((s) => tokenOn(tokens, line, s));
      for (const t of parts) assertScope(t, 'meta.table.toml');
      assertScope(parts[0], 'punctuation.definition.table.begin.toml');
      assertScope(parts[1], 'entity.name.section.toml');
      assertScope(parts[2], 'punctuation.separator.dot.toml');
      assertScope(parts[3], 'entity.name.section.toml');
      assertScope(parts[4], 'punctuation.definition.table.end.toml');
    });

    it('"10K" is a basic string and size is a key', () => {
      const line = lineOf(text, 'size = "10K"');
      assertScope(tokenOn(tokens, line, 'size'), 'support.type.property-name.toml');
      assertScope(tokenOn(tokens, line, '='), 'punctuation.separator.key-value.toml');
      const quoteOpen = tokenOn(tokens, line, '"', 0);
      const body = tokenOn(tokens, line, '10K');
      const quoteClose = tokenOn(tokens, line, '"', 1);
      for (const t of [quoteOpen, body, quoteClose]) assertScope(t, 'string.quoted.double.basic.toml');
      assertScope(quoteOpen, 'punctuation.definition.string.begin.toml');
      assertScope(quoteClose, 'punctuation.definition.string.end.toml');
    });

    it('0x08000000 is a single hex integer token', () => {
      const line = lineOf(text, 'origin = 0x08000000');
      assertScope(tokenOn(tokens, line, '0x08000000'), 'constant.numeric.integer.hex.toml');
    });

    it('pool entries: inline-table keys are keys, inside the pools array', () => {
      const line = lineOf(text, '    { block = "4", capacity = 118 },');
      const capacity = tokenOn(tokens, line, 'capacity');
      assertScope(capacity, 'support.type.property-name.toml');
      assertScope(capacity, 'meta.inline-table.toml');
      assertScope(capacity, 'meta.array.toml');
      assertScope(tokenOn(tokens, line, 'block'), 'support.type.property-name.toml');
      assertScope(tokenOn(tokens, line, '118'), 'constant.numeric.integer.decimal.toml');
      assertScope(tokenOn(tokens, line, '{'), 'punctuation.definition.inline-table.begin.toml');
      assertScope(tokenOn(tokens, line, '}'), 'punctuation.definition.inline-table.end.toml');
      assertScope(tokenOn(tokens, line, ',', 0), 'punctuation.separator.inline-table.toml');
      assertScope(tokenOn(tokens, line, ',', 1), 'punctuation.separator.array.toml');
    });

    it('the pools array closes: [linker] after it is a header again, not array content', () => {
      const close = tokenOn(tokens, lineOf(text, ']'), ']');
      assertScope(close, 'punctuation.definition.array.end.toml');
      const linker = tokenOn(tokens, lineOf(text, '[linker]'), 'linker');
      assertScope(linker, 'entity.name.section.toml');
      assertNoScope(linker, 'meta.array');
    });

    it('hyphenated keys are one key token', () => {
      assertScope(
        tokenOn(tokens, lineOf(text, 'gdb-client-command = "gdb-multiarch"'), 'gdb-client-command'),
        'support.type.property-name.toml',
      );
    });
  });

  describe('odd spacing (cc2538-starter)', () => {
    it('"capacity =  100}" and a trailing space after 115200 do not break anything', () => {
      const text = read(path.join(corpusDir, 'cc2538-starter.Drone.toml'));
      const { tokens, finalDepth } = tokenize(text);
      assert.equal(finalDepth, 1);
      const pool = lineOf(text, '    { block = "4", capacity =  100},');
      assertScope(tokenOn(tokens, pool, '100'), 'constant.numeric.integer.decimal.toml');
      assertScope(tokenOn(tokens, pool, '}'), 'punctuation.definition.inline-table.end.toml');
      const baud = lineOf(text, 'baud-rate = 115200 ');
      assertScope(tokenOn(tokens, baud, '115200'), 'constant.numeric.integer.decimal.toml');
      // The trailing space is plain text at the top level, not part of the number or a region.
      const trailing = tokens.filter((t) => t.line === baud).at(-1);
      assert.equal(trailing?.text, ' ');
      assert.deepEqual(trailing?.scopes, ['source.toml']);
      assertScope(tokenOn(tokens, lineOf(text, '[log.dso]'), 'dso'), 'entity.name.section.toml');
    });
  });

  describe('constructs', () => {
    it('a # comment is a comment; a # inside a string is not', () => {
      const at = snippet('# heading\nurl = "a # b" # real\nlit = \'c # d\'\n');
      assertScope(at(1, '#'), 'punctuation.definition.comment.toml');
      assertScope(at(1, '#'), 'comment.line.number-sign.toml');
      assertScope(at(1, ' heading'), 'comment.line.number-sign.toml');
      const inString = at(2, 'a # b');
      assertScope(inString, 'string.quoted.double.basic.toml');
      assertNoScope(inString, 'comment');
      assertScope(at(2, ' real'), 'comment.line.number-sign.toml');
      assertScope(at(3, 'c # d'), 'string.quoted.single.literal.toml');
      assertNoScope(at(3, 'c # d'), 'comment');
    });

    it('multi-line strings hide comments, headers and keys and then end', () => {
      const at = snippet('s = """\n# no\n[no]\n"""\n[yes]\nl = \'\'\'\n# no\n\'\'\'\n');
      assertScope(at(2, '# no'), 'string.quoted.triple.basic.toml');
      assertNoScope(at(2, '# no'), 'comment');
      assertScope(at(3, '[no]'), 'string.quoted.triple.basic.toml');
      assertScope(at(5, 'yes'), 'entity.name.section.toml');
      assertScope(at(7, '# no'), 'string.quoted.triple.literal.toml');
    });

    it('escapes are marked, invalid ones as errors', () => {
      const at = snippet('a = "x\\ty\\u00e9\\qz"\nb = """\\\n  w"""\n');
      assertScope(at(1, '\\t'), 'constant.character.escape.toml');
      assertScope(at(1, '\\u00e9'), 'constant.character.escape.toml');
      assertScope(at(1, '\\q'), 'invalid.illegal.escape.toml');
      assertScope(at(2, '\\'), 'constant.character.escape.toml');
    });

    it('array tables and dotted / quoted header parts', () => {
      const at = snippet('[[bin.x]]\n[ a . "b.c" ]\n');
      for (const s of ['[[', 'bin', '.', 'x', ']]']) assertScope(at(1, s), 'meta.array.table.toml');
      assertScope(at(1, '[['), 'punctuation.definition.array.table.begin.toml');
      assertScope(at(1, 'bin'), 'entity.name.section.toml');
      assertScope(at(1, ']]'), 'punctuation.definition.array.table.end.toml');
      assertScope(at(2, 'b.c'), 'entity.name.section.toml');
      assertScope(at(2, '"', 0), 'punctuation.definition.key.begin.toml');
    });

    it('keys are only keys before =, values that look like keys stay values', () => {
      const at = snippet('3.14159 = 1.5\ntrue = false\n"q k".bare = 1979-05-27\n');
      assertScope(at(1, '3'), 'support.type.property-name.toml');
      assertScope(at(1, '14159'), 'support.type.property-name.toml');
      assertScope(at(1, '1.5'), 'constant.numeric.float.toml');
      assertScope(at(2, 'true'), 'support.type.property-name.toml');
      assertScope(at(2, 'false'), 'constant.language.boolean.toml');
      assertScope(at(3, 'q k'), 'support.type.property-name.toml');
      assertScope(at(3, 'bare'), 'support.type.property-name.toml');
      assertScope(at(3, '1979-05-27'), 'constant.other.time.date.toml');
    });

    it('number kinds', () => {
      const at = snippet('a = [+1_000, 0o755, 0b1010, 6.626e-34, -inf, nan, 0123]\n');
      assertScope(at(1, '+1_000'), 'constant.numeric.integer.decimal.toml');
      assertScope(at(1, '0o755'), 'constant.numeric.integer.octal.toml');
      assertScope(at(1, '0b1010'), 'constant.numeric.integer.binary.toml');
      assertScope(at(1, '6.626e-34'), 'constant.numeric.float.toml');
      assertScope(at(1, '-inf'), 'constant.numeric.float.inf.toml');
      assertScope(at(1, 'nan'), 'constant.numeric.float.nan.toml');
      // A leading zero is not a TOML integer, so it must not look like one (the unscoped text
      // merges with the space before it into one token).
      assertNoScope(at(1, ' 0123'), 'constant.numeric');
    });

    it('an unterminated string or inline table ends with its line', () => {
      const at = snippet('a = "open\nb = { c = 1\nd = 2\n');
      assertScope(at(2, 'b'), 'support.type.property-name.toml');
      assertNoScope(at(2, 'b'), 'string');
      assertScope(at(3, 'd'), 'support.type.property-name.toml');
      assertNoScope(at(3, 'd'), 'meta.inline-table');
    });

    it('an unclosed array gives up at the next key = line or table header', () => {
      const at = snippet('a = [ 1,\nb = 2\nc = [\n[t.u]\nnested = [\n  [1, 2],\n  [true],\n]\n');
      assertNoScope(at(2, 'b'), 'meta.array');
      assertScope(at(2, 'b'), 'support.type.property-name.toml');
      assertNoScope(at(4, 't'), 'meta.array');
      assertScope(at(4, 't'), 'entity.name.section.toml');
      // ... but a nested array of a real array of arrays does not trigger that recovery.
      assertScope(at(7, 'true'), 'meta.array.toml');
      assertScope(at(7, 'true'), 'constant.language.boolean.toml');
      assertScope(at(8, ']'), 'punctuation.definition.array.end.toml');
    });
  });
});

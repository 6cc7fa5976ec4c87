// `drone-heap check`, run as users run it: the bundled dist/cli.js in a child process.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli as run } from '../support/cli';
import { corpusFiles, FIXTURES } from '../support/paths';

describe('drone-heap check', () => {
  it('passes every corpus file with exit 0', () => {
    const result = run(['check', ...corpusFiles()]);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, '7 files checked: 0 errors, 0 warnings, 0 notes\n');
    assert.equal(result.status, 0);
  });

  it('prints file:line:col: severity: message [code] with 1-based positions and exits 1 on an error', () => {
    const file = join(FIXTURES, 'config', 'sum-over.toml');
    const result = run(['check', file]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      `${file}:10:8: error: \`heap.main.pools\` adds up to 10752 bytes, but \`heap.main.size\` is 10240 bytes: the pools need 512 bytes more than the heap has. Drone's build fails on this. Set size to "10752" or change a pool's capacity. [pool-sum-mismatch]\n`,
    );
  });

  it('exits 0 when there are only warnings and notes', () => {
    const result = run(['check', join(FIXTURES, 'config', 'unsorted.toml')]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /unsorted\.toml:10:5: information: Pools are not in ascending block order .* \[pools-unsorted\]/);
  });

  it('prints JSON with the same 1-based positions', () => {
    const file = join(FIXTURES, 'config', 'misaligned.toml');
    const result = run(['check', file, '--json']);
    assert.equal(result.status, 1);
    const diagnostics = JSON.parse(result.stdout);
    assert.deepEqual(diagnostics[0], {
      file,
      line: 6,
      column: 8,
      endLine: 6,
      endColumn: 14,
      severity: 'error',
      code: 'pool-sum-mismatch',
      message: diagnostics[0].message,
    });
    assert.deepEqual(
      diagnostics.map((d: { code: string; line: number }) => `${d.line}:${d.code}`),
      ['6:pool-sum-mismatch', '9:block-misaligned', '11:pools-unsorted', '11:block-misaligned', '11:zero-capacity'],
    );
  });

  it('checks ./Drone.toml by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
    copyFileSync(join(FIXTURES, 'config', 'sum-over.toml'), join(dir, 'Drone.toml'));
    const result = run(['check'], dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^Drone\.toml:10:8: error: .*\[pool-sum-mismatch\]\n$/);
  });

  it('honours --word-size', () => {
    const file = corpusFiles().find((f) => basename(f).startsWith('bluepill'))!;
    const result = run(['check', file, '--word-size', '8', '--json']);
    // 4 and 20 and 116 are not multiples of 8; 4 B also leaves all later pools misaligned.
    assert.deepEqual(
      JSON.parse(result.stdout).map((d: { code: string }) => d.code),
      ['block-misaligned', 'block-misaligned', 'block-misaligned'],
    );
    assert.equal(result.status, 0);
  });

  it('exits 2 with a clear message for a missing file or bad arguments', () => {
    const missing = run(['check', 'no/such/Drone.toml']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'drone-heap: cannot read no/such/Drone.toml: no such file\n');
    const badOption = run(['check', '--frobnicate']);
    assert.equal(badOption.status, 2);
    assert.match(badOption.stderr, /unknown option --frobnicate/);
    const badWordSize = run(['check', '--word-size', 'four']);
    assert.equal(badWordSize.status, 2);
    assert.match(badWordSize.stderr, /--word-size must be a whole number/);
    const noCommand = run([]);
    assert.equal(noCommand.status, 2);
    assert.match(noCommand.stdout, /Usage: drone-heap <command>/);
    const unknown = run(['chekc']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "chekc"/);
  });

  it('reads a file that is not valid UTF-8 TOML without crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
    const file = join(dir, 'Drone.toml');
    writeFileSync(file, Buffer.from([0x5b, 0x68, 0x65, 0x61, 0x70, 0x5d, 0x0a, 0xff, 0xfe, 0x00, 0x3d]));
    const result = run(['check', file]);
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /Drone\.toml:2:1: error: TOML syntax error: the file is not valid UTF-8 \(at byte offset 7: 0xFF 0xFE 0x00 0x3D\); TOML files must be UTF-8 \[toml-syntax\]/,
    );
    assert.equal(readFileSync(file).length, 11, 'the file is not touched');
  });

  it('reports invalid UTF-8 inside a string and a bare CR at their line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
    const utf8 = join(dir, 'utf8.toml');
    writeFileSync(utf8, Buffer.concat([Buffer.from('# é\n[heap.main]\nsize = "1'), Buffer.from([0xc3]), Buffer.from('0K"\n')]));
    const cr = join(dir, 'cr.toml');
    writeFileSync(cr, '[heap.main]\r\nsize = "10K"\rpools = []\r\n');
    const result = run(['check', '--json', utf8, cr]);
    assert.equal(result.status, 1);
    assert.deepEqual(
      JSON.parse(result.stdout).map(
        (d: { file: string; line: number; column: number; code: string }) => `${basename(d.file)}:${d.line}:${d.column} ${d.code}`,
      ),
      ['utf8.toml:3:10 toml-syntax', 'cr.toml:2:13 toml-syntax'],
    );
  });

  it('accepts a UTF-8 byte order mark and counts columns without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
    const file = join(dir, 'Drone.toml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(FIXTURES, 'config', 'sum-over.toml'))]));
    const result = run(['check', file]);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^[^\n]*Drone\.toml:10:8: error: [^\n]*\[pool-sum-mismatch\]\n$/);
    const bomOnFirstLine = join(dir, 'first.toml');
    writeFileSync(bomOnFirstLine, '\uFEFF= 1\n');
    assert.match(run(['check', bomOnFirstLine]).stdout, /first\.toml:1:1: error: .*\[/, 'column 1 is the first character after the mark');
  });
});

// Thousands of random mutations of the real corpus: the parser and checks must always
// answer with findings, never throw or hang (a hang fails through mocha's timeout).
// bench/fuzz.ts runs the same with more cases and other seeds.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { checkDroneToml } from '../../../server/src/core/checks/index';
import { exercise, mutate } from '../../support/fuzz';
import { mulberry32 } from '../../support/traceGen';
import { corpusFiles } from '../../support/paths';

describe('fuzzing the parser and checks (seed 20261124)', function () {
  this.timeout(60_000);
  const corpus = corpusFiles().map((f) => readFileSync(f, 'utf8'));

  it('survives 3000 mutated corpus files, each mutated 1–4 times', () => {
    const random = mulberry32(20261124);
    let withFindings = 0;
    let syntaxErrors = 0;
    for (let i = 0; i < 3000; i++) {
      let text = corpus[i % corpus.length];
      const rounds = 1 + Math.floor(random() * 4);
      for (let r = 0; r < rounds; r++) text = mutate(text, random);
      try {
        if (exercise(text) > 0) withFindings++;
        if (checkDroneToml(text).findings.some((f) => f.code === 'toml-syntax')) syntaxErrors++;
      } catch (error) {
        assert.fail(`case ${i} failed: ${(error as Error).stack}\n--- input ---\n${text}`);
      }
    }
    // The mutations must really reach both the syntax path and the checks, or the test proves little.
    assert.ok(syntaxErrors > 300, `only ${syntaxErrors} syntax errors`);
    assert.ok(withFindings - syntaxErrors > 200, `only ${withFindings - syntaxErrors} cases with heap findings`);
  });
});

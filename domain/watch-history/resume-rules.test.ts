import assert from "node:assert/strict";
import {
  DEFAULT_RESUME_RULES,
  isCompleted,
  type Progress,
  resumePoint,
  resumeRulesFrom,
} from "./resume-rules.ts";

const rules = DEFAULT_RESUME_RULES;
const HOUR = 3600;
/** Given a viewer last seen at `positionSec` of a one-hour episode. */
const at = (positionSec: number, extra: Partial<Progress> = {}): Progress => ({
  positionSec,
  positionAtMs: 1_000,
  furthestSec: positionSec,
  durationSec: HOUR,
  ...extra,
});

Deno.test("resume: between 5 % and 90 % watched, the last position", () => {
  assert.equal(resumePoint(at(0.4 * HOUR), rules), 0.4 * HOUR);
  assert.equal(resumePoint(at(0.05 * HOUR), rules), 0.05 * HOUR, "5 % itself resumes");
  assert.equal(resumePoint(at(0.9 * HOUR), rules), 0.9 * HOUR, "90 % itself resumes");
});

Deno.test("resume: none before 5 %, after 90 %, for items under 5 minutes or of unknown length", () => {
  assert.equal(resumePoint(at(0.049 * HOUR), rules), undefined);
  assert.equal(resumePoint(at(0.901 * HOUR), rules), undefined);
  assert.equal(resumePoint(at(120, { durationSec: 299 }), rules), undefined);
  assert.equal(resumePoint(at(120, { durationSec: 300 }), rules), 120, "5 minutes exactly do");
  assert.equal(resumePoint(at(120, { durationSec: undefined }), rules), undefined);
  assert.equal(resumePoint({ durationSec: HOUR }, rules), undefined, "no position at all");
});

Deno.test("resume: none once playback ended after the position; a rewatch resumes again", () => {
  assert.equal(resumePoint(at(0.5 * HOUR, { endedAtMs: 1_000 }), rules), undefined);
  assert.equal(resumePoint(at(0.5 * HOUR, { endedAtMs: 2_000 }), rules), undefined);
  assert.equal(resumePoint(at(0.5 * HOUR, { endedAtMs: 500 }), rules), 0.5 * HOUR);
});

Deno.test("completed: an ended event, or further than 90 % at some point", () => {
  assert.equal(isCompleted(at(0.4 * HOUR), rules), false);
  assert.equal(isCompleted(at(0.9 * HOUR), rules), false);
  assert.equal(isCompleted(at(0.91 * HOUR), rules), true);
  assert.equal(isCompleted(at(0.1 * HOUR, { endedAtMs: 5 }), rules), true);
  assert.equal(
    isCompleted(at(0.3 * HOUR, { furthestSec: 0.95 * HOUR }), rules),
    true,
    "rewinding after the end does not undo it",
  );
});

Deno.test("the rules are configurable and checked", () => {
  const strict = resumeRulesFrom({ minPercent: 10, maxPercent: 80, minDurationSec: 60 });
  assert.equal(resumePoint(at(0.08 * HOUR), strict), undefined);
  assert.equal(resumePoint(at(0.85 * HOUR), strict), undefined);
  assert.equal(isCompleted(at(0.85 * HOUR), strict), true);
  assert.equal(resumePoint(at(30, { durationSec: 100 }), strict), 30);
  assert.deepEqual(resumeRulesFrom(), DEFAULT_RESUME_RULES);
  assert.throws(() => resumeRulesFrom({ minPercent: 90, maxPercent: 90 }), RangeError);
  assert.throws(() => resumeRulesFrom({ maxPercent: 101 }), RangeError);
  assert.throws(() => resumeRulesFrom({ minDurationSec: -1 }), RangeError);
});

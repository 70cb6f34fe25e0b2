/** Types of test/sequencer.js (jest loads the sequencer as plain JavaScript). */
import Sequencer from '@jest/test-sequencer';

declare class LongestFirstSequencer extends Sequencer {}
declare namespace LongestFirstSequencer {
  /** About how many seconds each of the longest suites takes, by path from the repository root. */
  const LONG_SUITES: Readonly<Record<string, number>>;
}
export = LongestFirstSequencer;

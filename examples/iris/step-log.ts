/** A log line from inside a step, labelled with the step's name (captured into the step run's logs too). */
import { getStepContext } from 'modelplane';

export function stepLog(message: string): void {
  console.log(`  · ${getStepContext().stepName}: ${message}`);
}

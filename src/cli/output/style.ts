/** ANSI styling that turns into plain text when colours are off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** Colours a stage name: production green, staging yellow, archived dim. */
  stage(stage: string): string;
  /** Colours a run status: completed/cached green, failed red, running yellow. */
  status(status: string): string;
}

function wrap(open: number, close: number): (text: string) => string {
  return (text) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

const plain = (text: string) => text;

/** Styles for one output stream. */
export function makeStyle(enabled: boolean): Style {
  const bold = enabled ? wrap(1, 22) : plain;
  const dim = enabled ? wrap(2, 22) : plain;
  const red = enabled ? wrap(31, 39) : plain;
  const green = enabled ? wrap(32, 39) : plain;
  const yellow = enabled ? wrap(33, 39) : plain;
  const cyan = enabled ? wrap(36, 39) : plain;
  return {
    enabled,
    bold,
    dim,
    red,
    green,
    yellow,
    cyan,
    stage: (stage) => (stage === 'production' ? green(stage) : stage === 'staging' ? yellow(stage) : stage === 'archived' || stage === 'none' ? dim(stage) : stage),
    status: (status) =>
      status === 'completed' || status === 'cached' ? green(status) : status === 'failed' ? red(status) : status === 'running' || status === 'initializing' ? yellow(status) : dim(status),
  };
}

/** Removes ANSI escape sequences (for width computations). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

import { arg, defineCommand } from '../command.js';
import { bashCompletion, zshCompletion } from '../completion-scripts.js';

const SHELLS = ['bash', 'zsh'] as const;

/** `modelplane completion bash|zsh`: prints a completion script for the whole command tree. */
export const command = defineCommand({
  path: ['completion'],
  summary: 'print a shell completion script (bash or zsh)',
  description:
    'Prints a completion script covering every command and option.\n\n' +
    '  bash:  source <(modelplane completion bash)        (or save it to /etc/bash_completion.d/modelplane)\n' +
    '  zsh:   source <(modelplane completion zsh)         (or save it as _modelplane in a folder of $fpath)',
  args: [arg.required('shell', 'bash or zsh', SHELLS)],
  options: {},
  async run(ctx, { shell }) {
    ctx.out(shell === 'bash' ? bashCompletion(ctx.tree) : zshCompletion(ctx.tree));
  },
});

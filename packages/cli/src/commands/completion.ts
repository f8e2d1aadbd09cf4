// `cryptex completion bash|zsh`: completion scripts generated from the command table.
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";
import { COMMANDS, GLOBAL_OPTIONS } from "../program/spec.ts";

const top = [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]!))];
const subsOf = (group: string) => COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
const flagsOf = (name: string) =>
  [...(COMMANDS.find((c) => c.name === name)?.options ?? []), ...GLOBAL_OPTIONS].map((o) => `--${o.name}`).join(" ");

function bash(): string {
  const cases = COMMANDS.map((c) => `    "${c.name}") flags="${flagsOf(c.name)}" ;;`).join("\n");
  return `# cryptex bash completion: eval "$(cryptex completion bash)"
_cryptex() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "${top.join(" ")}" -- "$cur")); return; fi
  if [ "$cmd" = account ] && [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${subsOf("account").join(" ")}" -- "$cur")); return; fi
  if [ "$cmd" = device ] && [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${subsOf("device").join(" ")}" -- "$cur")); return; fi
  if [ "$cmd" = attachment ] && [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${subsOf("attachment").join(" ")}" -- "$cur")); return; fi
  { [ "$cmd" = account ] || [ "$cmd" = device ] || [ "$cmd" = attachment ]; } && cmd="$cmd \${COMP_WORDS[2]}"
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _cryptex cryptex
`;
}

function zsh(): string {
  return `#compdef cryptex
# cryptex zsh completion: eval "$(cryptex completion zsh)"
autoload -U bashcompinit && bashcompinit
${bash()}`;
}

export const run: CommandRun = async (ctx, args) => {
  const shell = args.positionals[0];
  if (shell === "bash") ctx.out(bash());
  else if (shell === "zsh") ctx.out(zsh());
  else throw new CliError("usage", "completion supports bash and zsh");
};

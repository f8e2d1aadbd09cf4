// `cryptex completion bash|zsh`: completion scripts generated from the command table.
import { CliError } from "../errors/cli-error.ts";
import type { CommandRun } from "../program/spec.ts";
import { COMMANDS, GLOBAL_OPTIONS } from "../program/spec.ts";

const top = [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]!))];
const subs = COMMANDS.filter((c) => c.name.startsWith("account ")).map((c) => c.name.slice(8));
const flagsOf = (name: string) =>
  [...(COMMANDS.find((c) => c.name === name)?.options ?? []), ...GLOBAL_OPTIONS].map((o) => `--${o.name}`).join(" ");

function bash(): string {
  const cases = COMMANDS.map((c) => `    "${c.name}") flags="${flagsOf(c.name)}" ;;`).join("\n");
  return `# cryptex bash completion: eval "$(cryptex completion bash)"
_cryptex() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "${top.join(" ")}" -- "$cur")); return; fi
  if [ "$cmd" = account ] && [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${subs.join(" ")}" -- "$cur")); return; fi
  [ "$cmd" = account ] && cmd="account \${COMP_WORDS[2]}"
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

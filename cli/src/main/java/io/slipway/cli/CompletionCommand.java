package io.slipway.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slipway completion}: picocli's bash/zsh completion script, plus a small bash shim.
 * Slipway's verbs contain ':' ({@code apps:create}), and bash splits words at ':' by default
 * ({@code COMP_WORDBREAKS}), so picocli's completer alone would never complete past the colon.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = {"Print a bash/zsh completion script for slipway.",
                "Load it in this shell:  source <(slipway completion)",
                "Or install it:  slipway completion > /etc/bash_completion.d/slipway"})
final class CompletionCommand extends AutoComplete.GenerateCompletion {
    /**
     * Hands picocli's completer whole words (re-split from the line, so {@code apps:cr} is one
     * word), then removes from each reply what bash treats as already typed: everything up to the
     * last ':' of the current word.
     */
    static final String COLON_SHIM = """

            # Slipway's verbs contain ':' (apps:create); bash splits words at ':', so rejoin them.
            if [ -n "${BASH_VERSION:-}" ]; then
              function _complete_slipway_colon_verbs() {
                local line=${COMP_LINE:0:COMP_POINT}
                local -a words
                read -r -a words <<< "$line"
                if [[ -z $line || $line == *[[:space:]] ]]; then words+=(""); fi
                local COMP_WORDS=("${words[@]}")
                local COMP_CWORD=$(( ${#words[@]} - 1 ))
                _complete_slipway "$@"
                local cur=${words[COMP_CWORD]}
                if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
                  local typed=${cur%"${cur##*:}"}
                  COMPREPLY=("${COMPREPLY[@]#"$typed"}")
                fi
              }
              complete -o default -F _complete_slipway_colon_verbs slipway slipway.sh slipway.bash
            fi
            """;

    @Spec
    CommandSpec self;

    @Override
    public void run() {
        super.run();
        self.commandLine().getOut().print(COLON_SHIM);
        self.commandLine().getOut().flush();
    }
}

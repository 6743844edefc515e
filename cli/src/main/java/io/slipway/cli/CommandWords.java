package io.slipway.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The words after {@code --} ({@code slipway run -- CMD...}) as the one command line a dyno runs
 * with {@code bash -c}. The user's shell has already removed their quotes, so each word that
 * needs quoting gets quoted again and reaches the remote program as the same single argument:
 * {@code run -- echo 'a  b'} prints {@code a  b}. A single word is taken as a whole command
 * line, as Heroku does, so a remote pipeline can be given in one quoted argument:
 * {@code run -- 'python manage.py dumpdata | gzip > /tmp/d.gz'}.
 */
final class CommandWords {
    /** Words bash reads back as themselves: nothing to expand, split or redirect. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandWords() {}

    /** The command line; empty when there is nothing to run (no words, or only blank ones). */
    static String join(List<String> words) {
        if (words == null || words.stream().allMatch(String::isBlank)) {
            return "";
        }
        if (words.size() == 1) {
            return words.getFirst();
        }
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(PLAIN.matcher(word).matches() ? word : ShellQuote.quote(word));
        }
        return line.toString();
    }
}

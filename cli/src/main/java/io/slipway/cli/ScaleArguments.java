package io.slipway.cli;

import io.slipway.api.FormationUpdate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code TYPE=N[:SIZE]} arguments of {@code ps:scale}: {@code web=3}, {@code worker=1:standard}.
 * Only the shape is checked here; whether the type exists, the number is allowed (not negative,
 * not past the platform's maximum) and the size is known is the platform's call.
 */
final class ScaleArguments {
    static final String SHAPE = "TYPE=N or TYPE=N:SIZE";
    private static final Pattern ARGUMENT = Pattern.compile("([^=:]+)=([^:]*)(?::([^:]*))?", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]{1,9}");

    private ScaleArguments() {}

    /**
     * One update per argument, in the order given.
     *
     * @throws IllegalArgumentException naming the first argument that is not {@code TYPE=N[:SIZE]}
     */
    static List<FormationUpdate.Item> parse(List<String> arguments) {
        List<FormationUpdate.Item> items = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String argument : arguments) {
            Matcher m = ARGUMENT.matcher(argument);
            String shown = "'" + ConfigAssignments.printable(argument) + "'";
            if (!m.matches()) {
                throw new IllegalArgumentException(shown + " is not " + SHAPE + " (e.g. web=3)");
            }
            String type = m.group(1);
            String quantity = m.group(2);
            String size = m.group(3);
            if (!NUMBER.matcher(quantity).matches()) {
                throw new IllegalArgumentException(shown + ": '" + ConfigAssignments.printable(quantity)
                        + "' is not a number of dynos (" + SHAPE + ")");
            }
            if (size != null && size.isBlank()) {
                throw new IllegalArgumentException(shown + " has an empty size after ':' (" + SHAPE + ")");
            }
            if (!seen.add(type)) {
                throw new IllegalArgumentException(ConfigAssignments.printable(type) + " is given twice");
            }
            items.add(new FormationUpdate.Item(type, Integer.parseInt(quantity), size));
        }
        return items;
    }
}
